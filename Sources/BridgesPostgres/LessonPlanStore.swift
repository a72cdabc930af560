import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO

extension PostgresStore {
    static func decodeContent<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    package func catalog() async throws(StoreError) -> StoredCatalog {
        try await read { connection in try await Self.catalog(connection) }
    }

    static func catalog(_ connection: PostgresConnection) async throws -> StoredCatalog {
        var lessonPrograms: [String: String] = [:]
        for try await (lesson, program) in try await connection.rows("SELECT id, programId FROM lesson").decode((String, String).self) {
            lessonPrograms[lesson] = program
        }
        var programs: [String: Program] = [:]
        for content in try await connection.values("""
            SELECT v.content FROM program p JOIN programVersion v ON v.programId = p.id AND v.version = p.latestVersion
            """, as: String.self) {
            let program = try decodeContent(Program.self, content)
            programs[program.id] = program
        }
        return StoredCatalog(lessonPrograms: lessonPrograms, programs: programs)
    }

    /// Compares each item with what is stored and, unless one conflicts, stores the new ones, all
    /// in one transaction. With a conflict (or `dryRun`) nothing is written and the outcome says
    /// what would have been.
    package func storeLessonPlans(_ items: [LessonPlanItem], context: WriteContext, dryRun: Bool) async throws(StoreError) -> LessonPlanStoreOutcome {
        // Programs first: lessons refer to them.
        let order = items.indices.sorted { a, b in
            let pa = if case .program = items[a].document { 0 } else { 1 }
            let pb = if case .program = items[b].document { 0 } else { 1 }
            return pa != pb ? pa < pb : a < b
        }
        return try await write(keepingIf: { !$0.hasConflicts && !dryRun }) { connection in
            var outcome = LessonPlanStoreOutcome(changes: [])
            for index in order {
                let change = try await Self.store(items[index], context: context, on: connection)
                outcome.changes.append((items[index], change))
            }
            return outcome
        }
    }

    /// Stores lesson plans one by one as `body` reads them, in one write transaction that commits
    /// when `body` returns true and nothing conflicted. Foreign keys are checked at commit, so a
    /// lesson may come before its program.
    package func storeLessonPlansStreaming(
        context: WriteContext, _ body: (StoredCatalog, any LessonPlanSink) throws -> Bool
    ) async throws(StoreError) -> LessonPlanStoreOutcome {
        let result = try await write(keepingIf: { $0.commit && !$0.outcome.hasConflicts }) { connection in
            try await connection.run("SET CONSTRAINTS ALL DEFERRED")
            let catalog = try await Self.catalog(connection)
            let sink = PostgresLessonPlanSink(connection: connection, context: context)
            let commit = try await OwnThread.run { try body(catalog, sink) }
            return (commit: commit, outcome: sink.outcome)
        }
        return result.outcome
    }

    static func store(_ item: LessonPlanItem, context: WriteContext, on connection: PostgresConnection) async throws -> LessonPlanStoreOutcome.Change {
        let (table, versionTable, key, id, version, title): (String, String, String, String, Int, String)
        switch item.document {
        case .program(let p, _): (table, versionTable, key, id, version, title) = ("program", "programVersion", "programId", p.id, p.version, p.title)
        case .lesson(let l, _): (table, versionTable, key, id, version, title) = ("lesson", "lessonVersion", "lessonId", l.id, l.version, l.title)
        }
        if let stored = try await connection.value(
            "SELECT content FROM \(unescaped: versionTable) WHERE \(unescaped: key) = \(id) AND version = \(version)", as: String.self) {
            if stored == item.content { return .unchanged }
            let highest = try await connection.value(
                "SELECT max(version) FROM \(unescaped: versionTable) WHERE \(unescaped: key) = \(id)", as: Int.self) ?? version
            return .conflict(latestStored: highest)
        }
        let latest = try await connection.value("SELECT latestVersion FROM \(unescaped: table) WHERE id = \(id)", as: Int.self)
        switch item.document {
        case .program:
            if latest == nil {
                try await connection.run("INSERT INTO program (id, latestVersion) VALUES (\(id), \(version))")
            }
            try await connection.run("""
                INSERT INTO programVersion (programId, version, title, content, sourcePath, loadedAt, loadedBy)
                VALUES (\(id), \(version), \(title), \(item.content), \(item.sourcePath), \(context.at), \(context.actor))
                """)
        case .lesson(let lesson, _):
            if latest == nil {
                try await connection.run("INSERT INTO lesson (id, programId, latestVersion) VALUES (\(id), \(lesson.programID), \(version))")
            }
            try await connection.run("""
                INSERT INTO lessonVersion (lessonId, version, title, minutes, content, sourcePath, loadedAt, loadedBy)
                VALUES (\(id), \(version), \(title), \(lesson.minutes), \(item.content), \(item.sourcePath), \(context.at), \(context.actor))
                """)
        }
        if let latest, version > latest {
            try await connection.run("UPDATE \(unescaped: table) SET latestVersion = \(version) WHERE id = \(id)")
        }
        try await record(AuditEvent(
            at: context.at, actor: context.actor, action: latest == nil ? "load" : "load new version", entity: table, entityId: id,
            field: "version", oldValue: latest.map(String.init), newValue: String(version), detail: item.sourcePath), on: connection)
        if let latest { return .newVersion(previousLatest: latest) }
        return .added
    }

    // MARK: reading back

    package func programs() async throws(StoreError) -> [Program] {
        try await read { connection in
            try await connection.values("""
                SELECT v.content FROM program p JOIN programVersion v ON v.programId = p.id AND v.version = p.latestVersion ORDER BY p.id
                """, as: String.self).map { try Self.decodeContent(Program.self, $0) }
        }
    }

    package func lessonSummaries(programID: String?) async throws(StoreError) -> [StoredLessonSummary] {
        try await read { connection in
            var summaries: [StoredLessonSummary] = []
            for try await (id, program, latest, title, minutes) in try await connection.rows("""
                SELECT l.id, l.programId, l.latestVersion, v.title, v.minutes
                FROM lesson l JOIN lessonVersion v ON v.lessonId = l.id AND v.version = l.latestVersion
                WHERE \(programID)::text IS NULL OR l.programId = \(programID)
                ORDER BY l.programId, l.id
                """).decode((String, String, Int, String, Int).self) {
                summaries.append(StoredLessonSummary(id: id, programID: program, latestVersion: latest, title: title, minutes: minutes))
            }
            return summaries
        }
    }

    package func lesson(id: String, version: Int?) async throws(StoreError) -> StoredVersion<Lesson>? {
        try await storedVersion(Lesson.self, table: "lessonVersion", key: "lessonId", id: id, version: version)
    }

    package func program(id: String, version: Int?) async throws(StoreError) -> StoredVersion<Program>? {
        try await storedVersion(Program.self, table: "programVersion", key: "programId", id: id, version: version)
    }

    private func storedVersion<T: Decodable & Sendable>(
        _ type: T.Type, table: String, key: String, id: String, version: Int?
    ) async throws(StoreError) -> StoredVersion<T>? {
        try await read { connection in
            let versions = try await connection.values(
                "SELECT version FROM \(unescaped: table) WHERE \(unescaped: key) = \(id) ORDER BY version", as: Int.self)
            guard let wanted = version ?? versions.last, versions.contains(wanted) else { return nil }
            guard let (content, at, by, source) = try await connection.first("""
                SELECT content, loadedAt, loadedBy, sourcePath FROM \(unescaped: table) WHERE \(unescaped: key) = \(id) AND version = \(wanted)
                """, as: (String, String, String, String).self) else { return nil }
            return StoredVersion(value: try Self.decodeContent(T.self, content), versions: versions, loadedAt: at, loadedBy: by, sourcePath: source)
        }
    }

    package func lessonVersions(id: String) async throws(StoreError) -> [Int] {
        try await read { connection in
            try await connection.values("SELECT version FROM lessonVersion WHERE lessonId = \(id) ORDER BY version", as: Int.self)
        }
    }
}

/// Stores lesson plans one at a time inside `storeLessonPlansStreaming`'s transaction; called on
/// the body's own thread, it waits there for PostgreSQL.
final class PostgresLessonPlanSink: LessonPlanSink, @unchecked Sendable {
    let connection: PostgresConnection
    let context: WriteContext
    private(set) var outcome = LessonPlanStoreOutcome(changes: [])

    init(connection: PostgresConnection, context: WriteContext) {
        self.connection = connection
        self.context = context
    }

    func store(_ item: LessonPlanItem) throws {
        let connection = connection, context = context
        let change = try OwnThread.waitFor { try await PostgresStore.store(item, context: context, on: connection) }
        var kept = item
        kept.content = ""
        outcome.changes.append((kept, change))
    }
}

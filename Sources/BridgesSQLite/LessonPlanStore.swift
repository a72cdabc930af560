import BridgesCore
import BridgesStore
import Foundation
import GRDB

extension SQLiteStore {
    private static func decodeContent<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    package func catalog() throws(StoreError) -> StoredCatalog {
        try read { db in try Self.catalog(db) }
    }

    private static func catalog(_ db: Database) throws -> StoredCatalog {
        var lessonPrograms: [String: String] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, programId FROM lesson")
        while let row = try rows.next() { lessonPrograms[row[0]] = row[1] }
        var programs: [String: Program] = [:]
        let latest = try Row.fetchAll(db, sql: """
            SELECT v.content FROM program p JOIN programVersion v ON v.programId = p.id AND v.version = p.latestVersion
            """)
        for row in latest {
            let program = try Self.decodeContent(Program.self, row[0])
            programs[program.id] = program
        }
        return StoredCatalog(lessonPrograms: lessonPrograms, programs: programs)
    }

    /// Compares each item with what is stored and, unless one conflicts, stores the new ones, all
    /// in one transaction. With a conflict nothing is written and the outcome says which.
    package func storeLessonPlans(_ items: [LessonPlanItem], context: WriteContext, dryRun: Bool) throws(StoreError) -> LessonPlanStoreOutcome {
        let contents = items.map(\.content)
        // Programs first: lessons refer to them.
        let order = items.indices.sorted { a, b in
            let pa = if case .program = items[a].document { 0 } else { 1 }
            let pb = if case .program = items[b].document { 0 } else { 1 }
            return pa != pb ? pa < pb : a < b
        }
        var outcome = LessonPlanStoreOutcome(changes: [])
        do {
            try writer.write { db in
                for index in order {
                    let item = items[index]
                    let change = try Self.store(item, content: contents[index], context: context, db: db)
                    outcome.changes.append((item, change))
                }
                if outcome.hasConflicts || dryRun { throw RollBack() }
            }
        } catch is RollBack {
            return outcome
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw .rejected("\(error)")
        }
        return outcome
    }

    private struct RollBack: Error {}

    /// Stores lesson plans one by one as they are read, in one write transaction: `body` gets the
    /// catalog as stored when the transaction began (for the rules across files) and a sink to
    /// store each sound item as soon as it is ready, so nothing waits for the whole set to be read
    /// and no content is held. It commits when `body` returns true and nothing conflicted;
    /// otherwise nothing is written. Foreign keys are checked at commit, so a lesson may come
    /// before its program.
    package func storeLessonPlansStreaming(context: WriteContext, _ body: (StoredCatalog, any LessonPlanSink) throws -> Bool) throws(StoreError) -> LessonPlanStoreOutcome {
        var outcome = LessonPlanStoreOutcome(changes: [])
        do {
            try writer.write { db in
                try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
                let sink = SQLiteLessonPlanSink(db: db, context: context)
                let commit = try body(try Self.catalog(db), sink)
                outcome = sink.outcome
                if !commit || outcome.hasConflicts { throw RollBack() }
            }
        } catch is RollBack {
            return outcome
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw .rejected("\(error)")
        }
        return outcome
    }

    fileprivate static func store(_ item: LessonPlanItem, content: String, context: WriteContext, db: Database) throws -> LessonPlanStoreOutcome.Change {
        let (table, versionTable, key, id, version, title): (String, String, String, String, Int, String)
        switch item.document {
        case .program(let p, _): (table, versionTable, key, id, version, title) = ("program", "programVersion", "programId", p.id, p.version, p.title)
        case .lesson(let l, _): (table, versionTable, key, id, version, title) = ("lesson", "lessonVersion", "lessonId", l.id, l.version, l.title)
        }
        // Cached statements: a load of thousands of lessons runs these for each, and preparing
        // them anew each time was a third of storing.
        if let stored = try String.fetchOne(db.cachedStatement(sql: "SELECT content FROM \(versionTable) WHERE \(key) = ? AND version = ?"), arguments: [id, version]) {
            if stored == content { return .unchanged }
            let highest = try Int.fetchOne(db, sql: "SELECT max(version) FROM \(versionTable) WHERE \(key) = ?", arguments: [id]) ?? version
            return .conflict(latestStored: highest)
        }
        let latest = try Int.fetchOne(db.cachedStatement(sql: "SELECT latestVersion FROM \(table) WHERE id = ?"), arguments: [id])
        switch item.document {
        case .program:
            if latest == nil {
                try db.cachedStatement(sql: "INSERT INTO program (id, latestVersion) VALUES (?, ?)").execute(arguments: [id, version])
            }
            try db.cachedStatement(sql: """
                INSERT INTO programVersion (programId, version, title, content, sourcePath, loadedAt, loadedBy) VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [id, version, title, content, item.sourcePath, context.at, context.actor])
        case .lesson(let lesson, _):
            if latest == nil {
                try db.cachedStatement(sql: "INSERT INTO lesson (id, programId, latestVersion) VALUES (?, ?, ?)").execute(arguments: [id, lesson.programID, version])
            }
            try db.cachedStatement(sql: """
                INSERT INTO lessonVersion (lessonId, version, title, minutes, content, sourcePath, loadedAt, loadedBy) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [id, version, title, lesson.minutes, content, item.sourcePath, context.at, context.actor])
        }
        if let latest, version > latest {
            try db.cachedStatement(sql: "UPDATE \(table) SET latestVersion = ? WHERE id = ?").execute(arguments: [version, id])
        }
        try record(AuditEvent(
            at: context.at, actor: context.actor, action: latest == nil ? "load" : "load new version", entity: table, entityId: id,
            field: "version", oldValue: latest.map(String.init), newValue: String(version), detail: item.sourcePath), in: db)
        if let latest { return .newVersion(previousLatest: latest) }
        return .added
    }

    // MARK: reading back

    package func programs() throws(StoreError) -> [Program] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT v.content FROM program p JOIN programVersion v ON v.programId = p.id AND v.version = p.latestVersion ORDER BY p.id
                """).map { try Self.decodeContent(Program.self, $0) }
        }
    }

    package func lessonSummaries(programID: String?) throws(StoreError) -> [StoredLessonSummary] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT l.id, l.programId, l.latestVersion, v.title, v.minutes
                FROM lesson l JOIN lessonVersion v ON v.lessonId = l.id AND v.version = l.latestVersion
                WHERE ?1 IS NULL OR l.programId = ?1
                ORDER BY l.programId, l.id
                """, arguments: [programID])
            return rows.map { StoredLessonSummary(id: $0[0], programID: $0[1], latestVersion: $0[2], title: $0[3], minutes: $0[4]) }
        }
    }

    package func lesson(id: String, version: Int?) throws(StoreError) -> StoredVersion<Lesson>? {
        try storedVersion(Lesson.self, table: "lessonVersion", key: "lessonId", id: id, version: version)
    }

    package func program(id: String, version: Int?) throws(StoreError) -> StoredVersion<Program>? {
        try storedVersion(Program.self, table: "programVersion", key: "programId", id: id, version: version)
    }

    private func storedVersion<T: Decodable & Sendable>(_ type: T.Type, table: String, key: String, id: String, version: Int?) throws(StoreError) -> StoredVersion<T>? {
        try read { db in
            let versions = try Int.fetchAll(db, sql: "SELECT version FROM \(table) WHERE \(key) = ? ORDER BY version", arguments: [id])
            guard let wanted = version ?? versions.last, versions.contains(wanted) else {
                return versions.isEmpty ? nil : StoredVersion<T>?.none
            }
            guard let row = try Row.fetchOne(db, sql: "SELECT content, loadedAt, loadedBy, sourcePath FROM \(table) WHERE \(key) = ? AND version = ?", arguments: [id, wanted]) else { return nil }
            return StoredVersion(value: try Self.decodeContent(T.self, row[0]), versions: versions, loadedAt: row[1], loadedBy: row[2], sourcePath: row[3])
        }
    }

    /// Every stored version number of a lesson, oldest first (empty when it is not stored).
    package func lessonVersions(id: String) throws(StoreError) -> [Int] {
        try read { db in try Int.fetchAll(db, sql: "SELECT version FROM lessonVersion WHERE lessonId = ? ORDER BY version", arguments: [id]) }
    }
}

/// Stores lesson plans one at a time inside `storeStreaming`'s transaction.
final class SQLiteLessonPlanSink: LessonPlanSink {
    let db: Database
    let context: WriteContext
    /// What each stored item did; items are kept without their content.
    init(db: Database, context: WriteContext) {
        self.db = db
        self.context = context
    }

    package private(set) var outcome = LessonPlanStoreOutcome(changes: [])

    package func store(_ item: LessonPlanItem) throws {
        let change = try SQLiteStore.store(item, content: item.content, context: context, db: db)
        var kept = item
        kept.content = ""
        outcome.changes.append((kept, change))
    }
}


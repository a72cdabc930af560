import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO

/// Takes the rows of one attendance import inside its transaction, on the import's own thread,
/// and writes them a batch at a time: a batch costs a handful of round trips (the sessions it
/// names, the students, the marks already stored, the new marks in one statement), never one a
/// row, and holds at most `batchLimit` rows, so memory stays flat however long the file.
///
/// What it finds is what SQLite's sink finds, said the same way, in line order: an unknown lesson
/// version, class, officer or student, a row that contradicts its session's version, officer or
/// minutes, and a status that contradicts the one stored (or given by an earlier row). Problems
/// come back when the batch holding their row is written (`add` of the row that fills it,
/// `flush`, `markFailed`), after those of every earlier row.
final class PostgresSessionImportSink: SessionImportSink, @unchecked Sendable {
    private let connection: PostgresConnection
    private let context: WriteContext
    private(set) var summary = SessionImportSummary()
    private(set) var hasFailed = false

    struct SessionKey: Hashable, Sendable {
        var classID: String
        var lessonID: String
        var date: String
    }

    struct KnownSession: Sendable {
        var key: SessionKey
        var id: Int64
        var lessonVersion: Int
        var officerID: String
        var minutes: Int
        var createdHere: Bool
        var added = 0
        var firstLine: Int

        var facts: SessionImportProblem.SessionFacts {
            .init(id: id, lessonVersion: lessonVersion, officerID: officerID, minutes: minutes, createdHere: createdHere, firstLine: firstLine)
        }
    }

    /// Every session the file touched, in the order the file first named them.
    private var known: [KnownSession] = []
    private var sessionIndex: [SessionKey: Int] = [:]
    /// What is known to exist (true) or not (false), asked once each.
    private var lessonVersions: [String: Bool] = [:]
    private var classes: [String: Bool] = [:]
    private var officers: [String: Bool] = [:]
    /// The rows waiting to be written.
    private var pending: [ImportedMark] = []

    static let batchLimit = 5_000

    init(connection: PostgresConnection, context: WriteContext) {
        self.connection = connection
        self.context = context
        pending.reserveCapacity(Self.batchLimit)
    }

    func add(_ row: ImportedMark) throws -> [SessionImportProblem] {
        summary.rows += 1
        pending.append(row)
        return pending.count >= Self.batchLimit ? try flush() : []
    }

    func markFailed() throws -> [SessionImportProblem] {
        summary.rows += 1
        hasFailed = true
        return try flush()
    }

    func flush() throws -> [SessionImportProblem] {
        guard !pending.isEmpty else { return [] }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        return try OwnThread.waitFor { [self] in try await write(batch) }
    }

    /// One batch: its sessions found or made, then each row checked in order, then its new marks
    /// copied (COPY) into the import's staging table. They reach `mark` in one statement at the
    /// end (`storeMarks`): set work for the server, not a statement a batch.
    private func write(_ batch: [ImportedMark]) async throws -> [SessionImportProblem] {
        try await learnWhatExists(batch)
        let touchedBefore = Set(known.indices.filter { known[$0].added > 0 })
        try await resolveSessions(batch)
        // The marks stored for the sessions this batch names, and the students it names that
        // exist: in `mark` for the sessions stored before the import, in the staging table for
        // those an earlier batch added marks to (a session this import made has none in `mark`).
        let batchIndices = Set(batch.compactMap { sessionIndex[key($0)] })
        let storedIDs = batchIndices.filter { !known[$0].createdHere }.map { known[$0].id }
        let stagedIDs = batchIndices.filter { touchedBefore.contains($0) }.map { known[$0].id }
        let batchStudents = Array(Set(batch.map(\.studentID)))
        var stored: [String: String] = [:]
        // Each session's marks and each student are looked up by their index (OFFSET 0 keeps the
        // lateral lookups from being flattened into a join): with `= ANY(…)` the planner chose a
        // scan of every mark, once a batch, slower with every batch stored.
        for (table, ids) in [("mark", storedIDs), ("sessionImportMark", stagedIDs)] where !ids.isEmpty {
            for try await (session, student, status) in try await connection.rows("""
                SELECT k.id, m.studentId, m.status FROM unnest(\(ids)::bigint[]) AS k(id)
                JOIN LATERAL (SELECT studentId, status FROM \(unescaped: table) m WHERE m.sessionId = k.id OFFSET 0) m
                  ON m.studentId = ANY(\(batchStudents)::text[])
                """).decode((Int64, String, String).self) {
                stored["\(session)\u{0}\(student)"] = status
            }
        }
        let students = Set(try await connection.values("""
            SELECT s.id FROM unnest(\(batchStudents)::text[]) AS b(id)
            JOIN LATERAL (SELECT id FROM student s WHERE s.id = b.id OFFSET 0) s ON true
            """, as: String.self))

        var problems: [SessionImportProblem] = []
        var copy = ByteBuffer()
        for row in batch {
            guard let index = sessionIndex[key(row)] else {
                problems += sessionProblems(row)
                hasFailed = true
                continue
            }
            let session = known[index]
            let contradictions = SessionImportProblem.contradictions(of: row, with: session.facts)
            if !contradictions.isEmpty {
                problems += contradictions
                hasFailed = true
                continue
            }
            let markKey = "\(session.id)\u{0}\(row.studentID)"
            if let status = stored[markKey] {
                if status != row.status.rawValue {
                    hasFailed = true
                    problems.append(.statusConflict(line: row.line, studentID: row.studentID, status: row.status, stored: status, session: session.facts))
                } else {
                    summary.marksUnchanged += 1
                }
                continue
            }
            guard students.contains(row.studentID) else {
                hasFailed = true
                problems.append(.unknownStudent(line: row.line, studentID: row.studentID))
                continue
            }
            stored[markKey] = row.status.rawValue
            // Staged even after a failed row: a later row contradicting this one is still told.
            copy.writeString(String(session.id))
            copy.writeInteger(UInt8(ascii: "\t"))
            PostgresStore.writeCopyText(row.studentID, into: &copy)
            copy.writeInteger(UInt8(ascii: "\t"))
            copy.writeString(row.status.rawValue)
            copy.writeInteger(UInt8(ascii: "\n"))
            summary.marksAdded += 1
            known[index].added += 1
        }
        if copy.readableBytes > 0 {
            try await connection.copy(into: "sessionimportmark", columns: ["sessionid", "studentid", "status"], copy)
        }
        return problems
    }

    /// The staging table of the import's new marks: private to the connection, gone with the
    /// transaction (committed or not). One left by an earlier import in the same transaction (a
    /// first load's) is replaced.
    static func makeStagingTable(on connection: PostgresConnection) async throws {
        try await connection.run("DROP TABLE IF EXISTS sessionImportMark")
        try await connection.run("""
            CREATE TEMP TABLE sessionImportMark (
                sessionId BIGINT NOT NULL, studentId TEXT COLLATE "C" NOT NULL, status TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (sessionId, studentId)) ON COMMIT DROP
            """)
    }

    /// Moves the staged marks into `mark`, in one statement, and drops the staging table.
    func storeMarks() async throws {
        try await connection.run("INSERT INTO mark (sessionId, studentId, status) SELECT sessionId, studentId, status FROM sessionImportMark")
        try await connection.run("DROP TABLE sessionImportMark")
    }

    private func key(_ row: ImportedMark) -> SessionKey {
        SessionKey(classID: row.classID, lessonID: row.lessonID, date: row.date)
    }

    /// Asks, in three statements, about every lesson version, class and officer the batch names
    /// that was not asked about before.
    private func learnWhatExists(_ batch: [ImportedMark]) async throws {
        let versions = Set(batch.map { "\($0.lessonID)\u{0}\($0.lessonVersion)" }).filter { lessonVersions[$0] == nil }
        if !versions.isEmpty {
            let split = versions.map { $0.split(separator: "\u{0}", omittingEmptySubsequences: false) }
            let found = Set(try await connection.values("""
                SELECT v.lessonId || chr(1) || v.version FROM lessonVersion v
                JOIN unnest(\(split.map { String($0[0]) })::text[], \(split.map { Int($0[1]) ?? -1 })::bigint[]) AS w(lesson, version)
                ON v.lessonId = w.lesson AND v.version = w.version
                """, as: String.self).map { $0.replacingOccurrences(of: "\u{1}", with: "\u{0}") })
            for version in versions { lessonVersions[version] = found.contains(version) }
        }
        let classIDs = Set(batch.map(\.classID)).filter { classes[$0] == nil }
        if !classIDs.isEmpty {
            let found = Set(try await connection.values("SELECT id FROM schoolClass WHERE id = ANY(\(Array(classIDs))::text[])", as: String.self))
            for id in classIDs { classes[id] = found.contains(id) }
        }
        let officerIDs = Set(batch.map(\.officerID)).filter { officers[$0] == nil }
        if !officerIDs.isEmpty {
            let found = Set(try await connection.values("SELECT id FROM officer WHERE id = ANY(\(Array(officerIDs))::text[])", as: String.self))
            for id in officerIDs { officers[id] = found.contains(id) }
        }
    }

    /// Why a row's session cannot be had (its lesson version, class or officer unknown).
    private func sessionProblems(_ row: ImportedMark) -> [SessionImportProblem] {
        SessionImportProblem.unknownParts(
            of: row, lessonVersion: lessonVersions["\(row.lessonID)\u{0}\(row.lessonVersion)"] == true,
            schoolClass: classes[row.classID] == true, officer: officers[row.officerID] == true)
    }

    /// The sessions of the batch's rows not met before: found when stored, made when not (in the
    /// order the file first names them), in two statements. A row whose lesson version, class or
    /// officer is unknown gets no session (its problems are said for each such row).
    private func resolveSessions(_ batch: [ImportedMark]) async throws {
        var firstRows: [ImportedMark] = []
        var seen = Set<SessionKey>()
        for row in batch {
            let key = key(row)
            guard sessionIndex[key] == nil, !seen.contains(key), sessionProblems(row).isEmpty else { continue }
            seen.insert(key)
            firstRows.append(row)
        }
        guard !firstRows.isEmpty else { return }
        var storedSessions: [SessionKey: (Int64, Int, String, Int)] = [:]
        for try await (classID, lessonID, date, id, version, officer, minutes) in try await connection.rows("""
            SELECT s.classId, s.lessonId, s.date, s.id, s.lessonVersion, s.officerId, s.minutes FROM session s
            JOIN unnest(\(firstRows.map(\.classID))::text[], \(firstRows.map(\.lessonID))::text[], \(firstRows.map(\.date))::text[]) AS k(classId, lessonId, date)
            ON s.classId = k.classId AND s.lessonId = k.lessonId AND s.date = k.date
            WHERE s.voidedAt IS NULL
            """).decode((String, String, String, Int64, Int, String, Int).self) {
            storedSessions[SessionKey(classID: classID, lessonID: lessonID, date: date)] = (id, version, officer, minutes)
        }
        let toMake = firstRows.filter { storedSessions[key($0)] == nil }
        var made: [SessionKey: Int64] = [:]
        if !toMake.isEmpty {
            for try await (classID, lessonID, date, id) in try await connection.rows("""
                INSERT INTO session (classId, lessonId, lessonVersion, officerId, date, minutes, recordedAt, recordedBy)
                SELECT classId, lessonId, lessonVersion, officerId, date, minutes, recordedAt, recordedBy
                FROM unnest(\(toMake.map(\.classID))::text[], \(toMake.map(\.lessonID))::text[], \(toMake.map(\.lessonVersion))::bigint[],
                            \(toMake.map(\.officerID))::text[], \(toMake.map(\.date))::text[], \(toMake.map(\.minutes))::bigint[],
                            \(toMake.map { $0.recordedAt ?? context.at })::text[], \(toMake.map { $0.recordedBy ?? context.actor })::text[])
                     WITH ORDINALITY AS n(classId, lessonId, lessonVersion, officerId, date, minutes, recordedAt, recordedBy, place)
                ORDER BY place
                RETURNING classId, lessonId, date, id
                """).decode((String, String, String, Int64).self) {
                made[SessionKey(classID: classID, lessonID: lessonID, date: date)] = id
            }
        }
        for row in firstRows {
            let key = key(row)
            if let (id, version, officer, minutes) = storedSessions[key] {
                known.append(KnownSession(key: key, id: id, lessonVersion: version, officerID: officer, minutes: minutes, createdHere: false, firstLine: row.line))
                summary.sessionsExtended += 1
            } else if let id = made[key] {
                known.append(KnownSession(key: key, id: id, lessonVersion: row.lessonVersion, officerID: row.officerID, minutes: row.minutes,
                                          createdHere: true, firstLine: row.line))
                summary.sessionsCreated += 1
            } else {
                continue
            }
            sessionIndex[key] = known.count - 1
        }
    }

    /// Records the import in each touched session's audit trail, in the order the file named them,
    /// a thousand events a statement (not two round trips a session).
    func finish(source: String) async throws {
        var events: [AuditEvent] = []
        events.reserveCapacity(1000)
        for session in known where session.added > 0 {
            events.append(AuditEvent(
                at: context.at, actor: context.actor, action: session.createdHere ? "import" : "import marks", entity: "session",
                entityId: String(session.id), detail: "\(session.added) mark\(session.added == 1 ? "" : "s") from \(source)"))
            if events.count == 1000 {
                try await PostgresStore.record(events, on: connection)
                events.removeAll(keepingCapacity: true)
            }
        }
        try await PostgresStore.record(events, on: connection)
    }

    /// The sessions this import created that leave students enrolled in their class without a
    /// mark, in the order the file named them (said, not refused): a thousand sessions a query.
    func partlyMarkedSessions() async throws -> [PartlyMarkedSession] {
        let created = known.filter(\.createdHere)
        var found: [PartlyMarkedSession] = []
        var start = 0
        while start < created.count {
            let chunk = Array(created[start..<min(start + 1000, created.count)])
            // Per session of the chunk (by its place in it): how many enrolled students have no
            // mark, and the first of them by id. A session this import made has its marks in the
            // staging table only (they have not reached `mark` yet). Each class's enrolment, and each
            // of its students' staged mark, is read by its index: OFFSET 0 keeps the lateral lookup
            // whole, and with the NOT EXISTS outside it the planner hashed (or merged) the whole
            // staging table once a chunk (1,000,000 rows: 0.3 s a chunk, against 0.05 s).
            let rows = try await connection.rows("""
                SELECT k.place, count(*), (array_agg(e.studentId ORDER BY e.studentId))[1:\(unescaped: String(PartlyMarkedSession.listed))]
                FROM unnest(\(chunk.map(\.key.classID))::text[], \(chunk.map(\.id))::bigint[]) WITH ORDINALITY AS k(classId, sessionId, place)
                JOIN LATERAL (
                    SELECT e.studentId FROM enrollment e
                    WHERE e.classId = k.classId
                      AND NOT EXISTS (SELECT 1 FROM sessionImportMark m WHERE m.sessionId = k.sessionId AND m.studentId = e.studentId)
                    OFFSET 0) e ON true
                GROUP BY k.place
                ORDER BY k.place
                """)
            for try await (place, count, unmarked) in rows.decode((Int64, Int64, [String]).self) {
                let session = chunk[Int(place) - 1]
                found.append(PartlyMarkedSession(line: session.firstLine, classID: session.key.classID, lessonID: session.key.lessonID,
                                                 date: session.key.date, unmarked: unmarked, unmarkedCount: Int(count)))
            }
            start += chunk.count
        }
        return found
    }
}

extension PostgresStore {
    /// Runs an import as one transaction; if any row had a problem, or `dryRun`, nothing is kept.
    package func importSessions(source: String, context: WriteContext, dryRun: Bool,
                                feed: (any SessionImportSink) throws -> Void) async throws(StoreError) -> (summary: SessionImportSummary, failed: Bool, partlyMarked: [PartlyMarkedSession]) {
        struct Outcome {
            var summary: SessionImportSummary
            var failed: Bool
            var partlyMarked: [PartlyMarkedSession]
            var keep: Bool
        }
        do {
            let outcome = try await write(keepingIf: { (outcome: Outcome) in outcome.keep }) { connection in
                // Batches of a few thousand rows, planned against tables this transaction grows:
                // PostgreSQL's JIT, misled by the estimates, spent more compiling each than running it.
                try await connection.run("SET LOCAL jit = off")
                try await PostgresSessionImportSink.makeStagingTable(on: connection)
                let sink = PostgresSessionImportSink(connection: connection, context: context)
                do {
                    try await OwnThread.run {
                        try feed(sink)
                        // The feed flushes after its last row; one that did not still gets its marks written.
                        _ = try sink.flush()
                    }
                } catch is ImportStopped {
                    return Outcome(summary: sink.summary, failed: true, partlyMarked: [], keep: false)
                }
                if sink.hasFailed { return Outcome(summary: sink.summary, failed: true, partlyMarked: [], keep: false) }
                let partlyMarked = try await sink.partlyMarkedSessions()
                // A dry run rolls back: its marks need not reach `mark`.
                if dryRun { return Outcome(summary: sink.summary, failed: false, partlyMarked: partlyMarked, keep: false) }
                try await sink.storeMarks()
                try await sink.finish(source: source)
                return Outcome(summary: sink.summary, failed: false, partlyMarked: partlyMarked, keep: true)
            }
            return (outcome.summary, outcome.failed, outcome.partlyMarked)
        }
    }
}

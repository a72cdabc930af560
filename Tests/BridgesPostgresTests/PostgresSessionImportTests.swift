import BridgesCore
import BridgesStore
import Foundation
import Testing
@testable import BridgesPostgres

/// The PostgreSQL session import's end-of-file work, asked of the database a thousand sessions at
/// a time: the sessions it made that leave enrolled students without a status, and the audit event
/// of each session. The Kit suite's files are a few sessions; this one runs past a thousand, in an
/// order that is not the classes' ids, with one class past the twenty students a warning lists.
@Suite("PostgreSQL session import", .enabled(if: PostgresTestServer.url != nil, "BRIDGES_TEST_POSTGRES names no PostgreSQL database"))
struct PostgresSessionImportTests {
    let location: PostgresLocation

    init() {
        var url = PostgresTestServer.url!
        url.schema = "session_import_test_\(UInt32.random(in: 0...UInt32.max))"
        location = PostgresLocation(url: url, maximumConnections: 2)
    }

    let context = WriteContext(actor: "tester", at: Date(timeIntervalSince1970: 1_790_000_000))
    static let classes = 1_100

    static func classID(_ n: Int) -> String { "c" + String(format: "%04d", n) }

    /// Classes c0000…c1099 of students -a, -b and -c, and class `big` of big-00…big-24.
    func roster() async throws {
        let schema = location.url.schema
        for statement in [
            "INSERT INTO \(schema).program (id, latestVersion) VALUES ('p1', 1)",
            "INSERT INTO \(schema).lesson (id, programId, latestVersion) VALUES ('l1', 'p1', 1)",
            "INSERT INTO \(schema).lessonVersion VALUES ('l1', 1, 'Crossing', 30, '{}', 'l1.xml', '2026-09-21T00:00:00Z', 'x')",
            "INSERT INTO \(schema).school (id, name) VALUES ('0101', 'North')",
            "INSERT INTO \(schema).officer (id, name) VALUES ('ofc-1', 'One')",
            """
            INSERT INTO \(schema).schoolClass (id, schoolId, name)
            SELECT 'c' || lpad(g::text, 4, '0'), '0101', 'Class ' || g FROM generate_series(0, \(Self.classes - 1)) g
            UNION ALL SELECT 'big', '0101', 'Big'
            """,
            """
            INSERT INTO \(schema).student (id, givenName, familyName)
            SELECT 'c' || lpad(g::text, 4, '0') || '-' || x, 'A', 'B' FROM generate_series(0, \(Self.classes - 1)) g, unnest(ARRAY['a', 'b', 'c']) x
            UNION ALL SELECT 'big-' || lpad(g::text, 2, '0'), 'C', 'D' FROM generate_series(0, 24) g
            """,
            """
            INSERT INTO \(schema).enrollment (classId, studentId)
            SELECT left(id, 5), id FROM \(schema).student WHERE id LIKE 'c%'
            UNION ALL SELECT 'big', id FROM \(schema).student WHERE id LIKE 'big-%'
            """,
        ] {
            try await PostgresTestServer.execute(statement)
        }
    }

    func mark(line: Int, classID: String, studentID: String) -> ImportedMark {
        ImportedMark(line: line, date: "2026-09-21", lessonID: "l1", lessonVersion: 1, classID: classID, officerID: "ofc-1", minutes: 30,
                     studentID: studentID, status: .present, recordedAt: nil, recordedBy: nil)
    }

    @Test func partlyMarkedSessionsAndTheirEventsComeInTheFilesOrderPastAThousand() async throws {
        let store = try await location.open(.write)
        defer { Task { try? await store.close() } }
        try await roster()
        // One row a session: big-12 first, then class c1099 down to c0000, each marking only -b.
        let outcome = try await store.importSessions(source: "marks.csv", context: context, dryRun: false) { sink in
            var problems = try sink.add(mark(line: 2, classID: "big", studentID: "big-12"))
            for (k, n) in (0..<Self.classes).reversed().enumerated() {
                problems += try sink.add(mark(line: k + 3, classID: Self.classID(n), studentID: Self.classID(n) + "-b"))
            }
            problems += try sink.flush()
            #expect(problems.isEmpty, "\(problems)")
        }
        #expect(!outcome.failed)
        #expect(outcome.summary.sessionsCreated == Self.classes + 1)
        #expect(outcome.summary.marksAdded == Self.classes + 1)
        let partly = outcome.partlyMarked
        #expect(partly.count == Self.classes + 1)
        #expect(partly.map(\.line) == Array(2...(Self.classes + 2)))
        #expect(partly.map(\.classID) == ["big"] + (0..<Self.classes).reversed().map(Self.classID))
        // The first twenty by id, and how many in all.
        let big = (0..<25).filter { $0 != 12 }.map { "big-" + String(format: "%02d", $0) }
        #expect(partly.first?.unmarked == Array(big.prefix(PartlyMarkedSession.listed)))
        #expect(partly.first?.unmarkedCount == 24)
        #expect(partly.dropFirst().allSatisfy { $0.unmarked == [$0.classID + "-a", $0.classID + "-c"] && $0.unmarkedCount == 2 })

        // Each session's import event, chained in the file's order (sessions are numbered in it).
        let first = try await store.auditTrail(entity: "session", id: "1")
        let last = try await store.auditTrail(entity: "session", id: String(Self.classes + 1))
        #expect(first.map(\.action) == ["import"] && last.map(\.action) == ["import"])
        #expect(first.first?.detail == "1 mark from marks.csv")
        let firstID = try #require(first.first?.id)
        let lastID = try #require(last.first?.id)
        #expect(lastID - firstID == Int64(Self.classes))
        let inspection = try await location.inspect()
        #expect(try await inspection.auditTrailProblems(now: "2100-01-01T00:00:00Z").isEmpty)
    }

    /// Rows of every student of classes c0000…c1099 on two days, class by class: 6,600 rows, the
    /// second day's sessions crossing the sink's batch boundary (5,000 rows).
    func twoDays(status: AttendanceStatus = .present) -> [ImportedMark] {
        var rows: [ImportedMark] = []
        for date in ["2026-09-21", "2026-09-22"] {
            for n in 0..<Self.classes {
                for x in ["a", "b", "c"] {
                    var row = mark(line: rows.count + 2, classID: Self.classID(n), studentID: Self.classID(n) + "-" + x)
                    row.date = date
                    row.status = status
                    rows.append(row)
                }
            }
        }
        return rows
    }

    static func count(_ table: String, in location: PostgresLocation) async throws -> Int {
        try await PostgresTestServer.integers("SELECT count(*) FROM \(location.url.schema).\(table)").first ?? -1
    }

    @Test func aRowRepeatedOrContradictedAcrossTheBatchBoundaryIsToldAfterAProblemRowMidBatch() async throws {
        let store = try await location.open(.write)
        defer { Task { try? await store.close() } }
        try await roster()
        var rows = twoDays()
        // Line 1,001 names an unknown student, in the middle of the first batch's copy.
        rows[999].studentID = "nobody"
        // The session of the row just before the boundary (line 5,000) gets its rows on both sides
        // of it; after the file's end, that row again (unchanged) and contradicted.
        let boundary = rows[PostgresSessionImportSink.batchLimit - 2]
        var again = boundary
        again.line = rows.count + 2
        var contradicted = boundary
        contradicted.line = rows.count + 3
        contradicted.status = .absent
        rows += [again, contradicted]
        let outcome = try await store.importSessions(source: "marks.csv", context: context, dryRun: false) { sink in
            var problems: [SessionImportProblem] = []
            for row in rows { problems += try sink.add(row) }
            problems += try sink.flush()
            #expect(problems.map(\.line) == [1_001, contradicted.line])
            #expect(problems.map(\.code) == ["session-import.unknown-student", "session-import.status-conflict"])
        }
        #expect(outcome.failed)
        #expect(outcome.summary.rows == rows.count)
        #expect(outcome.summary.marksUnchanged == 1)
        #expect(try await Self.count("mark", in: location) == 0)
        #expect(try await Self.count("session", in: location) == 0)
    }

    @Test func theMarksStagedByAFailedImportAndADryRunNeverReachALaterImport() async throws {
        // One connection: the three imports share it, and with it any staging table left behind.
        let single = PostgresLocation(url: location.url, maximumConnections: 1)
        let store = try await single.open(.write)
        defer { Task { try? await store.close() } }
        try await roster()
        // A failed import of the first day as absent (its last row names an unknown student).
        var failing = twoDays(status: .absent).prefix(Self.classes * 3).map { $0 }
        failing[failing.count - 1].studentID = "nobody"
        let failed = try await store.importSessions(source: "bad.csv", context: context, dryRun: false) { sink in
            for row in failing { _ = try sink.add(row) }
            _ = try sink.flush()
        }
        #expect(failed.failed)
        // A dry run of both days as absent.
        let dry = try await store.importSessions(source: "dry.csv", context: context, dryRun: true) { sink in
            for row in twoDays(status: .absent) { _ = try sink.add(row) }
            _ = try sink.flush()
        }
        #expect(!dry.failed && dry.summary.marksAdded == Self.classes * 6)
        #expect(try await Self.count("mark", in: location) == 0)
        // The real import: both days as present, a row repeated across the boundary unchanged.
        var rows = twoDays()
        var again = rows[PostgresSessionImportSink.batchLimit - 2]
        again.line = rows.count + 2
        rows.append(again)
        let outcome = try await store.importSessions(source: "marks.csv", context: context, dryRun: false) { sink in
            var problems: [SessionImportProblem] = []
            for row in rows { problems += try sink.add(row) }
            problems += try sink.flush()
            #expect(problems.isEmpty, "\(problems)")
        }
        #expect(!outcome.failed)
        #expect(outcome.summary.sessionsCreated == Self.classes * 2)
        #expect(outcome.summary.marksAdded == Self.classes * 6 && outcome.summary.marksUnchanged == 1)
        #expect(try await Self.count("mark", in: location) == Self.classes * 6)
        #expect(try await PostgresTestServer.integers(
            "SELECT count(*) FROM \(location.url.schema).mark WHERE status <> 'present'") == [0])
        // Every session made is whole: no warning; each has its import event.
        #expect(outcome.partlyMarked.isEmpty)
        #expect(try await PostgresTestServer.integers(
            "SELECT count(*) FROM \(location.url.schema).auditEvent WHERE entity = 'session' AND action = 'import'") == [Self.classes * 2])
    }
}

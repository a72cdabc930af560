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
}

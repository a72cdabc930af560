import BridgesCore
import BridgesStore
import Foundation
import Testing
@testable import BridgesPostgres

/// The PostgreSQL roster import's batches: the Kit suite's rosters are a few rows, so these
/// rosters run past several batches (`PostgresRosterImporter.batchSize`), with repeats that come
/// a batch or more after the row they repeat (the Bloom filter's "perhaps seen", answered by the
/// database), and a second import that moves, renames and takes off students across batches.
@Suite("PostgreSQL roster import", .enabled(if: PostgresTestServer.url != nil, "BRIDGES_TEST_POSTGRES names no PostgreSQL database"))
struct PostgresRosterImportTests {
    let location: PostgresLocation

    init() {
        var url = PostgresTestServer.url!
        url.schema = "roster_test_\(UInt32.random(in: 0...UInt32.max))"
        location = PostgresLocation(url: url, maximumConnections: 2)
    }

    let context = WriteContext(actor: "tester", at: Date(timeIntervalSince1970: 1_790_000_000))
    static let students = PostgresRosterImporter.batchSize * 2 + 600

    static func id(_ n: Int) -> String { String(format: "%06d", n) }
    static func classOf(_ n: Int) -> String { "c\(n / 10)" }

    /// Imports students 0..<`students`, each in its class of ten, `given(n)` as the given name;
    /// `classOf` may move a student. Returns the outcome and what `enrollment` answered each time.
    func load(
        _ store: any Store, dryRun: Bool = false, leaveOut: Set<Int> = [], classOf: (Int) -> String = Self.classOf,
        given: (Int) -> String = { _ in "Ana" }, repeats: [Int] = []
    ) async throws -> (RosterImportOutcome, [Bool]) {
        var answers: [Bool] = []
        let outcome = try await store.importRoster(source: "roster.csv", context: context, dryRun: dryRun) { sink in
            try sink.school(School(id: "s1", name: "School One"))
            for n in 0..<Self.students where !leaveOut.contains(n) {
                try sink.schoolClass(SchoolClass(id: classOf(n), schoolID: "s1", name: "Class \(classOf(n))"), file: "roster.csv", line: n + 2)
                try sink.student(Student(id: Self.id(n), givenName: given(n), familyName: "Ng", grade: Grade(number: 5)))
                answers.append(try sink.enrollment(Enrollment(classID: classOf(n), studentID: Self.id(n))))
            }
            for n in repeats {
                try sink.student(Student(id: Self.id(n), givenName: "Someone Else", familyName: "Ng", grade: Grade(number: 5)))
                answers.append(try sink.enrollment(Enrollment(classID: classOf(n), studentID: Self.id(n))))
            }
            return []
        }
        return (outcome, answers)
    }

    @Test func aRosterOfSeveralBatchesIsStoredOnceWithItsRepeatsToldApart() async throws {
        let store = try await location.open(.write)
        defer { Task { try? await store.close() } }
        // A repeat of the first student comes two batches after it, and one of the last right after.
        let (outcome, answers) = try await load(store, repeats: [0, 1500, Self.students - 1])
        #expect(outcome.written)
        #expect(answers.filter { !$0 }.count == 3)
        #expect(answers.prefix(Self.students).allSatisfy { $0 })
        #expect(outcome.counts.studentsAdded == Self.students)
        #expect(outcome.counts.enrollmentsAdded == Self.students)
        #expect(outcome.counts.classesAdded == Self.students / 10)
        // The repeat's other name is ignored: the first row of a student wins.
        #expect(try await store.studentRecord(Self.id(1500))?.givenName == "Ana")
        var rows = 0
        try await store.rosterListing(schoolID: "s1", classID: nil, student: nil, shape: { #expect($0.rows == Self.students) }, row: { _ in rows += 1 })
        #expect(rows == Self.students)
        let trail = try await store.auditTrail(entity: "roster", id: "roster.csv")
        #expect(trail.map(\.action) == ["import roster"])
    }

    @Test func aSecondImportMovesRenamesAndTakesOffAcrossBatchesEachAuditedOnce() async throws {
        let store = try await location.open(.write)
        defer { Task { try? await store.close() } }
        _ = try await load(store)
        // Students 0-4 move from c0 to c1; every 1000th is renamed; the last is left out.
        let moved = { (n: Int) in n < 5 ? "c1" : Self.classOf(n) }
        let renamed = { (n: Int) in n % 1000 == 0 ? "Ada" : "Ana" }
        let last = Self.students - 1
        let dry = try await load(store, dryRun: true, leaveOut: [last], classOf: moved, given: renamed)
        let (outcome, answers) = try await load(store, leaveOut: [last], classOf: moved, given: renamed, repeats: [3, 2000])
        #expect(!dry.0.written && dry.0.counts == outcome.counts)
        #expect(answers.filter { !$0 }.count == 2)
        #expect(outcome.counts.studentsUpdated == 3)
        #expect(outcome.counts.enrollmentsAdded == 5)
        #expect(outcome.counts.enrollmentsRemoved == 6)
        #expect(outcome.counts.enrollmentsUnchanged == Self.students - 6)
        #expect(try await store.auditTrail(entity: "student", id: Self.id(3)).map { "\($0.action) \($0.oldValue ?? "") \($0.newValue ?? "")" } == ["move c0 c1"])
        #expect(try await store.auditTrail(entity: "student", id: Self.id(2000)).map { "\($0.action) \($0.oldValue ?? "") \($0.newValue ?? "")" } == ["update Ana Ada"])
        #expect(try await store.auditTrail(entity: "student", id: Self.id(last)).map { "\($0.action) \($0.oldValue ?? "")" } == ["unenroll \(Self.classOf(last))"])
        #expect(try await store.studentRecord(Self.id(last))?.enrollments.isEmpty == true)
        let trail = try await store.auditTrail(entity: "roster", id: "roster.csv")
        #expect(trail.map(\.action) == ["import roster", "import roster"])
    }
}

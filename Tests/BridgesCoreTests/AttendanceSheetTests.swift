import BridgesCore
import Testing

/// The rule of a logged session (cli.md, "Sessions and quizzes"): every enrolled student gets
/// exactly one status; students not named take `--others`, and without it they are named as a
/// problem; a student not enrolled is an error.
@Suite("Attendance sheet")
struct AttendanceSheetTests {
    static let enrolled: Set<String> = ["1001", "1002", "1003", "1004"]

    private func problems(_ result: Result<[String: AttendanceStatus], AttendanceSheet.ProblemList>) -> [AttendanceSheet.Problem] {
        if case .failure(let list) = result { return list.problems }
        return []
    }

    @Test func everyEnrolledStudentGetsTheStatusNamedOrTheOthersStatus() throws {
        // Given a class of four, one named late and one absent
        // When the rest take --others present
        let result = AttendanceSheet.resolve(
            enrolled: Self.enrolled, named: [("1002", .late), ("1004", .absent)], others: .present)
        // Then each of the four has exactly one status
        let statuses = try result.get()
        #expect(statuses == ["1001": .present, "1002": .late, "1003": .present, "1004": .absent])
    }

    @Test func namingEveryStudentNeedsNoOthers() throws {
        // Given every enrolled student named
        let named: [(student: String, status: AttendanceStatus)] = [("1001", .present), ("1002", .late), ("1003", .excused), ("1004", .absent)]
        // When resolved without --others
        let statuses = try AttendanceSheet.resolve(enrolled: Self.enrolled, named: named, others: nil).get()
        // Then the statuses are the ones named
        #expect(statuses == ["1001": .present, "1002": .late, "1003": .excused, "1004": .absent])
    }

    @Test func studentsLeftUnnamedWithoutOthersAreNamedAsTheProblem() {
        // Given two of four students named, and no --others
        let result = AttendanceSheet.resolve(enrolled: Self.enrolled, named: [("1001", .present), ("1003", .present)], others: nil)
        // Then the problem names the two others, in order, and says how to fix it
        #expect(problems(result) == [.unnamed(["1002", "1004"])])
        let message = AttendanceSheet.Problem.unnamed(["1002", "1004"]).message
        #expect(message.description.contains("1002, 1004"))
        // the input that would give them a status, as data (the command line says --others)
        #expect(message.fields == [.others])
    }

    @Test func aStudentNotEnrolledInTheClassIsAnError() {
        // Given a student id that is not in the class
        let result = AttendanceSheet.resolve(enrolled: Self.enrolled, named: [("9999", .present)], others: .present)
        // Then it is refused, naming the id
        #expect(problems(result) == [.notEnrolled(["9999"])])
        #expect(AttendanceSheet.Problem.notEnrolled(["9999"]).description.contains("9999"))
    }

    @Test func theSameStudentGivenTwoStatusesIsAnError() {
        // Given 1002 named both present and absent
        let result = AttendanceSheet.resolve(enrolled: Self.enrolled, named: [("1002", .present), ("1002", .absent)], others: .present)
        // Then the conflict names the student and both statuses
        #expect(problems(result) == [.conflicting(student: "1002", statuses: [.present, .absent])])
        let message = AttendanceSheet.Problem.conflicting(student: "1002", statuses: [.present, .absent]).description
        #expect(message.contains("1002") && message.contains("present") && message.contains("absent"))
    }

    @Test func theSameStudentNamedTwiceWithTheSameStatusIsOneStatus() throws {
        // Given 1002 in --present and again in the sheet as present
        let statuses = try AttendanceSheet.resolve(enrolled: Self.enrolled, named: [("1002", .present), ("1002", .present)], others: .absent).get()
        // Then that is one status, not a conflict
        #expect(statuses["1002"] == .present)
        #expect(statuses.count == 4)
    }

    @Test func everyProblemIsReportedTogether() {
        // Given an unknown student, a conflict and unnamed students at once
        let result = AttendanceSheet.resolve(
            enrolled: Self.enrolled, named: [("9999", .present), ("1001", .late), ("1001", .excused)], others: nil)
        // Then all three kinds are reported, not just the first
        #expect(problems(result) == [
            .notEnrolled(["9999"]),
            .conflicting(student: "1001", statuses: [.late, .excused]),
            .unnamed(["1002", "1003", "1004"]),
        ])
    }

    @Test func aClassWithNobodyEnrolledCannotBeLogged() {
        let result = AttendanceSheet.resolve(enrolled: [], named: [], others: .present)
        #expect(problems(result) == [.emptyClass])
    }

    @Test func presentAndLateCountAsAttendedAbsentAndExcusedDoNot() {
        #expect(AttendanceStatus.present.attended)
        #expect(AttendanceStatus.late.attended)
        #expect(!AttendanceStatus.absent.attended)
        #expect(!AttendanceStatus.excused.attended)
    }

    @Test func statusesAreReadInAnyCaseWithSurroundingSpace() {
        #expect(AttendanceStatus(parsing: " Late ") == .late)
        #expect(AttendanceStatus(parsing: "EXCUSED") == .excused)
        #expect(AttendanceStatus(parsing: "here") == nil)
    }
}

import Foundation
import Testing

/// Issue 10 item 10: `quiz record` reports every problem of the answers at once and stores
/// nothing then; it warns of questions left unanswered; attempts have numbers people see and can
/// be voided with a reason.
@Suite("bridges quiz hardening", .timeLimit(.minutes(2)))
struct QuizHardeningTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try CLITerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    /// fa-scene-safety logged for 8A, everyone present; its id.
    func logScene(in folder: TemporaryFolder) throws -> String {
        let outcome = try bridges("session", "log", "--lesson", "fa-scene-safety", "--class", "8A", "--officer", "ofc-101", "--date", "2025-09-08", "--others", "present", in: folder)
        try #require(outcome.status == 0, "\(outcome)")
        return outcome.standardOutput.trimmingCharacters(in: .newlines)
    }

    func attempts(_ id: String, in folder: TemporaryFolder) throws -> String {
        try bridges("session", "show", id, in: folder).standardOutput
    }

    @Test func everyMistakeInTheAnswersIsReportedAtOnceAndNothingIsKept() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let id = try logScene(in: folder)
        // When the answers hold a question twice, a blank answer, two typos and a bad choice
        let bad = try bridges("quiz", "record", "--session", id, "--student", "1001",
                              "--answers", "q1=b,q1=c,q2=,qq3=true,q44=tap,q6=z", in: folder)
        // Then every one of them is said, and no attempt is kept
        #expect(bad.status == 65, "\(bad)")
        for expected in ["question 'q1' is answered 2 times ('b', 'c')", "question 'q2' has a blank answer",
                         "no question 'qq3'; did you mean 'q3'?", "no question 'q44'; did you mean 'q4'?", "question 'q6' has no choice 'z'"] {
            #expect(bad.standardError.contains(expected), "\(expected): \(bad)")
        }
        #expect(bad.standardOutput == "")
        #expect(!(try attempts(id, in: folder)).contains("attempt"))
    }

    @Test func questionsLeftOutAreWarnedOfAndTheAttemptNumberIsPrinted() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let id = try logScene(in: folder)
        let first = try bridges("quiz", "record", "--session", id, "--student", "1001", "--answers", "q1=b,q3=true", in: folder)
        #expect(first.status == 0, "\(first)")
        #expect(first.standardError.contains("warning: student 1001 left questions q2, q4, q5, q6 unanswered; marked wrong in attempt 1"), "\(first)")
        let second = try bridges("quiz", "record", "--session", id, "--student", "1001", "--answers", CLITerm.sceneSafetyRight, in: folder)
        #expect(CLITerm.table(second.standardOutput).dropFirst().first?[4] == "2", "\(second)")
        #expect(!second.standardError.contains("warning"), "\(second)")
    }

    @Test func aSheetsMistakesAreAllLocatedByLineAndColumn() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let id = try logScene(in: folder)
        try folder.write("sheet.csv", "student_id,q1,q2,q3,qq4,q1,q5\n1001,b,a+b+c+e,yes,tap,b,true\n1002,z,,true,,,maybe\n")
        let bad = try bridges("quiz", "record", "--session", id, "--sheet", "sheet.csv", in: folder)
        #expect(bad.status == 65, "\(bad)")
        #expect(bad.errorLines.contains { $0.hasPrefix("sheet.csv:1:5: error: column 'qq4': the quiz has no question 'qq4'; did you mean 'q4'?") }, "\(bad)")
        #expect(bad.errorLines.contains { $0.hasPrefix("sheet.csv:1:6: error: question 'q1' has a second column") }, "\(bad)")
        #expect(bad.errorLines.contains { $0.hasPrefix("sheet.csv:2:4: error: student 1001: question 'q3' is true-false") }, "\(bad)")
        #expect(bad.errorLines.contains { $0.hasPrefix("sheet.csv:3:2: error: student 1002: question 'q1' has no choice 'z'") }, "\(bad)")
        #expect(bad.errorLines.contains { $0.hasPrefix("sheet.csv:3:7: error: student 1002: question 'q5' is true-false") }, "\(bad)")
        #expect(!(try attempts(id, in: folder)).contains("attempt"))
        // And a good sheet with an empty cell warns of it, on its line
        try folder.write("good.csv", "student_id,q1,q2,q3,q4,q5,q6\n1001,b,a+b+c+e,true,tap,true,a\n1002,b,,true,tap,true,a\n")
        let good = try bridges("quiz", "record", "--session", id, "--sheet", "good.csv", in: folder)
        #expect(good.status == 0, "\(good)")
        #expect(good.standardError.contains("good.csv:3: warning: student 1002 left question q2 unanswered"), "\(good)")
    }

    /// 1001's `quizzes_passed` in the summary report of first-aid.
    func quizzesPassed(in folder: TemporaryFolder) throws -> String? {
        let outcome = try bridges("export", "summary", "--program", "first-aid", "--out", "-", in: folder)
        let lines = outcome.standardOutput.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first, let column = header.firstIndex(of: "quizzes_passed"), let student = header.firstIndex(of: "student_id") else { return nil }
        return lines.first { $0.count > column && $0[student] == "1001" }?[column]
    }

    @Test func aVoidedAttemptIsKeptShownAndNoLongerCounts() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let id = try logScene(in: folder)
        // Given a passing attempt recorded for 1001 in error, then 1001's own failing one
        #expect(try bridges("quiz", "record", "--session", id, "--student", "1001", "--answers", CLITerm.sceneSafetyRight, in: folder).status == 0)
        #expect(try bridges("quiz", "record", "--session", id, "--student", "1001", "--answers", CLITerm.sceneSafetyHalf, in: folder).status == 0)
        #expect(try quizzesPassed(in: folder) == "1")

        // When the first is voided
        let voided = try bridges("quiz", "void", "--session", id, "--student", "1001", "--attempt", "1", "--reason", "another student's sheet", "--actor", "dana.reyes", in: folder)
        #expect(voided.status == 0, "\(voided)")
        #expect(voided.standardOutput.contains("quiz attempt 1 of student 1001 (6/6 passed) voided"), "\(voided)")

        // Then the best is the other one, the report no longer counts the pass, and show lists both by number
        #expect(try quizzesPassed(in: folder) == "0")
        let show = try attempts(id, in: folder)
        #expect(show.contains("3/6 not passed (1 attempt)"), "\(show)")
        #expect(show.contains("QUIZ ATTEMPTS"), "\(show)")
        let rows = CLITerm.table(show).filter { $0.first == "1001" && $0.count >= 4 && ($0[1] == "1" || $0[1] == "2") }
        #expect(rows.count == 2, "\(show)")
        #expect(rows.first?.last?.hasPrefix("VOIDED") == true && rows.first?.last?.contains("dana.reyes: another student's sheet") == true, "\(show)")
        #expect(show.contains("dana.reyes  void quiz attempt: quiz attempt 1 of 1001 6/6 passed → voided — reason: another student's sheet"), "\(show)")

        // And voiding it twice, or an attempt that does not exist, is refused
        let twice = try bridges("quiz", "void", "--session", id, "--student", "1001", "--attempt", "1", "--reason", "again", in: folder)
        #expect(twice.status == 65, "\(twice)")
        #expect(twice.standardError.contains("already voided"), "\(twice)")
        let missing = try bridges("quiz", "void", "--session", id, "--student", "1001", "--attempt", "7", "--reason", "x", in: folder)
        #expect(missing.status == 66, "\(missing)")
        #expect(missing.standardError.contains("their attempts are 1, 2"), "\(missing)")
        // A new attempt gets the next number, never a voided one's
        let third = try bridges("quiz", "record", "--session", id, "--student", "1001", "--answers", CLITerm.sceneSafetyRight, in: folder)
        #expect(CLITerm.table(third.standardOutput).dropFirst().first?[4] == "3", "\(third)")
    }
}

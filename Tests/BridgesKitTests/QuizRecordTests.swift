@testable import BridgesKit
import Foundation
import Testing

/// Recording quiz attempts (cli.md, `quiz record`): marked as lesson-plan-format.md "Marking a
/// quiz" says, only for students present or late, every attempt kept and the best one counting.
///
/// The quiz of fa-scene-safety, as shipped: q1 single (b), q2 multiple (a, b, c, e), q3
/// true-false (true), q4 short ("tap", "tap them", "tap the shoulder", "tap their shoulder"),
/// q5 true-false (true), q6 single (a); one point each, pass at 70 %.
@Suite("Quiz records")
struct QuizRecordTests {
    static let allRight = "q1=b,q2=a+b+c+e,q3=true,q4=tap,q5=true,q6=a"

    /// A term with fa-scene-safety logged for 8A: 1001 and 1002 present, 1003 late, 1004 absent.
    func termWithSession() async throws -> (TermFixture, Int64) {
        let term = try await TermFixture()
        let id = try await term.log("fa-scene-safety", on: "2025-09-08", late: ["1003"], absent: ["1004"])
        return (term, id)
    }

    func record(_ term: TermFixture, _ session: Int64, _ student: String, _ answers: String) async throws -> QuizAttemptResult {
        try await #require(try await term.records.recordQuiz(session: session, student: student, answers: answers, caller: .local("dana.reyes")).first)
    }

    // MARK: marking

    @Test func everyRightAnswerEarnsFullMarks() async throws {
        let (term, id) = try await termWithSession()
        defer { term.remove() }
        let result = try await record(term, id, "1001", Self.allRight)
        #expect((result.earned, result.possible) == (6, 6))
        #expect(result.percent == 100)
        #expect(result.passed)
        #expect(result.questions.allSatisfy { $0.correct })
        #expect(result.attempt == 1)
    }

    @Test func answersAreMarkedIgnoringCaseOrderAndWhiteSpaceAsTheFormatSays() async throws {
        // Given the right answers typed loosely: upper case, the multiple set in another order,
        // a short answer with extra spaces and capitals
        let (term, id) = try await termWithSession()
        defer { term.remove() }
        let result = try await record(term, id, "1001", "q1=B, q2=e+c+b+a, q3=TRUE, q4=  Tap   Their  Shoulder , q5=True, q6=a")
        // Then every one earns its point
        #expect(result.questions.map(\.earned) == [1, 1, 1, 1, 1, 1], "\(result.questions)")
    }

    @Test func wrongAnswersEarnNothingAndThereIsNoPartialCredit() async throws {
        // Given: q1 two choices for a single-choice question; q2 a subset of the right set;
        // q3 the wrong truth value; q4 a short answer that is close but not accepted; q5 and q6 right
        let (term, id) = try await termWithSession()
        defer { term.remove() }
        let result = try await record(term, id, "1001", "q1=a+b,q2=a+b+c,q3=false,q4=tapping,q5=true,q6=a")
        // Then only q5 and q6 earn, 2 of 6, which does not pass
        #expect(result.questions.map(\.earned) == [0, 0, 0, 0, 1, 1])
        #expect((result.earned, result.possible) == (2, 6))
        #expect(!result.passed)
    }

    @Test func aSupersetOfTheRightChoicesEarnsNothing() async throws {
        let (term, id) = try await termWithSession()
        defer { term.remove() }
        let result = try await record(term, id, "1001", "q2=a+b+c+d+e")
        #expect(result.questions.first { $0.questionID == "q2" }?.earned == 0)
    }

    @Test func anUnansweredQuestionEarnsNothing() async throws {
        let (term, id) = try await termWithSession()
        defer { term.remove() }
        let result = try await record(term, id, "1001", "q1=b,q2=a+b+c+e,q3=true,q4=tap,q5=true")
        #expect((result.earned, result.possible) == (5, 6))
        #expect(result.questions.last?.response == nil)
    }

    @Test func aQuizPassesAtPassPercentOrAbove() async throws {
        // Given a 70 % quiz of six one-point questions
        let (term, id) = try await termWithSession()
        defer { term.remove() }
        // When 5 of 6 (83.3 %) and 4 of 6 (66.7 %) are earned
        let five = try await record(term, id, "1001", TermFixture.answers(try term.quiz("fa-scene-safety"), right: 5))
        let four = try await record(term, id, "1002", TermFixture.answers(try term.quiz("fa-scene-safety"), right: 4))
        // Then five passes and four does not
        #expect(five.earned == 5 && five.passed)
        #expect(abs(five.percent - 500.0 / 6) < 0.0001)
        #expect(four.earned == 4 && !four.passed)
    }

    @Test func aLateStudentMayTakeTheQuiz() async throws {
        let (term, id) = try await termWithSession()
        defer { term.remove() }
        await #expect(try record(term, id, "1003", Self.allRight).passed)
    }

    // MARK: refused attempts

    @Test func anAbsentOrExcusedStudentCannotHaveAnAttempt() async throws {
        // Given 1004 absent, and 1002 amended to excused
        let (term, id) = try await termWithSession()
        defer { term.remove() }
        _ = try await term.records.amendSession(id: id, student: "1002", status: .excused, reason: "at the nurse", caller: .local("x"))
        // When their answers are recorded
        for student in ["1004", "1002"] {
            let error = await bridgesError { try await term.records.recordQuiz(session: id, student: student, answers: Self.allRight, caller: .local("x")) }
            // Then refused, naming the student and why
            #expect(error?.exitCode == 65)
            #expect(error?.description.contains("student \(student) was") == true, "\(String(describing: error))")
            #expect(error?.description.contains("present or late") == true)
        }
        await #expect(try term.records.session(id: id).students.allSatisfy { $0.quizAttempts == 0 })
    }

    @Test func aStudentNotInTheSessionCannotHaveAnAttempt() async throws {
        let (term, id) = try await termWithSession()
        defer { term.remove() }
        let error = await bridgesError { try await term.records.recordQuiz(session: id, student: "2001", answers: Self.allRight, caller: .local("x")) }
        #expect(error?.exitCode == 65)
        #expect(error?.description.contains("2001") == true)
    }

    @Test func anUnknownQuestionOrChoiceIsRefusedNotMarkedZero() async throws {
        let (term, id) = try await termWithSession()
        defer { term.remove() }
        let question = await bridgesError { try await term.records.recordQuiz(session: id, student: "1001", answers: "q1=b,q9=a", caller: .local("x")) }
        #expect(question?.exitCode == 65)
        #expect(question?.description.contains("no question 'q9'") == true, "\(String(describing: question))")
        let choice = await bridgesError { try await term.records.recordQuiz(session: id, student: "1001", answers: "q1=z", caller: .local("x")) }
        #expect(choice?.exitCode == 65)
        #expect(choice?.description.contains("no choice 'z'") == true, "\(String(describing: choice))")
        let truth = await bridgesError { try await term.records.recordQuiz(session: id, student: "1001", answers: "q3=yes", caller: .local("x")) }
        #expect(truth?.exitCode == 65)
        let malformed = await bridgesError { try await term.records.recordQuiz(session: id, student: "1001", answers: "q1 b", caller: .local("x")) }
        #expect(malformed?.exitCode == 64)
        await #expect(try term.records.session(id: id).students.allSatisfy { $0.quizAttempts == 0 })
    }

    @Test func aVoidedOrUnknownSessionTakesNoAttempts() async throws {
        let (term, id) = try await termWithSession()
        defer { term.remove() }
        try await term.records.voidSession(id: id, reason: "wrong class", caller: .local("x"))
        await #expect(await bridgesError { try await term.records.recordQuiz(session: id, student: "1001", answers: Self.allRight, caller: .local("x")) }?.exitCode == 65)
        await #expect(await bridgesError { try await term.records.recordQuiz(session: 999, student: "1001", answers: Self.allRight, caller: .local("x")) }?.exitCode == 66)
    }

    @Test func aLessonWithoutAQuizTakesNoAttempts() async throws {
        // Given a lesson with no quiz, taught
        let term = try await TermFixture()
        defer { term.remove() }
        try term.write("bike/program.xml", BikeProgram.program)
        try term.write("bike/bk-helmet.xml", BikeProgram.lesson("bk-helmet", quiz: true))
        try term.write("bike/bk-signals.xml", BikeProgram.lesson("bk-signals", quiz: false))
        try term.write("bike/bk-road.xml", BikeProgram.lesson("bk-road", quiz: false))
        _ = try await term.records.loadLessonPlans(paths: [term.path("bike")], caller: .local("coordinator"), processors: 2)
        let id = try await term.log("bk-signals", on: "2025-09-08")
        // When answers are recorded
        let error = await bridgesError { try await term.records.recordQuiz(session: id, student: "1001", answers: "q1=true", caller: .local("x")) }
        // Then it is refused, saying the lesson has no quiz
        #expect(error?.exitCode == 65)
        #expect(error?.description.contains("has no quiz") == true, "\(String(describing: error))")
    }

    // MARK: sheets

    @Test func aSheetRecordsOneAttemptPerRow() async throws {
        // Given a quiz sheet for the three students who attended, columns in another order
        let (term, id) = try await termWithSession()
        defer { term.remove() }
        let sheet = try term.write("quiz.csv", """
            student_id,q6,q1,q2,q3,q4,q5\r
            1001,a,b,a+b+c+e,true,"tap, then shout",true\r
            1002,a,b,a+b+c+e,true,tap their shoulder,true\r
            1003,b,a,a,false,,false\r

            """)
        // When recorded
        let results = try await term.records.recordQuiz(session: id, sheet: sheet, caller: .local("dana.reyes"))
        // Then each row is one marked attempt (a short answer may hold a comma in a sheet)
        #expect(results.map(\.studentID) == ["1001", "1002", "1003"])
        #expect(results.map(\.earned) == [5, 6, 0])
        #expect(results.map(\.passed) == [true, true, false])
        #expect(results.allSatisfy { $0.attempt == 1 })
    }

    @Test func aSheetWithOneAbsentStudentRecordsNothingAndNamesTheLine() async throws {
        // Given a sheet whose third line is 1004, who was absent
        let (term, id) = try await termWithSession()
        defer { term.remove() }
        let sheet = try term.write("quiz.csv", "student_id,q1,q2,q3,q4,q5,q6\n1001,b,a+b+c+e,true,tap,true,a\n1004,b,a+b+c+e,true,tap,true,a\n1002,b,a,true,tap,true,a\n")
        // When recorded
        let error = await bridgesError { try await term.records.recordQuiz(session: id, sheet: sheet, caller: .local("x")) }
        // Then it is refused at quiz.csv:3, and not even 1001's attempt is kept
        #expect(error?.exitCode == 65)
        let located = error?.diagnostics.map { "\($0.file):\($0.line)" }
        #expect(located == ["\(sheet):3"], "\(String(describing: error?.fullText))")
        #expect(error?.diagnostics.first?.message.contains("1004") == true)
        await #expect(try term.records.session(id: id).students.allSatisfy { $0.quizAttempts == 0 })
    }

    @Test func aSheetWithAnUnknownQuestionColumnNamesTheColumn() async throws {
        let (term, id) = try await termWithSession()
        defer { term.remove() }
        let sheet = try term.write("quiz.csv", "student_id,q1,q7\n1001,b,a\n1002,b,a\n")
        let error = await bridgesError { try await term.records.recordQuiz(session: id, sheet: sheet, caller: .local("x")) }
        #expect(error?.exitCode == 65)
        // The column is the mistake: it is named once, at its place in the header (issue 10).
        #expect(error?.diagnostics.map { "\($0.line):\($0.column ?? 0)" } == ["1:3"], "\(String(describing: error?.fullText))")
        #expect(error?.fullText.contains("q7") == true)
    }

    // MARK: every attempt kept, the best counts

    @Test func everyAttemptIsKeptAndTheBestCounts() async throws {
        // Given 1001 fails a first attempt (3 of 6)
        let (term, id) = try await termWithSession()
        defer { term.remove() }
        let quiz = try await term.quiz("fa-scene-safety")
        let first = try await record(term, id, "1001", TermFixture.answers(quiz, right: 3))
        #expect((first.attempt, first.passed, first.bestPassed) == (1, false, false))
        // When they retake it and pass, then try a third time and do worse
        let second = try await record(term, id, "1001", Self.allRight)
        let third = try await record(term, id, "1001", TermFixture.answers(quiz, right: 4))
        // Then the attempts are numbered 1, 2, 3, and the best (6 of 6) still counts
        #expect((second.attempt, second.passed, second.bestPassed) == (2, true, true))
        #expect(second.bestPercent == 100)
        #expect((third.attempt, third.passed) == (3, false))
        #expect(third.bestPassed)
        #expect(third.bestPercent == 100)
        let line = try await #require(try term.records.session(id: id).students.first { $0.studentID == "1001" })
        #expect(line.quizAttempts == 3)
        #expect((line.bestEarned, line.bestPossible, line.bestPassed) == (6, 6, true))
    }

    @Test func aRetakeAtAMakeUpSessionCountsTowardTheBest() async throws {
        // Given 1001 failed at the lesson's session
        let (term, id) = try await termWithSession()
        defer { term.remove() }
        _ = try await record(term, id, "1001", TermFixture.answers(try term.quiz("fa-scene-safety"), right: 2))
        // When they pass at a make-up session of the same lesson
        let makeUp = try await term.log("fa-scene-safety", on: "2025-09-10", minutes: 30, present: ["1001"], others: .excused)
        let retake = try await record(term, makeUp, "1001", Self.allRight)
        // Then it is attempt 1 of that session, and their best at the lesson is a pass
        #expect(retake.attempt == 1)
        #expect(retake.bestPassed)
    }

    @Test func theSameStudentTwiceInASheetIsTwoAttempts() async throws {
        let (term, id) = try await termWithSession()
        defer { term.remove() }
        let sheet = try term.write("quiz.csv", "student_id,q1,q2,q3,q4,q5,q6\n1001,a,a,false,x,false,b\n1001,b,a+b+c+e,true,tap,true,a\n")
        let results = try await term.records.recordQuiz(session: id, sheet: sheet, caller: .local("x"))
        #expect(results.map(\.attempt) == [1, 2])
        #expect(results.last?.bestPassed == true)
    }
}

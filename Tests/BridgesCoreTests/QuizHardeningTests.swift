import BridgesCore
import Testing

/// Issue 10 items 6 and 10: marking stays linear in the number of questions, and every problem
/// of a set of answers is found at once.
@Suite("Quiz hardening", .timeLimit(.minutes(1)))
struct QuizHardeningTests {
    /// A quiz of `count` true-false questions whose answer is `true`.
    static func bigQuiz(_ count: Int) -> Quiz {
        Quiz(questions: (0..<count).map { Question(id: "q\($0)", kind: .trueFalse, prompt: "Question \($0)", answers: ["true"]) })
    }

    @Test func markingAQuizWithManyQuestionsLooksEachAnswerUpOnce() throws {
        // Given a quiz of 100,000 questions, every one answered (the old lookup per answer scanned
        // the whole list: 5 billion comparisons, far past the time limit)
        let quiz = Self.bigQuiz(100_000)
        var responses: QuizResponses = [:]
        for question in quiz.questions { responses[question.id] = question.id.hasSuffix("7") ? "false" : "true" }

        // When it is marked
        let mark = try quiz.mark(responses)

        // Then every question is marked, in order
        #expect(mark.questions.count == 100_000)
        #expect(mark.possible == 100_000)
        #expect(mark.earned == 90_000)
        #expect(mark.questions[7].earned == 0 && mark.questions[8].earned == 1)
    }
}

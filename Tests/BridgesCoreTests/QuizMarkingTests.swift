import BridgesCore
import Testing

/// Marking a quiz exactly as lesson-plan-format.md "Marking a quiz" says.
@Suite("Quiz marking")
struct QuizMarkingTests {
    // MARK: Fixtures

    static let single = Question(
        id: "q1", kind: .single, prompt: "Who do you call?",
        choices: [Choice(id: "a", text: "Nobody"), Choice(id: "b", correct: true, text: "911"), Choice(id: "c", text: "A friend")])
    static let multiple = Question(
        id: "q2", kind: .multiple, points: 2, prompt: "Which keep blood off your skin?",
        choices: [Choice(id: "a", correct: true, text: "Gloves"), Choice(id: "b", text: "Bare hands"), Choice(id: "c", correct: true, text: "A plastic bag")])
    static let trueFalse = Question(id: "q3", kind: .trueFalse, prompt: "Tilt the head back for a nosebleed.", answers: ["false"])
    static let short = Question(id: "q4", kind: .short, prompt: "What number do you call?", answers: ["call 911", "911"])

    static let quiz = Quiz(passPercent: 70, questions: [single, multiple, trueFalse, short])

    private func earned(_ question: Question, _ response: String) throws -> Int {
        try Quiz(questions: [question]).mark([question.id: response]).earned
    }

    // MARK: single and true-false

    @Test func singleChoiceEarnsFullPointsForTheRightChoiceOnly() throws {
        // Given a single-choice question whose right answer is b
        // When each choice is given
        // Then only b earns the point
        #expect(try earned(Self.single, "b") == 1)
        #expect(try earned(Self.single, "a") == 0)
        #expect(try earned(Self.single, "c") == 0)
    }

    @Test func singleChoiceWithTwoChoicesPickedEarnsNothing() throws {
        // Given the right choice b picked together with a wrong one
        // When marked
        // Then nothing is earned: a single-choice question takes one choice
        #expect(try earned(Self.single, "a+b") == 0)
        #expect(try earned(Self.single, "b+c") == 0)
    }

    @Test func singleChoiceIgnoresLetterCaseAndSurroundingSpace() throws {
        #expect(try earned(Self.single, "  B ") == 1)
    }

    @Test func trueFalseEarnsFullPointsForTheRightValueInAnyCase() throws {
        // Given a true-false question whose answer is false
        #expect(try earned(Self.trueFalse, "false") == 1)
        #expect(try earned(Self.trueFalse, "FALSE") == 1)
        #expect(try earned(Self.trueFalse, " False ") == 1)
        #expect(try earned(Self.trueFalse, "true") == 0)
    }

    @Test func trueFalseAnsweredWithSomethingElseIsAProblemNotZero() {
        // Given a true-false question
        // When the officer typed "yes"
        // Then marking refuses it, naming the question
        #expect(throws: QuizResponseProblem.notTrueOrFalse(question: "q3", response: "yes")) {
            try Self.quiz.mark(["q3": "yes"])
        }
    }

    // MARK: multiple

    @Test func multipleChoiceEarnsFullPointsOnlyForExactlyTheCorrectSet() throws {
        // Given a multiple-choice question worth 2 whose correct set is {a, c}
        // When the exact set is given, in any order or separator
        // Then the full 2 points are earned
        #expect(try earned(Self.multiple, "a+c") == 2)
        #expect(try earned(Self.multiple, "c+a") == 2)
        #expect(try earned(Self.multiple, "a c") == 2)
        #expect(try earned(Self.multiple, "A;C") == 2)
    }

    @Test func multipleChoiceWithASubsetOrASupersetEarnsNothing() throws {
        // Given the correct set {a, c}
        // When part of it, or all of it plus a wrong one, is given
        // Then nothing is earned (no partial credit)
        #expect(try earned(Self.multiple, "a") == 0)
        #expect(try earned(Self.multiple, "c") == 0)
        #expect(try earned(Self.multiple, "a+b+c") == 0)
        #expect(try earned(Self.multiple, "b") == 0)
        #expect(try earned(Self.multiple, "") == 0)
    }

    // MARK: short

    @Test func shortAnswerIsComparedAfterTrimmingCaseFoldingAndCollapsingSpace() throws {
        // Given accepted answers "call 911" and "911"
        // When written with other case, surrounding space and inner runs of space or tabs
        // Then they are accepted
        #expect(try earned(Self.short, "call 911") == 1)
        #expect(try earned(Self.short, "  CALL   911  ") == 1)
        #expect(try earned(Self.short, "Call\t 911") == 1)
        #expect(try earned(Self.short, "Call\n911") == 1)
        #expect(try earned(Self.short, "911") == 1)
    }

    @Test func shortAnswerThatDiffersInMoreThanSpaceOrCaseEarnsNothing() throws {
        #expect(try earned(Self.short, "call911") == 0)
        #expect(try earned(Self.short, "call 999") == 0)
        #expect(try earned(Self.short, "call 911 now") == 0)
    }

    @Test func shortAnswerComparisonAppliesToTheAcceptedAnswersToo() throws {
        // Given an accepted answer written with odd spacing and case in the lesson file
        let question = Question(id: "q1", kind: .short, prompt: "Say it", answers: ["  Stop,  DROP and Roll "])
        // When the student writes it plainly
        // Then it is accepted
        #expect(try earned(question, "stop, drop and roll") == 1)
    }

    @Test func shortAnswerCaseFoldingIsFullUnicodeFolding() throws {
        // Given the accepted answer "Straße" (ß folds to ss) and "ΟΔΟΣ" (final sigma)
        let street = Question(id: "q1", kind: .short, prompt: "Where?", answers: ["Straße"])
        let greek = Question(id: "q2", kind: .short, prompt: "Where?", answers: ["ΟΔΟΣ"])
        // Then the upper-case spelling, which has no ß, matches, as does the lower-case Greek
        #expect("STRASSE".caseFolded() == "straße".caseFolded())
        #expect(try earned(street, "STRASSE") == 1)
        #expect(try earned(street, "strasse") == 1)
        #expect(try earned(greek, "οδος") == 1)
        #expect(try earned(greek, "οδός") == 0, "an accent is not a difference of case")
    }

    // MARK: scores

    @Test func scoreIsPointsEarnedOverPointsPossible() throws {
        // Given a quiz of 1 + 2 + 1 + 1 = 5 points
        // When q1 (1) and q2 (2) are right and the rest wrong
        let mark = try Self.quiz.mark(["q1": "b", "q2": "a+c", "q3": "true", "q4": "112"])
        // Then 3 of 5 are earned, 60 %, which fails a 70 % quiz
        #expect(mark.earned == 3)
        #expect(mark.possible == 5)
        #expect(mark.percent == 60)
        #expect(!mark.passed)
        #expect(mark.questions.map(\.earned) == [1, 2, 0, 0])
        #expect(mark.questions.map(\.possible) == [1, 2, 1, 1])
    }

    @Test func allRightScoresOneHundredAndPasses() throws {
        let mark = try Self.quiz.mark(["q1": "b", "q2": "a+c", "q3": "false", "q4": "911"])
        #expect(mark.earned == 5)
        #expect(mark.percent == 100)
        #expect(mark.passed)
    }

    @Test func anUnansweredQuestionEarnsNothingAndIsNotAProblem() throws {
        // Given only q1 answered
        let mark = try Self.quiz.mark(["q1": "b"])
        // Then the others earn 0 and keep no response
        #expect(mark.earned == 1)
        #expect(mark.questions.map(\.response) == ["b", nil, nil, nil])
    }

    static func tenQuestions(passPercent: Int) -> Quiz {
        Quiz(passPercent: passPercent, questions: (1...10).map { Question(id: "q\($0)", kind: .trueFalse, prompt: "Is \($0) true?", answers: ["true"]) })
    }

    @Test func sevenOfTenPassesAQuizThatPassesAtSeventyPercent() throws {
        // Given ten one-point questions and passPercent 70
        let quiz = Self.tenQuestions(passPercent: 70)
        // When exactly seven are right
        var responses: QuizResponses = [:]
        for n in 1...10 { responses["q\(n)"] = n <= 7 ? "true" : "false" }
        let mark = try quiz.mark(responses)
        // Then the score is exactly 70 % and the quiz is passed
        #expect(mark.earned == 7)
        #expect(mark.percent == 70)
        #expect(mark.passed)
    }

    @Test func sixOfTenFailsAQuizThatPassesAtSeventyPercent() throws {
        let quiz = Self.tenQuestions(passPercent: 70)
        var responses: QuizResponses = [:]
        for n in 1...10 { responses["q\(n)"] = n <= 6 ? "true" : "false" }
        #expect(try !quiz.mark(responses).passed)
    }

    @Test func justUnderThePassPercentFails() throws {
        // Given questions worth 699 and 301 points and passPercent 70
        let quiz = Quiz(passPercent: 70, questions: [
            Question(id: "big", kind: .trueFalse, points: 699, prompt: "Big?", answers: ["true"]),
            Question(id: "small", kind: .trueFalse, points: 301, prompt: "Small?", answers: ["true"]),
        ])
        // When only the 699-point question is right
        let mark = try quiz.mark(["big": "true", "small": "false"])
        // Then the score is 69.9 %, under 70: not passed
        #expect(mark.percent > 69.8 && mark.percent < 70)
        #expect(!mark.passed)
        // And with a quiz passing at 69 it would pass
        #expect(try Quiz(passPercent: 69, questions: quiz.questions).mark(["big": "true"]).passed)
    }

    @Test func twoThirdsPassesAtSixtySixButNotAtSixtySeven() throws {
        // Given three one-point questions, two right: 66.67 %
        let questions = (1...3).map { Question(id: "q\($0)", kind: .trueFalse, prompt: "?", answers: ["true"]) }
        let responses = ["q1": "true", "q2": "true", "q3": "false"]
        #expect(try Quiz(passPercent: 66, questions: questions).mark(responses).passed)
        #expect(try !Quiz(passPercent: 67, questions: questions).mark(responses).passed)
    }

    @Test func aQuizThatPassesAtZeroIsPassedWithNothingRight() throws {
        let mark = try Self.tenQuestions(passPercent: 0).mark([:])
        #expect(mark.earned == 0)
        #expect(mark.passed)
    }

    @Test func theDefaultPassPercentIsSeventy() {
        #expect(Quiz(questions: []).passPercent == 70)
        #expect(Quiz.defaultPassPercent == 70)
    }

    // MARK: mistakes in the responses

    @Test func anAnswerToAnUnknownQuestionIsAProblemNamingTheKnownOnes() {
        // Given a quiz with q1…q4
        // When a response names q9
        // Then marking refuses, listing the questions there are
        #expect(throws: QuizResponseProblem.unknownQuestion("q9", known: ["q1", "q2", "q3", "q4"])) {
            try Self.quiz.mark(["q1": "b", "q9": "a"])
        }
        let problem = QuizResponseProblem.unknownQuestion("q9", known: ["q1", "q2"])
        #expect(problem.description == "the quiz has no question 'q9' (its questions are q1, q2)")
    }

    @Test func anUnknownChoiceIsAProblemNotAWrongAnswer() {
        // Given q1 with choices a, b, c
        // When the response is d, alone or with a real choice
        // Then marking refuses it, naming the question and the choices there are
        #expect(throws: QuizResponseProblem.unknownChoice(question: "q1", choice: "d", known: ["a", "b", "c"])) {
            try Self.quiz.mark(["q1": "d"])
        }
        #expect(throws: QuizResponseProblem.unknownChoice(question: "q2", choice: "z", known: ["a", "b", "c"])) {
            try Self.quiz.mark(["q2": "a+z"])
        }
        let problem = QuizResponseProblem.unknownChoice(question: "q1", choice: "d", known: ["a", "b"])
        #expect(problem.description == "question 'q1' has no choice 'd' (its choices are a, b)")
    }

    // MARK: Quiz.parseResponses

    @Test func responsesParseFromTheCommandLineForm() throws {
        // Given the form cli.md shows for `quiz record --answers`
        let responses = try Quiz.parseResponses("q1=a,q2=a+c,q3=true,q4=call 911")
        // Then each question gets its answer as typed
        #expect(responses == ["q1": "a", "q2": "a+c", "q3": "true", "q4": "call 911"])
    }

    @Test func responsesAreTrimmedAndEmptyPartsBetweenCommasSkipped() throws {
        #expect(try Quiz.parseResponses(" q1 = b ,,q2=  a+c  ,") == ["q1": "b", "q2": "a+c"])
        #expect(try Quiz.parseResponses("") == [:])
    }

    @Test func responseWithAnEqualsSignInTheAnswerKeepsTheRest() throws {
        #expect(try Quiz.parseResponses("q4=1+1=2") == ["q4": "1+1=2"])
    }

    @Test func responseWithoutAnEqualsSignOrQuestionIsMalformed() {
        #expect(throws: QuizResponseProblem.malformed("q2")) { try Quiz.parseResponses("q1=a,q2") }
        #expect(throws: QuizResponseProblem.malformed("=a")) { try Quiz.parseResponses("=a") }
    }

    @Test func parsedResponsesMarkTheWholeQuiz() throws {
        let responses = try Quiz.parseResponses("q1=b,q2=c+a,q3=false,q4=CALL 911")
        let mark = try Self.quiz.mark(responses)
        #expect(mark.earned == mark.possible)
    }
}

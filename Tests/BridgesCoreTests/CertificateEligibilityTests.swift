import BridgesCore
import Testing

/// A program's certificate rule applied to one student (cli.md, "Certificates";
/// lesson-plan-format.md, `<certificate>`): attendance "all" or a count of the required lessons,
/// quizzes "pass-all" (every quiz of an attended required lesson) or "none".
@Suite("Certificate eligibility")
struct CertificateEligibilityTests {
    /// Three required lessons and an optional one; a, b and the optional one have quizzes.
    static func program(attendance: CertificateRule.Attendance, quizzes: CertificateRule.QuizRequirement) -> Program {
        Program(
            id: "first-aid", version: 1, title: "First Aid", grades: GradeRange(min: Grade(number: 6)!, max: Grade(number: 8)!),
            lessons: [
                LessonReference(lessonID: "a"), LessonReference(lessonID: "b"), LessonReference(lessonID: "c"),
                LessonReference(lessonID: "extra", required: false),
            ],
            certificate: CertificateRule(title: "Junior First Aider", attendance: attendance, quizzes: quizzes, validMonths: 24))
    }

    static let withQuiz: Set<String> = ["a", "b", "extra"]

    // MARK: attendance

    @Test func attendingEveryRequiredLessonMeetsAttendanceAll() {
        // Given rule all/none and a student at a, b and c (not the optional lesson)
        let progress = Self.program(attendance: .all, quizzes: .none)
            .progress(of: "1001", attended: ["a", "b", "c"], passed: [], lessonsWithQuiz: Self.withQuiz)
        // Then they are eligible: optional lessons are not needed
        #expect(progress.eligible)
        #expect(progress.attended == ["a", "b", "c"])
        #expect(progress.missing == [])
    }

    @Test func missingOneRequiredLessonFailsAttendanceAllAndNamesIt() {
        // Given rule all and a student who missed b (but went to the optional one)
        let progress = Self.program(attendance: .all, quizzes: .none)
            .progress(of: "1001", attended: ["a", "c", "extra"], passed: [], lessonsWithQuiz: Self.withQuiz)
        // Then they are not eligible, and b is what is missing
        #expect(!progress.eligible)
        #expect(progress.missing == ["b"])
        #expect(progress.attended == ["a", "c"])
    }

    @Test func attendanceCountIsMetByThatManyRequiredLessons() {
        // Given rule "2 of the required lessons"
        let program = Self.program(attendance: .count(2), quizzes: .none)
        // Then two required lessons are enough, and one (even with the optional one) is not
        #expect(program.progress(of: "s", attended: ["a", "c"], passed: [], lessonsWithQuiz: Self.withQuiz).eligible)
        #expect(program.progress(of: "s", attended: ["a", "b", "c"], passed: [], lessonsWithQuiz: Self.withQuiz).eligible)
        #expect(!program.progress(of: "s", attended: ["a", "extra"], passed: [], lessonsWithQuiz: Self.withQuiz).eligible)
    }

    @Test func aLessonOfAnotherProgramDoesNotCount() {
        let progress = Self.program(attendance: .all, quizzes: .none)
            .progress(of: "s", attended: ["a", "b", "elsewhere"], passed: [], lessonsWithQuiz: Self.withQuiz)
        #expect(!progress.eligible)
        #expect(progress.missing == ["c"])
    }

    // MARK: quizzes

    @Test func passAllNeedsTheQuizOfEveryAttendedRequiredLessonPassed() {
        // Given rule all/pass-all and every lesson attended
        let program = Self.program(attendance: .all, quizzes: .passAll)
        // When the quizzes of a and b (c has none) are passed
        let passed = program.progress(of: "s", attended: ["a", "b", "c"], passed: ["a", "b"], lessonsWithQuiz: Self.withQuiz)
        // Then they are eligible; the optional lesson's quiz is not required
        #expect(passed.eligible)
        #expect(passed.quizzesRequired == ["a", "b"])
        #expect(passed.quizzesPassed == ["a", "b"])
        // And with b's quiz not passed they are not
        let failed = program.progress(of: "s", attended: ["a", "b", "c"], passed: ["a", "extra"], lessonsWithQuiz: Self.withQuiz)
        #expect(!failed.eligible)
        #expect(failed.quizzesPassed == ["a"])
    }

    @Test func passAllOnlyAsksForQuizzesOfLessonsAttended() {
        // Given rule "2 lessons, pass-all" and a student at a and c only
        let progress = Self.program(attendance: .count(2), quizzes: .passAll)
            .progress(of: "s", attended: ["a", "c"], passed: ["a"], lessonsWithQuiz: Self.withQuiz)
        // Then b's quiz (a lesson they did not attend) is not required
        #expect(progress.quizzesRequired == ["a"])
        #expect(progress.eligible)
    }

    @Test func quizzesNoneNeedsNoQuizPassed() {
        let progress = Self.program(attendance: .all, quizzes: .none)
            .progress(of: "s", attended: ["a", "b", "c"], passed: [], lessonsWithQuiz: Self.withQuiz)
        #expect(progress.eligible)
        #expect(progress.quizzesRequired == [])
    }

    @Test func passedQuizzesDoNotMakeUpForAMissedLesson() {
        let progress = Self.program(attendance: .all, quizzes: .passAll)
            .progress(of: "s", attended: ["a", "c"], passed: ["a", "b"], lessonsWithQuiz: Self.withQuiz)
        #expect(!progress.eligible)
        #expect(progress.missing == ["b"])
    }
}

@testable import BridgesKit
import BridgesTestSupport
import Foundation
import Testing

/// The programs in Curricula/ are what schools see first: they must load cleanly, follow the
/// shape issue 3 asks for, and their quizzes must mark their own answer keys correct.
@Suite("The shipped programs")
struct ShippedCurriculaTests {
    static let curricula = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Curricula").path

    /// The programs and lessons of Curricula/ as a database gives them back once loaded.
    struct Loaded: Sendable {
        var programs: [Program]
        /// The latest version of each lesson, by id.
        var lessons: [String: Lesson]
    }

    /// Curricula/ loaded into a database once for the suite and read back; the database's folder
    /// is removed as soon as it is read (a suite has no end to remove it at).
    static let loaded = OnceBuilt<Loaded> {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ShippedCurricula-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/bridges.sqlite"
        _ = try await Registrar.loadLessonPlans(paths: [curricula], into: testDatabase(path), caller: .local("test"), processors: 2)
        let records = try await Registrar(testDatabase(path))
        let programs = try await records.programs()
        var lessons: [String: Lesson] = [:]
        for program in programs {
            for reference in program.lessons where lessons[reference.lessonID] == nil {
                lessons[reference.lessonID] = try await records.lesson(id: reference.lessonID, version: nil)?.lesson
            }
        }
        return Loaded(programs: programs, lessons: lessons)
    }

    @Test("validate with no error and no warning")
    func validateCleanly() async throws {
        let check = try await Registrar.validateLessonPlans(paths: [Self.curricula], against: nil, processors: 2)
        #expect(check.diagnostics.isEmpty, "\(check.diagnostics.map(\.description))")
        #expect(check.programs == 3)
        #expect(check.lessons >= 12)
    }

    @Test("are the three programs, each with a certificate rule, at least four lessons and a stated grade band")
    func programsHaveTheirShape() async throws {
        let programs = try await Self.loaded.value().programs
        #expect(Set(programs.map(\.id)) == ["personal-safety", "conflict-resolution", "first-aid"])
        for program in programs {
            #expect(program.lessons.count >= 4, "\(program.id)")
            #expect(!program.certificate.title.isEmpty)
            let summary = try #require(program.summary, "\(program.id) has no summary")
            #expect(summary.localizedCaseInsensitiveContains("grade"), "\(program.id)'s summary should state its grade band")
            #expect(summary.localizedCaseInsensitiveContains("follow") || summary.localizedCaseInsensitiveContains("in line with"),
                    "\(program.id)'s summary should say what guidance it follows")
        }
        let firstAid = try #require(programs.first { $0.id == "first-aid" })
        #expect(firstAid.grades.min.number >= 6, "first aid is for middle or high school")
        #expect(firstAid.certificate.validMonths == 24)
        let personalSafety = try #require(programs.first { $0.id == "personal-safety" })
        #expect(personalSafety.grades.max.number <= 5, "personal safety is for elementary grades")
    }

    @Test("every required lesson has objectives, materials, timed activities with steps and a quiz of three or more questions of two or more types, each explained")
    func requiredLessonsAreTeachable() async throws {
        for program in try await Self.loaded.value().programs {
            for reference in program.lessons where reference.required {
                let lesson = try #require(try await Self.loaded.value().lessons[reference.lessonID], "\(reference.lessonID)")
                #expect(!lesson.objectives.isEmpty, "\(lesson.id)")
                #expect(!lesson.materials.isEmpty, "\(lesson.id)")
                #expect(!lesson.activities.isEmpty, "\(lesson.id)")
                for activity in lesson.activities {
                    #expect(activity.minutes > 0 && !activity.steps.isEmpty, "\(lesson.id)/\(activity.id)")
                }
                #expect(lesson.plannedActivityMinutes <= lesson.minutes, "\(lesson.id)")
                let quiz = try #require(lesson.quiz, "\(lesson.id) has no quiz")
                #expect(quiz.questions.count >= 3, "\(lesson.id)")
                #expect(Set(quiz.questions.map(\.kind)).count >= 2, "\(lesson.id)")
                for question in quiz.questions {
                    #expect(question.explanation != nil, "\(lesson.id)/\(question.id) has no explanation")
                }
            }
        }
    }

    @Test("every program tells the officer what to do when a student discloses harm")
    func disclosureIsCovered() async throws {
        for program in try await Self.loaded.value().programs {
            var texts = [program.summary ?? ""]
            for reference in program.lessons {
                texts += try #require(try await Self.loaded.value().lessons[reference.lessonID]).safetyNotes
            }
            #expect(texts.contains { $0.localizedCaseInsensitiveContains("reporting procedure") }, "\(program.id)")
        }
    }

    @Test("every quiz marks its own answer key with full points, and a wrong sheet with less")
    func answerKeysMarkCorrectly() async throws {
        for program in try await Self.loaded.value().programs {
            for reference in program.lessons {
                let lesson = try #require(try await Self.loaded.value().lessons[reference.lessonID])
                guard let quiz = lesson.quiz else { continue }
                var key: QuizResponses = [:]
                var wrong: QuizResponses = [:]
                for question in quiz.questions {
                    switch question.kind {
                    case .single, .multiple:
                        key[question.id] = question.choices.filter(\.correct).map(\.id).joined(separator: "+")
                        wrong[question.id] = question.choices.first { !$0.correct }?.id ?? question.choices[0].id
                    case .trueFalse:
                        guard let answer = question.answers.first?.lowercased() else {
                            Issue.record("\(lesson.id)/\(question.id) has no answer")
                            continue
                        }
                        key[question.id] = answer
                        wrong[question.id] = answer == "true" ? "false" : "true"
                    case .short:
                        guard let answer = question.answers.first else {
                            Issue.record("\(lesson.id)/\(question.id) has no answer")
                            continue
                        }
                        key[question.id] = answer
                        wrong[question.id] = "no idea"
                    }
                }
                let right = try quiz.mark(key)
                #expect(right.earned == right.possible && right.passed, "\(lesson.id): its own key earned \(right.earned) of \(right.possible)")
                let marked = try quiz.mark(wrong)
                #expect(marked.earned < marked.possible, "\(lesson.id): a wrong sheet earned full points")
            }
        }
    }

    @Test("every objective of every lesson is taught by an activity that is not the quiz, and tested by a question")
    func everyObjectiveIsTaughtAndTested() async throws {
        for program in try await Self.loaded.value().programs {
            for reference in program.lessons {
                let lesson = try #require(try await Self.loaded.value().lessons[reference.lessonID], "\(reference.lessonID)")
                // The quiz's review names every objective, so it does not count as teaching one.
                let taught = Set(lesson.activities.filter { $0.kind != .assessment }.flatMap(\.objectiveIDs))
                let tested = Set(lesson.quiz?.questions.compactMap(\.objectiveID) ?? [])
                for objective in lesson.objectives {
                    #expect(taught.contains(objective.id), "\(lesson.id): objective \(objective.id) is taught by no activity")
                    if lesson.quiz != nil {
                        #expect(tested.contains(objective.id), "\(lesson.id): objective \(objective.id) is tested by no question")
                    }
                }
            }
        }
    }

    @Test("each program says which edition of its guidance it follows")
    func guidanceEditionIsNamed() async throws {
        for program in try await Self.loaded.value().programs {
            let summary = try #require(program.summary)
            #expect(summary.range(of: #"(19|20)\d\d"#, options: .regularExpression) != nil || summary.localizedCaseInsensitiveContains("CASEL"),
                    "\(program.id)'s summary names no edition: \(summary)")
        }
    }

    @Test("the demo builds its term from the shipped programs")
    func demoRunsOnTheShippedPrograms() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ShippedDemo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let report = try await Demo(curricula: Self.curricula, location: testDatabase(folder + "/demo.sqlite"), exportsFolder: ReportFolder(path: folder + "/Exports", shownAs: folder + "/Exports"), temporaryFolder: FileManager.default.temporaryDirectory.path, actor: "demo", processors: 2).run()
        #expect(report.reports.count == 4)
        #expect(report.reportRows.allSatisfy { $0 > 0 }, "\(report.reportRows)")
    }
}

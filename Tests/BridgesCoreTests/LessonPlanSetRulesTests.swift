import BridgesCore
import Testing

/// The rules that look across files: refs, the program of a folder, grades, ids defined twice.
@Suite("Lesson-plan set rules")
struct LessonPlanSetRulesTests {
    // MARK: Fixtures

    static func grades(_ min: Int, _ max: Int) -> GradeRange {
        GradeRange(min: Grade(number: min)!, max: Grade(number: max)!)
    }

    /// A program document whose root is on line 2 of `folder/program.xml` and whose refs are on
    /// lines 6, 7, … at column 18.
    static func program(_ id: String, lessons: [String], grades: GradeRange = grades(6, 8), folder: String = "water") -> LessonPlanDocument {
        let file = "\(folder)/program.xml"
        let program = Program(
            id: id, version: 1, title: "Water Safety", grades: grades,
            lessons: lessons.map { LessonReference(lessonID: $0) },
            certificate: CertificateRule(title: "Water Safe", attendance: .all, quizzes: .passAll))
        let locations = ProgramLocations(
            root: SourceLocation(file: file, line: 2, column: 1),
            version: SourceLocation(file: file, line: 2, column: 60),
            lessonRefs: lessons.indices.map { SourceLocation(file: file, line: 6 + $0, column: 18) },
            grades: SourceLocation(file: file, line: 4, column: 3),
            certificate: SourceLocation(file: file, line: 9, column: 3))
        return .program(program, locations)
    }

    /// A lesson document in `folder/<id>.xml` (or `file`): root on line 2, program attribute at
    /// 2:50, grades (when given) at 5:3.
    static func lesson(_ id: String, program: String, grades: GradeRange? = nil, folder: String = "water", file: String? = nil) -> LessonPlanDocument {
        let file = file ?? "\(folder)/\(id).xml"
        let lesson = Lesson(
            id: id, programID: program, version: 1, title: "Lesson \(id)", minutes: 30, grades: grades,
            objectives: [Objective(id: "o1", text: "Know")],
            activities: [Activity(id: "a1", kind: .discussion, minutes: 10, title: "Talk", steps: ["Talk"])])
        let locations = LessonLocations(
            root: SourceLocation(file: file, line: 2, column: 1),
            version: SourceLocation(file: file, line: 2, column: 70),
            program: SourceLocation(file: file, line: 2, column: 50),
            grades: grades == nil ? nil : SourceLocation(file: file, line: 5, column: 3))
        return .lesson(lesson, locations)
    }

    /// The program of a lesson's folder, as the loader works it out: the program document read
    /// from `<folder>/program.xml` in the same run.
    static func folderPrograms(_ documents: [LessonPlanDocument]) -> (LessonPlanDocument) -> Program? {
        var byFolder: [String: Program] = [:]
        for document in documents {
            if case .program(let program, let at) = document {
                byFolder[String(at.root.file.dropLast("/program.xml".count))] = program
            }
        }
        return { document in
            let file = document.file
            guard let slash = file.lastIndex(of: "/") else { return nil }
            return byFolder[String(file[..<slash])]
        }
    }

    struct Stored: StoredLessonPlans {
        var lessons: [String: String] = [:]
        var programs: [String: Program] = [:]
        func programOfStoredLesson(_ lessonID: String) -> String? { lessons[lessonID] }
        func latestStoredProgram(_ programID: String) -> Program? { programs[programID] }
    }

    static func check(_ documents: [LessonPlanDocument], stored: any StoredLessonPlans = NoStoredLessonPlans(), unreadable: [String: String] = [:]) -> [Diagnostic] {
        LessonPlanSetRules.check(documents: documents, folderProgram: folderPrograms(documents), stored: stored, unreadableFiles: unreadable)
    }

    // MARK: A consistent set

    @Test func aProgramWithAllItsLessonsHasNoFindings() {
        // Given a program listing two lessons, both in its folder and naming it
        let documents = [Self.program("water", lessons: ["ws-pools", "ws-rivers"]), Self.lesson("ws-pools", program: "water"), Self.lesson("ws-rivers", program: "water", grades: Self.grades(7, 8))]
        // Then nothing is reported
        #expect(Self.check(documents) == [])
    }

    // MARK: refs

    @Test func aRefToALessonNeitherLoadedNorStoredIsAnErrorAtTheRef() throws {
        // Given a program whose second ref names a lesson that no file defines
        let documents = [Self.program("water", lessons: ["ws-pools", "ws-lakes"]), Self.lesson("ws-pools", program: "water")]
        // When checked
        let diagnostics = Self.check(documents)
        // Then one error points at the second ref (line 7) and names the lesson
        let diagnostic = try #require(diagnostics.only)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.file == "water/program.xml")
        #expect((diagnostic.line, diagnostic.column) == (7, 18))
        #expect(diagnostic.message.contains("no lesson 'ws-lakes' is being loaded or stored"))
    }

    @Test func aRefToAStoredLessonOfTheSameProgramIsFine() {
        let documents = [Self.program("water", lessons: ["ws-pools", "ws-lakes"]), Self.lesson("ws-pools", program: "water")]
        #expect(Self.check(documents, stored: Stored(lessons: ["ws-lakes": "water"])) == [])
    }

    @Test func aRefToAStoredLessonOfAnotherProgramIsAnError() throws {
        let documents = [Self.program("water", lessons: ["ws-pools", "fa-burns"]), Self.lesson("ws-pools", program: "water")]
        let diagnostic = try #require(Self.check(documents, stored: Stored(lessons: ["fa-burns": "first-aid"])).only)
        #expect(diagnostic.isError)
        #expect((diagnostic.line, diagnostic.column) == (7, 18))
        #expect(diagnostic.message.contains("'fa-burns' is stored as part of program 'first-aid', not 'water'"))
    }

    @Test func aRefToALessonWhoseFileCouldNotBeReadIsNotReportedTwice() {
        // Given ws-lakes.xml was unreadable (its own errors are already reported)
        let documents = [Self.program("water", lessons: ["ws-pools", "ws-lakes"]), Self.lesson("ws-pools", program: "water")]
        // Then the ref to it adds nothing
        #expect(Self.check(documents, unreadable: ["ws-lakes": "water/ws-lakes.xml"]) == [])
    }

    @Test func aRefToALessonOfAnotherProgramInTheSameRunIsAnError() throws {
        // Given the water program lists fire's lesson
        let documents = [
            Self.program("water", lessons: ["ws-pools", "fs-drill"]), Self.lesson("ws-pools", program: "water"),
            Self.program("fire", lessons: ["fs-drill"], folder: "fire"), Self.lesson("fs-drill", program: "fire", folder: "fire"),
        ]
        let diagnostic = try #require(Self.check(documents).only)
        #expect(diagnostic.file == "water/program.xml")
        #expect((diagnostic.line, diagnostic.column) == (7, 18))
        #expect(diagnostic.message.contains("lesson 'fs-drill' belongs to program 'fire', not 'water'"))
    }

    // MARK: the program of a folder

    @Test func aLessonInAnotherProgramsFolderIsAnErrorAtItsProgramAttribute() throws {
        // Given water/ws-fire.xml says program="fire" but water/ holds program water
        let documents = [
            Self.program("water", lessons: ["ws-pools"]), Self.lesson("ws-pools", program: "water"),
            Self.program("fire", lessons: ["ws-fire"], folder: "fire"),
            Self.lesson("ws-fire", program: "fire", folder: "water"),
        ]
        // When checked
        let diagnostics = Self.check(documents)
        // Then the lesson's program attribute is the place to fix
        let diagnostic = try #require(diagnostics.first { $0.file == "water/ws-fire.xml" })
        #expect(diagnostic.isError)
        #expect((diagnostic.line, diagnostic.column) == (2, 50))
        #expect(diagnostic.message.contains("program=\"fire\" but its folder holds program 'water'"))
    }

    @Test func aLessonNamingAProgramNeitherLoadedNorStoredIsAnError() throws {
        let diagnostic = try #require(Self.check([Self.lesson("ws-pools", program: "water", folder: "loose")]).only)
        #expect(diagnostic.isError)
        #expect((diagnostic.file, diagnostic.line, diagnostic.column) == ("loose/ws-pools.xml", 2, 50))
        #expect(diagnostic.message.contains("no program 'water' is being loaded or stored"))
    }

    @Test func aLessonOfAStoredProgramIsCheckedAgainstIt() throws {
        // Given the water program is stored (for grades 6–8) and a lesson for 9–10 arrives alone
        guard case .program(let water, _) = Self.program("water", lessons: ["ws-pools"]) else { Issue.record("not a program"); return }
        let documents = [Self.lesson("ws-pools", program: "water", grades: Self.grades(9, 10), folder: "new")]
        let diagnostics = Self.check(documents, stored: Stored(programs: ["water": water]))
        // Then its grades are compared with the stored program's
        #expect(diagnostics.map(\.severity) == [.warning])
        #expect(diagnostics.first?.message.contains("grades 9–10") == true)
    }

    @Test func aLessonIdStoredUnderAnotherProgramIsAnError() throws {
        let documents = [Self.program("water", lessons: ["ws-pools"]), Self.lesson("ws-pools", program: "water")]
        let diagnostic = try #require(Self.check(documents, stored: Stored(lessons: ["ws-pools": "fire"])).only)
        #expect(diagnostic.isError)
        #expect((diagnostic.file, diagnostic.line, diagnostic.column) == ("water/ws-pools.xml", 2, 50))
        #expect(diagnostic.message.contains("already stored as part of program 'fire'"))
    }

    // MARK: grades

    @Test func aLessonWhoseGradesLieOutsideItsProgramsIsAWarningAtItsGrades() throws {
        // Given a program for 6–8 and a lesson for 5–7
        let documents = [Self.program("water", lessons: ["ws-pools"], grades: Self.grades(6, 8)), Self.lesson("ws-pools", program: "water", grades: Self.grades(5, 7))]
        // When checked
        let diagnostic = try #require(Self.check(documents).only)
        // Then a warning, not an error, points at the lesson's <grades>
        #expect(diagnostic.severity == .warning)
        #expect((diagnostic.file, diagnostic.line, diagnostic.column) == ("water/ws-pools.xml", 5, 3))
        #expect(diagnostic.message.contains("grades 5–7"))
        #expect(diagnostic.message.contains("grades 6–8"))
    }

    @Test func aLessonForKindergartenInAProgramFromGradeOneIsAWarning() throws {
        let documents = [Self.program("water", lessons: ["ws-pools"], grades: Self.grades(1, 3)), Self.lesson("ws-pools", program: "water", grades: Self.grades(0, 1))]
        let diagnostic = try #require(Self.check(documents).only)
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.message.contains("grades K–1"))
    }

    @Test func aLessonWithoutItsOwnGradesTakesItsProgramsAndIsFine() {
        let documents = [Self.program("water", lessons: ["ws-pools"]), Self.lesson("ws-pools", program: "water", grades: nil)]
        #expect(Self.check(documents) == [])
    }

    @Test func aLessonTheProgramDoesNotListIsAWarning() throws {
        let documents = [Self.program("water", lessons: ["ws-pools"]), Self.lesson("ws-pools", program: "water"), Self.lesson("ws-extra", program: "water")]
        let diagnostic = try #require(Self.check(documents).only)
        #expect(diagnostic.severity == .warning)
        #expect((diagnostic.file, diagnostic.line, diagnostic.column) == ("water/ws-extra.xml", 2, 1))
        #expect(diagnostic.message.contains("does not list lesson 'ws-extra'"))
    }

    // MARK: ids defined twice

    @Test func theSameLessonIdInTwoFilesIsAnErrorAtTheSecondNamingTheFirst() throws {
        // Given ws-pools defined in two files of the run
        let documents = [
            Self.program("water", lessons: ["ws-pools"]),
            Self.lesson("ws-pools", program: "water"),
            Self.lesson("ws-pools", program: "water", file: "water/ws-pools-copy.xml"),
        ]
        // When checked
        let duplicates = Self.check(documents).filter { $0.message.contains("also defined") }
        // Then the second file's root carries the error, naming the first file
        let diagnostic = try #require(duplicates.only)
        #expect(diagnostic.isError)
        #expect((diagnostic.file, diagnostic.line, diagnostic.column) == ("water/ws-pools-copy.xml", 2, 1))
        #expect(diagnostic.message.contains("lesson ws-pools is also defined in water/ws-pools.xml"))
    }

    @Test func theSameProgramIdInTwoFoldersIsAnError() throws {
        let documents = [
            Self.program("water", lessons: ["ws-pools"]), Self.lesson("ws-pools", program: "water"),
            Self.program("water", lessons: ["ws-pools"], folder: "water-copy"),
        ]
        let duplicates = Self.check(documents).filter { $0.message.contains("also defined") }
        let diagnostic = try #require(duplicates.only)
        #expect(diagnostic.file == "water-copy/program.xml")
        #expect(diagnostic.message.contains("program water is also defined in water/program.xml"))
    }

    @Test func aLessonAndAProgramMayShareAnId() {
        // Lessons and programs are different things; the same word for both is not a clash.
        let documents = [Self.program("water", lessons: ["water"]), Self.lesson("water", program: "water")]
        #expect(Self.check(documents).filter { $0.message.contains("also defined") } == [])
    }
}

extension Array {
    /// The one element, or nil when there are none or several.
    var only: Element? { count == 1 ? first : nil }
}

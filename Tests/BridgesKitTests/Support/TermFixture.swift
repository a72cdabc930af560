@testable import BridgesKit
import BridgesTestSupport
import Foundation
import Testing

/// A school term to test against, set up as a coordinator would: a private folder with a
/// database holding the shipped programs of `Curricula/` (loaded with `Registrar.loadLessonPlans`),
/// a small roster imported from a CSV written here, and two officers.
///
/// Call `remove()` in a `defer`.
///
/// The roster: school 0202 has classes 8A (1001 Amara Okafor, 1002 Li Wei, 1003 José García,
/// 1004 Sam Lee) and 8B (2001 Sam Lee — another student of the same name — and 2002 Noah Smith);
/// school 0303 has class 9H (3001 Mei Chen). Officer ofc-101 (Dana Reyes) is certified until
/// 2030; ofc-102 (Marcus Johnson)'s certification lapsed on 2025-01-31.
struct TermFixture {
    /// The repository's root folder, found from this file's place in it.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // BridgesKitTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static var curricula: String { repositoryRoot.appendingPathComponent("Tests/Fixtures/FirstEditionCurricula").path }

    static let rosterHeader = "school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade"

    static let rosterRows = [
        "0202,Riverside Middle School,8A,Grade 8 Health A,1001,Amara,Okafor,8",
        "0202,Riverside Middle School,8A,Grade 8 Health A,1002,Li,Wei,8",
        "0202,Riverside Middle School,8A,Grade 8 Health A,1003,José,García,8",
        "0202,Riverside Middle School,8A,Grade 8 Health A,1004,Sam,Lee,8",
        "0202,Riverside Middle School,8B,Grade 8 Health B,2001,Sam,Lee,8",
        "0202,Riverside Middle School,8B,Grade 8 Health B,2002,Noah,Smith,8",
        "0303,Lakeview High School,9H,Grade 9 Health,3001,Mei,Chen,9",
    ]

    static var roster: String { ([rosterHeader] + rosterRows).joined(separator: "\r\n") + "\r\n" }

    /// Each class's students, by id.
    static let classes = ["8A": ["1001", "1002", "1003", "1004"], "8B": ["2001", "2002"], "9H": ["3001"]]

    let folder: URL
    let records: Registrar
    /// The clock `records` reads: the system's until a test sets a day.
    let clock: TestClock
    /// The database file, for the tests that look at it as a file.
    let databasePath: String

    /// A new folder, and in it `term.sqlite` holding the shipped programs, the roster and the
    /// officers.
    init() async throws {
        self = try await newTestFolder("BridgesKitTests") { try await Self(in: $0) }
    }

    private init(in folder: URL) async throws {
        self.folder = folder
        clock = TestClock()
        let database = folder.appendingPathComponent("term.sqlite")
        if TestStore.isPostgres {
            // A PostgreSQL schema cannot be copied as a file: each test sets its own up.
            try await Self.setUp(databasePath: database.path, in: folder)
        } else {
            // Setting up takes a while (twenty lesson plans checked against the schema); it is
            // done once, and each test starts from a copy.
            try await Self.template.value().write(to: database)
            _ = chmod(database.path, 0o600)
        }
        databasePath = database.path
        records = try await Registrar(testDatabase(database.path, clock: clock.wallClock))
    }

    /// The set-up database's bytes, built the first time a test asks for them.
    private static let template = OnceBuilt<Data> {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("BridgesKitTests-template-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("term.sqlite").path
        try await setUp(databasePath: path, in: folder)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// Loads the shipped programs, imports the roster and adds the officers, then closes the
    /// database (so that its file alone holds everything).
    private static func setUp(databasePath: String, in folder: URL) async throws {
        let records = try await Registrar(testDatabase(databasePath))
        _ = try await records.loadLessonPlans(paths: [curricula], caller: .local("coordinator"), processors: 2)
        let roster = folder.appendingPathComponent("roster.csv")
        try Data(Self.roster.utf8).write(to: roster)
        _ = try await records.importRoster(path: roster.path, caller: .local("registrar"))
        _ = try await records.saveOfficer(id: "ofc-101", name: "Dana Reyes", agency: "Riverside Police Department", certifiedUntil: "2030-06-30", caller: .local("coordinator"))
        _ = try await records.saveOfficer(id: "ofc-102", name: "Marcus Johnson", agency: "County Sheriff's Office", certifiedUntil: "2025-01-31", caller: .local("coordinator"))
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    func path(_ relative: String) -> String { folder.appendingPathComponent(relative).path }

    /// Writes `text` to `relative` in the folder (making folders on the way) and returns its path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Imports the roster again with more rows (a student who joined the class).
    func importRoster(adding rows: [String]) async throws {
        let text = ([Self.rosterHeader] + Self.rosterRows + rows).joined(separator: "\r\n") + "\r\n"
        _ = try await records.importRoster(path: try write("roster-2.csv", text), caller: .local("registrar"))
    }

    /// Logs a session; everyone not named is `others` (present unless told).
    @discardableResult
    func log(
        _ lesson: String, class classID: String = "8A", on date: String, officer: String = "ofc-101", minutes: Int? = nil,
        present: [String] = [], late: [String] = [], absent: [String] = [], excused: [String] = [],
        others: AttendanceStatus? = .present, note: String? = nil, actor: String = "dana.reyes"
    ) async throws -> Int64 {
        try await records.logSession(
            lessonID: lesson, classID: classID, officerID: officer, date: date, minutes: minutes,
            present: present, late: late, absent: absent, excused: excused, others: others, sheet: nil, note: note, caller: .local(actor)).id
    }

    /// The quiz of a stored lesson (its latest version unless told).
    func quiz(_ lesson: String, version: Int? = nil) async throws -> Quiz {
        let stored = try #require(try await records.lesson(id: lesson, version: version), "lesson \(lesson) is not stored")
        return try #require(stored.lesson.quiz, "lesson \(lesson) has no quiz")
    }

    /// Answers in the `--answers` form with the first `right` questions answered correctly and
    /// the rest wrongly (all right when `right` is nil).
    func answers(_ lesson: String, right: Int? = nil, version: Int? = nil) async throws -> String {
        await Self.answers(try quiz(lesson, version: version), right: right)
    }

    static func answers(_ quiz: Quiz, right: Int? = nil) -> String {
        quiz.questions.enumerated().map { index, question in
            let correct = index < (right ?? quiz.questions.count)
            let answer: String
            switch question.kind {
            case .single, .multiple:
                let rightIDs = question.choices.filter(\.correct).map(\.id)
                let wrongIDs = question.choices.filter { !$0.correct }.map(\.id)
                if correct {
                    answer = rightIDs.joined(separator: "+")
                } else if let wrong = wrongIDs.first {
                    answer = wrong
                } else {
                    answer = rightIDs.dropFirst().joined(separator: "+")  // a subset of an all-correct set
                }
            case .trueFalse:
                let key = question.answers.first?.lowercased() ?? "true"
                answer = correct ? key : (key == "true" ? "false" : "true")
            case .short:
                answer = correct ? (question.answers.first { !$0.contains(",") } ?? "") : "no idea"
            }
            return "\(question.id)=\(answer)"
        }.joined(separator: ",")
    }

    /// Records one attempt at a session's quiz, every answer right (or the first `right`).
    @discardableResult
    func takeQuiz(session: Int64, student: String, lesson: String, right: Int? = nil) async throws -> QuizAttemptResult {
        let results = try await records.recordQuiz(session: session, student: student, answers: try answers(lesson, right: right), caller: .local("dana.reyes"))
        return try #require(results.first)
    }

    /// The required lessons of a shipped program, in teaching order.
    func requiredLessons(_ program: String) async throws -> [String] {
        let stored = try #require(try await records.programs().first { $0.id == program })
        return stored.requiredLessonIDs
    }

    /// A copy of a shipped program folder in the test's folder, so a test can change a lesson
    /// (`first-aid-v2/…`).
    func copyProgram(_ program: String, to relative: String) throws -> String {
        let source = URL(fileURLWithPath: Self.curricula).appendingPathComponent(program)
        let target = folder.appendingPathComponent(relative)
        try FileManager.default.copyItem(at: source, to: target)
        return target.path
    }
}

/// Runs `body`, which must throw a `BridgesError`, and returns it for the test to look at.
func bridgesError<T>(
    _ body: () async throws -> T, sourceLocation: Testing.SourceLocation = #_sourceLocation
) async -> BridgesError? {
    do {
        _ = try await body()
        Issue.record("expected an error, but it succeeded", sourceLocation: sourceLocation)
        return nil
    } catch let error as BridgesError {
        return error
    } catch {
        Issue.record("expected a BridgesError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

extension BridgesError {
    /// Everything it says: the description and each diagnostic, one per line.
    var fullText: String {
        if case .invalidInput(let diagnostics) = self {
            return (diagnostics.map(\.description) + [description]).joined(separator: "\n")
        }
        return description
    }

    var diagnostics: [Diagnostic] {
        if case .invalidInput(let diagnostics) = self { return diagnostics }
        return []
    }
}

/// A date written in a test, known to be real.
func termDay(_ text: String) -> SchoolDate {
    guard let date = SchoolDate(text) else { preconditionFailure("\(text) is not a date") }
    return date
}

/// Makes a new folder `PREFIX-UUID` in the temporary folder and hands it to `setUp`. A set-up that
/// fails leaves no fixture whose `remove()` a test could call, so the folder is removed here then.
func newTestFolder<Fixture>(_ prefix: String, _ setUp: (URL) async throws -> Fixture) async throws -> Fixture {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
    do {
        return try await setUp(folder)
    } catch {
        try? FileManager.default.removeItem(at: folder)
        throw error
    }
}

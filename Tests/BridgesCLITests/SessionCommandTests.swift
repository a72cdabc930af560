import BridgesKit
import BridgesTestSupport
import Foundation
import Testing

/// A folder for one test of the session, quiz and certificate commands, holding `term.sqlite`
/// with the shipped programs of `Curricula/`, a small roster and two officers.
///
/// The roster: school 0202 has classes 8A (1001 Amara Okafor, 1002 Li Wei, 1003 José García,
/// 1004 Sam Lee) and 8B (2001 Sam Lee — another student of the same name — and 2002 Noah Smith).
/// Officer ofc-101 (Dana Reyes) is certified until 2030; ofc-102 (Marcus Johnson)'s certification
/// lapsed on 2025-01-31. The database is set up once through BridgesKit (the whole-term test does
/// the same through the binary) and each test starts from a copy.
enum CLITerm {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // BridgesCLITests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static var curricula: String { repositoryRoot.appendingPathComponent("Tests/Fixtures/FirstEditionCurricula").path }

    static let rosterCSV = """
        school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade\r
        0202,Riverside Middle School,8A,Grade 8 Health A,1001,Amara,Okafor,8\r
        0202,Riverside Middle School,8A,Grade 8 Health A,1002,Li,Wei,8\r
        0202,Riverside Middle School,8A,Grade 8 Health A,1003,José,García,8\r
        0202,Riverside Middle School,8A,Grade 8 Health A,1004,Sam,Lee,8\r
        0202,Riverside Middle School,8B,Grade 8 Health B,2001,Sam,Lee,8\r
        0202,Riverside Middle School,8B,Grade 8 Health B,2002,Noah,Smith,8\r

        """

    /// The set-up database's bytes, made the first time a test asks.
    private static let template = OnceBuilt<Data> {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("roster.csv", rosterCSV)
        let path = folder.path("term.sqlite")
        do {
            let records = try await Registrar(testDatabase(path))
            _ = try await records.loadLessonPlans(paths: [curricula], caller: .local("coordinator"), processors: 2)
            _ = try await records.importRoster(path: folder.path("roster.csv"), caller: .local("registrar"))
            _ = try await records.saveOfficer(id: "ofc-101", name: "Dana Reyes", agency: "Riverside Police Department", certifiedUntil: "2030-06-30", caller: .local("coordinator"))
            _ = try await records.saveOfficer(id: "ofc-102", name: "Marcus Johnson", agency: "County Sheriff's Office", certifiedUntil: "2025-01-31", caller: .local("coordinator"))
        }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// A new folder with `term.sqlite` set up (readable by its owner only, as bridges makes it).
    static func folder() async throws -> TemporaryFolder {
        return try await TemporaryFolder.prepared { folder in
            try folder.write("term.sqlite", bytes: Array(try await template.value()))
            _ = chmod(folder.path("term.sqlite"), 0o600)
        }
    }

    /// A copy of a shipped program in `folder` at `relative`, for a test to change.
    static func copyProgram(_ program: String, to relative: String, in folder: TemporaryFolder) throws {
        let target = folder.url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: curricula).appendingPathComponent(program), to: target)
    }

    /// Runs `bridges arguments… --db term.sqlite` in `folder` (no `--db` is added when the
    /// arguments name one).
    static func run(_ arguments: [String], in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation) throws -> BridgesProcess.Outcome {
        let outcome = try BridgesProcess.run(arguments.contains("--db") ? arguments : arguments + ["--db", "term.sqlite"], in: folder, sourceLocation: sourceLocation)
        #expect(!outcome.timedOut, "bridges \(arguments.joined(separator: " ")) hung", sourceLocation: sourceLocation)
        #expect(!outcome.crashed, "bridges \(arguments.joined(separator: " ")) crashed: \(outcome)", sourceLocation: sourceLocation)
        return outcome
    }

    /// The cells of a text table's lines (columns are two or more spaces apart), header first.
    static func table(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { line in
            line.trimmingCharacters(in: .whitespaces)
                .replacingOccurrences(of: #" {2,}"#, with: "\u{1F}", options: .regularExpression)
                .split(separator: "\u{1F}").map(String.init)
        }
    }

    /// The answers to fa-scene-safety's quiz, all right: q1 single, q2 multiple, q3 true-false,
    /// q4 short, q5 true-false, q6 single; one point each, pass at 70 %.
    static let sceneSafetyRight = "q1=b,q2=a+b+c+e,q3=true,q4=tap,q5=true,q6=a"
    /// Three of six right.
    static let sceneSafetyHalf = "q1=b,q2=a+b+c+e,q3=true,q4=run,q5=false,q6=b"
}

/// `bridges session …` and `bridges quiz record` end to end (cli.md, "Sessions and quizzes").
@Suite("bridges session and quiz", .timeLimit(.minutes(2)))
struct SessionCommandTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try CLITerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    /// Logs fa-scene-safety for 8A on `date`, everyone present unless told; returns the id.
    func logScene(on date: String = "2025-09-08", _ more: [String] = ["--others", "present"], in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
        let outcome = try CLITerm.run(
            ["session", "log", "--lesson", "fa-scene-safety", "--class", "8A", "--officer", "ofc-101", "--date", date, "--actor", "dana.reyes"] + more,
            in: folder, sourceLocation: sourceLocation)
        try #require(outcome.status == 0, "\(outcome)", sourceLocation: sourceLocation)
        return outcome.standardOutput.trimmingCharacters(in: .newlines)
    }

    func sessionList(in folder: TemporaryFolder, _ filters: String...) throws -> [[String]] {
        let outcome = try CLITerm.run(["session", "list"] + filters, in: folder, sourceLocation: #_sourceLocation)
        #expect(outcome.status == 0, "\(outcome)")
        return Array(CLITerm.table(outcome.standardOutput).dropFirst())
    }

    // MARK: log

    @Test func loggingPrintsOnlyTheNewSessionsIdOnStandardOutput() async throws {
        // Given the term's database
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        // When a session is logged
        let outcome = try bridges("session", "log", "--lesson", "fa-scene-safety", "--class", "8A", "--officer", "ofc-101", "--date", "2025-09-08",
                                  "--late", "1002", "--absent", "1003,1004", "--others", "present", in: folder)
        // Then standard output is the id alone, so id=$(bridges session log …) works, and people read the rest on standard error
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput == "1\n")
        // (The term's programs were loaded today, so a 2025 date is also said to predate them:
        // SessionCorrectionTests holds that warning.)
        #expect(outcome.errorLines.filter { !$0.contains("was first loaded here") } == ["logged session 1: fa-scene-safety v1, class 8A, 2025-09-08, 45 min; 1 present, 1 late, 2 absent, 0 excused"])
        // And a second one gets the next id
        #expect(try logScene(on: "2025-09-09", in: folder) == "2")
    }

    @Test func everyEnrolledStudentGetsExactlyOneStatus() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let id = try logScene(["--present", "1001", "--late", "1002", "--absent", "1003", "--excused", "1004"], in: folder)
        let show = try bridges("session", "show", id, in: folder)
        let rows = CLITerm.table(show.standardOutput).filter { ["1001", "1002", "1003", "1004"].contains($0.first ?? "") }
        // one line each, by family name: García, Lee, Okafor, Wei
        #expect(rows.map { [$0[0], $0[1], $0[4]] } == [["1003", "García", "absent"], ["1004", "Lee", "excused"], ["1001", "Okafor", "present"], ["1002", "Wei", "late"]], "\(show)")
        #expect(show.standardOutput.contains("STUDENTS — 1 present, 1 late, 1 absent, 1 excused"))
    }

    @Test func studentsLeftUnnamedWithoutOthersAreRefusedByNameAndNothingIsWritten() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let outcome = try bridges("session", "log", "--lesson", "fa-scene-safety", "--class", "8A", "--officer", "ofc-101", "--date", "2025-09-08",
                                  "--present", "1001,1002", in: folder)
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.standardOutput == "")
        #expect(outcome.standardError.contains("2 enrolled students have no status: 1003 (José García), 1004 (Sam Lee)"), "\(outcome)")
        #expect(outcome.standardError.contains("--others"))
        #expect(try sessionList(in: folder).isEmpty)
    }

    @Test func aSheetGivesTheStatusesAndABadLineIsNamed() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        // Given a register naming 8A's four students
        try folder.write("register.csv", "student_id,status\n1001,present\n1002,late\n1003,absent\n1004,excused\n")
        let good = try bridges("session", "log", "--lesson", "fa-scene-safety", "--class", "8A", "--officer", "ofc-101", "--date", "2025-09-08",
                               "--sheet", "register.csv", in: folder)
        #expect(good.status == 0, "\(good)")
        #expect(good.standardError.contains("1 present, 1 late, 1 absent, 1 excused"), "\(good)")
        // And a register with a status that does not exist, on its third line
        try folder.write("bad.csv", "student_id,status\n1001,present\n1002,sick\n")
        let bad = try bridges("session", "log", "--lesson", "fa-bleeding", "--class", "8A", "--officer", "ofc-101", "--date", "2025-09-08",
                              "--sheet", "bad.csv", "--others", "present", in: folder)
        #expect(bad.status == 65, "\(bad)")
        #expect(bad.errorLines.first?.hasPrefix("bad.csv:3: error: 'sick' is not a status") == true, "\(bad)")
        #expect(try sessionList(in: folder).count == 1)
    }

    @Test func aStudentNotEnrolledOrGivenTwoStatusesIsRefused() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let stranger = try bridges("session", "log", "--lesson", "fa-scene-safety", "--class", "8A", "--officer", "ofc-101", "--date", "2025-09-08",
                                   "--absent", "2001", "--others", "present", in: folder)
        #expect(stranger.status == 65, "\(stranger)")
        #expect(stranger.standardError.contains("not enrolled in this class: 2001"), "\(stranger)")
        let twice = try bridges("session", "log", "--lesson", "fa-scene-safety", "--class", "8A", "--officer", "ofc-101", "--date", "2025-09-08",
                                "--present", "1002", "--absent", "1002", "--others", "present", in: folder)
        #expect(twice.status == 65, "\(twice)")
        #expect(twice.standardError.contains("student 1002 is given present and absent"), "\(twice)")
        #expect(try sessionList(in: folder).isEmpty)
    }

    @Test func theSameLessonClassAndDateTwiceIsRefusedNamingTheSessionUntilItIsVoided() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let first = try logScene(in: folder)
        // When logged again
        let again = try bridges("session", "log", "--lesson", "fa-scene-safety", "--class", "8A", "--officer", "ofc-101", "--date", "2025-09-08", "--others", "absent", in: folder)
        // Then refused, naming the session
        #expect(again.status == 65, "\(again)")
        #expect(again.standardOutput == "")
        #expect(again.standardError.contains("already logged for class 8A on 2025-09-08 as session \(first)"), "\(again)")
        // And once that session is voided, the slot is free
        #expect(try bridges("session", "void", first, "--reason", "wrong officer", in: folder).status == 0)
        #expect(try logScene(in: folder) == "2")
    }

    @Test func theLatestLessonVersionIsRecordedAndTheOldSessionKeepsItsVersion() async throws {
        // Given a session of fa-scene-safety version 1
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let old = try logScene(in: folder)
        // When version 2 is loaded
        try CLITerm.copyProgram("first-aid", to: "v2/first-aid", in: folder)
        let file = folder.path("v2/first-aid/fa-scene-safety.xml")
        try String(contentsOfFile: file, encoding: .utf8)
            .replacingOccurrences(of: #"program="first-aid" version="1""#, with: #"program="first-aid" version="2""#)
            .replacingOccurrences(of: "<title>Check the Scene, Check the Person</title>", with: "<title>Check the Scene First</title>")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let load = try bridges("lesson", "load", "v2/first-aid", in: folder)
        try #require(load.status == 0, "\(load)")
        // And the lesson is logged again
        let new = try logScene(on: "2025-09-15", in: folder)
        // Then the new session is version 2 and the old one still version 1
        let newShow = try bridges("session", "show", new, in: folder)
        #expect(newShow.standardOutput.contains("lesson:   Check the Scene First [fa-scene-safety version 2, program first-aid]"), "\(newShow)")
        let oldShow = try bridges("session", "show", old, in: folder)
        #expect(oldShow.standardOutput.contains("lesson:   Check the Scene, Check the Person [fa-scene-safety version 1, program first-aid]"), "\(oldShow)")
    }

    @Test func anUnknownLessonClassOrOfficerExits66() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        for (lesson, classID, officer, name) in [("fa-juggling", "8A", "ofc-101", "fa-juggling"), ("fa-burns", "12Z", "ofc-101", "12Z"), ("fa-burns", "8A", "ofc-999", "ofc-999")] {
            let outcome = try bridges("session", "log", "--lesson", lesson, "--class", classID, "--officer", officer, "--date", "2025-09-08", "--others", "present", in: folder)
            #expect(outcome.status == 66, "\(outcome)")
            #expect(outcome.standardError.contains(name), "\(outcome)")
            #expect(outcome.standardOutput == "")
        }
    }

    @Test func aBadDateExits64AndAFutureDate65() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let bad = try bridges("session", "log", "--lesson", "fa-burns", "--class", "8A", "--officer", "ofc-101", "--date", "2025-02-29", "--others", "present", in: folder)
        #expect(bad.status == 64, "\(bad)")
        #expect(bad.standardError.contains("YYYY-MM-DD"))
        let future = try #require(SchoolDate.today().adding(days: 2)).description
        let later = try bridges("session", "log", "--lesson", "fa-burns", "--class", "8A", "--officer", "ofc-101", "--date", future, "--others", "present", in: folder)
        #expect(later.status == 65, "\(later)")
        #expect(later.standardError.contains("future"), "\(later)")
        #expect(try sessionList(in: folder).isEmpty)
    }

    @Test func aLapsedOfficerIsWarnedOnStandardErrorAndTheSessionIsLogged() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let outcome = try bridges("session", "log", "--lesson", "fa-burns", "--class", "8A", "--officer", "ofc-102", "--date", "2025-09-08", "--others", "present", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput == "1\n")
        #expect(outcome.errorLines.first?.hasPrefix("warning: officer ofc-102's instructor certification ran until 2025-01-31") == true, "\(outcome)")
        #expect(try sessionList(in: folder).count == 1)
    }

    // MARK: list and show

    @Test func listingFiltersByClassProgramAndDates() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        _ = try logScene(on: "2025-09-08", in: folder)                                                           // 1
        #expect(try bridges("session", "log", "--lesson", "cr-escalation", "--class", "8B", "--officer", "ofc-101",
                            "--date", "2025-09-09", "--others", "present", in: folder).status == 0)             // 2
        _ = try logScene(on: "2025-09-15", in: folder)                                                           // 3
        #expect(try bridges("session", "log", "--lesson", "fa-burns", "--class", "8B", "--officer", "ofc-101",
                            "--date", "2025-09-16", "--others", "present", in: folder).status == 0)             // 4
        func ids(_ filters: String...) throws -> [String] {
            let outcome = try CLITerm.run(["session", "list"] + filters, in: folder, sourceLocation: #_sourceLocation)
            #expect(outcome.status == 0, "\(outcome)")
            return CLITerm.table(outcome.standardOutput).dropFirst().map { $0[0] }
        }
        #expect(try ids() == ["1", "2", "3", "4"])
        #expect(try ids("--class", "8A") == ["1", "3"])
        #expect(try ids("--program", "conflict-resolution") == ["2"])
        #expect(try ids("--program", "first-aid", "--class", "8B") == ["4"])
        #expect(try ids("--from", "2025-09-09") == ["2", "3", "4"])
        #expect(try ids("--to", "2025-09-09") == ["1", "2"])
        #expect(try ids("--from", "2025-09-09", "--to", "2025-09-15") == ["2", "3"])
        let header = try bridges("session", "list", "--class", "8A", in: folder).standardOutput.split(separator: "\n").first
        #expect(header?.hasPrefix("ID  DATE") == true)
        let none = try bridges("session", "list", "--class", "9Z", in: folder)
        #expect(none.status == 0 && none.standardOutput == "", "\(none)")
        #expect(try bridges("session", "list", "--from", "Sept 9", in: folder).status == 64)
    }

    @Test func showingASessionGivesEverythingRecordedAndEveryCorrection() async throws {
        // Given a session with a note and minutes, one quiz attempt, and a correction
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let id = try logScene(["--minutes", "40", "--late", "1002", "--absent", "1003", "--others", "present", "--note", "fire drill cut it short"], in: folder)
        #expect(try bridges("quiz", "record", "--session", id, "--student", "1001", "--answers", CLITerm.sceneSafetyRight, "--actor", "dana.reyes", in: folder).status == 0)
        let amend = try bridges("session", "amend", id, "--student", "1003", "--status", "late", "--reason", "arrived after the register; teacher confirmed", "--actor", "ms.alvarez", in: folder)
        #expect(amend.status == 0, "\(amend)")
        #expect(amend.standardOutput == "session \(id): student 1003 absent → late\n")
        // When shown
        let show = try bridges("session", "show", id, in: folder)
        #expect(show.status == 0, "\(show)")
        let text = show.standardOutput
        // Then it has the lesson and version, class, officer, date, minutes, note, who recorded it and when
        #expect(text.hasPrefix("Session \(id)\n"), "\(show)")
        #expect(text.contains("  lesson:   Check the Scene, Check the Person [fa-scene-safety version 1, program first-aid]"), "\(show)")
        #expect(text.contains("  class:    8A (school 0202)"))
        #expect(text.contains("  officer:  Dana Reyes [ofc-101]"))
        #expect(text.contains("  date:     2025-09-08, 40 minutes"))
        #expect(text.contains("  note:     fire drill cut it short"))
        #expect(text.range(of: #"  recorded: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ by dana\.reyes"#, options: .regularExpression) != nil, "\(show)")
        // And each student's status and quiz
        let rows = Dictionary(CLITerm.table(text).filter { $0.count >= 5 && ["1001", "1002", "1003", "1004"].contains($0[0]) }.map { ($0[0], $0) }, uniquingKeysWith: { a, _ in a })
        #expect(rows["1001"]?.dropFirst(4).first == "present")
        #expect(rows["1001"]?.last == "6/6 passed (1 attempt)", "\(show)")
        #expect(rows["1002"]?.last == "late")
        #expect(rows["1003"]?.last == "late")
        #expect(rows["1003"]?[1] == "García")
        #expect(text.contains("STUDENTS — 2 present, 2 late, 0 absent, 0 excused"), "\(show)")
        // And every correction: who, when, old → new, reason
        #expect(text.range(of: #"  \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ  ms\.alvarez  amend: status of 1003 absent → late — reason: arrived after the register; teacher confirmed"#, options: .regularExpression) != nil, "\(show)")
        #expect(text.contains("dana.reyes  log"))
        #expect(text.contains("dana.reyes  quiz"))
    }

    @Test func showingASessionThatDoesNotExistExits66() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let outcome = try bridges("session", "show", "42", in: folder)
        #expect(outcome.status == 66, "\(outcome)")
        #expect(outcome.standardError.contains("no session 42"))
    }

    // MARK: amend and void

    @Test func amendingNeedsAReasonAndRefusesVoidedSessionsAndStudentsWithQuizAttempts() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let id = try logScene(["--absent", "1003", "--others", "present"], in: folder)
        // No reason: a usage error
        #expect(try bridges("session", "amend", id, "--student", "1003", "--status", "present", in: folder).status == 64)
        #expect(try bridges("session", "amend", id, "--student", "1003", "--status", "present", "--reason", " ", in: folder).status == 64)
        // A bad status: a usage error
        #expect(try bridges("session", "amend", id, "--student", "1003", "--status", "gone", "--reason", "r", in: folder).status == 64)
        // A student with a quiz attempt cannot become absent
        #expect(try bridges("quiz", "record", "--session", id, "--student", "1001", "--answers", CLITerm.sceneSafetyRight, in: folder).status == 0)
        let attempted = try bridges("session", "amend", id, "--student", "1001", "--status", "absent", "--reason", "mistake", in: folder)
        #expect(attempted.status == 65, "\(attempted)")
        #expect(attempted.standardError.contains("1 quiz attempt"), "\(attempted)")
        // A voided session cannot be amended
        #expect(try bridges("session", "void", id, "--reason", "wrong class", in: folder).status == 0)
        let voided = try bridges("session", "amend", id, "--student", "1003", "--status", "present", "--reason", "arrived", in: folder)
        #expect(voided.status == 65, "\(voided)")
        #expect(voided.standardError.contains("voided"), "\(voided)")
        let show = try bridges("session", "show", id, in: folder).standardOutput
        #expect(!show.contains("amend"), "\(show)")
    }

    @Test func voidingNeedsAReasonKeepsItAndCannotBeDoneTwice() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let id = try logScene(in: folder)
        #expect(try bridges("session", "void", id, in: folder).status == 64)
        let void = try bridges("session", "void", id, "--reason", "logged for the wrong class", "--actor", "coordinator", in: folder)
        #expect(void.status == 0, "\(void)")
        #expect(void.standardOutput == "session \(id) voided\n")
        let again = try bridges("session", "void", id, "--reason", "again", in: folder)
        #expect(again.status == 65, "\(again)")
        let show = try bridges("session", "show", id, in: folder).standardOutput
        #expect(show.hasPrefix("Session \(id)  (VOIDED)"), "\(show)")
        #expect(show.range(of: #"  voided:   \S+ by coordinator: logged for the wrong class"#, options: .regularExpression) != nil, "\(show)")
        #expect(show.contains("coordinator  void: voided no → yes — reason: logged for the wrong class"), "\(show)")
        #expect(try sessionList(in: folder).first?.last == "voided")
    }

    // MARK: quizzes

    @Test func recordingAnswersMarksThemAndPrintsTheScore() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let id = try logScene(in: folder)
        // All right, typed loosely
        let right = try bridges("quiz", "record", "--session", id, "--student", "1001",
                                "--answers", "q1=B, q2=e+c+b+a, q3=TRUE, q4=  Tap  Their Shoulder, q5=true, q6=a", in: folder)
        #expect(right.status == 0, "\(right)")
        #expect(CLITerm.table(right.standardOutput) == [
            ["STUDENT", "POINTS", "SCORE", "RESULT", "ATTEMPT", "BEST"],
            ["1001", "6/6", "100%", "passed", "1", "100% passed"],
        ], "\(right)")
        // Four of six: a subset for the multiple, two choices for a single
        let four = try bridges("quiz", "record", "--session", id, "--student", "1002",
                               "--answers", "q1=a+b,q2=a+b,q3=true,q4=tap,q5=true,q6=a", in: folder)
        #expect(CLITerm.table(four.standardOutput).last == ["1002", "4/6", "66.7%", "not passed", "1", "66.7% not passed"], "\(four)")
    }

    @Test func everyAttemptIsKeptAndTheBestCounts() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let id = try logScene(in: folder)
        let first = try bridges("quiz", "record", "--session", id, "--student", "1001", "--answers", CLITerm.sceneSafetyHalf, in: folder)
        #expect(CLITerm.table(first.standardOutput).last == ["1001", "3/6", "50%", "not passed", "1", "50% not passed"], "\(first)")
        let second = try bridges("quiz", "record", "--session", id, "--student", "1001", "--answers", CLITerm.sceneSafetyRight, in: folder)
        #expect(CLITerm.table(second.standardOutput).last == ["1001", "6/6", "100%", "passed", "2", "100% passed"], "\(second)")
        let third = try bridges("quiz", "record", "--session", id, "--student", "1001", "--answers", CLITerm.sceneSafetyHalf, in: folder)
        #expect(CLITerm.table(third.standardOutput).last == ["1001", "3/6", "50%", "not passed", "3", "100% passed"], "\(third)")
        let show = try bridges("session", "show", id, in: folder).standardOutput
        #expect(show.contains("6/6 passed (3 attempts)"), "\(show)")
    }

    @Test func absentOrExcusedStudentsCannotHaveAttempts() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let id = try logScene(["--absent", "1003", "--excused", "1004", "--others", "present"], in: folder)
        for student in ["1003", "1004"] {
            let outcome = try bridges("quiz", "record", "--session", id, "--student", student, "--answers", CLITerm.sceneSafetyRight, in: folder)
            #expect(outcome.status == 65, "\(outcome)")
            #expect(outcome.standardError.contains("only students present or late can take its quiz"), "\(outcome)")
            #expect(outcome.standardOutput == "")
        }
    }

    @Test func aQuizSheetRecordsEachRowAndOneAbsentRowRecordsNothing() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let id = try logScene(["--absent", "1004", "--late", "1003", "--others", "present"], in: folder)
        // A sheet with an absent student on line 3
        try folder.write("quiz-bad.csv", "student_id,q1,q2,q3,q4,q5,q6\n1001,b,a+b+c+e,true,tap,true,a\n1004,b,a+b+c+e,true,tap,true,a\n1002,b,a,true,tap,true,a\n")
        let bad = try bridges("quiz", "record", "--session", id, "--sheet", "quiz-bad.csv", in: folder)
        #expect(bad.status == 65, "\(bad)")
        #expect(bad.errorLines.first?.hasPrefix("quiz-bad.csv:3: error: student 1004 was absent") == true, "\(bad)")
        #expect(bad.standardOutput == "")
        #expect(!(try bridges("session", "show", id, in: folder)).standardOutput.contains("attempt"))
        // The sheet without that row
        try folder.write("quiz.csv", "student_id,q1,q2,q3,q4,q5,q6\n1001,b,a+b+c+e,true,tap,true,a\n1003,b,a b,true,\"tap, shout\",true,a\n1002,b,a,true,tap,true,a\n")
        let good = try bridges("quiz", "record", "--session", id, "--sheet", "quiz.csv", in: folder)
        #expect(good.status == 0, "\(good)")
        #expect(CLITerm.table(good.standardOutput).dropFirst().map { [$0[0], $0[1], $0[4]] } == [["1001", "6/6", "1"], ["1003", "4/6", "1"], ["1002", "5/6", "1"]], "\(good)")
    }

    @Test func anUnknownQuestionOrChoiceIsRefused() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let id = try logScene(in: folder)
        let question = try bridges("quiz", "record", "--session", id, "--student", "1001", "--answers", "q1=b,q9=a", in: folder)
        #expect(question.status == 65, "\(question)")
        #expect(question.standardError.contains("the quiz has no question 'q9'"), "\(question)")
        let choice = try bridges("quiz", "record", "--session", id, "--student", "1001", "--answers", "q1=z", in: folder)
        #expect(choice.status == 65, "\(choice)")
        #expect(choice.standardError.contains("question 'q1' has no choice 'z'"), "\(choice)")
        let neither = try bridges("quiz", "record", "--session", id, "--student", "1001", in: folder)
        #expect(neither.status == 64, "\(neither)")
        #expect(!(try bridges("session", "show", id, in: folder)).standardOutput.contains("attempt"))
    }

    // MARK: import

    static let importHeader = "session_id,session_date,program_id,lesson_id,lesson_version,lesson_title,school_id,class_id,officer_id,officer_name,minutes,student_id,family_name,given_name,grade,status,recorded_at,recorded_by"

    @Test func importingIsAllOrNothingNamesEveryBadLineAndASecondRunAddsNothing() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        // Given an officer's laptop file with two bad lines among good ones
        try folder.write("laptop.csv", [
            Self.importHeader,
            "9,2025-09-08,first-aid,fa-burns,1,Burns,0202,8A,ofc-101,Dana Reyes,45,1001,Okafor,Amara,8,present,2025-09-08T14:00:00Z,laptop",
            "9,2025-09-08,first-aid,fa-burns,1,Burns,0202,8A,ofc-101,Dana Reyes,45,1002,Wei,Li,8,sick,2025-09-08T14:00:00Z,laptop",
            "9,2025-09-08,first-aid,fa-burns,1,Burns,0202,8A,ofc-101,Dana Reyes,45,1003,García,José,8,late,2025-09-08T14:00:00Z,laptop",
            "9,2025-09-08,first-aid,fa-burns,1,Burns,0202,8A,ofc-101,Dana Reyes,45,1001,Okafor,Amara,8,absent,2025-09-08T14:00:00Z,laptop",
        ].joined(separator: "\r\n") + "\r\n")
        // When imported
        let bad = try bridges("session", "import", "laptop.csv", in: folder)
        // Then every bad line is named, and nothing is written
        #expect(bad.status == 65, "\(bad)")
        #expect(bad.errorLines.count == 3, "\(bad)")
        #expect(bad.errorLines.first?.hasPrefix("laptop.csv:3: error: status 'sick' is not a status") == true, "\(bad)")
        #expect(bad.errorLines.dropFirst().first?.hasPrefix("laptop.csv:5: error: student 1001 is absent here but present") == true, "\(bad)")
        #expect(bad.errorLines.last == "error: 2 errors in the input; nothing was written")
        #expect(try sessionList(in: folder).isEmpty)
        // When the file is fixed and imported, a dry run first
        try folder.write("laptop.csv", [
            Self.importHeader,
            "9,2025-09-08,first-aid,fa-burns,1,Burns,0202,8A,ofc-101,Dana Reyes,45,1001,Okafor,Amara,8,present,2025-09-08T14:00:00Z,laptop",
            "9,2025-09-08,first-aid,fa-burns,1,Burns,0202,8A,ofc-101,Dana Reyes,45,1002,Wei,Li,8,absent,2025-09-08T14:00:00Z,laptop",
            "9,2025-09-08,first-aid,fa-burns,1,Burns,0202,8A,ofc-101,Dana Reyes,45,1003,García,José,8,late,2025-09-08T14:00:00Z,laptop",
        ].joined(separator: "\r\n") + "\r\n")
        let dry = try bridges("session", "import", "laptop.csv", "--dry-run", in: folder)
        #expect(dry.status == 0, "\(dry)")
        #expect(dry.standardOutput == "3 rows: sessions 1 new, 0 matched; marks 3 added, 0 unchanged (dry run: nothing was written)\n")
        #expect(try sessionList(in: folder).isEmpty)
        let real = try bridges("session", "import", "laptop.csv", in: folder)
        #expect(real.standardOutput == "3 rows: sessions 1 new, 0 matched; marks 3 added, 0 unchanged\n", "\(real)")
        // Then importing it again adds nothing
        let again = try bridges("session", "import", "laptop.csv", in: folder)
        #expect(again.standardOutput == "3 rows: sessions 0 new, 1 matched; marks 0 added, 3 unchanged\n", "\(again)")
        let show = try bridges("session", "show", "1", in: folder).standardOutput
        #expect(show.contains("recorded: 2025-09-08T14:00:00Z by laptop"), "\(show)")
    }
}

import BridgesKit
import Foundation
import Testing

/// `session amend` beyond one student's status (date, officer, minutes, lesson version), and
/// what `session log` and `session import` say when a record is possible but probably wrong.
@Suite("Session corrections and warnings")
struct SessionCorrectionTests {
    private func log(_ folder: TemporaryFolder, lesson: String = "fa-scene-safety", date: String = "2026-11-02", sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
        let outcome = try CLITerm.run(["session", "log", "--lesson", lesson, "--class", "8A", "--officer", "ofc-101", "--date", date, "--others", "present"],
                                      in: folder, sourceLocation: sourceLocation)
        #expect(outcome.status == 0, "\(outcome)", sourceLocation: sourceLocation)
        return outcome.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("amend corrects the date, officer and minutes together, each audited with the reason")
    func amendsSeveralFields() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let id = try log(folder)
        let amended = try CLITerm.run(["session", "amend", id, "--date", "2026-11-03", "--officer", "ofc-102", "--minutes", "40",
                                       "--reason", "logged from the wrong day's sheet", "--actor", "coordinator"], in: folder, sourceLocation: #_sourceLocation)
        #expect(amended.status == 0, "\(amended)")
        #expect(amended.standardOutput.contains("session \(id): date 2026-11-02 → 2026-11-03"))
        #expect(amended.standardOutput.contains("session \(id): officer ofc-101 → ofc-102"))
        #expect(amended.standardOutput.contains("minutes"))
        let shown = try CLITerm.run(["session", "show", id], in: folder, sourceLocation: #_sourceLocation)
        #expect(shown.standardOutput.contains("2026-11-03"))
        #expect(shown.standardOutput.contains("ofc-102"))
        #expect(shown.standardOutput.contains("logged from the wrong day's sheet"))
        #expect(shown.standardOutput.contains("2026-11-02"), "the old date stays in the trail")
        let listed = try CLITerm.run(["session", "list", "--from", "2026-11-03", "--to", "2026-11-03"], in: folder, sourceLocation: #_sourceLocation)
        #expect(listed.standardOutput.contains("fa-scene-safety"))
    }

    @Test("amending the date onto a day the lesson is already logged for the class is refused, and nothing changes")
    func amendKeepsTheDuplicateRule() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let first = try log(folder, date: "2026-11-02")
        let second = try log(folder, date: "2026-11-09")
        let refused = try CLITerm.run(["session", "amend", second, "--date", "2026-11-02", "--minutes", "30", "--reason", "typo"], in: folder, sourceLocation: #_sourceLocation)
        #expect(refused.status == 65, "\(refused)")
        #expect(refused.standardError.contains("session \(first) already records"))
        let shown = try CLITerm.run(["session", "show", second], in: folder, sourceLocation: #_sourceLocation)
        #expect(shown.standardOutput.contains("2026-11-09"))
        #expect(!shown.standardOutput.contains("typo"), "nothing of a refused correction is kept")
    }

    @Test("a correction refused part way keeps nothing of the fields before the refusal")
    func amendIsAllOrNothing() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let id = try log(folder)
        let before = try CLITerm.run(["session", "show", id], in: folder, sourceLocation: #_sourceLocation)
        let student = try CLITerm.run(["session", "amend", id, "--minutes", "12", "--student", "999999", "--status", "excused", "--reason", "typo"],
                                      in: folder, sourceLocation: #_sourceLocation)
        #expect(student.status == 65, "\(student)")
        let officer = try CLITerm.run(["session", "amend", id, "--date", "2026-10-30", "--officer", "nobody", "--reason", "typo"],
                                      in: folder, sourceLocation: #_sourceLocation)
        #expect(officer.status == 66, "\(officer)")
        let after = try CLITerm.run(["session", "show", id], in: folder, sourceLocation: #_sourceLocation)
        #expect(after.standardOutput == before.standardOutput, "\(after)")
        #expect(!after.standardOutput.contains("typo"))
    }

    @Test("amend refuses an unknown officer, an unstored lesson version, a future date and an empty correction")
    func amendRefusesBadValues() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let id = try log(folder)
        let officer = try CLITerm.run(["session", "amend", id, "--officer", "ofc-999", "--reason", "r"], in: folder, sourceLocation: #_sourceLocation)
        #expect(officer.status == 66, "\(officer)")
        let version = try CLITerm.run(["session", "amend", id, "--lesson-version", "9", "--reason", "r"], in: folder, sourceLocation: #_sourceLocation)
        #expect(version.status == 66, "\(version)")
        #expect(version.standardError.contains("no version 9"))
        let future = try CLITerm.run(["session", "amend", id, "--date", "2999-01-01", "--reason", "r"], in: folder, sourceLocation: #_sourceLocation)
        #expect(future.status == 65, "\(future)")
        let nothing = try CLITerm.run(["session", "amend", id, "--reason", "r"], in: folder, sourceLocation: #_sourceLocation)
        #expect(nothing.status == 64, "\(nothing)")
        #expect(nothing.standardError.contains("--date"))
        let half = try CLITerm.run(["session", "amend", id, "--student", "1001", "--reason", "r"], in: folder, sourceLocation: #_sourceLocation)
        #expect(half.status == 64, "\(half)")
    }

    @Test("a status change for a student with quiz attempts says to void the attempts first, and how")
    func statusChangeWithAttemptsSaysHow() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let id = try log(folder, lesson: "fa-bleeding")
        let quiz = try CLITerm.run(["quiz", "record", "--session", id, "--student", "1001", "--answers", "q1=a"], in: folder, sourceLocation: #_sourceLocation)
        #expect(quiz.status == 0, "\(quiz)")
        let refused = try CLITerm.run(["session", "amend", id, "--student", "1001", "--status", "absent", "--reason", "was not there"], in: folder, sourceLocation: #_sourceLocation)
        #expect(refused.status == 65, "\(refused)")
        #expect(refused.standardError.contains("bridges quiz void --session \(id) --student 1001"))
    }

    @Test("session log names the forgotten students with their names, not ids alone")
    func forgottenStudentsByName() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let outcome = try CLITerm.run(["session", "log", "--lesson", "fa-bleeding", "--class", "8A", "--officer", "ofc-101", "--date", "2026-11-02",
                                       "--present", "1001,1002"], in: folder, sourceLocation: #_sourceLocation)
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.standardError.contains("1003 (José García)"), "\(outcome)")
        #expect(outcome.standardError.contains("1004 (Sam Lee)"), "\(outcome)")
    }

    @Test("a lesson written for other grades is logged with a warning naming the grades")
    func gradeBandWarning() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        // personal-safety is written for K–5; class 8A is grade 8.
        let outcome = try CLITerm.run(["session", "log", "--lesson", "ps-trusted-adults", "--class", "8A", "--officer", "ofc-101", "--date", "2026-11-02",
                                       "--others", "present"], in: folder, sourceLocation: #_sourceLocation)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardError.contains("warning: lesson ps-trusted-adults is written for grades K–5"), "\(outcome)")
        #expect(outcome.standardError.contains("4 in grade 8"), "\(outcome)")
        let fitting = try CLITerm.run(["session", "log", "--lesson", "fa-bleeding", "--class", "8A", "--officer", "ofc-101", "--date", SchoolDate.today().description,
                                       "--others", "present"], in: folder, sourceLocation: #_sourceLocation)
        #expect(!fitting.standardError.contains("warning:"), "\(fitting)")
    }

    @Test("a date before the program was loaded here is logged with a warning")
    func beforeProgramWarning() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        // The term's database loaded the programs today; 100 days ago is a season before that
        // (a week before is the normal catch-up of a school that has just started).
        let lastWeek = SchoolDate.today().adding(days: -100)!.description
        let quiet = try CLITerm.run(["session", "log", "--lesson", "fa-burns", "--class", "8A", "--officer", "ofc-101", "--date", SchoolDate.today().adding(days: -7)!.description,
                                     "--others", "present"], in: folder, sourceLocation: #_sourceLocation)
        #expect(quiet.status == 0 && !quiet.standardError.contains("warning:"), "\(quiet)")
        let outcome = try CLITerm.run(["session", "log", "--lesson", "fa-bleeding", "--class", "8A", "--officer", "ofc-101", "--date", lastWeek,
                                       "--others", "present"], in: folder, sourceLocation: #_sourceLocation)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardError.contains("before lesson fa-bleeding's program was first loaded here"), "\(outcome)")
    }

    @Test("a date years back is logged with a warning to check the year")
    func oldDateWarning() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let outcome = try CLITerm.run(["session", "log", "--lesson", "fa-bleeding", "--class", "8A", "--officer", "ofc-101", "--date", "1996-11-02",
                                       "--others", "present"], in: folder, sourceLocation: #_sourceLocation)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardError.contains("warning: the session's date 1996-11-02 is"), "\(outcome)")
        #expect(outcome.standardError.contains("years before today"), "\(outcome)")
    }

    @Test("session import creating a session that marks only some enrolled students names the others")
    func importWarnsAboutUnmarkedStudents() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        try folder.write("marks.csv", """
            session_date,lesson_id,lesson_version,class_id,officer_id,minutes,student_id,status\r
            2026-10-05,fa-bleeding,1,8A,ofc-101,50,1001,present\r
            2026-10-05,fa-bleeding,1,8A,ofc-101,50,1002,late\r
            2026-10-12,fa-burns,1,8B,ofc-101,45,2001,present\r
            2026-10-12,fa-burns,1,8B,ofc-101,45,2002,absent\r

            """)
        let outcome = try CLITerm.run(["session", "import", "marks.csv"], in: folder, sourceLocation: #_sourceLocation)
        #expect(outcome.status == 0, "\(outcome)")
        let warnings = outcome.errorLines.filter { $0.contains("warning:") }
        #expect(warnings.count == 1, "\(outcome)")
        #expect(warnings.first?.hasPrefix("marks.csv:2: warning:") == true, "\(outcome)")
        #expect(warnings.first?.contains("2 enrolled students without a status: 1003, 1004") == true, "\(outcome)")
        // A dry run says the same and keeps nothing.
        let folder2 = try await CLITerm.folder()
        defer { folder2.remove() }
        try folder2.write("marks.csv", try String(contentsOfFile: folder.path("marks.csv"), encoding: .utf8))
        let dry = try CLITerm.run(["session", "import", "marks.csv", "--dry-run"], in: folder2, sourceLocation: #_sourceLocation)
        #expect(dry.status == 0, "\(dry)")
        #expect(dry.errorLines.contains { $0.contains("warning:") && $0.contains("1003, 1004") }, "\(dry)")
    }
}

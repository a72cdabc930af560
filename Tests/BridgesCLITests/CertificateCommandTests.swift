import BridgesKit
import Foundation
import Testing

extension CLITerm {
    /// The right answers to the quizzes of first-aid's six required lessons, in teaching order.
    static let firstAid: [(lesson: String, answers: [(question: String, answer: String)])] = [
        ("fa-scene-safety", [("q1", "b"), ("q2", "a+b+c+e"), ("q3", "true"), ("q4", "tap"), ("q5", "true"), ("q6", "a")]),
        ("fa-calling-for-help", [("q1", "b"), ("q2", "911"), ("q3", "false"), ("q4", "a+b+c+d"), ("q5", "b")]),
        ("fa-bleeding", [("q1", "b"), ("q2", "false"), ("q3", "a+b+c"), ("q4", "b"), ("q5", "b")]),
        ("fa-burns", [("q1", "10 minutes"), ("q2", "a+b+c+e"), ("q3", "true"), ("q4", "b"), ("q5", "false")]),
        ("fa-recovery-position", [("q1", "b"), ("q2", "false"), ("q3", "10 seconds"), ("q4", "a+b+d"), ("q5", "b")]),
        ("fa-head-neck-back", [("q1", "false"), ("q2", "a+b+c"), ("q3", "b"), ("q4", "sit it out"), ("q5", "b")]),
    ]

    /// `q1=b,q2=…`, every answer right.
    static func rightAnswers(_ lesson: String) -> String {
        (firstAid.first { $0.lesson == lesson }?.answers ?? []).map { "\($0.question)=\($0.answer)" }.joined(separator: ",")
    }

    /// A quiz sheet: `student_id,q1,…`, then one row per student with every answer right.
    static func rightSheet(_ lesson: String, students: [String]) -> String {
        let answers = firstAid.first { $0.lesson == lesson }?.answers ?? []
        let header = (["student_id"] + answers.map(\.question)).joined(separator: ",")
        return ([header] + students.map { ([$0] + answers.map(\.answer)).joined(separator: ",") }).joined(separator: "\n") + "\n"
    }

    /// Teaches first aid's six lessons to 8A, a week apart from `start`, everyone present and
    /// passing; through BridgesKit, to set up what the certificate commands read.
    static func teachFirstAid(in folder: TemporaryFolder, from start: String) async throws {
        let records = try await Registrar(testDatabase(folder.path("term.sqlite")))
        var day = try #require(SchoolDate(start))
        for (lesson, _) in firstAid {
            let id = try await records.logSession(
                lessonID: lesson, classID: "8A", officerID: "ofc-101", date: day.description, minutes: nil,
                present: [], late: [], absent: [], excused: [], others: .present, sheet: nil, note: nil, caller: .local("dana.reyes")).id
            for student in ["1001", "1002", "1003", "1004"] {
                _ = try await records.recordQuiz(session: id, student: student, answers: rightAnswers(lesson), caller: .local("dana.reyes"))
            }
            day = try #require(day.adding(days: 7))
        }
    }
}

/// `bridges certificate …` end to end (cli.md, "Certificates").
@Suite("bridges certificate", .timeLimit(.minutes(2)))
struct CertificateCommandTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try CLITerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    /// The rows of `certificate list` (without the header), and the codes in its first column.
    func list(_ folder: TemporaryFolder, _ filters: String...) throws -> [[String]] {
        let outcome = try CLITerm.run(["certificate", "list"] + filters, in: folder, sourceLocation: #_sourceLocation)
        #expect(outcome.status == 0, "\(outcome)")
        return Array(CLITerm.table(outcome.standardOutput).dropFirst())
    }

    /// A folder where 8A has been taught first aid (1 September to 6 October 2025) and certified
    /// as of 10 October 2025.
    func certifiedTerm() async throws -> TemporaryFolder {
        let folder = try await CLITerm.folder()
        try await CLITerm.teachFirstAid(in: folder, from: "2025-09-01")
        let issue = try bridges("certificate", "issue", "--program", "first-aid", "--as-of", "2025-10-10", in: folder)
        try #require(issue.status == 0, "\(issue)")
        return folder
    }

    @Test func issuingPrintsHowManyDatesThemAsOfAndASecondRunIssuesNone() async throws {
        // Given 8A taught all of first aid
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        try await CLITerm.teachFirstAid(in: folder, from: "2025-09-01")
        // When certificates are issued as of 10 October 2025
        let first = try bridges("certificate", "issue", "--as-of", "2025-10-10", "--actor", "coordinator", in: folder)
        // Then four are issued, said on standard output; the per-program detail is on standard error
        #expect(first.status == 0, "\(first)")
        #expect(first.standardOutput == "issued 4 certificates\n")
        #expect(first.standardError.contains("first-aid: 4 issued, 0 already held a current one, 0 not yet eligible"), "\(first)")
        // And they are dated 10 October 2025 and valid 24 months, through 9 October 2027
        let rows = try list(folder)
        #expect(rows.count == 4)
        for row in rows {
            #expect(row.count == 7, "\(row)")
            #expect(row[0].range(of: #"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$"#, options: .regularExpression) != nil, "\(row)")
            #expect(row[1] == "valid")
            #expect(row[2] == "first-aid")
            #expect(row[5] == "2025-10-10")
            #expect(row[6] == "2027-10-09")
        }
        #expect(Set(rows.map { $0[3] }) == ["1001", "1002", "1003", "1004"])
        #expect(rows.contains { $0[4] == "García, José" })
        // When issued again
        let second = try bridges("certificate", "issue", "--as-of", "2025-10-10", in: folder)
        // Then none are issued, because each student holds a current one
        #expect(second.status == 0, "\(second)")
        #expect(second.standardOutput == "issued 0 certificates\n")
        #expect(second.standardError.contains("first-aid: 0 issued, 4 already held a current one"), "\(second)")
        #expect(try list(folder).count == 4)
        #expect(try list(folder, "--program", "personal-safety").isEmpty)
    }

    @Test func issuingWithABadDateAFutureDateOrAnUnknownProgramIsRefused() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        #expect(try bridges("certificate", "issue", "--as-of", "10/10/2025", in: folder).status == 64)
        let future = try #require(SchoolDate.today().adding(days: 2)).description
        #expect(try bridges("certificate", "issue", "--as-of", future, in: folder).status == 65)
        let unknown = try bridges("certificate", "issue", "--program", "juggling", in: folder)
        #expect(unknown.status == 66, "\(unknown)")
        #expect(unknown.standardError.contains("juggling"))
    }

    @Test func verifyingACodeInLowerCaseWithoutDashesExitsZeroAndSaysWhoHoldsIt() async throws {
        let folder = try await certifiedTerm()
        defer { folder.remove() }
        let row = try #require(try list(folder).first { $0[3] == "1003" })
        let code = row[0]
        // When typed in lower case without the dashes
        let outcome = try bridges("certificate", "verify", code.lowercased().replacingOccurrences(of: "-", with: ""), in: folder)
        // Then it is valid, with the holder's initials (issue 14: never the name), program and dates
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput == """
            VALID: \(code)
              holder:  J. G. (initials; confirm a name with --name)
              program: First Aid Basics – Course Completion (first-aid)
              issued:  2025-10-10
              valid until: 2027-10-09

            """, "\(outcome)")
        // And typed with the letters people confuse with digits (o for 0, l or i for 1), with spaces
        let confused = code.lowercased().replacingOccurrences(of: "0", with: "o").replacingOccurrences(of: "1", with: "l").replacingOccurrences(of: "-", with: " ")
        let typed = try bridges("certificate", "verify", confused, in: folder)
        #expect(typed.status == 0, "\(confused): \(typed)")
        #expect(typed.standardOutput.hasPrefix("VALID: \(code)\n"))
    }

    @Test func verifyingAnUnknownCodeExits1AndAMalformedOne64() async throws {
        let folder = try await certifiedTerm()
        defer { folder.remove() }
        let unknown = try bridges("certificate", "verify", "0000-0000-0000-0000", in: folder)
        #expect(unknown.status == 1, "\(unknown)")
        #expect(unknown.standardOutput.hasPrefix("NOT FOUND"), "\(unknown)")
        let malformed = try bridges("certificate", "verify", "7K3Q-M9XD", in: folder)
        #expect(malformed.status == 64, "\(malformed)")
        #expect(malformed.standardError.contains("not a certificate code"), "\(malformed)")
        let confusable = try bridges("certificate", "verify", "UUUU-UUUU-UUUU-UUUU", in: folder)
        #expect(confusable.status == 64, "\(confusable)")
    }

    @Test func aRevokedCertificateVerifiesAsRevokedWithItsReason() async throws {
        let folder = try await certifiedTerm()
        defer { folder.remove() }
        let code = try #require(try list(folder).first?[0])
        // Without a reason: a usage error, and nothing changes
        #expect(try bridges("certificate", "revoke", code, in: folder).status == 64)
        #expect(try bridges("certificate", "verify", code, in: folder).status == 0)
        // When revoked with a reason
        let revoke = try bridges("certificate", "revoke", code.lowercased(), "--reason", "issued to the wrong student", "--actor", "coordinator", in: folder)
        #expect(revoke.status == 0, "\(revoke)")
        #expect(revoke.standardOutput.hasPrefix("revoked \(code)"), "\(revoke)")
        // Then verify exits 1 and says revoked and when, never why (issue 14: the reason is for staff)
        let verify = try bridges("certificate", "verify", code, in: folder)
        #expect(verify.status == 1, "\(verify)")
        #expect(verify.standardOutput.hasPrefix("REVOKED: \(code)\n"), "\(verify)")
        let today = SchoolDate.today().description
        #expect(verify.standardOutput.contains("  revoked: \(today)\n"), "\(verify)")
        #expect(!verify.standardOutput.contains("issued to the wrong student"), "\(verify)")
        // And revoking again changes nothing
        let again = try bridges("certificate", "revoke", code, "--reason", "other", in: folder)
        #expect(again.status == 0, "\(again)")
        #expect(again.standardOutput.contains("already revoked"), "\(again)")
        #expect(again.standardOutput.contains("issued to the wrong student"), "\(again)")
        #expect(try list(folder).first { $0[0] == code }?[1] == "revoked")
    }

    @Test func anExpiredCertificateExits1AndTheStudentCanBeCertifiedAgainWithHistoryKept() async throws {
        // Given first aid taught in early 2023, certified as of 1 March 2023 (valid through 28 February 2025)
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        try await CLITerm.teachFirstAid(in: folder, from: "2023-01-09")
        #expect(try bridges("certificate", "issue", "--as-of", "2023-03-01", in: folder).standardOutput == "issued 4 certificates\n")
        let old = try #require(try list(folder).first)
        #expect(old[6] == "2025-02-28")
        // Then today it is expired: verify exits 1
        let verify = try bridges("certificate", "verify", old[0], in: folder)
        #expect(verify.status == 1, "\(verify)")
        #expect(verify.standardOutput.hasPrefix("EXPIRED: \(old[0])"), "\(verify)")
        // When certificates are issued today
        let again = try bridges("certificate", "issue", "--program", "first-aid", in: folder)
        // Then each student is certified again, and the expired ones stay listed
        #expect(again.standardOutput == "issued 4 certificates\n", "\(again)")
        let rows = try list(folder, "--program", "first-aid")
        #expect(rows.count == 8)
        #expect(rows.filter { $0[1] == "expired" }.count == 4)
        #expect(rows.filter { $0[1] == "valid" }.count == 4)
        #expect(rows.filter { $0[3] == old[3] }.count == 2)
        let today = SchoolDate.today()
        let newest = try #require(rows.first { $0[3] == old[3] && $0[1] == "valid" })
        #expect(newest[5] == today.description)
        #expect(newest[6] == today.adding(months: 24)?.adding(days: -1)?.description)
        #expect(try bridges("certificate", "verify", newest[0], in: folder).status == 0)
    }
}

/// A whole term through the built `bridges`, as a coordinator and an officer would run it: lesson
/// plans, a roster, officers, sessions with absences and a make-up, quizzes failed and retaken, a
/// correction, a voided session, certificates.
@Suite("A whole term through bridges", .timeLimit(.minutes(3)))
struct WholeTermTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        let outcome = try CLITerm.run(arguments + ["--db", "school.sqlite"], in: folder, sourceLocation: sourceLocation)
        return outcome
    }

    /// `bridges session log …`, which must print the id alone; returns it.
    func log(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
        let outcome = try CLITerm.run(["session", "log", "--officer", "ofc-101", "--actor", "dana.reyes", "--db", "school.sqlite"] + arguments, in: folder, sourceLocation: sourceLocation)
        try #require(outcome.status == 0, "\(outcome)", sourceLocation: sourceLocation)
        let id = outcome.standardOutput.trimmingCharacters(in: .newlines)
        #expect(Int(id) != nil && outcome.standardOutput == id + "\n", "\(outcome)", sourceLocation: sourceLocation)
        return id
    }

    @Test func aWholeTerm() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.createSymbolicLink(atPath: folder.path("Curricula"), withDestinationPath: CLITerm.curricula)

        // The coordinator loads the programs, imports the roster and adds the officers
        let load = try bridges("lesson", "load", "Curricula", "--actor", "coordinator", in: folder)
        #expect(load.status == 0, "\(load)")
        try folder.write("roster.csv", CLITerm.rosterCSV)
        let roster = try bridges("roster", "import", "roster.csv", "--actor", "registrar", in: folder)
        #expect(roster.status == 0, "\(roster)")
        #expect(try bridges("officer", "add", "ofc-101", "--name", "Dana Reyes", "--agency", "Riverside Police Department", "--certified-until", "2030-06-30", in: folder).status == 0)
        #expect(try bridges("officer", "add", "ofc-102", "--name", "Marcus Johnson", "--certified-until", "2030-06-30", in: folder).status == 0)

        // Six weekly lessons of first aid for 8A, each with its quiz sheet for those who came
        let lessons = CLITerm.firstAid.map(\.lesson)
        var sessions: [String: String] = [:]
        // 1: 1004 late
        sessions["fa-scene-safety"] = try log("--lesson", "fa-scene-safety", "--class", "8A", "--date", "2025-09-01", "--late", "1004", "--others", "present", in: folder)
        // 2: 1002 marked absent by mistake (corrected below); 1001 will fail the quiz once
        sessions["fa-calling-for-help"] = try log("--lesson", "fa-calling-for-help", "--class", "8A", "--date", "2025-09-08", "--absent", "1002", "--others", "present", in: folder)
        // 3: 1003 absent (made up later)
        sessions["fa-bleeding"] = try log("--lesson", "fa-bleeding", "--class", "8A", "--date", "2025-09-15", "--absent", "1003", "--others", "present", in: folder)
        // 4: 1002 excused, never made up
        try folder.write("register-4.csv", "student_id,status\n1001,present\n1002,excused\n1003,late\n1004,present\n")
        sessions["fa-burns"] = try log("--lesson", "fa-burns", "--class", "8A", "--date", "2025-09-22", "--sheet", "register-4.csv", in: folder)
        // 5 and 6: everyone, 6 taught by the other officer
        sessions["fa-recovery-position"] = try log("--lesson", "fa-recovery-position", "--class", "8A", "--date", "2025-09-29", "--others", "present", in: folder)
        let last = try CLITerm.run(["session", "log", "--lesson", "fa-head-neck-back", "--class", "8A", "--officer", "ofc-102", "--date", "2025-10-06", "--minutes", "50",
                                    "--others", "present", "--actor", "marcus", "--db", "school.sqlite"], in: folder, sourceLocation: #_sourceLocation)
        try #require(last.status == 0, "\(last)")
        sessions["fa-head-neck-back"] = last.standardOutput.trimmingCharacters(in: .newlines)
        #expect(Set(sessions.values).count == 6)

        // The correction: 1002 was there for lesson 2
        let amend = try bridges("session", "amend", try #require(sessions["fa-calling-for-help"]), "--student", "1002", "--status", "present",
                                "--reason", "was in the room; the register was wrong", "--actor", "ms.alvarez", in: folder)
        #expect(amend.status == 0, "\(amend)")

        // A session logged for the wrong class, then voided
        let wrong = try log("--lesson", "fa-scene-safety", "--class", "8B", "--date", "2025-09-01", "--others", "present", in: folder)
        #expect(try bridges("session", "void", wrong, "--reason", "logged for 8B by mistake; it was 8A", "--actor", "coordinator", in: folder).status == 0)

        // Quizzes: a sheet per session for those who came
        let came: [String: [String]] = [
            "fa-scene-safety": ["1001", "1002", "1003", "1004"], "fa-calling-for-help": ["1002", "1003", "1004"],
            "fa-bleeding": ["1001", "1002", "1004"], "fa-burns": ["1001", "1003", "1004"],
            "fa-recovery-position": ["1001", "1002", "1003", "1004"], "fa-head-neck-back": ["1001", "1002", "1003", "1004"],
        ]
        for lesson in lessons {
            try folder.write("quiz-\(lesson).csv", CLITerm.rightSheet(lesson, students: came[lesson] ?? []))
            let quiz = try bridges("quiz", "record", "--session", try #require(sessions[lesson]), "--sheet", "quiz-\(lesson).csv", in: folder)
            #expect(quiz.status == 0, "\(quiz)")
            #expect(CLITerm.table(quiz.standardOutput).dropFirst().allSatisfy { $0[3] == "passed" }, "\(quiz)")
        }
        // 1001 fails lesson 2's quiz (2 of 5), then passes on a retake
        let calling = try #require(sessions["fa-calling-for-help"])
        let fail = try bridges("quiz", "record", "--session", calling, "--student", "1001", "--answers", "q1=a,q2=112,q3=true,q4=a+b+c+d,q5=b", in: folder)
        #expect(CLITerm.table(fail.standardOutput).last == ["1001", "2/5", "40%", "not passed", "1", "40% not passed"], "\(fail)")
        let pass = try bridges("quiz", "record", "--session", calling, "--student", "1001", "--answers", CLITerm.rightAnswers("fa-calling-for-help"), in: folder)
        #expect(CLITerm.table(pass.standardOutput).last == ["1001", "5/5", "100%", "passed", "2", "100% passed"], "\(pass)")

        // A make-up session of lesson 3 for 1003, the others excused
        let makeUp = try log("--lesson", "fa-bleeding", "--class", "8A", "--date", "2025-10-08", "--minutes", "30", "--present", "1003", "--others", "excused",
                             "--note", "make-up for 1003", in: folder)
        #expect(try bridges("quiz", "record", "--session", makeUp, "--student", "1003", "--answers", CLITerm.rightAnswers("fa-bleeding"), in: folder).status == 0)

        // Certificates as of 10 October: 1002 missed fa-burns and is not certified
        let issue = try bridges("certificate", "issue", "--as-of", "2025-10-10", "--actor", "coordinator", in: folder)
        #expect(issue.status == 0, "\(issue)")
        #expect(issue.standardOutput == "issued 3 certificates\n", "\(issue)")
        #expect(issue.standardError.contains("first-aid: 3 issued, 0 already held a current one, 1 not yet eligible"), "\(issue)")

        // What a person then reads: the sessions (the voided one marked), ...
        let list = try bridges("session", "list", "--class", "8A", in: folder)
        let listed = CLITerm.table(list.standardOutput).dropFirst()
        #expect(listed.map { $0[1] } == ["2025-09-01", "2025-09-08", "2025-09-15", "2025-09-22", "2025-09-29", "2025-10-06", "2025-10-08"], "\(list)")
        #expect(listed.last?[7] == "1/0/0/3", "the make-up: 1 present, 3 excused; \(list)")
        let all = CLITerm.table(try bridges("session", "list", in: folder).standardOutput).dropFirst()
        #expect(all.filter { $0.last == "voided" }.map { $0[0] } == [wrong])
        // ... lesson 2's record, with the correction and 1001's two attempts, ...
        let show = try bridges("session", "show", calling, in: folder)
        #expect(show.status == 0, "\(show)")
        let text = show.standardOutput
        #expect(text.contains("  officer:  Dana Reyes [ofc-101]"))
        #expect(text.contains("  date:     2025-09-08, 45 minutes"), "\(show)")
        #expect(text.contains("by dana.reyes"))
        #expect(text.contains("STUDENTS — 4 present, 0 late, 0 absent, 0 excused"), "\(show)")
        let student1001 = CLITerm.table(text).first { $0.first == "1001" }
        #expect(student1001?.last == "5/5 passed (2 attempts)", "\(show)")
        #expect(text.contains("ms.alvarez  amend: status of 1002 absent → present — reason: was in the room; the register was wrong"), "\(show)")
        // ... and the certificates, for the three who met the rule
        let certificates = CLITerm.table(try bridges("certificate", "list", in: folder).standardOutput).dropFirst()
        #expect(certificates.map { $0[3] }.sorted() == ["1001", "1003", "1004"])
        #expect(certificates.allSatisfy { $0[1] == "valid" && $0[5] == "2025-10-10" && $0[6] == "2027-10-09" })
        let code = try #require(certificates.first?[0])
        #expect(try bridges("certificate", "verify", code.lowercased(), in: folder).status == 0)
    }
}

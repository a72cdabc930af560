import BridgesKit
import Foundation
import Testing

/// `bridges student record` end to end (issue 15, part 2): a family's access to everything held
/// about one student, as a page and as JSON, itself recorded as a disclosure.
@Suite("bridges student record", .timeLimit(.minutes(3)))
struct StudentRecordCommandTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try ExportTerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func withoutAPurposeNothingIsWrittenOrRecorded() throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        let outcome = try bridges("student", "record", "00127", in: folder)
        #expect(outcome.status == 64, "\(outcome)")
        #expect(outcome.standardError.contains("--purpose is needed"), "\(outcome)")
        #expect(!folder.exists("student-00127-record.html"))
        let log = try bridges("disclosure", "list", "--json", in: folder)
        #expect((try JSONSerialization.jsonObject(with: Data(log.standardOutput.utf8)) as? [Any])?.isEmpty == true, "\(log)")
        #expect(try bridges("student", "record", "nobody", "--purpose", "x", in: folder).status == 66)
    }

    @Test func theJSONHoldsEveryMarkQuizAttemptCorrectionAndEarlierDisclosure() throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        // Given an export that named the student earlier
        #expect(try bridges("export", "attendance", "--purpose", "term audit", "--actor", "coordinator", in: folder).status == 0)

        // When the family asks for the record as JSON
        let outcome = try bridges("student", "record", "00127", "--format", "json", "--out", "-", "--purpose", "parent's request to inspect (99.10)", "--actor", "registrar", in: folder)
        try #require(outcome.status == 0, "\(outcome)")
        let record = try json(outcome.standardOutput)

        // Then it is all there: the roster entry and class
        #expect(record["studentID"] as? String == "00127")
        #expect(record["givenName"] as? String == "Zoë" && record["familyName"] as? String == "Núñez")
        let enrollments = try #require(record["enrollments"] as? [[String: Any]])
        #expect(enrollments.map { $0["classID"] as? String } == ["3A"])
        // every mark with its session, the voided one too, by date
        let marks = try #require(record["marks"] as? [[String: Any]])
        #expect(marks.map { $0["date"] as? String } == ["2025-03-03", "2025-03-10", "2025-03-17", "2025-03-18", "2025-03-19"])
        #expect(marks.map { $0["status"] as? String } == ["present", "excused", "absent", "present", "present"])
        #expect(marks[3]["voidReason"] as? String == "logged twice")
        #expect(marks[0]["officerName"] as? String == "Officer Ó'Brien" && marks[0]["lessonID"] as? String == "ws-pools")
        // their quiz attempts (and no one else's)
        let attempts = try #require(record["quizAttempts"] as? [[String: Any]])
        #expect(attempts.count == 1)
        #expect(attempts[0]["answers"] as? String != nil && attempts[0]["passed"] as? Bool == false)
        // the correction of their mark, with who and why; not other students' corrections
        let corrections = try #require(record["corrections"] as? [[String: Any]])
        let amend = try #require(corrections.first { $0["field"] as? String == "status of 00127" })
        #expect(amend["oldValue"] as? String == "present" && amend["newValue"] as? String == "absent")
        #expect(amend["reason"] as? String == "left before it began")
        #expect(corrections.contains { $0["action"] as? String == "void" })
        #expect(!corrections.contains { ($0["field"] as? String)?.contains("00124") == true })
        // and the earlier disclosure
        let disclosures = try #require(record["disclosures"] as? [[String: Any]])
        #expect(disclosures.map { $0["purpose"] as? String } == ["term audit"])

        // And the record itself is now in the log, naming only this student
        let log = try bridges("disclosure", "list", "--student", "00127", "--json", in: folder)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(log.standardOutput.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["kind"] as? String } == ["export attendance", "student record"])
        #expect(entries[1]["actor"] as? String == "registrar" && entries[1]["students"] as? Int == 1)
        let other = try bridges("disclosure", "list", "--student", "00124", "--json", in: folder)
        #expect(!other.standardOutput.contains("student record"))
    }

    @Test func thePageIsSelfContainedPrivateAndEscapesWhatTheRosterSaid() throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        let outcome = try bridges("student", "record", "00123", "--purpose", "parent's request", in: folder)
        try #require(outcome.status == 0, "\(outcome)")
        let path = "student-00123-record.html"
        #expect(outcome.standardError.contains(path), "\(outcome)")
        let page = String(decoding: try Data(contentsOf: folder.url.appendingPathComponent(path)), as: UTF8.self)
        let mode = try FileManager.default.attributesOfItem(atPath: folder.path(path))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(page.contains("Content-Security-Policy"))
        #expect(!page.lowercased().contains("<script"))
        #expect(!page.contains("src=") && !page.contains("href="))
        // The family name is "=HYPERLINK("http://evil.example")": shown as text, never markup
        #expect(page.contains("=HYPERLINK(&quot;http://evil.example&quot;)"))
        #expect(page.contains("Attendance: every mark (5)"))
        // A second record does not replace the first
        #expect(try bridges("student", "record", "00123", "--purpose", "again", in: folder).status == 0)
        #expect(folder.exists("student-00123-record-2.html"))
        // --out to an existing file is refused without --force
        let refused = try bridges("student", "record", "00123", "--purpose", "again", "--out", path, in: folder)
        #expect(refused.status == 64, "\(refused)")
        #expect(try bridges("student", "record", "00123", "--purpose", "again", "--out", path, "--force", in: folder).status == 0)
    }
}

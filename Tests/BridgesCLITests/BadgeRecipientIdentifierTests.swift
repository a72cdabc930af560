import BridgesSigning
import Crypto
import Foundation
import Testing

/// A badge's recipient (issue 14, item 2) is hashed from the number the family knows: the
/// district's student number (the roster's OneRoster `identifier`, as `roster list` shows it)
/// when the roster gave one, else the student id.
@Suite("badge recipient from the district's student number", .timeLimit(.minutes(2)))
struct BadgeRecipientIdentifierTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try CLITerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    /// The badge's recipient identity object.
    func recipient(_ code: String, in folder: TemporaryFolder) throws -> [String: Any] {
        let outcome = try bridges("certificate", "badge", code, "--out", "-", in: folder)
        try #require(outcome.status == 0, "\(outcome)")
        let parts = outcome.standardOutput.trimmingCharacters(in: .newlines).split(separator: ".")
        try #require(parts.count == 3)
        let payload = try BadgeCredentialTests().decode(parts[1])
        let subject = try #require(payload["credentialSubject"] as? [String: Any])
        let identifiers = try #require(subject["identifier"] as? [[String: Any]])
        return try #require(identifiers.first { $0["hashed"] as? Bool == true })
    }

    func hash(_ text: String) -> String {
        "sha256$" + SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    @Test func theDistrictsNumberWhenTheRosterGaveOneElseTheStudentID() async throws {
        let (folder, code) = try await BadgeCredentialTests().issuedTerm()
        defer { folder.remove() }
        // Before the district's number is known: the student id
        let before = try recipient(code, in: folder)
        let salt = try #require(before["salt"] as? String)
        #expect(before["identityType"] as? String == "sisSourcedId")
        #expect(before["identityHash"] as? String == hash("1003" + salt))
        // A OneRoster export gives José García (1003) the district's number S-778812
        try SmallOneRoster.write(to: folder, users: "1003,student,José,García,08,S-778812\r\n", extraUserColumns: ",identifier")
        let imported = try bridges("roster", "import", "oneroster", in: folder)
        try #require(imported.status == 0, "\(imported)")
        let after = try recipient(code, in: folder)
        #expect(after["identityType"] as? String == "identifier")
        #expect(after["salt"] as? String == salt)
        #expect(after["identityHash"] as? String == hash("S-778812" + salt))
        #expect(after["identityHash"] as? String != hash("1003" + salt))
        // A classmate without one keeps the student id, in the many-badge export too
        let list = try bridges("certificate", "list", in: folder)
        let other = try #require(CLITerm.table(list.standardOutput).first { $0.count > 3 && $0[3] == "1001" }?[0])
        let classmate = try recipient(other, in: folder)
        #expect(classmate["identityType"] as? String == "sisSourcedId")
        #expect(classmate["identityHash"] as? String == hash("1001" + (classmate["salt"] as? String ?? "")))
        let many = try bridges("certificate", "badge", "--program", "first-aid", "--out", "badges", in: folder)
        try #require(many.status == 0, "\(many)")
        let token = try String(contentsOfFile: folder.path("badges/badge-\(code).jwt"), encoding: .utf8)
        let payload = try BadgeCredentialTests().decode(token.trimmingCharacters(in: .newlines).split(separator: ".")[1])
        let subject = try #require(payload["credentialSubject"] as? [String: Any])
        let identity = try #require((subject["identifier"] as? [[String: Any]])?.first)
        #expect(identity["identityHash"] as? String == hash("S-778812" + salt) && identity["identityType"] as? String == "identifier")
    }
}

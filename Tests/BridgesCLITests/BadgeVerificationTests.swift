import BridgesKit
import Foundation
import Testing

/// Verification that protects the student (issue 14, item 4): whoever holds a code learns the
/// status, program, dates and initials; a name only as a yes or no; nothing at all about a student
/// whose family opted out beyond the status; never the revocation reason. Reinstating a
/// revoked certificate and opting out are audited.
@Suite("certificate verify protects the student", .timeLimit(.minutes(2)))
struct BadgeVerificationTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try CLITerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    /// 8A taught first aid and certified as of 10 October 2025; the code of José García's (1003).
    func certifiedTerm() async throws -> (folder: TemporaryFolder, code: String) {
        let folder = try await CLITerm.folder()
        try await CLITerm.teachFirstAid(in: folder, from: "2025-09-01")
        let issue = try bridges("certificate", "issue", "--program", "first-aid", "--as-of", "2025-10-10", in: folder)
        try #require(issue.status == 0, "\(issue)")
        let list = try bridges("certificate", "list", in: folder)
        let row = try #require(CLITerm.table(list.standardOutput).first { $0.count > 3 && $0[3] == "1003" })
        return (folder, row[0])
    }

    /// The audit events about `entityId`, as `action|field|old|new|reason` lines (read with the sqlite3 shell).
    func audit(_ folder: TemporaryFolder, _ entityId: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-readonly", folder.path("term.sqlite"),
                             "SELECT action, field, oldValue, newValue, reason, actor FROM auditEvent WHERE entityId = '\(entityId)' ORDER BY id"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    static var hasSQLiteShell: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") }

    @Test func verifyPrintsInitialsNeverTheName() async throws {
        let (folder, code) = try await certifiedTerm()
        defer { folder.remove() }
        let outcome = try bridges("certificate", "verify", code, in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput.hasPrefix("VALID: \(code)\n"), "\(outcome)")
        #expect(outcome.standardOutput.contains("  holder:  J. G. "), "\(outcome)")
        #expect(outcome.standardOutput.contains("  program: "), "\(outcome)")
        #expect(outcome.standardOutput.contains("  issued:  2025-10-10\n  valid until: 2027-10-09"), "\(outcome)")
        for secret in ["José", "Jose", "García", "Garcia", "1003"] {
            #expect(!outcome.standardOutput.contains(secret), "\(secret) in \(outcome)")
            #expect(!outcome.standardError.contains(secret), "\(secret) in \(outcome)")
        }
    }

    @Test func aNameTypedIsConfirmedIgnoringCaseAccentsAndSpacesAndDeniedOtherwise() async throws {
        let (folder, code) = try await certifiedTerm()
        defer { folder.remove() }
        for typed in ["José García", "  jose   GARCIA ", "JOSÉ garcía"] {
            let outcome = try bridges("certificate", "verify", code, "--name", typed, in: folder)
            #expect(outcome.status == 0, "\(typed): \(outcome)")
            #expect(outcome.standardOutput.contains("  name:    matches the holder\n"), "\(typed): \(outcome)")
        }
        // A wrong name: exit 1, and the real one is not given away
        let wrong = try bridges("certificate", "verify", code, "--name", "José Garcés", in: folder)
        #expect(wrong.status == 1, "\(wrong)")
        #expect(wrong.standardOutput.contains("  name:    DOES NOT match the holder\n"), "\(wrong)")
        #expect(!wrong.standardOutput.contains("García") && !wrong.standardError.contains("García"), "\(wrong)")
        // The family name alone is not the name
        #expect(try bridges("certificate", "verify", code, "--name", "García", in: folder).status == 1)
        // An empty name is a usage error
        #expect(try bridges("certificate", "verify", code, "--name", "   ", in: folder).status == 64)
    }

    @Test func theRevocationReasonIsNeverShownByVerify() async throws {
        let (folder, code) = try await certifiedTerm()
        defer { folder.remove() }
        let revoke = try bridges("certificate", "revoke", code, "--reason", "parent reported cheating", in: folder)
        try #require(revoke.status == 0, "\(revoke)")
        let outcome = try bridges("certificate", "verify", code, in: folder)
        #expect(outcome.status == 1, "\(outcome)")
        #expect(outcome.standardOutput.hasPrefix("REVOKED: \(code)\n"), "\(outcome)")
        #expect(outcome.standardOutput.contains("  revoked: \(SchoolDate.today())\n"), "\(outcome)")
        #expect(!outcome.standardOutput.contains("cheating") && !outcome.standardError.contains("cheating"), "\(outcome)")
    }

    @Test(.enabled(if: hasSQLiteShell)) func aFamilysOptOutLeavesTheStatusAloneAndIsAudited() async throws {
        let (folder, code) = try await certifiedTerm()
        defer { folder.remove() }
        // Without a reason: refused, nothing changes
        #expect(try bridges("student", "opt-out", "1003", in: folder).status == 64)
        #expect(try bridges("student", "opt-out", "9999", "--reason", "x", in: folder).status == 66)
        let optOut = try bridges("student", "opt-out", "1003", "--reason", "mother's letter of 2025-09-02", "--actor", "registrar", in: folder)
        #expect(optOut.status == 0, "\(optOut)")
        #expect(optOut.standardOutput == "student 1003: opted out of directory information\n", "\(optOut)")
        // Then verify says the status alone (server.md: "valid" alone)
        let outcome = try bridges("certificate", "verify", code, in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput == "VALID: \(code)\n", "\(outcome)")
        // A name is neither confirmed nor denied (OptedOutVerificationTests)
        let named = try bridges("certificate", "verify", code, "--name", "jose garcia", in: folder)
        #expect(named.status == 0 && named.standardOutput.contains("this record cannot be confirmed"), "\(named)")
        // Opting out again changes nothing; --undo brings the initials back
        #expect(try bridges("student", "opt-out", "1003", "--reason", "again", in: folder).standardOutput.contains("nothing changed"))
        #expect(try bridges("student", "opt-out", "1003", "--undo", "--reason", "family withdrew it", "--actor", "registrar", in: folder).status == 0)
        #expect(try bridges("certificate", "verify", code, in: folder).standardOutput.contains("holder:  J. G."))
        // And both changes are in the audit trail, with who and why
        #expect(try audit(folder, "1003") == [
            "opt-out|directoryOptOut|no|yes|mother's letter of 2025-09-02|registrar",
            "opt-in|directoryOptOut|yes|no|family withdrew it|registrar",
        ])
    }

    @Test(.enabled(if: hasSQLiteShell)) func reinstatingARevokedCertificateIsAuditedAndAValidOneIsRefused() async throws {
        let (folder, code) = try await certifiedTerm()
        defer { folder.remove() }
        // A certificate that is not revoked: refused, nothing written
        let notRevoked = try bridges("certificate", "reinstate", code, "--reason", "x", in: folder)
        #expect(notRevoked.status == 65, "\(notRevoked)")
        #expect(notRevoked.standardError.contains("is not revoked"), "\(notRevoked)")
        #expect(try bridges("certificate", "reinstate", "0000-0000-0000-0000", "--reason", "x", in: folder).status == 66)
        #expect(try bridges("certificate", "reinstate", code, in: folder).status == 64)
        #expect(try audit(folder, code.replacingOccurrences(of: "-", with: "")).isEmpty)
        // Revoked by mistake, then reinstated
        #expect(try bridges("certificate", "revoke", code, "--reason", "wrong student", "--actor", "coordinator", in: folder).status == 0)
        let reinstate = try bridges("certificate", "reinstate", code.lowercased(), "--reason", "it was the right student", "--actor", "principal", in: folder)
        #expect(reinstate.status == 0, "\(reinstate)")
        #expect(reinstate.standardOutput.hasPrefix("reinstated \(code)"), "\(reinstate)")
        #expect(try bridges("certificate", "verify", code, in: folder).status == 0)
        // The revocation stays in the trail beside the reinstatement
        #expect(try audit(folder, code.replacingOccurrences(of: "-", with: "")) == [
            "revoke|status|issued|revoked|wrong student|coordinator",
            "reinstate|status|revoked|issued|it was the right student|principal",
        ])
        // And it can be revoked again
        #expect(try bridges("certificate", "revoke", code, "--reason", "again", in: folder).status == 0)
        #expect(try bridges("certificate", "verify", code, in: folder).status == 1)
    }
}

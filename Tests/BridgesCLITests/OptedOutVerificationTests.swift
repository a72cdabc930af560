import Foundation
import Testing

/// What `certificate verify` says about a student whose family opted out of directory
/// information (server.md: "valid" alone): the status word, nothing about the program, the dates
/// or the holder; a name typed is neither confirmed nor denied, and the exit status follows the
/// status alone, so it cannot be used to test names either.
@Suite("certificate verify for an opted-out student", .timeLimit(.minutes(2)))
struct OptedOutVerificationTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try CLITerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    func optedOutTerm() async throws -> (folder: TemporaryFolder, code: String) {
        let (folder, code) = try await BadgeVerificationTests().certifiedTerm()
        let optOut = try bridges("student", "opt-out", "1003", "--reason", "mother's letter", in: folder)
        try #require(optOut.status == 0, "\(optOut)")
        return (folder, code)
    }

    @Test func theStatusWordAloneNoProgramNoDatesNoInitials() async throws {
        let (folder, code) = try await optedOutTerm()
        defer { folder.remove() }
        let outcome = try bridges("certificate", "verify", code.lowercased(), in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput == "VALID: \(code)\n", "\(outcome)")
        for said in ["first-aid", "First Aid", "2025", "J. G.", "García", "1003"] {
            #expect(!outcome.standardOutput.contains(said) && !outcome.standardError.contains(said), "\(said) in \(outcome)")
        }
    }

    @Test func aNameIsNeitherConfirmedNorDenied() async throws {
        let (folder, code) = try await optedOutTerm()
        defer { folder.remove() }
        let right = try bridges("certificate", "verify", code, "--name", "José García", in: folder)
        let wrong = try bridges("certificate", "verify", code, "--name", "Someone Else", in: folder)
        #expect(right.status == 0 && wrong.status == 0, "\(right) \(wrong)")
        #expect(right.standardOutput == "VALID: \(code)\n  name:    this record cannot be confirmed\n", "\(right)")
        // The two answers are the same: nothing to learn by trying names
        #expect(right.standardOutput == wrong.standardOutput && right.standardError == wrong.standardError)
        #expect(!right.standardOutput.contains("matches"))
    }

    @Test func aRevokedCertificateSaysRevokedAloneAndExitsOne() async throws {
        let (folder, code) = try await optedOutTerm()
        defer { folder.remove() }
        #expect(try bridges("certificate", "revoke", code, "--reason", "issued in error", in: folder).status == 0)
        let outcome = try bridges("certificate", "verify", code, in: folder)
        #expect(outcome.status == 1 && outcome.standardOutput == "REVOKED: \(code)\n", "\(outcome)")
        let named = try bridges("certificate", "verify", code, "--name", "José García", in: folder)
        #expect(named.status == 1 && named.standardOutput == "REVOKED: \(code)\n  name:    this record cannot be confirmed\n", "\(named)")
    }
}

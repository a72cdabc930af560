import BridgesKit
import BridgesSigning
import Crypto
import Foundation
import Testing

/// `bridges issuer status-list` (issue 14, item 2): each badge names its bit in the issuer's
/// revocation list; the list is a signed Bitstring Status List credential whose bit is set when
/// the certificate is revoked and cleared again when it is reinstated.
@Suite("bridges issuer status-list", .timeLimit(.minutes(2)))
struct BadgeStatusListTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try CLITerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    func decode(_ part: Substring) throws -> [String: Any] {
        let bytes = try #require(Base64URL.decode(String(part)))
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    /// The list's bits, after checking its signature with the published JWK (swift-crypto) and
    /// gunzipping with the system's gzip.
    func bits(_ folder: TemporaryFolder) throws -> (payload: [String: Any], bytes: [UInt8]) {
        let outcome = try bridges("issuer", "status-list", "--out", "-", in: folder)
        try #require(outcome.status == 0, "\(outcome)")
        let token = outcome.standardOutput.trimmingCharacters(in: .newlines)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 3)
        let jwk = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.path("term.issuer.jwk")))) as? [String: String])
        let xText = try #require(jwk["x"]), yText = try #require(jwk["y"])
        let x = try #require(Base64URL.decode(xText)), y = try #require(Base64URL.decode(yText))
        let signature = try #require(Base64URL.decode(String(parts[2])))
        let key = try P256.Signing.PublicKey(x963Representation: [0x04] + x + y)
        #expect(key.isValidSignature(try P256.Signing.ECDSASignature(rawRepresentation: signature), for: Data((parts[0] + "." + parts[1]).utf8)))
        let payload = try decode(parts[1])
        let subject = try #require(payload["credentialSubject"] as? [String: Any])
        let encoded = try #require(subject["encodedList"] as? String)
        try #require(encoded.hasPrefix("u"))
        let gzipped = try #require(Base64URL.decode(String(encoded.dropFirst())))
        try folder.write("list.gz", bytes: gzipped)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -dc list.gz"]
        process.currentDirectoryURL = folder.url
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let bytes = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return (payload, Array(bytes))
    }

    func isSet(_ bytes: [UInt8], _ index: Int) -> Bool { bytes[index / 8] & (0x80 >> UInt8(index % 8)) != 0 }

    @Test func aRevokedBadgesBitIsSetInTheSignedListAndClearedWhenReinstated() async throws {
        let (folder, code) = try await BadgeVerificationTests().certifiedTerm()
        defer { folder.remove() }
        #expect(try bridges("issuer", "init", "--name", "Riverside Unified", "--url", "https://riverside.example.org/", in: folder).status == 0)
        // Two badges: indexes 0 and 1, each naming the list
        let list = try bridges("certificate", "list", in: folder)
        let other = try #require(CLITerm.table(list.standardOutput).dropFirst().map { $0[0] }.first { $0 != code })
        var entries: [String: Int] = [:]
        for certificate in [other, code] {
            let badge = try bridges("certificate", "badge", certificate, "--out", "-", in: folder)
            try #require(badge.status == 0, "\(badge)")
            let payload = try decode(badge.standardOutput.trimmingCharacters(in: .newlines).split(separator: ".")[1])
            let status = try #require(payload["credentialStatus"] as? [String: Any])
            #expect(status["type"] as? String == "BitstringStatusListEntry" && status["statusPurpose"] as? String == "revocation")
            #expect(status["statusListCredential"] as? String == "https://riverside.example.org/status/revocation")
            entries[certificate] = Int(try #require(status["statusListIndex"] as? String))
        }
        #expect(entries == [other: 0, code: 1])
        // Again: the same index
        let again = try bridges("certificate", "badge", code, "--out", "-", in: folder)
        #expect((try decode(again.standardOutput.split(separator: ".")[1])["credentialStatus"] as? [String: Any])?["statusListIndex"] as? String == "1")
        // Nothing revoked: 16 KiB of zeros, a signed BitstringStatusListCredential
        let (payload, before) = try bits(folder)
        #expect(payload["type"] as? [String] == ["VerifiableCredential", "BitstringStatusListCredential"])
        #expect(payload["id"] as? String == "https://riverside.example.org/status/revocation")
        #expect(payload["validUntil"] != nil)
        #expect(before.count == 16_384 && before.allSatisfy { $0 == 0 })
        // Revoked: its bit, and only its bit
        #expect(try bridges("certificate", "revoke", code, "--reason", "wrong student", in: folder).status == 0)
        let (_, revoked) = try bits(folder)
        #expect(isSet(revoked, 1) && !isSet(revoked, 0))
        #expect(revoked.enumerated().filter { $0.element != 0 }.map(\.offset) == [0])
        // Reinstated: cleared again
        #expect(try bridges("certificate", "reinstate", code, "--reason", "right student after all", in: folder).status == 0)
        #expect(try bits(folder).bytes.allSatisfy { $0 == 0 })
    }

    @Test func noIssuerNoList() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let outcome = try bridges("issuer", "status-list", in: folder)
        #expect(outcome.status == 66, "\(outcome)")
        #expect(try bridges("issuer", "init", "--name", "R", "--url", "https://r.example.org", in: folder).status == 0)
        #expect(try bridges("issuer", "status-list", "--valid-days", "0", in: folder).status == 64)
    }
}

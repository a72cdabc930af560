import BridgesKit
import BridgesSigning
import Crypto
import Foundation
import Testing

/// `bridges certificate badge` (issue 14, items 2 and 5): the token is an Open Badges 3.0
/// OpenBadgeCredential as a VC-JWT whose ES256 signature checks with the published JWK alone
/// (swift-crypto, here), with the VC-JWT claims and a recipient the family can check but no one
/// reads a name from.
@Suite("bridges certificate badge", .timeLimit(.minutes(2)))
struct BadgeCredentialTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try CLITerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    /// 8A certified as of 10 October 2025, an issuer made; José García's (1003) code.
    func issuedTerm() async throws -> (folder: TemporaryFolder, code: String) {
        let (folder, code) = try await BadgeVerificationTests().certifiedTerm()
        let issuer = try bridges("issuer", "init", "--name", "Riverside Unified", "--url", "https://riverside.example.org", in: folder)
        try #require(issuer.status == 0, "\(issuer)")
        return (folder, code)
    }

    func decode(_ part: Substring) throws -> [String: Any] {
        let bytes = try #require(Base64URL.decode(String(part)))
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    /// Checks the signature with swift-crypto and nothing of Bridges but the JWK file's x and y.
    func signatureHolds(_ token: String, jwkFile: String) throws -> Bool {
        let jwk = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jwkFile))) as? [String: String])
        let xText = try #require(jwk["x"]), yText = try #require(jwk["y"])
        let x = try #require(Base64URL.decode(xText))
        let y = try #require(Base64URL.decode(yText))
        let key = try P256.Signing.PublicKey(x963Representation: [0x04] + x + y)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let raw = Base64URL.decode(String(parts[2])), raw.count == 64 else { return false }
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: raw)
        return key.isValidSignature(signature, for: Data((parts[0] + "." + parts[1]).utf8))
    }

    @Test func aBadgeIsASignedOpenBadgeCredentialThatNamesNoOne() async throws {
        let (folder, code) = try await issuedTerm()
        defer { folder.remove() }
        let outcome = try bridges("certificate", "badge", code, in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        let file = folder.path("badge-\(code).jwt")
        var info = stat()
        #expect(stat(file, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let token = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .newlines)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 3)
        // The signature checks with the published public key
        #expect(try signatureHolds(token, jwkFile: folder.path("term.issuer.jwk")))
        // The JOSE header
        let jwk = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.path("term.issuer.jwk")))) as? [String: String])
        let header = try decode(parts[0])
        #expect(header["alg"] as? String == "ES256" && header["typ"] as? String == "JWT" && header["kid"] as? String == jwk["kid"], "\(header)")
        // The credential at the top level, with the VC-JWT claims mirroring it
        let payload = try decode(parts[1])
        #expect(payload["type"] as? [String] == ["VerifiableCredential", "OpenBadgeCredential"])
        #expect((payload["@context"] as? [String])?.first == "https://www.w3.org/ns/credentials/v2")
        #expect((payload["@context"] as? [String])?.contains { $0.hasPrefix("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0") } == true)
        let issuer = try #require(payload["issuer"] as? [String: Any])
        #expect(issuer["id"] as? String == "https://riverside.example.org" && issuer["name"] as? String == "Riverside Unified")
        #expect(payload["iss"] as? String == issuer["id"] as? String)
        #expect(payload["jti"] as? String == payload["id"] as? String)
        #expect((payload["id"] as? String)?.hasSuffix(code) == true)
        #expect(payload["validFrom"] as? String == "2025-10-10T00:00:00Z")
        #expect(payload["validUntil"] as? String == "2027-10-09T23:59:59Z")
        #expect(payload["nbf"] as? Int == 1_760_054_400) // 2025-10-10T00:00:00Z
        #expect(payload["exp"] as? Int == 1_823_126_399) // 2027-10-09T23:59:59Z
        let subject = try #require(payload["credentialSubject"] as? [String: Any])
        #expect(payload["sub"] as? String == subject["id"] as? String)
        #expect(subject["type"] as? [String] == ["AchievementSubject"])
        let achievement = try #require(subject["achievement"] as? [String: Any])
        #expect(achievement["name"] as? String == "First Aid Basics – Course Completion")
        #expect(achievement["type"] as? [String] == ["Achievement"])
        let narrative = try #require((achievement["criteria"] as? [String: Any])?["narrative"] as? String)
        #expect(narrative.hasPrefix("Attended all 6 required lessons of First Aid Basics"), "\(narrative)")
        #expect(narrative.contains("passed the quiz"), "\(narrative)")
        // The recipient: sha256 of the student id and the salt, which the family can recompute
        let identifiers = try #require(subject["identifier"] as? [[String: Any]])
        #expect(identifiers.count == 1)
        let identity = try #require(identifiers.first)
        #expect(identity["type"] as? String == "IdentityObject" && identity["hashed"] as? Bool == true)
        let salt = try #require(identity["salt"] as? String)
        #expect(salt.count >= 32)
        let digest = SHA256.hash(data: Data(("1003" + salt).utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(identity["identityHash"] as? String == "sha256$" + digest)
        // And never the name
        let payloadBytes = try #require(Base64URL.decode(String(parts[1])))
        let text = String(decoding: payloadBytes, as: UTF8.self)
        for secret in ["José", "Jose", "García", "Garcia"] { #expect(!text.contains(secret), "\(secret) in \(text)") }
        // A tampered payload (another validUntil) no longer checks
        var changed = payload
        changed["validUntil"] = "2099-12-31T23:59:59Z"
        let forged = parts[0] + "." + Base64URL.encode(try JSONSerialization.data(withJSONObject: changed)) + "." + parts[2]
        #expect(try !signatureHolds(forged, jwkFile: folder.path("term.issuer.jwk")))
        // Exported again: the same recipient (the salt is kept with the certificate)
        let again = try bridges("certificate", "badge", code, "--out", "-", in: folder)
        #expect(again.status == 0, "\(again)")
        let second = try decode(again.standardOutput.trimmingCharacters(in: .newlines).split(separator: ".")[1])
        #expect((second["credentialSubject"] as? [String: Any])?["id"] as? String == subject["id"] as? String)
    }

    @Test func withNameTheSchoolChoosesToNameTheHolder() async throws {
        let (folder, code) = try await issuedTerm()
        defer { folder.remove() }
        let outcome = try bridges("certificate", "badge", code, "--with-name", "--out", "-", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        let payload = try decode(outcome.standardOutput.trimmingCharacters(in: .newlines).split(separator: ".")[1])
        let identifiers = try #require((payload["credentialSubject"] as? [String: Any])?["identifier"] as? [[String: Any]])
        #expect(identifiers.contains { $0["identityType"] as? String == "name" && $0["identityHash"] as? String == "José García" && $0["hashed"] as? Bool == false })
    }

    @Test func noIssuerARevokedCertificateOrAnotherKeyGetNoBadge() async throws {
        let (folder, code) = try await BadgeVerificationTests().certifiedTerm()
        defer { folder.remove() }
        let noIssuer = try bridges("certificate", "badge", code, in: folder)
        #expect(noIssuer.status == 66 && noIssuer.standardError.contains("bridges issuer init"), "\(noIssuer)")
        #expect(try bridges("issuer", "init", "--name", "R", "--url", "https://r.example.org", in: folder).status == 0)
        // A key that is not the issuer's
        try folder.write("other.pem", IssuerKey.generate().privateKeyPEM)
        let other = try bridges("certificate", "badge", code, "--key", "other.pem", in: folder)
        #expect(other.status == 65 && other.standardError.contains("is not the private key of R"), "\(other)")
        // Revoked
        #expect(try bridges("certificate", "revoke", code, "--reason", "wrong student", in: folder).status == 0)
        let revoked = try bridges("certificate", "badge", code, in: folder)
        #expect(revoked.status == 65 && revoked.standardError.contains("revoked"), "\(revoked)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("badge-\(code).jwt")))
    }

    @Test func aProgramsBadgesGoIntoAFolderOneFileEachRevokedOnesSkipped() async throws {
        let (folder, code) = try await issuedTerm()
        defer { folder.remove() }
        #expect(try bridges("certificate", "revoke", code, "--reason", "wrong student", in: folder).status == 0)
        // Both a code and a program, or neither: usage errors
        #expect(try bridges("certificate", "badge", code, "--program", "first-aid", in: folder).status == 64)
        #expect(try bridges("certificate", "badge", in: folder).status == 64)
        let outcome = try bridges("certificate", "badge", "--program", "first-aid", "--folder", "out", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput == "wrote 3 badges into out\n", "\(outcome)")
        #expect(outcome.standardError.contains("skipped 1 revoked certificate"), "\(outcome)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path("out")).sorted()
        #expect(files.count == 3 && !files.contains("badge-\(code).jwt"), "\(files)")
        var indexes: Set<String> = []
        for file in files {
            let token = try String(contentsOfFile: folder.path("out/" + file), encoding: .utf8).trimmingCharacters(in: .newlines)
            #expect(try signatureHolds(token, jwkFile: folder.path("term.issuer.jwk")), "\(file)")
            let payload = try decode(token.split(separator: ".")[1])
            #expect((payload["id"] as? String)?.hasSuffix(String(file.dropFirst("badge-".count).dropLast(".jwt".count))) == true)
            indexes.insert(try #require((payload["credentialStatus"] as? [String: Any])?["statusListIndex"] as? String))
        }
        #expect(indexes.count == 3, "each badge its own status bit: \(indexes)")
        // An unknown program: nothing to do
        #expect(try bridges("certificate", "badge", "--program", "juggling", in: folder).status == 66)
    }
}

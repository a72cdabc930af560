import BridgesKit
import BridgesSigning
import Foundation
import Testing

/// `bridges issuer init` (issue 14, item 1): an ES256 key pair whose private half is a new 0600
/// file outside the database, the repository and Exports/, and whose public half is a JWK.
@Suite("bridges issuer", .timeLimit(.minutes(2)))
struct BadgeIssuerTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try CLITerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : 0
    }

    @Test func initWritesA0600KeyBesideTheDatabaseAndAJWKOfTheSameKeyAndStoresNoSecret() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let outcome = try bridges("issuer", "init", "--name", "Riverside Unified", "--url", "https://riverside.example.org", "--actor", "it.admin", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        let keyPath = folder.path("term.issuer-key.pem"), jwkPath = folder.path("term.issuer.jwk")
        #expect(mode(keyPath) == 0o600)
        let pem = try String(contentsOfFile: keyPath, encoding: .utf8)
        let key = try IssuerKey(pem: pem)
        let jwk = try PublicJWK(json: Data(contentsOf: URL(fileURLWithPath: jwkPath)))
        #expect(jwk == key.publicJWK)
        #expect(outcome.standardOutput == "issuer Riverside Unified <https://riverside.example.org>, key id \(jwk.thumbprint)\n", "\(outcome)")
        // The JWK holds no private member
        let published = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jwkPath))) as? [String: Any])
        #expect(Set(published.keys) == ["kty", "crv", "x", "y", "kid", "alg", "use"])
        // The database names the issuer and its key id, never the private key
        let show = try bridges("issuer", "show", in: folder)
        #expect(show.status == 0 && show.standardOutput.contains("key id:  \(jwk.thumbprint)"), "\(show)")
        let database = try Data(contentsOf: URL(fileURLWithPath: folder.path("term.sqlite")))
        let secret = pem.split(separator: "\n").dropFirst().first.map(String.init) ?? pem
        #expect(database.range(of: Data(secret.utf8)) == nil, "the private key is in the database")
        // And its making is in the audit trail
        if BadgeVerificationTests.hasSQLiteShell {
            let trail = try BadgeVerificationTests().audit(folder, jwk.thumbprint)
            #expect(trail == ["create|||||it.admin"], "\(trail)")
        }
        // A second issuer is refused, and the key file is left as it was
        let again = try bridges("issuer", "init", "--name", "Other", "--url", "https://other.example.org", "--key", "other.pem", in: folder)
        #expect(again.status == 65, "\(again)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("other.pem")))
        #expect(try String(contentsOfFile: keyPath, encoding: .utf8) == pem)
    }

    @Test func anExistingFileIsNeverReplacedAndNothingIsStored() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        try folder.write("term.issuer-key.pem", "someone's file\n")
        let outcome = try bridges("issuer", "init", "--name", "Riverside Unified", "--url", "https://riverside.example.org", in: folder)
        #expect(outcome.status == 64, "\(outcome)")
        #expect(try String(contentsOfFile: folder.path("term.issuer-key.pem"), encoding: .utf8) == "someone's file\n")
        #expect(!FileManager.default.fileExists(atPath: folder.path("term.issuer.jwk")))
        #expect(try bridges("issuer", "show", in: folder).status == 66)
        // A public key file in the way: the private key written a moment before is removed again
        try folder.write("taken.jwk", "x\n")
        let jwkTaken = try bridges("issuer", "init", "--name", "R", "--url", "https://r.example.org", "--key", "new.pem", "--jwk", "taken.jwk", in: folder)
        #expect(jwkTaken.status == 64, "\(jwkTaken)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("new.pem")))
        #expect(try bridges("issuer", "show", in: folder).status == 66)
    }

    @Test func aKeyInsideAGitWorkTreeOrExportsOrWithABadAddressIsRefused() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path("repo/.git"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.path("repo/keys"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.path("Exports"), withIntermediateDirectories: true)
        for path in ["repo/keys/issuer.pem", "Exports/issuer.pem"] {
            let outcome = try bridges("issuer", "init", "--name", "R", "--url", "https://r.example.org", "--key", path, in: folder)
            #expect(outcome.status == 64, "\(path): \(outcome)")
            #expect(outcome.standardError.contains("elsewhere (--key PATH)"), "\(outcome)")
            #expect(!FileManager.default.fileExists(atPath: folder.path(path)))
        }
        for url in ["http://r.example.org", "r.example.org", "https://"] {
            #expect(try bridges("issuer", "init", "--name", "R", "--url", url, in: folder).status == 64, "\(url)")
        }
        #expect(try bridges("issuer", "init", "--name", "  ", "--url", "https://r.example.org", in: folder).status == 64)
        #expect(!FileManager.default.fileExists(atPath: folder.path("term.issuer-key.pem")))
    }
}

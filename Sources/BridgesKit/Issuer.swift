import BridgesCore
import BridgesSigning
import BridgesStore
import BridgesSystem
import Foundation

/// Who signs this database's Open Badges (issue 14, item 1): a district or school, its web
/// address, and its P-256 public key (the private key is in a file of its own, never in the database).
/// Not the store's `StoredIssuer`: `issuer init` makes it before it is stored, so it leaves out who made it and when.
public struct IssuerIdentity: Sendable, Hashable {
    public var name: String
    public var url: String
    /// The RFC 7638 thumbprint of the public key: the `kid` of every token it signs.
    public var keyID: String
    /// The public key as a JWK (JSON), as published.
    public var publicJWK: String
    /// Where `issuer init` wrote the private key.
    public var keyPath: String
}

extension IssuerIdentity {
    init(_ stored: StoredIssuer) {
        self.init(name: stored.name, url: stored.url, keyID: stored.keyID, publicJWK: stored.publicJWK, keyPath: stored.keyPath)
    }
}

extension Registrar {
    /// The issuer identity, when `issuer init` has made one.
    public func issuer(caller: Caller) async throws(BridgesError) -> IssuerIdentity? {
        try caller.require(.manageIssuer)
        return try await issuer()
    }

    func issuer() async throws(BridgesError) -> IssuerIdentity? {
        try await store { () async throws(StoreError) in try await database.issuer() }.map(IssuerIdentity.init)
    }

    /// Where the private key goes unless told: beside a database file, named for it
    /// (`bridges.sqlite` → `bridges.issuer-key.pem`).
    public static func defaultIssuerKeyPath(besideDatabaseFile path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let base = url.deletingPathExtension().lastPathComponent
        let folder = PrivateFile.folder(of: path)
        return (path.contains("/") ? folder + "/" : "") + base + ".issuer-key.pem"
    }

    /// Where the public key goes unless told: beside the private key (`bridges.issuer.jwk`).
    public static func defaultIssuerJWKPath(keyPath: String) -> String {
        (keyPath.hasSuffix(".issuer-key.pem") ? String(keyPath.dropLast(".issuer-key.pem".count)) : keyPath) + ".issuer.jwk"
    }

    /// Makes the issuer identity: a new ES256 key pair, the private key written to `keyPath` (a new
    /// 0600 file; an existing file is never replaced), the public key to `jwkPath` as a JWK, and
    /// the name, address and key id stored, audited. Refuses a second issuer, a key inside a git
    /// work tree or inside `reportFolder` (the front door's folder of reports, whose files are
    /// handed out), and an address that is not https. Both paths are absolute (the front door
    /// resolves a relative one against its working folder).
    public func createIssuer(
        name: String, url: String, keyPath: String, jwkPath: String?, reportFolder: ReportFolder?, caller: Caller
    ) async throws(BridgesError) -> IssuerIdentity {
        try caller.require(.manageIssuer)
        let actor = caller.name
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw .usage("\(field: .name) is needed: the district or school that issues the certificates") }
        guard let parsed = URL(string: url), parsed.scheme == "https", let host = parsed.host, !host.isEmpty else {
            throw .usage("\(field: .url) '\(url)' is not an https address; give the issuer's public web address, like https://district.example.org")
        }
        if let existing = try await issuer() {
            throw .rejected("this database already has an issuer, \(existing.name) (key \(existing.keyID), private key at \(existing.keyPath)); nothing changed")
        }
        let jwkPath = jwkPath ?? Self.defaultIssuerJWKPath(keyPath: keyPath)
        for path in [keyPath, jwkPath] where !path.hasPrefix("/") {
            throw .usage("\(path) is not an absolute path; the issuer's keys are named by where they are from the root (/…), so the database records where its private key is")
        }
        try Self.checkPrivateKeyPlace(keyPath, reportFolder: reportFolder)
        let key = IssuerKey.generate()
        let jwk = key.publicJWK
        do {
            try PrivateFile.write(key.privateKeyPEM, to: keyPath, replacing: false)
        } catch {
            throw BridgesError(error)
        }
        do {
            try PrivateFile.write(jwk.json, to: jwkPath, replacing: false)
        } catch {
            try? SystemCall.unlink(keyPath)
            throw BridgesError(error)
        }
        let created: Bool
        do {
            created = try await store { () async throws(StoreError) in
                try await database.createIssuer(name: name, url: url, keyID: jwk.thumbprint, publicJWK: jwk.json.trimmingCharacters(in: .newlines),
                                          keyPath: keyPath, context: WriteContext(actor: actor, at: clock.now))
            }
        } catch {
            try? SystemCall.unlink(keyPath)
            try? SystemCall.unlink(jwkPath)
            throw error
        }
        guard created else {
            try? SystemCall.unlink(keyPath)
            try? SystemCall.unlink(jwkPath)
            throw .rejected("this database already has an issuer; nothing changed")
        }
        return IssuerIdentity(name: name, url: url, keyID: jwk.thumbprint, publicJWK: jwk.json.trimmingCharacters(in: .newlines), keyPath: keyPath)
    }

    /// Reads the issuer's private key and checks it is the one the database knows.
    func issuerKey(at path: String? = nil) async throws(BridgesError) -> (IssuerIdentity, IssuerKey) {
        guard let issuer = try await issuer() else {
            throw .notFound(.issuer, "this database has no issuer yet; make one with: \(.issuerInit) \(field: .name) NAME \(field: .url) URL")
        }
        let path = path ?? issuer.keyPath
        guard let pem = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .notFound(.issuerKey(path), "cannot read the issuer's private key at \(path); give its place with \(field: .key)")
        }
        let key: IssuerKey
        do {
            key = try IssuerKey(pem: pem)
        } catch {
            throw .rejected("\(path): \(error.description)")
        }
        guard key.publicJWK.thumbprint == issuer.keyID else {
            throw .rejected("\(path) is not the private key of \(issuer.name) (its key id is \(key.publicJWK.thumbprint), the database's \(issuer.keyID))")
        }
        return (issuer, key)
    }

    /// A private key is never written where it would be committed (a git work tree) or handed
    /// out with reports (`reportFolder`, the front door's).
    static func checkPrivateKeyPlace(_ path: String, reportFolder: ReportFolder?) throws(BridgesError) {
        let folder = PrivateFile.folder(of: path)
        var resolved = folder
        if let real = try? SystemCall.realPath(folder) { resolved = real }
        if let reportFolder {
            let reports = (try? SystemCall.realPath(reportFolder.path)) ?? reportFolder.path
            if resolved == reports || resolved.hasPrefix(reports.hasSuffix("/") ? reports : reports + "/") {
                throw .usage("\(path) is inside an \(reportFolder.shownAs) folder, whose files are handed out; keep the issuer's private key elsewhere (\(field: .key) PATH)")
            }
        }
        var current = resolved
        while true {
            if SystemCall.exists(current + "/.git") {
                throw .usage("\(path) is inside the git work tree \(current), where it could be committed; keep the issuer's private key elsewhere (\(field: .key) PATH)")
            }
            guard current != "/", !current.isEmpty else { break }
            current = (current as NSString).deletingLastPathComponent
        }
    }
}

import BridgesArchives
import BridgesCore
import BridgesSigning
import BridgesStore
import Foundation

/// The issuer's revocation list as a W3C Bitstring Status List credential (issue 14, item 2):
/// one bit per certificate that has a badge, set when it is revoked, gzip-compressed and signed
/// like the badges, so a verifier checks revocation offline with the public key and this file.
public struct StatusList: Sendable {
    /// The compact JWS of the BitstringStatusListCredential.
    public var token: String
    /// Where the badges say it is published.
    public var url: String
    public var revokedCount: Int
    public var entries: Int
}

extension Registrar {
    /// Where badges say the issuer publishes its revocation list: `URL/status/revocation`.
    static func statusListURL(_ issuer: IssuerIdentity) -> String {
        (issuer.url.hasSuffix("/") ? String(issuer.url.dropLast()) : issuer.url) + "/status/revocation"
    }

    /// The fewest bits a list has (16 KiB, Bitstring Status List §2.1: so that a list does not
    /// tell how many credentials exist, nor which is which).
    static let statusListMinimumBits = 131_072

    /// The signed revocation list as of now, valid for `validDays` (then publish a new one; a
    /// verifier refuses a lapsed list, so an old copy cannot bring a revoked badge back).
    public func statusList(keyPath: String? = nil, validDays: Int = 30) async throws(BridgesError) -> StatusList {
        let now = clock.now
        guard (1...366).contains(validDays) else { throw .usage("\(field: .validDays) must be 1 to 366") }
        let (issuer, key) = try await issuerKey(at: keyPath)
        let (revoked, assigned) = try await store { () async throws(StoreError) in try await database.revocationStatus() }
        let bits = max(Self.statusListMinimumBits, (assigned + 7) / 8 * 8)
        var bitstring = [UInt8](repeating: 0, count: bits / 8)
        for index in revoked where index >= 0 && index < bits {
            bitstring[index / 8] |= 0x80 >> UInt8(index % 8) // index 0 is the first byte's highest bit
        }
        let compressed = try Self.gzip(bitstring)
        let url = Self.statusListURL(issuer)
        let issued = Int(now.timeIntervalSince1970)
        let until = issued + validDays * 86_400
        let payload: [String: Any] = [
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": ["id": issuer.url, "type": ["Profile"], "name": issuer.name],
            "validFrom": Self.timestamp(issued),
            "validUntil": Self.timestamp(until),
            "credentialSubject": [
                "id": url + "#list",
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": "u" + Base64URL.encode(compressed),
            ] as [String: Any],
            "iss": issuer.url, "jti": url, "sub": url + "#list", "iat": issued, "nbf": issued, "exp": until,
        ]
        do {
            let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
            let header = try JSONSerialization.data(withJSONObject: ["alg": "ES256", "typ": "JWT", "kid": issuer.keyID], options: options)
            let body = try JSONSerialization.data(withJSONObject: payload, options: options)
            return StatusList(token: try key.signJWS(header: header, payload: body), url: url, revokedCount: revoked.count, entries: assigned)
        } catch let error as SigningError {
            throw .internalError(Message(error.description))
        } catch {
            throw .internalError("could not encode the status list: \(error)")
        }
    }

    static func timestamp(_ seconds: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// `bytes` as one gzip member (RFC 1952).
    static func gzip(_ bytes: [UInt8]) throws(BridgesError) -> [UInt8] {
        do {
            return try Gzip.compress(bytes)
        } catch {
            throw .internalError("the status list could not be compressed: \(error)")
        }
    }
}

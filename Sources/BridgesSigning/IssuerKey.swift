import Crypto
import Foundation

/// An issuer's ES256 key: a P-256 key pair made with swift-crypto (issue 14). The private key
/// lives only in a PEM file readable by its owner; the public key is published as a JWK.
public struct IssuerKey: Sendable {
    /// The private scalar (swift-crypto's key type is not Sendable; this is its raw form).
    private let scalar: Data
    var privateKey: P256.Signing.PrivateKey { try! P256.Signing.PrivateKey(rawRepresentation: scalar) }

    /// A new key pair from the system's secure random generator.
    public static func generate() -> IssuerKey {
        IssuerKey(privateKey: P256.Signing.PrivateKey())
    }

    /// Reads a key from its PEM text (PKCS#8 or SEC1 "EC PRIVATE KEY").
    public init(pem: String) throws(SigningError) {
        do {
            scalar = try P256.Signing.PrivateKey(pemRepresentation: pem).rawRepresentation
        } catch {
            throw .badKey("not a P-256 private key in PEM form")
        }
    }

    init(privateKey: P256.Signing.PrivateKey) {
        scalar = privateKey.rawRepresentation
    }

    /// The private key as PEM (PKCS#8), for its 0600 file.
    public var privateKeyPEM: String { privateKey.pemRepresentation + (privateKey.pemRepresentation.hasSuffix("\n") ? "" : "\n") }

    /// The public half, as published.
    public var publicJWK: PublicJWK { PublicJWK(privateKey.publicKey) }

    /// An ES256 JSON Web Signature (compact form) of `payload` with `header`: the signature is the
    /// raw 64 bytes r‖s (RFC 7518 §3.4), not DER.
    public func signJWS(header: Data, payload: Data) throws(SigningError) -> String {
        let input = Base64URL.encode(header) + "." + Base64URL.encode(payload)
        do {
            let signature = try privateKey.signature(for: Data(input.utf8))
            return input + "." + Base64URL.encode(signature.rawRepresentation)
        } catch {
            throw .signingFailed("\(error)")
        }
    }
}

/// A P-256 public key as a JSON Web Key (RFC 7517/7518), identified by its RFC 7638 thumbprint.
public struct PublicJWK: Sendable, Hashable {
    /// The affine coordinates, base64url without padding.
    public var x: String
    public var y: String

    init(_ key: P256.Signing.PublicKey) {
        let point = key.x963Representation // 0x04 ‖ x ‖ y
        x = Base64URL.encode(point.dropFirst().prefix(32))
        y = Base64URL.encode(point.dropFirst(33))
    }

    /// Reads a JWK as published (`kty` EC, `crv` P-256); other members are ignored.
    public init(json: Data) throws(SigningError) {
        guard let object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any],
              object["kty"] as? String == "EC", object["crv"] as? String == "P-256",
              let x = object["x"] as? String, let y = object["y"] as? String,
              let xBytes = Base64URL.decode(x), let yBytes = Base64URL.decode(y), xBytes.count == 32, yBytes.count == 32,
              (try? P256.Signing.PublicKey(x963Representation: [0x04] + xBytes + yBytes)) != nil
        else { throw .badKey("not a P-256 public key in JWK form (kty EC, crv P-256, x, y)") }
        self.x = x
        self.y = y
    }

    /// The RFC 7638 thumbprint (SHA-256 of the required members in lexicographic order), base64url:
    /// the key id (`kid`) that tokens name.
    public var thumbprint: String {
        Base64URL.encode(SHA256.hash(data: Data(#"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#.utf8)))
    }

    /// The JWK as published, with its key id, algorithm and use.
    public var json: String {
        """
        {"kty":"EC","crv":"P-256","x":"\(x)","y":"\(y)","kid":"\(thumbprint)","alg":"ES256","use":"sig"}

        """
    }

    var publicKey: P256.Signing.PublicKey? {
        guard let xBytes = Base64URL.decode(x), let yBytes = Base64URL.decode(y) else { return nil }
        return try? P256.Signing.PublicKey(x963Representation: [0x04] + xBytes + yBytes)
    }

    /// Checks a compact ES256 JWS against this key; returns its header and payload bytes when the
    /// signature is good and the header says ES256, nil otherwise.
    public func verifyJWS(_ token: String) -> (header: Data, payload: Data)? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = Base64URL.decode(String(parts[0])), let payload = Base64URL.decode(String(parts[1])),
              let signatureBytes = Base64URL.decode(String(parts[2])), signatureBytes.count == 64,
              let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signatureBytes),
              let publicKey,
              let object = (try? JSONSerialization.jsonObject(with: Data(header))) as? [String: Any], object["alg"] as? String == "ES256",
              publicKey.isValidSignature(signature, for: Data((parts[0] + "." + parts[1]).utf8))
        else { return nil }
        return (Data(header), Data(payload))
    }
}

/// Why a key or a signature could not be used.
public enum SigningError: Error, Sendable, CustomStringConvertible {
    case badKey(String)
    case signingFailed(String)

    public var description: String {
        switch self {
        case .badKey(let text): text
        case .signingFailed(let text): "signing failed: \(text)"
        }
    }
}

/// Base64url without padding (RFC 7515 §2).
public enum Base64URL {
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ text: String) -> [UInt8]? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }
}

/// SHA-256 for Open Badges' hashed identifiers: `sha256$` and the hex digest of `text`.
public func openBadgesHash(_ text: String) -> String {
    "sha256$" + SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
}

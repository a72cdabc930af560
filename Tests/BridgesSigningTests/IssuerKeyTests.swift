import BridgesSigning
import Crypto
import Foundation
import Testing

/// The issuer's key and ES256 signatures (issue 14, item 1), checked with swift-crypto directly.
@Suite("issuer key and ES256")
struct IssuerKeyTests {
    @Test func aKeyRoundTripsThroughPEMAndItsJWKNamesTheSamePublicKey() throws {
        let key = IssuerKey.generate()
        let pem = key.privateKeyPEM
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"), "\(pem)")
        let again = try IssuerKey(pem: pem)
        #expect(again.publicJWK == key.publicJWK)
        // The JWK is the public key's coordinates: swift-crypto reads the same key back from them
        let jwk = try #require(try JSONSerialization.jsonObject(with: Data(key.publicJWK.json.utf8)) as? [String: String])
        #expect(jwk["kty"] == "EC" && jwk["crv"] == "P-256" && jwk["alg"] == "ES256" && jwk["use"] == "sig")
        #expect(jwk["d"] == nil, "the private scalar must never be in the JWK")
        let xText = try #require(jwk["x"]), yText = try #require(jwk["y"])
        let x = try #require(Base64URL.decode(xText))
        let y = try #require(Base64URL.decode(yText))
        let expected = try P256.Signing.PrivateKey(pemRepresentation: pem).publicKey.x963Representation
        #expect(Data([0x04] + x + y) == expected)
        // The key id is the RFC 7638 thumbprint of those members
        let canonical = #"{"crv":"P-256","kty":"EC","x":"\#(xText)","y":"\#(yText)"}"#
        #expect(jwk["kid"] == Base64URL.encode(SHA256.hash(data: Data(canonical.utf8))))
        #expect(try PublicJWK(json: Data(key.publicJWK.json.utf8)) == key.publicJWK)
        // Two keys differ
        #expect(IssuerKey.generate().publicJWK != key.publicJWK)
    }

    @Test func base64URLFollowsRFC4648AndNeverPads() throws {
        #expect(Base64URL.encode(Array("f".utf8)) == "Zg")
        #expect(Base64URL.encode(Array("fo".utf8)) == "Zm8")
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xfb, 0xff])
        #expect(Base64URL.decode("a+b") == nil)
    }

    @Test func anES256SignatureIsRaw64BytesAndVerifiesOnlyUntampered() throws {
        let key = IssuerKey.generate()
        let token = try key.signJWS(header: Data(#"{"alg":"ES256","typ":"JWT"}"#.utf8), payload: Data(#"{"sub":"x"}"#.utf8))
        let parts = token.split(separator: ".").map(String.init)
        #expect(parts.count == 3)
        let signature = try #require(Base64URL.decode(parts[2]))
        #expect(signature.count == 64)
        // swift-crypto itself accepts it as a raw r‖s signature over header.payload
        let publicKey = try P256.Signing.PrivateKey(pemRepresentation: key.privateKeyPEM).publicKey
        #expect(publicKey.isValidSignature(try P256.Signing.ECDSASignature(rawRepresentation: signature), for: Data((parts[0] + "." + parts[1]).utf8)))
        #expect(key.publicJWK.verifyJWS(token) != nil)
        // A changed payload, another key, or a truncated signature: refused
        let tampered = parts[0] + "." + Base64URL.encode(Array(#"{"sub":"y"}"#.utf8)) + "." + parts[2]
        #expect(key.publicJWK.verifyJWS(tampered) == nil)
        #expect(IssuerKey.generate().publicJWK.verifyJWS(token) == nil)
        #expect(key.publicJWK.verifyJWS(parts[0] + "." + parts[1] + "." + String(parts[2].dropLast(4))) == nil)
    }

    @Test func aFileThatIsNotAKeyIsRefused() {
        #expect(throws: SigningError.self) { try IssuerKey(pem: "hello") }
        #expect(throws: SigningError.self) { try PublicJWK(json: Data(#"{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#.utf8)) }
    }
}

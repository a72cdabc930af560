/// A certificate's verification code: 80 random bits in Crockford's base 32, printed in four
/// groups of four for people to type (`7K3Q-M9XD-2HFA-8PQR`).
///
/// Random from the system's cryptographically secure generator, never derived from the student,
/// so a code reveals nothing and cannot be guessed from a name. Crockford's alphabet has no I, L,
/// O or U, and reading accepts those as the 1, 1, 0 people mean; case and dashes do not matter.
public struct CertificateCode: Sendable, Hashable, CustomStringConvertible {
    public static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    public static let length = 16
    public static let bits = 80

    /// The 16 characters without dashes, upper case: how the code is stored.
    public let normalized: String

    /// A new random code.
    public static func random() -> CertificateCode {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> CertificateCode {
        var characters: [UInt8] = []
        characters.reserveCapacity(length)
        for _ in 0..<length {
            characters.append(alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))])
        }
        return CertificateCode(checkedNormalized: String(decoding: characters, as: UTF8.self))
    }

    private init(checkedNormalized: String) { normalized = checkedNormalized }

    /// A code as the database stores it (already normalized when it was issued).
    public init(stored: String) { normalized = stored }

    /// Reads a code as a person typed it: any case, with or without dashes or spaces.
    public init?(_ text: String) {
        var characters: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "-"), UInt8(ascii: " "), UInt8(ascii: "\t"): continue
            default: break
            }
            var upper = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
            switch upper {
            case UInt8(ascii: "O"): upper = UInt8(ascii: "0")
            case UInt8(ascii: "I"), UInt8(ascii: "L"): upper = UInt8(ascii: "1")
            default: break
            }
            guard Self.alphabet.contains(upper) else { return nil }
            characters.append(upper)
        }
        guard characters.count == Self.length else { return nil }
        normalized = String(decoding: characters, as: UTF8.self)
    }

    /// `7K3Q-M9XD-2HFA-8PQR`.
    public var description: String {
        let chars = Array(normalized)
        return stride(from: 0, to: chars.count, by: 4).map { String(chars[$0..<min($0 + 4, chars.count)]) }.joined(separator: "-")
    }
}

import BridgesCore
import Testing

/// Certificate codes (cli.md, "Certificates"): at least 60 random bits, printed in groups for
/// people to type, never derived from the student; read in any case, with or without dashes.
@Suite("Certificate code")
struct CertificateCodeTests {
    static let crockford = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// A generator that gives back a fixed sequence, to make codes whose characters we know.
    struct Sequence: RandomNumberGenerator {
        var values: [UInt64]
        var index = 0
        mutating func next() -> UInt64 {
            defer { index += 1 }
            return values[index % values.count]
        }
    }

    @Test func aNewCodeIsSixteenCrockfordCharactersPrintedInFourGroupsOfFour() throws {
        // Given a new code
        let code = CertificateCode.random()
        // Then it is stored as 16 characters of Crockford base 32, upper case
        #expect(code.normalized.count == 16)
        #expect(code.normalized.allSatisfy { Self.crockford.contains($0) }, "\(code.normalized)")
        // And printed as XXXX-XXXX-XXXX-XXXX
        let groups = code.description.split(separator: "-", omittingEmptySubsequences: false)
        #expect(groups.count == 4, "\(code)")
        #expect(groups.allSatisfy { $0.count == 4 }, "\(code)")
        #expect(groups.joined() == code.normalized)
    }

    @Test func aCodeCarriesAtLeastSixtyBits() {
        // 16 characters of a 32-letter alphabet, drawn uniformly: 80 bits
        #expect(CertificateCode.alphabet.count == 32)
        #expect(CertificateCode.length * 5 >= 60)
        #expect(CertificateCode.bits == CertificateCode.length * 5)
    }

    @Test func aThousandNewCodesAreAllDifferent() {
        // Given 1,000 codes from the system generator
        let codes = (0..<1_000).map { _ in CertificateCode.random().normalized }
        // Then no two are the same
        #expect(Set(codes).count == 1_000)
    }

    @Test func newCodesUseTheWholeAlphabet() {
        // Given 1,000 codes (16,000 characters)
        var seen: Set<Character> = []
        for _ in 0..<1_000 { seen.formUnion(CertificateCode.random().normalized) }
        // Then every one of the 32 characters turns up: the draw is not biased to a few
        #expect(seen == Self.crockford)
    }

    @Test func theCodeIsDrawnFromTheGeneratorCharacterByCharacter() {
        // Given a generator that always draws index 0, then one that always draws the last index
        var zeros = Sequence(values: [0])
        var last = Sequence(values: [UInt64.max])
        // Then the codes are all '0', and all 'Z'
        #expect(CertificateCode.random(using: &zeros).normalized == String(repeating: "0", count: 16))
        #expect(CertificateCode.random(using: &last).normalized == String(repeating: "Z", count: 16))
    }

    // MARK: reading what people type

    @Test func aCodeIsReadInLowerCaseWithoutDashes() throws {
        // Given a printed code
        let code = CertificateCode.random()
        // When a person types it in lower case, without the dashes
        let typed = try #require(CertificateCode(code.normalized.lowercased()))
        // Then it is the same code
        #expect(typed == code)
        #expect(CertificateCode(code.description) == code)
        #expect(CertificateCode(code.description.lowercased()) == code)
    }

    @Test func spacesAndDashesAnywhereAreIgnored() {
        #expect(CertificateCode("7k3q m9xd-2hfa 8pqr")?.normalized == "7K3QM9XD2HFA8PQR")
        #expect(CertificateCode(" 7K3Q-M9XD-2HFA-8PQR ")?.normalized == "7K3QM9XD2HFA8PQR")
    }

    @Test func lettersPeopleConfuseWithDigitsAreReadAsTheDigits() {
        // Given O for 0, and I or L for 1, in either case
        // Then they are read as the digits Crockford's alphabet means
        #expect(CertificateCode("O0O0-I1L1-o0i1-l1AB")?.normalized == "00001111" + "0011" + "11AB")
    }

    @Test func malformedCodesAreRefused() {
        // Too short, too long, a character outside the alphabet (U is not in it), punctuation
        #expect(CertificateCode("7K3Q-M9XD-2HFA") == nil)
        #expect(CertificateCode("7K3Q-M9XD-2HFA-8PQRX") == nil)
        #expect(CertificateCode("7K3Q-M9XD-2HFA-8PQU") == nil)
        #expect(CertificateCode("7K3Q-M9XD-2HFA-8PQ!") == nil)
        #expect(CertificateCode("") == nil)
        #expect(CertificateCode("7K3Q-M9XD-2HFA-8PQÉ") == nil)
    }
}

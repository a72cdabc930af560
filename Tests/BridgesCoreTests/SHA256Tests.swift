import BridgesCore
import Testing

/// SHA-256 against the examples of NIST (FIPS 180-4's "SHA256.pdf" example values and the
/// long-message vector), and across block boundaries against itself fed in pieces.
@Suite("SHA-256")
struct SHA256Tests {
    @Test("the NIST examples: empty, abc, the two-block 448-bit message, the 896-bit message")
    func nistExamples() {
        #expect(SHA256.hash([UInt8]()).hexadecimal == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hash(Array("abc".utf8)).hexadecimal == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)).hexadecimal
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hash(Array("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8)).hexadecimal
            == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    @Test("one million times the letter a")
    func millionA() {
        var hasher = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(hasher.finalize().hexadecimal == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("fed in pieces of any size, the digest is the one of the whole")
    func pieces() {
        let message = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let whole = SHA256.hash(message)
        for size in [1, 3, 55, 56, 63, 64, 65, 199] {
            var hasher = SHA256()
            var start = 0
            while start < message.count {
                hasher.update(message[start..<min(start + size, message.count)])
                start += size
            }
            #expect(hasher.finalize() == whole, "pieces of \(size)")
        }
        // Every length around the padding boundary gives a different digest.
        let digests = Set((50...70).map { SHA256.hash(message.prefix($0)) })
        #expect(digests.count == 21)
    }
}

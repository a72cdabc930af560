/// A 128-bit hash of an id, kept instead of the id when a file has a million of them.
///
/// A OneRoster sourcedId is often a 36-character GUID, about 80 bytes as a `String` on the heap;
/// a fingerprint is 16 bytes inline. Two 64-bit SipHashes with different prefixes make a
/// collision between two ids of one file about as likely as 2^-128, which is never in practice.
/// Hash values are seeded per process, so fingerprints are never stored or compared across runs.
struct IDFingerprint: Hashable, Sendable {
    private let low: Int
    private let high: Int

    init(_ id: String) {
        var first = Hasher()
        first.combine(0x5EED_0001 as UInt64)
        first.combine(id)
        low = first.finalize()
        var second = Hasher()
        second.combine(0x5EED_0002 as UInt64)
        second.combine(id)
        high = second.finalize()
    }

    /// Half the fingerprint is already a good hash; hashing both halves again would be wasted.
    func hash(into hasher: inout Hasher) {
        hasher.combine(low)
    }

    /// The fingerprint of a pair of ids, such as a class and a student (hashed as the two strings
    /// in turn, with no joined string made).
    init(_ first: String, _ second: String) {
        var one = Hasher()
        one.combine(0x5EED_0003 as UInt64)
        one.combine(first)
        one.combine(second)
        low = one.finalize()
        var two = Hasher()
        two.combine(0x5EED_0004 as UInt64)
        two.combine(first)
        two.combine(second)
        high = two.finalize()
    }
}

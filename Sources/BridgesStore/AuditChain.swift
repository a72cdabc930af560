import BridgesCore

/// The hash chain that makes the audit trail tamper-evident.
///
/// Each event's `chainHash` is the SHA-256 (BridgesCore's, FIPS 180-4) of a canonical encoding of
/// the previous event's `chainHash` and this event's fields, so rewriting, removing or slipping in
/// an event with the sqlite3 shell breaks the chain at that event, and `doctor` names it.
///
/// The encoding, version 1: the tag `bridges audit chain 1`, then each of: the previous hash (as
/// its 64 hex digits; 64 zeros before the first event), `id` in decimal, `at`, `actor`, `action`,
/// `entity`, `entityId`, `field`, each written as a *text*: byte 0 for NULL, otherwise byte 1, the
/// UTF-8 length as 4 bytes big-endian and the UTF-8 bytes. Then the four free-text fields that can
/// hold a person's data (`oldValue`, `newValue`, `reason`, `detail`) each as a *digest*: byte 0 for
/// NULL, otherwise byte 2 and the 32-byte SHA-256 of its UTF-8.
///
/// Why the free text goes in as its own digest: erasing a student (`bridges student erase`) must
/// remove their names from old events too (a roster import records "givenName: old → new"). The
/// erasure blanks those fields and keeps each one's digest in `erased` (`field=hex;…`), so the chain
/// still verifies without the personal data, and the erasure itself is an event of the chain.
///
/// What the chain cannot do: it has no secret, so someone who rewrites an event and recomputes
/// every later hash makes a chain that verifies. `doctor` therefore prints the last event's number
/// and hash (the chain's head): a head written down earlier, or kept in a backup, that no longer
/// appears in the chain shows such a rewrite. Removing the newest events leaves a shorter chain
/// that verifies; the replay of the trail against the records finds that when the removed events
/// explained a record.
package enum AuditChain {
    /// The hash "before" the first event.
    package static let genesis = String(repeating: "0", count: 64)
    static let tag = Array("bridges audit chain 1".utf8)
    /// The fields whose values enter the chain as digests, and may be erased.
    package static let personalFields = ["oldValue", "newValue", "reason", "detail"]

    /// The chain hash of one event, given the previous one's.
    package static func hash(
        previous: String, id: Int64, at: String, actor: String, action: String, entity: String, entityId: String, field: String?,
        oldValue: String?, newValue: String?, reason: String?, detail: String?, erased: String? = nil
    ) -> String {
        var bytes = tag
        bytes.reserveCapacity(256)
        func text(_ value: String?) {
            guard let value else { return bytes.append(0) }
            let utf8 = Array(value.utf8)
            bytes.append(1)
            let count = UInt32(truncatingIfNeeded: utf8.count)
            bytes += [UInt8(count >> 24), UInt8(truncatingIfNeeded: count >> 16), UInt8(truncatingIfNeeded: count >> 8), UInt8(truncatingIfNeeded: count)]
            bytes += utf8
        }
        let kept = erased.map(erasedDigests) ?? [:]
        func digest(_ name: String, _ value: String?) {
            if let stored = kept[name] {
                bytes.append(2)
                bytes += stored
                return
            }
            guard let value else { return bytes.append(0) }
            bytes.append(2)
            bytes += SHA256.hash(value.utf8)
        }
        text(previous)
        text(String(id))
        text(at)
        text(actor)
        text(action)
        text(entity)
        text(entityId)
        text(field)
        digest("oldValue", oldValue)
        digest("newValue", newValue)
        digest("reason", reason)
        digest("detail", detail)
        return SHA256.hash(bytes).hexadecimal
    }

    /// `oldValue=hex;detail=hex` → the digests an erasure kept (malformed parts are left out, and
    /// then the chain does not verify).
    package static func erasedDigests(_ text: String) -> [String: [UInt8]] {
        var digests: [String: [UInt8]] = [:]
        for part in text.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[1].utf8.count == 64, let bytes = bytes(hex: pair[1]) else { continue }
            digests[String(pair[0])] = bytes
        }
        return digests
    }

    package static func bytes(hex: Substring) -> [UInt8]? {
        var bytes: [UInt8] = []
        var high: UInt8?
        for c in hex.utf8 {
            let v: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = c - UInt8(ascii: "a") + 10
            default: return nil
            }
            if let h = high { bytes.append(h << 4 | v); high = nil } else { high = v }
        }
        return high == nil ? bytes : nil
    }
}


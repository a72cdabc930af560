/// Checks that bytes are well-formed UTF-8 (Unicode's table 3-7), and where they stop being so.
///
/// The standard library's `String(validating:as:)` is generic and, unspecialized across modules,
/// costs more than the whole CSV parse; this check is a plain loop with a fast path for ASCII,
/// inlinable so that the CSV reader's per-field call stays as cheap as it was in its own module.
/// One copy for every reader: CSV files and lesson files declared in another encoding.
/// Overlong forms, surrogates and code points above U+10FFFF are refused, as the standard says.
package enum UTF8Validation {
    /// The offset of the first byte at or after `start` that does not begin a well-formed
    /// sequence, or `nil` when the rest of `bytes` is UTF-8.
    @inlinable
    package static func firstInvalidOffset(in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        let count = bytes.count
        var i = start
        while i < count {
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                high = 0x9F
            case 0xF0:
                length = 4
                low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                high = 0x8F
            default: return i
            }
            guard i + length <= count else { return i }
            let second = bytes[i + 1]
            guard second >= low && second <= high else { return i }
            var k = 2
            while k < length {
                guard bytes[i + k] & 0xC0 == 0x80 else { return i }
                k += 1
            }
            i += length
        }
        return nil
    }
}

/// The identifier rule of lesson-plan-format.md: `[a-z0-9][a-z0-9-]{0,63}`.
///
/// Programs, lessons, objectives, activities, questions and choices are named this way, so that
/// ids are safe in file names, URLs and command lines.
public enum Identifier {
    public static let maximumLength = 64

    public static func isValid(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, bytes.count <= maximumLength, isLowerAlnum(first) else { return false }
        return bytes.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isLowerAlnum(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}

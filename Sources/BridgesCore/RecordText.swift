/// The one rule for the ids and names Bridges keeps about people and places: students, classes,
/// schools, officers and agencies, whether a roster file or a person at the command line gives
/// them. Every reader and command checks with `RecordText.problem(_:as:)`, so the rule is the same
/// everywhere.
///
/// - No control characters: C0 (including tab, CR, LF, ESC, BEL), DEL and C1. They cannot be
///   seen, they break listings and CSV cells, and a terminal acts on some of them.
/// - A length limit in characters: a roster that holds a four-million-character name is broken,
///   and storing it would make every listing and report carry it.
///
/// The text is checked as it will be stored (callers trim white space at either end first).
public enum RecordText {
    public enum Kind: Sendable {
        /// A school's or district's id for a record (a student number, a OneRoster sourcedId).
        case id
        /// A person's, school's, class's or agency's name.
        case name

        /// The most characters (Unicode scalars) a value may have.
        public var maximumLength: Int {
            switch self {
            case .id: RecordText.maximumIDLength
            case .name: RecordText.maximumNameLength
            }
        }
    }

    /// Longer than any student information system's number or a OneRoster GUID.
    public static let maximumIDLength = 128
    /// Longer than any school's or person's full name.
    public static let maximumNameLength = 200

    /// What is wrong with a value, for a message that starts with the value's name (such as a
    /// column or a flag): `has a tab (U+0009) at character 4; …`.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var message: String
        /// The 1-based character where the problem is, when it is one character.
        public var character: Int?

        public var description: String { message }
    }

    /// `nil` when `text` may be stored as a value of `kind`; otherwise what is wrong and what to do.
    ///
    /// Linear in the text, and quick for the usual visible ASCII: safe for a million-row roster.
    public static func problem(_ text: String, as kind: Kind) -> Problem? {
        let limit = kind.maximumLength
        let utf8 = text.utf8
        // Fast path: short visible ASCII, as nearly every id and name in a roster is.
        if utf8.count <= limit, utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return nil }
        var count = 0
        for scalar in text.unicodeScalars {
            count += 1
            if isControl(scalar) {
                return Problem(
                    message: "has \(describe(scalar)) at character \(count); ids and names may not hold control "
                        + "characters (tabs, line breaks, escapes): remove it and write the value on one line",
                    character: count)
            }
            if count > limit {
                let what = kind == .id ? "an id" : "a name"
                return Problem(
                    message: "is longer than \(limit) characters, the most \(what) may have; "
                        + "check that the value is in the right place and shorten it",
                    character: limit + 1)
            }
        }
        return nil
    }

    /// C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F)
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let name: String? =
            switch scalar.value {
            case 0x09: "a tab"
            case 0x0A: "a line feed"
            case 0x0D: "a carriage return"
            case 0x1B: "an escape"
            case 0x07: "a bell"
            case 0x00: "a NUL"
            case 0x7F: "a delete"
            default: nil
            }
        return name.map { "\($0) (\(code))" } ?? "a control character (\(code))"
    }
}

/// Text as a terminal will show it: the one rule for making stored values safe to print for people,
/// and how many columns they take.
///
/// Names, reasons, notes and actors come from files and from other people; a terminal obeys the
/// control characters in them (an escape sequence recolours or rewrites the screen, a carriage
/// return or a line break forges a line, a bidi override reorders what follows). Everything printed
/// for people shows those characters as a visible `\u{1B}` instead. Machine outputs (CSV, a page
/// written with `--out -`, the id `session log` prints) are not for this rule.
public enum DisplayText {
    /// Whether a terminal would act on `scalar` rather than show it: C0 controls (tab, line break
    /// and carriage return included), DEL, C1 controls, the line and paragraph separators and the
    /// bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
    public static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || (0x2028...0x202E).contains(value)
            || (0x2066...0x2069).contains(value)
    }

    /// `text` with every hidden character (see `isHidden`) written as `\u{HEX}`, so one value stays
    /// on one line and cannot steer the terminal.
    public static func escaped(_ text: String) -> String {
        escaped(text, keepingLineBreaks: false)
    }

    /// The same rule for text already composed of lines: a line feed stays a line break, every
    /// other hidden character is escaped.
    public static func escapedKeepingLineBreaks(_ text: String) -> String {
        escaped(text, keepingLineBreaks: true)
    }

    private static func escaped(_ text: String, keepingLineBreaks: Bool) -> String {
        // Fast path: a hidden character has a byte below 0x20, is DEL, or starts with 0xC2 (C1)
        // or 0xE2 (U+2000–U+2FFF); most text has none of these.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }) else { return text }
        func hides(_ scalar: Unicode.Scalar) -> Bool {
            isHidden(scalar) && !(keepingLineBreaks && scalar == "\n")
        }
        guard text.unicodeScalars.contains(where: hides) else { return text }
        var shown = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if hides(scalar) {
                shown.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                shown.append(scalar)
            }
        }
        return String(shown)
    }

    /// The columns `text` takes in a terminal: East Asian wide and fullwidth characters and emoji
    /// take two, combining marks and format characters none, everything else one (as `wcwidth`
    /// counts). An emoji sequence (joined pictures, a flag, a symbol with the emoji selector)
    /// counts as the one picture a terminal draws: two.
    public static func width(_ text: String) -> Int {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        var total = 0
        for character in text { total += width(character) }
        return total
    }

    /// The columns one character (grapheme cluster) takes.
    public static func width(_ character: Character) -> Int {
        var columns = 0
        var emojiSelected = false
        for scalar in character.unicodeScalars {
            let value = scalar.value
            if value < 0x7F {
                if value >= 0x20 { columns += 1 }
            } else if value == 0xFE0F {
                emojiSelected = true
            } else if isWide(scalar) {
                return 2
            } else if !isZeroWidth(scalar) {
                columns += 1
            }
        }
        return emojiSelected && columns > 0 ? 2 : columns
    }

    /// `text` cut to at most `limit` columns, ending with "…" when something was cut; whole
    /// characters only. Reads no further than the cut, so a cell of millions of characters costs
    /// no more than a short one.
    public static func truncated(_ text: String, toWidth limit: Int) -> String {
        guard limit > 0 else { return "" }
        // Fast path: short enough by bytes cannot be too wide (no character takes more columns
        // than it has UTF-8 bytes).
        if text.utf8.count <= limit { return text }
        var used = 0
        var end = text.startIndex
        var index = text.startIndex
        while index != text.endIndex {
            let character = text[index]
            let columns = width(character)
            if used + columns > limit { break }
            used += columns
            // Remember the last place where "…" (one column) still fits.
            index = text.index(after: index)
            if used <= limit - 1 { end = index }
        }
        if index == text.endIndex { return text }
        return String(text[..<end]) + "…"
    }

    /// A table cell as shown: escaped, cut to `limit` columns, and the columns it then takes.
    /// Printable ASCII (most cells) is measured in one pass over its bytes.
    public static func cell(_ text: String, limit: Int) -> (text: String, width: Int) {
        let count = text.utf8.count
        if count <= limit, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return (text, count) }
        let shown = truncated(escaped(text), toWidth: limit)
        return (shown, width(shown))
    }

    /// General categories that take no column: nonspacing and enclosing marks, format characters.
    private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return true
        default: return (0x1160...0x11FF).contains(scalar.value)  // Hangul medial vowels and final consonants
        }
    }

    /// East Asian Width W or F (Unicode 15 ranges), or an emoji shown as a picture by default.
    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x1100 { return false }
        for range in wideRanges where range.contains(value) { return true }
        return value >= 0x1F000 && scalar.properties.isEmojiPresentation
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF,
        0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248,
        0x1F250...0x1F251, 0x1F260...0x1F265, 0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C,
        0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4...0x1F3F4,
        0x1F3F8...0x1F43E, 0x1F440...0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E,
        0x1F550...0x1F567, 0x1F57A...0x1F57A, 0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F,
        0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF,
        0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB, 0x1F7F0...0x1F7F0, 0x1F90C...0x1F93A,
        0x1F93C...0x1F945, 0x1F947...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}

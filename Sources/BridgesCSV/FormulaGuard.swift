/// The formula guard of CSV reports, and its exact inverse for reading our own files back.
///
/// Writing: a text cell that starts with `=`, `+`, `-`, `@`, a tab, CR or LF gets a leading `'`,
/// so a spreadsheet shows it as text instead of running it. So that reading can take the `'`
/// off without ever taking off one that was really there, a cell that starts with one or more
/// `'` followed by one of those characters gets one more `'` too (`'=x` is written `''=x`).
///
/// Reading (`unguarded`): a cell that starts with one or more `'` followed by one of those
/// characters loses exactly one `'`. Every other cell is left as it is. So for every text,
/// `unguarded(guarded(text)) == text`.
public enum FormulaGuard {
    /// Whether the writer puts a `'` before `text`.
    public static func needsGuard(_ text: String) -> Bool {
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            if byte == UInt8(ascii: "'") { continue }
            return startsFormula(byte)
        }
        return false
    }

    /// `text` as the writer writes it (before any RFC 4180 quoting).
    public static func guarded(_ text: String) -> String { needsGuard(text) ? "'" + text : text }

    /// A cell read back from a file our writer may have written, with the guard's `'` taken off.
    public static func unguarded(_ text: String) -> String {
        guard text.utf8.first == UInt8(ascii: "'") else { return text }
        let rest = text.dropFirst()
        return needsGuard(String(rest)) ? String(rest) : text
    }

    /// The first characters a spreadsheet reads as the start of a formula (OWASP's list).
    static func startsFormula(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D, 0x0A: true
        default: false
        }
    }
}

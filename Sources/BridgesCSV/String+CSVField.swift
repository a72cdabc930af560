import BridgesCore

extension String {
    /// The field without white space at either end, like `trimmingWhitespace()`, but returning
    /// at once when both ends are visible ASCII, as nearly every roster field is: looking up
    /// Unicode properties for every character costs more than parsing the CSV.
    var trimmedField: String {
        let utf8 = self.utf8
        guard let first = utf8.first, let last = utf8.last else { return self }
        if Self.isVisibleASCII(first) && Self.isVisibleASCII(last) { return self }
        return trimmingWhitespace()
    }

    /// Whether the field is empty or white space only, quickly for the usual visible ASCII.
    var isBlankField: Bool {
        guard let first = utf8.first else { return true }
        if Self.isVisibleASCII(first) { return false }
        return isBlank
    }

    /// Whether the field, trimmed, is `word` in any letter case; `word` is lower-case ASCII, as
    /// OneRoster's enumerations (`student`, `tobedeleted`, `false`) are.
    func isField(_ word: String) -> Bool {
        let field = trimmedField.utf8
        guard field.count == word.utf8.count else { return false }
        return zip(field, word.utf8).allSatisfy { a, b in
            (a >= UInt8(ascii: "A") && a <= UInt8(ascii: "Z") ? a | 0x20 : a) == b
        }
    }

    private static func isVisibleASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
}

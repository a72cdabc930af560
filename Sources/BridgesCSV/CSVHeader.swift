import BridgesCore

/// A CSV file's header row: which column has which name, so rows are read by name, not position.
///
/// Names match trimmed and case-insensitively, with any byte-order mark removed, because the
/// header is typed by people and saved by spreadsheets: `Student_ID ` is `student_id`. When a name
/// appears twice the first column wins, and `check(required:)` reports the repeat.
public struct CSVHeader: Sendable, Hashable {
    /// A column's position, found once so a million rows are not each looked up by name.
    public struct Column: Sendable, Hashable {
        /// The name as the header writes it, trimmed.
        public let name: String
        /// 0-based position in the record.
        public let index: Int
    }

    /// The names as the header writes them, trimmed, in file order.
    public let names: [String]
    /// The line of the header row, for findings about it.
    public let line: Int
    private let indexByKey: [String: Int]

    public init(_ record: CSVRecord) {
        let names = record.fields.map(Self.displayName)
        var indexByKey: [String: Int] = [:]
        for (index, name) in names.enumerated() where !name.isEmpty {
            let key = Self.key(name)
            if indexByKey[key] == nil { indexByKey[key] = index }
        }
        self.names = names
        self.line = record.line
        self.indexByKey = indexByKey
    }

    /// The column with this name, if the header has it.
    public func column(_ name: String) -> Column? {
        indexByKey[Self.key(name)].map { Column(name: names[$0], index: $0) }
    }

    public func contains(_ name: String) -> Bool { indexByKey[Self.key(name)] != nil }

    /// The required names the header lacks, in the order asked.
    public func missing(_ required: [String]) -> [String] { required.filter { !contains($0) } }

    /// Findings about the header for a format that needs `required` columns: one error naming
    /// every missing column and listing the ones found (so the fix is clear in one go), and one
    /// for each required column given twice, which would otherwise make one of them ignored.
    public func check(required: [String], file: String) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        let absent = missing(required)
        if !absent.isEmpty {
            // The first row of a file that is not the expected CSV can be anything (a password
            // file's first line): it is echoed only as column names, and only when it holds at
            // least one of the expected ones, and only the names that look like column names.
            let found = names.filter { !$0.isEmpty }
            let foundText: String
            if found.isEmpty {
                foundText = "no column names"
            } else if absent.count == required.count || !found.allSatisfy(Self.looksLikeColumnName) {
                foundText = "none of them (its first row is not shown, as it may not be a header at all: is this the right file?)"
            } else {
                foundText = found.joined(separator: ",")
            }
            let noun = absent.count == 1 ? "column" : "columns"
            findings.append(
                .error(code: "csv.missing-column",
                    "the header lacks the \(noun) \(absent.joined(separator: ", ")); it has \(foundText); "
                        + "the first row must name the columns \(required.joined(separator: ","))",
                    file: file, line: line))
        }
        for name in required {
            let positions = names.indices.filter { Self.key(names[$0]) == Self.key(name) }
            if positions.count > 1 {
                let columns = positions.map { String($0 + 1) }.joined(separator: " and ")
                findings.append(
                    .error(code: "csv.column-twice",
                        "the column \(name) appears more than once (columns \(columns)); keep one",
                        file: file, line: line))
            }
        }
        return findings
    }

    /// Letters, digits, `_`, `-`, `.` and spaces, at most 64: what a column name looks like.
    static func looksLikeColumnName(_ name: String) -> Bool {
        name.utf8.count <= 64
            && name.unicodeScalars.allSatisfy { scalar in
                scalar.properties.isAlphabetic || scalar.properties.numericType != nil || "_-. \u{FEFF}".unicodeScalars.contains(scalar)
            }
    }

    /// A row read through this header.
    public func row(_ record: CSVRecord) -> CSVRow { CSVRow(record: record, header: self) }

    /// How names compare: trimmed, without a byte-order mark, in lower case.
    ///
    /// Column names are nearly always plain ASCII such as `sourcedId`, and rows are read by name
    /// a million times, so those are lower-cased byte by byte without Unicode tables.
    static func key(_ name: String) -> String {
        let utf8 = name.utf8
        guard utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return displayName(name).lowercased() }
        guard utf8.contains(where: isUppercaseASCII) else { return name }
        return String(decoding: utf8.map { isUppercaseASCII($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    private static func isUppercaseASCII(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
    }

    private static func displayName(_ name: String) -> String {
        var text = Substring(name)
        while text.first == "\u{FEFF}" { text = text.dropFirst() }
        return String(text).trimmingWhitespace()
    }
}

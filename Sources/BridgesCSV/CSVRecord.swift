/// One CSV record: its fields, and the line it starts on, so a finding can point at it.
public struct CSVRecord: Sendable, Hashable {
    /// The fields as text, with quotes removed and doubled quotes made single.
    public var fields: [String]
    /// The 1-based physical line where the record starts. Line ends inside quoted fields count,
    /// so this is the line a text editor shows, even after a multi-line address or note.
    public var line: Int

    public init(fields: [String], line: Int) {
        self.fields = fields
        self.line = line
    }

    /// True when every field is empty or white space, as the `,,,,` rows a spreadsheet leaves
    /// below the data; importers skip them rather than report each empty cell.
    public var isBlank: Bool { fields.allSatisfy(\.isBlankField) }
}

/// A record read through its file's header, so its fields are found by column name.
public struct CSVRow: Sendable, Hashable {
    public let record: CSVRecord
    public let header: CSVHeader

    public init(record: CSVRecord, header: CSVHeader) {
        self.record = record
        self.header = header
    }

    public var line: Int { record.line }

    /// The field in the named column, or `""` when the header has no such column or the row is
    /// short: an optional column left out reads as an empty one.
    public subscript(name: String) -> String {
        header.column(name).map { self[$0] } ?? ""
    }

    /// The field in a column found once with `CSVHeader.column(_:)`, the fast way for many rows.
    public subscript(column: CSVHeader.Column) -> String {
        column.index < record.fields.count ? record.fields[column.index] : ""
    }

    /// The field in an optional column, `""` when the header lacks it.
    public subscript(column: CSVHeader.Column?) -> String {
        column.map { self[$0] } ?? ""
    }
}

import BridgesCore

extension RecordText {
    /// A finding about one id or name of a roster row, located at the row's line and the field's
    /// column (its position in the record, 1-based, as a spreadsheet counts columns), or `nil`
    /// when `RecordText`'s rule takes the value.
    static func finding(
        _ value: String, in column: CSVHeader.Column, as kind: Kind, file: String, line: Int
    ) -> Diagnostic? {
        guard let problem = problem(value, as: kind) else { return nil }
        return .error(code: kind == .id ? "roster.id-text" : "roster.name-text", "\(column.name) \(problem.message)", file: file, line: line, column: column.index + 1)
    }
}

import Foundation

/// One cell of a CSV report, typed so the writer knows which cells the formula guard protects.
///
/// Text is anything a person or another system typed (names, titles, reasons), and a spreadsheet
/// would run a text cell such as `=HYPERLINK(…)` as a formula; the writer disarms those. Numbers and
/// dates are written exactly, since `-5` must stay a number.
public enum CSVCell: Sendable, Hashable {
    /// Text, written with a leading `'` when it starts with `=`, `+`, `-`, `@`, a tab, CR or LF.
    case text(String)
    /// A whole number, written as is (`-5`).
    case number(Int)
    /// A decimal number, written as is in plain notation (`87.5`, never `8.75E1`).
    case decimal(Decimal)
    /// A date or date-time in ISO 8601 (`2025-03-14`, `2025-03-14T09:30:00Z`), written as is.
    /// Text that does not start with a digit is not a date and is guarded like `.text`.
    case date(String)
    /// Nothing (an optional value that is absent).
    case empty
}

extension CSVCell: ExpressibleByStringInterpolation, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .number(value) }
}

extension CSVCell {
    /// `.text`, or `.empty` for `nil`: optional columns such as a revocation reason.
    public static func text(_ value: String?) -> CSVCell { value.map(CSVCell.text) ?? .empty }
    /// `.number`, or `.empty` for `nil`.
    public static func number(_ value: Int?) -> CSVCell { value.map(CSVCell.number) ?? .empty }
    /// `.date`, or `.empty` for `nil`.
    public static func date(_ value: String?) -> CSVCell { value.map(CSVCell.date) ?? .empty }
}

import BridgesCore
import Foundation

/// Why a CSV file could not be read: where, what, and what to do about it.
///
/// Syntax problems carry the physical line and column (counted in characters) of the offending
/// character, so the message points where the person fixing the file will look.
public struct CSVReadError: Error, Sendable, Hashable, LocalizedError, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The file does not exist (the command line exits 66 for this one).
        case fileNotFound
        /// The file exists but cannot be read: permissions, a folder, a failing disk.
        case unreadable(reason: String)
        /// A quoted field is never closed; the location is where its opening quote is.
        case unterminatedQuote
        /// A `"` in the middle of a field that did not start with one.
        case quoteInUnquotedField
        /// Something other than a comma or a line end after a field's closing quote.
        case textAfterClosingQuote
        /// Bytes that are not UTF-8, as when a file is saved as "CSV" rather than "CSV UTF-8".
        case invalidUTF8
        /// One record larger than the reader's limit, which protects memory from a runaway field.
        case recordTooLong(limit: Int)
    }

    public var kind: Kind
    /// The path as the caller named it.
    public var file: String
    /// 1-based line; 0 for problems with the file as a whole.
    public var line: Int
    /// 1-based column in characters, when the problem is at one character.
    public var column: Int?

    public init(_ kind: Kind, file: String, line: Int = 0, column: Int? = nil) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
    }

    /// What is wrong and how to fix it, without the location.
    public var message: String {
        switch kind {
        case .fileNotFound:
            "the file does not exist; check the path"
        case .unreadable(let reason):
            "the file cannot be read: \(reason)"
        case .unterminatedQuote:
            "this quoted field is never closed: add the missing '\"' at the end of the field, "
                + "or write a '\"' inside a field as '\"\"'"
        case .quoteInUnquotedField:
            "a '\"' inside a field that does not start with one: put the whole field in double quotes "
                + "and double the quote, as in \"Jo \"\"JJ\"\" Smith\""
        case .textAfterClosingQuote:
            "text after the closing quote of a field: a comma or a line end must follow it; "
                + "write a '\"' inside a field as '\"\"'"
        case .invalidUTF8:
            "the file is not UTF-8 text: save it as UTF-8 (in Excel, Save As \"CSV UTF-8\"; "
                + "in LibreOffice, character set \"Unicode (UTF-8)\")"
        case .recordTooLong(let limit):
            "one record is longer than \(Self.size(limit)), which no roster or report row needs; "
                + "the file is probably not CSV, or a quote is never closed"
        }
    }

    private static func size(_ bytes: Int) -> String {
        bytes >= 1024 * 1024 ? "\(bytes / (1024 * 1024)) MiB" : "\(bytes) bytes"
    }

    /// The same finding as a value the command line prints with the others.
    public var diagnostic: Diagnostic {
        .error(code: code, message, file: file, line: line, column: column)
    }

    /// The kind of finding as `Diagnostic.code` names it.
    public var code: String {
        switch kind {
        case .fileNotFound: "file.not-found"
        case .unreadable: "file.cannot-read"
        case .unterminatedQuote: "csv.unterminated-quote"
        case .quoteInUnquotedField: "csv.quote-in-field"
        case .textAfterClosingQuote: "csv.text-after-quote"
        case .invalidUTF8: "csv.not-utf8"
        case .recordTooLong: "csv.record-too-long"
        }
    }

    /// `file:line:column: error: message`, as the command line prints it.
    public var description: String { diagnostic.description }

    public var errorDescription: String? { description }
}

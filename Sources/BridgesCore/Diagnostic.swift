/// One finding about an input file: where it is and what to do about it.
///
/// Diagnostics are values, never printed here: the command line formats them as
/// `path:line:column: error: message`, a server could send them as JSON.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    /// The path as the user named it (not made absolute), so the message points where they look.
    public var file: String
    /// 1-based line; 0 when the finding is about the file as a whole.
    public var line: Int
    /// 1-based column; `nil` for formats located by line only (CSV rows).
    public var column: Int?
    public var severity: Severity
    /// The kind of finding, stable across releases and wordings (`lesson.duplicate-id`,
    /// `roster.student-conflict`): a program reacts to the code, a person reads `text`.
    public var code: String
    /// What is wrong and what to do, with the fields and actions it names kept as data.
    public var text: Message

    /// The message with neutral names (a front door renders `text` in its own words).
    public var message: String {
        get { text.description }
        set { text = Message(newValue) }
    }

    public init(file: String, line: Int, column: Int? = nil, severity: Severity, code: String, message: String) {
        self.init(file: file, line: line, column: column, severity: severity, code: code, text: Message(message))
    }

    public init(file: String, line: Int, column: Int? = nil, severity: Severity, code: String, text: Message) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.code = code
        self.text = text
    }

    public static func error(code: String, _ message: String, file: String, line: Int, column: Int? = nil) -> Diagnostic {
        Diagnostic(file: file, line: line, column: column, severity: .error, code: code, message: message)
    }

    public static func warning(code: String, _ message: String, file: String, line: Int, column: Int? = nil) -> Diagnostic {
        Diagnostic(file: file, line: line, column: column, severity: .warning, code: code, message: message)
    }

    public static func error(code: String, _ text: Message, file: String, line: Int, column: Int? = nil) -> Diagnostic {
        Diagnostic(file: file, line: line, column: column, severity: .error, code: code, text: text)
    }

    public static func warning(code: String, _ text: Message, file: String, line: Int, column: Int? = nil) -> Diagnostic {
        Diagnostic(file: file, line: line, column: column, severity: .warning, code: code, text: text)
    }

    public var isError: Bool { severity == .error }

    /// `path:line:column: error: message`, or `path:line: error: message` without a column.
    public var description: String { rendered(in: NeutralWords()) }

    /// The located line in one front door's words.
    public func rendered(in words: some MessageWords) -> String {
        var location = file
        if line > 0 {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(severity.rawValue): \(text.rendered(in: words))"
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.isError } }
    public var errorCount: Int { reduce(0) { $0 + ($1.isError ? 1 : 0) } }
    public var warningCount: Int { reduce(0) { $0 + ($1.isError ? 0 : 1) } }

    /// In file order, then line and column, so a reader meets them as they meet the file.
    public func sortedByLocation() -> [Diagnostic] {
        sorted { a, b in
            if a.file != b.file { return a.file < b.file }
            if a.line != b.line { return a.line < b.line }
            return (a.column ?? 0) < (b.column ?? 0)
        }
    }
}

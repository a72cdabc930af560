/// A sentence for a person that names the inputs and the operations of Bridges as data, so that
/// each front door says them in its own words: the command line as `--date` and
/// `bridges session void 12`, the server as the JSON field `date` and its route.
///
/// Written like a string, with the names interpolated:
///
///     "\(field: .date) \(day) is in the future; correct it with `\(.sessionAmend) \(id) \(field: .date) YYYY-MM-DD`"
///
/// Nothing below the command line knows a flag or a command; it knows `Field` and `Action`.
public struct Message: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation {
    public enum Part: Sendable, Hashable {
        case text(String)
        case field(Field)
        case action(Action)
    }

    public private(set) var parts: [Part]

    public init(parts: [Part]) {
        self.parts = parts
    }

    public init(_ text: String) {
        parts = [.text(text)]
    }

    public init(stringLiteral value: String) {
        parts = [.text(value)]
    }

    public init(stringInterpolation: StringInterpolation) {
        parts = stringInterpolation.parts
    }

    /// The inputs the sentence is about, in order (the server answers them as the problem's fields).
    public var fields: [Field] {
        parts.compactMap { if case .field(let field) = $0 { field } else { nil } }
    }

    /// The sentence in one front door's words.
    public func rendered(in words: some MessageWords) -> String {
        var text = ""
        for part in parts {
            switch part {
            case .text(let piece): text += piece
            case .field(let field): text += words.name(of: field)
            case .action(let action): text += words.name(of: action)
            }
        }
        return text
    }

    /// The sentence with neutral names (a field as its name, an action as its words): for logs
    /// and tests that do not care which front door speaks.
    public var description: String { rendered(in: NeutralWords()) }

    /// This message, then `other`.
    public static func + (lhs: Message, rhs: Message) -> Message {
        Message(parts: lhs.parts + rhs.parts)
    }

    /// The messages one after another, `separator` between them.
    public static func joined(_ messages: [Message], separator: String) -> Message {
        var parts: [Part] = []
        for (index, message) in messages.enumerated() {
            if index > 0 { parts.append(.text(separator)) }
            parts += message.parts
        }
        return Message(parts: parts)
    }

    /// Every literal piece changed by `transform` (the fields and actions stay names).
    public func mapText(_ transform: (String) -> String) -> Message {
        Message(parts: parts.map { if case .text(let piece) = $0 { .text(transform(piece)) } else { $0 } })
    }

    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var parts: [Part] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            parts.reserveCapacity(interpolationCount * 2 + 1)
        }

        public mutating func appendLiteral(_ literal: String) {
            append(literal)
        }

        public mutating func appendInterpolation(field: Field) {
            parts.append(.field(field))
        }

        public mutating func appendInterpolation(_ action: Action) {
            parts.append(.action(action))
        }

        public mutating func appendInterpolation(_ message: Message) {
            parts.append(contentsOf: message.parts)
        }

        public mutating func appendInterpolation<Value>(_ value: Value) {
            append(String(describing: value))
        }

        private mutating func append(_ text: String) {
            guard !text.isEmpty else { return }
            if case .text(let before)? = parts.last {
                parts[parts.count - 1] = .text(before + text)
            } else {
                parts.append(.text(text))
            }
        }
    }
}

/// An input an operation takes, by its name in Bridges (the command line says it as a flag, the
/// server as a JSON field or query parameter).
public enum Field: String, Sendable, Hashable, CaseIterable {
    case actor
    case agency
    case answers
    case asOf = "as-of"
    case attempt
    case before
    case certifiedUntil = "certified-until"
    case `class`
    case database = "db"
    case date
    case expires
    case force
    case format
    case from
    case handout
    case key
    case lessonVersion = "lesson-version"
    case minCell = "min-cell"
    case minutes
    case name
    case note
    case others
    case officer
    case out
    case program
    case purpose
    case reason
    case role
    case school
    case session
    case status
    case student
    case to
    case url
    case validDays = "valid-days"
    case verifyURL = "verify-url"
}

/// An operation of Bridges that a message points to as the next step ("`bridges roster list` shows
/// the students"); each front door names it as its own command or route.
public enum Action: String, Sendable, Hashable, CaseIterable {
    case certificateList = "certificate list"
    case demo
    case issuerInit = "issuer init"
    case lessonList = "lesson list"
    case lessonLoad = "lesson load"
    case lessonShow = "lesson show"
    case lessonValidate = "lesson validate"
    case officerAdd = "officer add"
    case officerList = "officer list"
    case quizVoid = "quiz void"
    case rosterImport = "roster import"
    case rosterList = "roster list"
    case sessionAmend = "session amend"
    case sessionList = "session list"
    case sessionShow = "session show"
    case sessionVoid = "session void"
    case studentRelease = "student release"
    case tokenList = "token list"
    case upgrade
    case userAdd = "user add"
    case userList = "user list"
}

/// How one front door names fields and operations.
public protocol MessageWords {
    func name(of field: Field) -> String
    func name(of action: Action) -> String
}

/// Names as Bridges itself calls them: `date`, `session void`.
public struct NeutralWords: MessageWords {
    public init() {}
    public func name(of field: Field) -> String { field.rawValue }
    public func name(of action: Action) -> String { action.rawValue }
}

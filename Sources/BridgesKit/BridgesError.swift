import BridgesCore
import BridgesStore
import BridgesSystem

/// Why an operation did not happen, in the terms of cli.md's exit codes.
///
/// The command line maps each case to its exit status and prints the description; a server would
/// map them to HTTP statuses. Nothing was written when any of these is thrown.
public enum BridgesError: Error, Sendable, CustomStringConvertible {
    /// The request itself is wrong (a missing input, contradictory options): exit 64.
    case usage(Message)
    /// The input data is wrong; every problem is in `diagnostics`: exit 65.
    case invalidInput([Diagnostic])
    /// A single problem with the input data that has no file location: exit 65.
    case rejected(Message)
    /// A named file, folder or record does not exist (`what`, as data): exit 66.
    case notFound(Missing, Message)
    /// Reading or writing failed: exit 74.
    case io(Message)
    /// The database is busy with another command: exit 75.
    case busy(Message)
    /// A bug or a broken installation: exit 70.
    case internalError(Message)
    /// The caller's role may not do this (a server's 403; the command line's local user may do
    /// everything): exit 77.
    case forbidden(role: Role, permission: Permission)

    /// What was not found, for a program to act on (a server's 404 names it; the sentence says it
    /// to a person).
    public enum Missing: Sendable, Hashable {
        case account(String)
        case certificate(code: String)
        case certificates
        case `class`(String)
        case database(String)
        case file(String)
        case issuer
        case issuerKey(String)
        case lesson(String)
        case lessonVersion(String, version: Int)
        case officer(String)
        case program(String)
        case quizAttempt(session: Int64, student: String, attempt: Int)
        case school(String)
        case session(Int64)
        case student(String)
        case token(Int64)

        /// A stable word for the kind of record, for programs (`not-found.student`).
        public var kind: String {
            switch self {
            case .account: "account"
            case .certificate, .certificates: "certificate"
            case .class: "class"
            case .database: "database"
            case .file: "file"
            case .issuer, .issuerKey: "issuer"
            case .lesson, .lessonVersion: "lesson"
            case .officer: "officer"
            case .program: "program"
            case .quizAttempt: "quiz-attempt"
            case .school: "school"
            case .session: "session"
            case .student: "student"
            case .token: "token"
            }
        }
    }

    /// The sentence for a person, with fields and actions as data.
    public var message: Message {
        switch self {
        case .usage(let message), .rejected(let message), .notFound(_, let message), .io(let message), .busy(let message), .internalError(let message):
            message
        case .invalidInput(let diagnostics):
            "\(diagnostics.errorCount) error\(diagnostics.errorCount == 1 ? "" : "s") in the input; nothing was written"
        case .forbidden(let role, let permission):
            "the role \(role.rawValue) may not \(permission.rawValue); nothing was written"
        }
    }

    /// The sentence in one front door's words (the command line's flags and commands).
    public func text(in words: some MessageWords) -> String {
        message.rendered(in: words)
    }

    /// The sentence with neutral names.
    public var description: String { message.description }

    /// A stable code for programs: the kind of failure, then what it is about
    /// (`usage.date`, `not-found.student`, `forbidden.import-rosters`).
    public var code: String {
        switch self {
        case .usage(let message): message.fields.first.map { "usage.\($0.rawValue)" } ?? "usage"
        case .invalidInput: "invalid-input"
        case .rejected(let message): message.fields.first.map { "rejected.\($0.rawValue)" } ?? "rejected"
        case .notFound(let missing, _): "not-found.\(missing.kind)"
        case .io: "io"
        case .busy: "busy"
        case .internalError: "internal"
        case .forbidden(_, let permission): "forbidden.\(permission.rawValue.replacingOccurrences(of: " ", with: "-"))"
        }
    }

    /// The exit status cli.md promises for this failure.
    public var exitCode: Int32 {
        switch self {
        case .usage: 64
        case .invalidInput, .rejected: 65
        case .notFound: 66
        case .io: 74
        case .busy: 75
        case .internalError: 70
        case .forbidden: 77
        }
    }

    /// A file Bridges could not create or publish (`PrivateFile`): a name already taken is a
    /// usage error (exit 64), anything else an I/O error (exit 74).
    init(_ error: PrivateFileError) {
        self = error.kind == .exists ? .usage(Message(error.description)) : .io(Message(error.description))
    }

    init(_ error: StoreError) {
        switch error {
        case .busy, .unavailable: self = .busy(error.message)
        case .missing(let path): self = .notFound(.database(path), error.message)
        case .notADatabase, .io, .full, .readOnly: self = .io(error.message)
        case .foreign, .newerVersion, .olderVersion: self = .rejected(error.message)
        case .rejected: self = .rejected(error.message)
        }
    }

    /// The one way a failure of a store call that takes a closure (and so throws whatever the
    /// closure threw, untyped) becomes an operation's error: Kit's own error as it is, a
    /// `StoreError` as `init(_: StoreError)` says, anything else as `other` says.
    init(_ error: any Error, other: (any Error) -> BridgesError) {
        switch error {
        case let error as BridgesError: self = error
        case let error as StoreError: self.init(error)
        default: self = other(error)
        }
    }
}

import BridgesCore
import BridgesStore
import BridgesSystem

/// Why an operation did not happen, in the terms of cli.md's exit codes.
///
/// The command line maps each case to its exit status and prints the description; a server would
/// map them to HTTP statuses. Nothing was written when any of these is thrown.
public enum BridgesError: Error, Sendable, CustomStringConvertible {
    /// The request itself is wrong (a missing flag, contradictory options): exit 64.
    case usage(String)
    /// The input data is wrong; every problem is in `diagnostics`: exit 65.
    case invalidInput([Diagnostic])
    /// A single problem with the input data that has no file location: exit 65.
    case rejected(String)
    /// A named file, folder or record does not exist: exit 66.
    case notFound(String)
    /// Reading or writing failed: exit 74.
    case io(String)
    /// The database is busy with another command: exit 75.
    case busy(String)
    /// A bug or a broken installation: exit 70.
    case internalError(String)
    /// The caller's role may not do this (a server's 403; the command line's local user may do
    /// everything): exit 77.
    case forbidden(role: Role, permission: Permission)

    public var description: String {
        switch self {
        case .usage(let text), .rejected(let text), .notFound(let text), .io(let text), .busy(let text), .internalError(let text):
            text
        case .invalidInput(let diagnostics):
            "\(diagnostics.errorCount) error\(diagnostics.errorCount == 1 ? "" : "s") in the input; nothing was written"
        case .forbidden(let role, let permission):
            "the role \(role.rawValue) may not \(permission.rawValue); nothing was written"
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

    /// The same error with `path` written as `shown` (a database built under a temporary name is
    /// spoken of by the name the person gave).
    func naming(_ path: String, as shown: String) -> BridgesError {
        func fix(_ text: String) -> String { text.replacingOccurrences(of: path, with: shown) }
        switch self {
        case .usage(let text): return .usage(fix(text))
        case .rejected(let text): return .rejected(fix(text))
        case .notFound(let text): return .notFound(fix(text))
        case .io(let text): return .io(fix(text))
        case .busy(let text): return .busy(fix(text))
        case .internalError(let text): return .internalError(fix(text))
        case .invalidInput, .forbidden: return self
        }
    }

    /// A file Bridges could not create or publish (`PrivateFile`): a name already taken is a
    /// usage error (exit 64), anything else an I/O error (exit 74).
    init(_ error: PrivateFileError) {
        self = error.kind == .exists ? .usage(error.description) : .io(error.description)
    }

    init(_ error: StoreError) {
        switch error {
        case .busy: self = .busy(error.description)
        case .missing: self = .notFound(error.description)
        case .notADatabase, .io, .full, .readOnly: self = .io(error.description)
        case .foreign, .newerVersion, .olderVersion: self = .rejected(error.description)
        case .rejected: self = .rejected(error.description)
        }
    }
}

import Foundation

/// Why a CSV file could not be written in full. A report that is cut short must say so, never
/// leave a file that looks complete.
public struct CSVWriteError: Error, Sendable, Hashable, LocalizedError, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The file could not be created: a missing folder, no permission.
        case cannotCreate
        /// Writing failed part way: a full disk, a closed pipe, a failing device.
        case writeFailed
        /// `write` after `finish()`, a mistake in the calling code.
        case alreadyFinished
    }

    public var kind: Kind
    /// Where the CSV was going, as the caller named it (a path, or "standard output").
    public var destination: String
    /// The system's reason, e.g. "No space left on device".
    public var reason: String
    /// The system's error number, when there is one (`ENOSPC`, `EPIPE`, …).
    public var code: Int32?

    public init(_ kind: Kind, destination: String, reason: String, code: Int32? = nil) {
        self.kind = kind
        self.destination = destination
        self.reason = reason
        self.code = code
    }

    /// True when the disk (or the user's quota) is full, the one failure people can fix at once.
    public var isDiskFull: Bool { code == ENOSPC || code == EDQUOT }

    public var description: String {
        switch kind {
        case .cannotCreate:
            "cannot create \(destination): \(reason); check that the folder exists and can be written"
        case .writeFailed where isDiskFull:
            "writing \(destination) failed: \(reason); free some space and export again (the file is incomplete)"
        case .writeFailed:
            "writing \(destination) failed: \(reason) (the file is incomplete)"
        case .alreadyFinished:
            "\(destination) was already finished; nothing more can be written to it"
        }
    }

    public var errorDescription: String? { description }
}

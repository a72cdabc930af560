import Foundation

/// A system call that failed: which one, and its `errno`.
///
/// `message` is the system's wording alone ("No space left on device"), which is what the
/// sentences people read quote; `description` adds the call's name, for logs and tests.
package struct SystemCallError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The C function that failed, e.g. `"open"`.
    package var call: String
    /// Its `errno`.
    package var code: Int32

    package init(_ call: String, code: Int32) {
        self.call = call
        self.code = code
    }

    /// The system's wording of `code`, e.g. "No such file or directory".
    package var message: String { String(cString: strerror(code)) }

    /// `ENOENT` or `ENOTDIR`: nothing at the path.
    package var isNotFound: Bool { code == ENOENT || code == ENOTDIR }

    /// The disk or the user's quota is full, the one failure people can fix at once.
    package var isDiskFull: Bool { code == ENOSPC || code == EDQUOT || code == EFBIG }

    package var description: String { "\(call): \(message)" }
}

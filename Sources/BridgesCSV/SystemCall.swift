import Foundation

/// The few POSIX calls the CSV reader and writer make, each in one place.
///
/// Raw file descriptors rather than `FileHandle` because the reader and writer move 64 KiB at a
/// time into their own buffers: no `Data` per chunk, and errors keep their `errno`, so a full disk
/// is reported as a full disk. Every call retries on `EINTR`.
enum SystemCall {
    /// Opens an existing file for reading. The corresponding C function is `open`; without
    /// `followingLinks` a symbolic link is refused (`O_NOFOLLOW`, `ELOOP`).
    static func openForReading(_ path: String, followingLinks: Bool = true) -> Result<Int32, SystemError> {
        retrying { open(path, O_RDONLY | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW)) }
    }

    /// Whether `path` itself is a symbolic link (not what it points to). The corresponding C
    /// function is `lstat`.
    static func isSymbolicLink(_ path: String) -> Bool {
        var status = stat()
        guard lstat(path, &status) == 0 else { return false }
        return (status.st_mode & S_IFMT) == S_IFLNK
    }

    /// Opens an existing device or pipe (`/dev/full`, a FIFO) for writing, creating and emptying
    /// nothing; files are created through `PrivateFile`. The corresponding C function is `open`.
    static func openDeviceForWriting(_ path: String) -> Result<Int32, SystemError> {
        retrying { open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC) }
    }

    /// Reads up to `count` bytes; 0 means the end of the file. The corresponding C function is `read`.
    static func readChunk(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int) -> Result<Int, SystemError> {
        retrying { read(fd, buffer, count) }
    }

    /// Writes all of `bytes`, looping over short writes. The corresponding C function is `write`.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Void, SystemError> {
        var offset = 0
        while offset < bytes.count {
            switch retrying({ write(fd, bytes.baseAddress! + offset, bytes.count - offset) }) {
            case .success(let written): offset += written
            case .failure(let error): return .failure(error)
            }
        }
        return .success(())
    }

    /// Whether `fd` is a directory, which `open` for reading accepts but `read` then refuses.
    static func isDirectory(_ fd: Int32) -> Bool {
        var status = stat()
        guard fstat(fd, &status) == 0 else { return false }
        return (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// Closes `fd`; a failure here can be the first sign of a full disk on some file systems.
    /// The corresponding C function is `close`. Not retried on `EINTR`: Linux has closed the
    /// descriptor already.
    static func closeDescriptor(_ fd: Int32) -> Result<Void, SystemError> {
        close(fd) == 0 ? .success(()) : .failure(SystemError(code: errno))
    }

    private static func retrying<T: BinaryInteger>(_ call: () -> T) -> Result<T, SystemError> {
        while true {
            let result = call()
            if result >= 0 { return .success(result) }
            let code = errno
            if code != EINTR { return .failure(SystemError(code: code)) }
        }
    }
}

/// An `errno` value with the system's wording, e.g. "No space left on device".
struct SystemError: Error, Sendable, Hashable {
    var code: Int32

    var message: String { String(cString: strerror(code)) }
    var isNotFound: Bool { code == ENOENT || code == ENOTDIR }
}

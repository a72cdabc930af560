import Foundation

/// A file opened for reading only and read by offset (`pread`), so that one reader can hand out
/// its bytes in chunks without holding them all: a finished report handed to a server's response.
///
/// Opened before its name is removed, it stays readable until it is released, and nothing of it is
/// left on disk after that. The descriptor is closed when the value goes.
package final class ReadOnlyFile: Sendable {
    private let descriptor: Int32
    /// Its size when it was opened, in bytes.
    package let size: Int

    /// Opens the file at `path`, refusing a symbolic link.
    package convenience init(opening path: String) throws(SystemCallError) {
        try self.init(owning: try SystemCall.openForReading(path, followingLinks: false))
    }

    /// Reads the file `descriptor` has open (a file already removed from its folder, say), through
    /// a descriptor of its own: `descriptor` stays the caller's to close.
    package convenience init(duplicating descriptor: Int32) throws(SystemCallError) {
        try self.init(owning: try SystemCall.duplicate(descriptor))
    }

    /// Takes `descriptor` over (closed here, also when its size cannot be read).
    private init(owning descriptor: Int32) throws(SystemCallError) {
        do {
            size = Int(try SystemCall.status(of: descriptor).size)
        } catch {
            try? SystemCall.close(descriptor)
            throw error
        }
        self.descriptor = descriptor
    }

    deinit {
        try? SystemCall.close(descriptor)
    }

    /// Up to `count` bytes from `offset`; empty at the end of the file.
    package func read(at offset: Int, upTo count: Int) throws(SystemCallError) -> [UInt8] {
        guard count > 0, offset < size else { return [] }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: min(count, size - offset), alignment: 1)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < buffer.count {
            let got = try SystemCall.read(descriptor, into: buffer.baseAddress! + filled, count: buffer.count - filled, at: Int64(offset + filled))
            if got == 0 { break }
            filled += got
        }
        return Array(UnsafeRawBufferPointer(rebasing: buffer[..<filled]))
    }
}

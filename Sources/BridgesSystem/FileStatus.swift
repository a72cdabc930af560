import Foundation

/// What `stat`, `lstat` or `fstat` says of a file, in the few words Bridges asks about.
package struct FileStatus: Sendable, Hashable {
    /// `st_mode`: the kind and the permission bits.
    package var mode: mode_t
    /// `st_size`, in bytes.
    package var size: Int64
    /// `st_uid`.
    package var owner: uid_t
    /// `st_mtime`: when its contents last changed, in seconds since 1970.
    package var modified: Int

    package init(_ status: stat) {
        mode = status.st_mode
        size = Int64(status.st_size)
        owner = status.st_uid
        modified = Int(status.st_mtim.tv_sec)
    }

    private var kind: mode_t { mode & S_IFMT }
    package var isRegularFile: Bool { kind == S_IFREG }
    package var isDirectory: Bool { kind == S_IFDIR }
    package var isSymbolicLink: Bool { kind == S_IFLNK }
    /// The permission bits with set-user, set-group and sticky (`mode & 07777`).
    package var permissions: mode_t { mode & 0o7777 }
}

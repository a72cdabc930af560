import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Every raw POSIX call Bridges makes below the command line, each in one place.
///
/// Each function has a Swift name and says which C function it wraps ("The corresponding C
/// function is `open`"). A failure throws `SystemCallError` with that function's name and its
/// `errno`. Calls that can be interrupted by a signal retry on `EINTR` here, so no caller has its
/// own loop; `close` is the exception (Linux has released the descriptor already).
package enum SystemCall {
    // MARK: Descriptors

    /// Opens `path` with `flags` (`O_RDONLY | O_CLOEXEC`, …); `permissions` for a file that
    /// `O_CREAT` makes. The corresponding C function is `open`.
    package static func open(_ path: String, _ flags: Int32, permissions: mode_t = 0) throws(SystemCallError) -> Int32 {
        try retrying("open") { Glibc.open(path, flags, permissions) }
    }

    /// Opens an existing file for reading. Without `followingLinks` a symbolic link is refused
    /// (`O_NOFOLLOW`, `ELOOP`). The corresponding C function is `open`.
    package static func openForReading(_ path: String, followingLinks: Bool = true) throws(SystemCallError) -> Int32 {
        try open(path, O_RDONLY | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW))
    }

    /// Opens an existing device or pipe (`/dev/full`, a FIFO) for writing, creating and emptying
    /// nothing; files are created through `PrivateFile`. The corresponding C function is `open`.
    package static func openDeviceForWriting(_ path: String) throws(SystemCallError) -> Int32 {
        try open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
    }

    /// Reads up to `count` bytes; 0 means the end of the file. The corresponding C function is `read`.
    package static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawPointer, count: Int) throws(SystemCallError) -> Int {
        try retrying("read") { Glibc.read(descriptor, buffer, count) }
    }

    /// Reads up to `count` bytes at `offset`, leaving the file position alone; 0 at the end.
    /// The corresponding C function is `pread`.
    package static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int64) throws(SystemCallError) -> Int {
        try retrying("pread") { Glibc.pread(descriptor, buffer, count, off_t(offset)) }
    }

    /// Writes some of `count` bytes and says how many. The corresponding C function is `write`.
    package static func write(_ descriptor: Int32, _ bytes: UnsafeRawPointer, count: Int) throws(SystemCallError) -> Int {
        try retrying("write") { Glibc.write(descriptor, bytes, count) }
    }

    /// Writes all of `bytes`, looping over short writes. The corresponding C function is `write`.
    package static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemCallError) {
        var offset = 0
        while offset < bytes.count {
            offset += try write(descriptor, bytes.baseAddress! + offset, count: bytes.count - offset)
        }
    }

    /// Closes `descriptor`; a failure here can be the first sign of a full disk on some file
    /// systems. The corresponding C function is `close`. Not retried on `EINTR`: Linux has
    /// released the descriptor already, and a retry could close one another thread just opened.
    package static func close(_ descriptor: Int32) throws(SystemCallError) {
        if Glibc.close(descriptor) != 0 { throw SystemCallError("close", code: errno) }
    }

    /// Flushes the file (or a folder's entries) to the disk. The corresponding C function is `fsync`.
    package static func sync(_ descriptor: Int32) throws(SystemCallError) {
        _ = try retrying("fsync") { Glibc.fsync(descriptor) }
    }

    /// Takes an exclusive advisory lock without waiting: `EWOULDBLOCK` when another holds it. The
    /// lock lasts as long as the open file. The corresponding C function is `flock`.
    package static func lockExclusively(_ descriptor: Int32) throws(SystemCallError) {
        _ = try retrying("flock") { cFlock(descriptor, LOCK_EX | LOCK_NB) }
    }

    // MARK: What is at a path

    /// What is at `path`, following a symbolic link. The corresponding C function is `stat`.
    package static func status(of path: String) throws(SystemCallError) -> FileStatus {
        var status = stat()
        _ = try retrying("stat") { cStat(path, &status) }
        return FileStatus(status)
    }

    /// What is at `path` itself: a link is a link. The corresponding C function is `lstat`.
    package static func linkStatus(of path: String) throws(SystemCallError) -> FileStatus {
        var status = stat()
        _ = try retrying("lstat") { Glibc.lstat(path, &status) }
        return FileStatus(status)
    }

    /// What an open file is. The corresponding C function is `fstat`.
    package static func status(of descriptor: Int32) throws(SystemCallError) -> FileStatus {
        var status = stat()
        _ = try retrying("fstat") { Glibc.fstat(descriptor, &status) }
        return FileStatus(status)
    }

    /// Whether anything is at `path` (a dangling link counts as nothing). The corresponding C
    /// function is `access` with `F_OK`.
    package static func exists(_ path: String) -> Bool {
        (try? retrying("access") { Glibc.access(path, F_OK) }) != nil
    }

    /// The absolute path with every link and `..` resolved. The corresponding C function is `realpath`.
    package static func realPath(_ path: String) throws(SystemCallError) -> String {
        guard let resolved = Glibc.realpath(path, nil) else { throw SystemCallError("realpath", code: errno) }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The names in a folder with their kinds, `.` and `..` left out, in the order the file
    /// system gives them; no `stat` per name (on a folder of thousands that costs as much as
    /// reading the files). The corresponding C functions are `opendir`, `readdir` and `closedir`.
    package static func folderEntries(_ folder: String) throws(SystemCallError) -> [FolderEntry] {
        var opened: OpaquePointer?
        while true {
            opened = Glibc.opendir(folder)
            if opened != nil { break }
            let code = errno
            if code != EINTR { throw SystemCallError("opendir", code: code) }
        }
        let directory = opened!
        defer { Glibc.closedir(directory) }
        var entries: [FolderEntry] = []
        while let entry = Glibc.readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
            if name != ".", name != ".." { entries.append(FolderEntry(name: name, type: entry.pointee.d_type)) }
        }
        return entries
    }

    // MARK: Changing names

    /// Makes a folder. The corresponding C function is `mkdir`.
    package static func makeFolder(_ path: String, permissions: mode_t) throws(SystemCallError) {
        _ = try retrying("mkdir") { Glibc.mkdir(path, permissions) }
    }

    /// Makes a new folder, mode 0700, from `template` ending in `XXXXXX`, and returns its path.
    /// The corresponding C function is `mkdtemp`.
    package static func makeTemporaryFolder(_ template: String) throws(SystemCallError) -> String {
        var bytes = Array(template.utf8CString)
        while true {
            if let made = Glibc.mkdtemp(&bytes) { return String(cString: made) }
            let code = errno
            if code != EINTR { throw SystemCallError("mkdtemp", code: code) }
        }
    }

    /// Removes a name (a file, or a link, never what it points to). The corresponding C function
    /// is `unlink`.
    package static func unlink(_ path: String) throws(SystemCallError) {
        _ = try retrying("unlink") { Glibc.unlink(path) }
    }

    /// A second descriptor for the open file of `descriptor`, closed on exec. The corresponding C
    /// function is `fcntl` with `F_DUPFD_CLOEXEC`.
    package static func duplicate(_ descriptor: Int32) throws(SystemCallError) -> Int32 {
        try retrying("fcntl") { Glibc.fcntl(descriptor, F_DUPFD_CLOEXEC, 0) }
    }

    /// Removes an empty folder (`rmdir`).
    package static func removeEmptyFolder(_ path: String) throws(SystemCallError) {
        _ = try retrying("rmdir") { Glibc.rmdir(path) }
    }

    /// Moves `from` to `to`, replacing whatever name is there in one step. The corresponding C
    /// function is `rename`.
    package static func rename(_ from: String, _ to: String) throws(SystemCallError) {
        _ = try retrying("rename") { Glibc.rename(from, to) }
    }

    /// Moves `from` to `to` unless something is at `to` (then `EEXIST`). A hard link where the
    /// file system has them; elsewhere (FAT on a USB stick, some network shares)
    /// `renameat2(RENAME_NOREPLACE)`, and as a last resort a look (`lstat`) then a `rename`. The
    /// error names the call that failed (`link`, `renameat2`, `rename`).
    package static func renameRefusingToReplace(_ from: String, _ to: String) throws(SystemCallError) {
        do throws(SystemCallError) {
            _ = try retrying("link") { Glibc.link(from, to) }
            try? unlink(from)
            return
        } catch {
            guard [EPERM, ENOTSUP, EOPNOTSUPP, ENOSYS, EXDEV].contains(error.code) else { throw error }
        }
        do throws(SystemCallError) {
            _ = try retrying("renameat2") { renameat2NoReplace(from, to) }
            return
        } catch {
            guard [EINVAL, ENOSYS, ENOTSUP, EOPNOTSUPP].contains(error.code) else { throw error }
        }
        if (try? linkStatus(of: to)) != nil { throw SystemCallError("lstat", code: EEXIST) }
        try rename(from, to)
    }

    /// `renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE)`, looked up at run time: the C
    /// library has it (glibc 2.28 and later) but Swift's Glibc module does not declare it.
    /// -1 with `ENOSYS` when it is missing. The corresponding C function is `dlsym`.
    private static func renameat2NoReplace(_ from: String, _ to: String) -> Int32 {
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = Glibc.dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else {
            errno = ENOSYS
            return -1
        }
        let renameNoReplace: UInt32 = 1
        return unsafeBitCast(symbol, to: RenameAt2.self)(AT_FDCWD, from, AT_FDCWD, to, renameNoReplace)
    }

    // MARK: Processes and the terminal

    /// This process's number. The corresponding C function is `getpid`.
    package static var processID: pid_t { Glibc.getpid() }

    /// The user this process acts as. The corresponding C function is `geteuid`.
    package static var effectiveUserID: uid_t { Glibc.geteuid() }

    /// Whether a process with this number is running (one of another user's counts: `EPERM`).
    /// The corresponding C function is `kill` with signal 0, which sends nothing.
    package static func processIsRunning(_ pid: pid_t) -> Bool {
        Glibc.kill(pid, 0) == 0 || errno == EPERM
    }

    /// Whether `descriptor` is a terminal. The corresponding C function is `isatty`.
    package static func isTerminal(_ descriptor: Int32) -> Bool { Glibc.isatty(descriptor) == 1 }

    /// Ignores `signal` from now on (`SIGXFSZ`, so that a file-size limit is a write error, not
    /// death). The corresponding C function is `signal`.
    package static func ignoreSignal(_ signal: Int32) {
        _ = Glibc.signal(signal, SIG_IGN)
    }

    // MARK: The one EINTR loop

    /// Runs `body` until it does not fail with `EINTR`; a negative result throws with `errno`.
    private static func retrying<T: BinaryInteger>(_ call: String, _ body: () -> T) throws(SystemCallError) -> T {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = errno
            if code != EINTR { throw SystemCallError(call, code: code) }
        }
    }
}

// `flock` and `stat` are also the names of C structs, which a qualified `Glibc.flock` finds
// first; unqualified at file scope, the functions are found.
private func cFlock(_ descriptor: Int32, _ operation: Int32) -> Int32 { flock(descriptor, operation) }
private func cStat(_ path: String, _ status: inout stat) -> Int32 { stat(path, &status) }

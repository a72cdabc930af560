import Foundation

/// The one way Bridges creates a file: a new file, readable and writable by its owner only from
/// its first byte, under a random hidden name beside its destination, published there by a
/// rename only once it is complete.
///
/// What it guards against: a file another user planted at the name (or a symbolic link to their
/// file, or to one of ours) is never opened, truncated or written through. The temporary name is
/// created with `O_CREAT | O_EXCL | O_NOFOLLOW` and mode 0600, so nothing that was there is
/// reused; publishing renames the new file over the name (the link itself, never its target) or,
/// when replacing is not allowed, refuses any name that is taken. A folder others can write to
/// (group or other write permission, a sticky `/tmp` included: others can still plant names in
/// it) is refused before anything is created there, since they could swap a finished file.
///
/// Every system call goes through `SystemCall`, which retries on `EINTR`. Lives in BridgesSystem
/// because every target that writes a file (CSV, the store's backup, Kit's reports and building
/// files, the archives' unpacked entries) uses it; it does no I/O beyond the file it is asked for.
package final class PrivateFile {
    /// The path the file is published at.
    package let destination: String
    /// The hidden name it is written under until then, in the destination's folder.
    package let temporaryPath: String
    /// The open descriptor (write-only, or read-write with `readable`); -1 once closed.
    package private(set) var descriptor: Int32
    /// Published or discarded: nothing of it is left to remove.
    private var finished = false

    /// Creates a new private file beside `destination`, named `.NAME.TAG-PID-RANDOM`.
    /// Throws when the folder is missing, is open to others, or the file cannot be created.
    package init(beside destination: String, tag: String = "partial", readable: Bool = false) throws(PrivateFileError) {
        self.destination = destination
        let folder = Self.folder(of: destination)
        try Self.checkFolder(folder, for: destination)
        let prefix = destination.contains("/") ? folder + (folder.hasSuffix("/") ? "" : "/") : ""
        let base = "." + Self.name(of: destination) + "." + tag + "-\(SystemCall.processID)-"
        var attempt = 0
        while true {
            let candidate = prefix + base + String(UInt64.random(in: .min ... .max), radix: 16)
            do throws(PrivateFileError) {
                descriptor = try Self.createNew(candidate, readable: readable)
                temporaryPath = candidate
                // Held for as long as the file is open: a later run removes only files no one
                // holds (left by a run that was killed), see `removeLeftovers`.
                try? SystemCall.lockExclusively(descriptor)
                Self.removeLeftovers(in: folder, prefix: "." + Self.name(of: destination) + "." + tag + "-", keeping: candidate)
                return
            } catch {
                guard error.kind == .exists, attempt < 8 else { throw PrivateFileError(.cannotCreate, path: destination, code: error.code) }
                attempt += 1
            }
        }
    }

    deinit {
        if !finished { discard() }
    }

    /// Writes all of `bytes`, looping over short writes.
    package func write(_ bytes: UnsafeRawBufferPointer) throws(PrivateFileError) {
        do {
            try SystemCall.writeAll(descriptor, bytes)
        } catch {
            throw PrivateFileError(.writeFailed, path: destination, code: error.code)
        }
    }

    /// Flushes the file to the disk (`fsync`), for a file that must survive a power cut once
    /// published (a backup).
    package func sync() throws(PrivateFileError) {
        do {
            try SystemCall.sync(descriptor)
        } catch {
            throw PrivateFileError(.writeFailed, path: destination, code: error.code)
        }
    }

    /// Writes `contents` as a new private file at `destination` in one go (see the type).
    package static func write(_ contents: String, to destination: String, replacing: Bool) throws(PrivateFileError) {
        let file = try PrivateFile(beside: destination)
        let failure = Array(contents.utf8).withUnsafeBytes { bytes -> PrivateFileError? in
            do throws(PrivateFileError) {
                try file.write(bytes)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
        try file.publish(replacing: replacing)
    }

    /// Closes the file (reporting a failure there: some file systems only find the disk full at
    /// `close`) and leaves it under its temporary name, for a caller that reopens it by path
    /// (SQLite).
    package func close() throws(PrivateFileError) {
        guard descriptor >= 0 else { return }
        let fd = descriptor
        descriptor = -1
        do {
            try SystemCall.close(fd)
        } catch {
            throw PrivateFileError(.writeFailed, path: destination, code: error.code)
        }
    }

    /// Closes the file and puts it at `destination`. With `replacing`, whatever is at that name
    /// (a file, or a link, never what the link points to) is replaced in one step; without, a
    /// taken name is `.exists` and the file stays under its temporary name for the caller to
    /// discard or publish elsewhere (`publish(at:)`).
    package func publish(replacing: Bool) throws(PrivateFileError) {
        try publish(at: destination, replacing: replacing)
    }

    /// As `publish(replacing:)`, at another name in the same folder (`report-2.csv` when
    /// `report.csv` is taken).
    package func publish(at path: String, replacing: Bool) throws(PrivateFileError) {
        try close()
        do {
            if replacing {
                try SystemCall.rename(temporaryPath, path)
            } else {
                try SystemCall.renameRefusingToReplace(temporaryPath, path)
            }
        } catch {
            throw PrivateFileError(error.code == EEXIST && !replacing ? .exists : .cannotPublish, path: path, code: error.code)
        }
        finished = true
    }

    /// Closes and removes the temporary file and SQLite's companions of it (`-journal`, `-wal`,
    /// `-shm`), which are made beside it with the same name. Nothing is left of a failed file.
    package func discard() {
        if descriptor >= 0 {
            try? SystemCall.close(descriptor)
            descriptor = -1
        }
        guard !finished else { return }
        for suffix in ["", "-journal", "-wal", "-shm"] { try? SystemCall.unlink(temporaryPath + suffix) }
        finished = true
    }

    // MARK: Names and folders

    /// Removes files a killed run left under a temporary name of this destination (`prefix` is
    /// `.NAME.TAG-`), with their SQLite companions: only regular files of this user that no
    /// process holds locked and whose process (the PID in the name) is gone, so a run that is
    /// still writing, here or elsewhere, keeps its file. One pass over the folder.
    static func removeLeftovers(in folder: String, prefix: String, keeping ours: String) {
        guard let entries = try? SystemCall.folderEntries(folder) else { return }
        var candidates: [(path: String, pid: pid_t)] = []
        let place = folder.hasSuffix("/") ? folder : folder + "/"
        for name in entries.map(\.name) {
            guard name.hasPrefix(prefix), !["-journal", "-wal", "-shm"].contains(where: { name.hasSuffix($0) }) else { continue }
            let path = place + name
            guard path != ours, Self.name(of: ours) != name else { continue }
            // Only this file's own temporary names: PREFIX, a process number, `-`, hex. Anything
            // else that happens to start alike (another hidden file, a database) is not ours.
            let rest = name.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
            guard rest.count == 2, let pid = pid_t(rest[0]), pid > 0, !rest[1].isEmpty,
                  rest[1].allSatisfy({ $0.isHexDigit }) else { continue }
            candidates.append((path, pid))
        }
        for (path, pid) in candidates {
            if pid != SystemCall.processID, SystemCall.processIsRunning(pid) { continue }
            guard let fd = try? SystemCall.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) else { continue }
            defer { try? SystemCall.close(fd) }
            guard let status = try? SystemCall.status(of: fd), status.isRegularFile, status.owner == SystemCall.effectiveUserID,
                  (try? SystemCall.lockExclusively(fd)) != nil else { continue }
            for suffix in ["", "-journal", "-wal", "-shm"] { try? SystemCall.unlink(path + suffix) }
        }
    }

    /// `open` with `O_CREAT | O_EXCL | O_NOFOLLOW`, mode 0600: a new file or `EEXIST` (also for a
    /// link at the name, dangling or not, is `.exists`). Returns the descriptor.
    package static func createNew(_ path: String, readable: Bool = false) throws(PrivateFileError) -> Int32 {
        let access = readable ? O_RDWR : O_WRONLY
        do {
            return try SystemCall.open(path, access | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, permissions: 0o600)
        } catch {
            throw PrivateFileError(error.code == EEXIST ? .exists : .cannotCreate, path: path, code: error.code)
        }
    }

    /// Refuses a folder others can write to (group or other write permission, sticky or not):
    /// they could plant a link at a name Bridges is about to use, or swap a finished file.
    /// A missing folder is `.cannotCreate` with `ENOENT`.
    package static func checkFolder(_ folder: String, for destination: String) throws(PrivateFileError) {
        let status: FileStatus
        do {
            status = try SystemCall.status(of: folder)
        } catch {
            throw PrivateFileError(.cannotCreate, path: destination, code: error.code)
        }
        guard status.isDirectory else { throw PrivateFileError(.cannotCreate, path: destination, code: ENOTDIR) }
        let mode = status.permissions
        if mode & 0o022 != 0 {
            throw PrivateFileError(.folderOpenToOthers(folder: folder, mode: String(mode, radix: 8), sticky: mode & S_ISVTX != 0), path: destination, code: EPERM)
        }
    }

    /// Makes a new folder only this user can enter (0700, `mkdtemp`) inside `base`, named
    /// `bridges-TAG-PID-XXXXXX`, for files an operation writes and reads back; the caller removes it.
    /// (A shared temporary folder is no place for those files themselves: another user could
    /// swap one in between.) Folders that killed runs left there go first (`removeAbandonedFolders`).
    package static func makePrivateFolder(in base: String, tag: String) throws(PrivateFileError) -> String {
        let place = base.hasSuffix("/") ? base : base + "/"
        let made: String
        do {
            made = try SystemCall.makeTemporaryFolder(place + "bridges-\(tag)-\(SystemCall.processID)-XXXXXX")
        } catch {
            throw PrivateFileError(.cannotCreate, path: base, code: error.code)
        }
        // The new folder's time is "now" by the file system's own clock (nothing here reads one).
        if let now = try? SystemCall.linkStatus(of: made).modified {
            removeAbandonedFolders(in: place, changedBefore: now - 600)
        }
        return made
    }

    /// Removes what runs that were killed (or stopped by a power cut) left in `place`: folders
    /// `bridges-TAG-PID-XXXXXX` of this user whose process is gone and that nothing has changed
    /// since `changedBefore` (ten minutes before a folder just made), with everything in them (an
    /// unpacked roster, a dry run's copy of the database, an upload). The age also spares a run
    /// whose process number this one cannot see (another PID namespace sharing the folder).
    static func removeAbandonedFolders(in place: String, changedBefore limit: Int) {
        guard let entries = try? SystemCall.folderEntries(place) else { return }
        for entry in entries where entry.name.hasPrefix("bridges-") {
            let parts = entry.name.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count >= 4, parts[parts.count - 1].count == 6,
                  let pid = pid_t(parts[parts.count - 2]), pid > 0 else { continue }
            if pid == SystemCall.processID || SystemCall.processIsRunning(pid) { continue }
            let path = place + entry.name
            guard let status = try? SystemCall.linkStatus(of: path), status.isDirectory,
                  status.owner == SystemCall.effectiveUserID, status.modified <= limit else { continue }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Makes `path` a folder only this user can enter (0700 from the start, not a chmod after)
    /// when nothing is there; a folder already there is left as it is (one others can write to
    /// is refused when a file is made in it).
    package static func makeOwnFolder(_ path: String) throws(SystemCallError) {
        do {
            try SystemCall.makeFolder(path, permissions: 0o700)
        } catch where error.code != EEXIST {
            throw error
        } catch {}
    }

    /// The folder a path is in (`.` for a bare name).
    package static func folder(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        var folder = Substring(path[..<slash])
        while folder.count > 1, folder.hasSuffix("/") { folder = folder.dropLast() }
        return folder.isEmpty ? "/" : String(folder)
    }

    /// The last component of a path.
    package static func name(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }
}

/// Why a private file could not be created or published.
package struct PrivateFileError: Error, Sendable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// The folder or the file could not be made (`code` says why).
        case cannotCreate
        /// The folder is writable by others; `sticky` for a shared one such as /tmp.
        case folderOpenToOthers(folder: String, mode: String, sticky: Bool)
        /// Something is at the name and replacing was not allowed.
        case exists
        case writeFailed
        case cannotPublish
    }

    package var kind: Kind
    /// The path the person named.
    package var path: String
    package var code: Int32

    package init(_ kind: Kind, path: String, code: Int32) {
        self.kind = kind
        self.path = path
        self.code = code
    }

    /// The system's wording of `code`, e.g. "No space left on device".
    package var reason: String { String(cString: strerror(code)) }

    package var isDiskFull: Bool { code == ENOSPC || code == EDQUOT || code == EFBIG }

    /// A sentence for people: what failed, and what to do.
    package var description: String {
        switch kind {
        case .folderOpenToOthers(let folder, let mode, true):
            // Sticky (/tmp and the like): a shared folder by design, not one to chmod.
            "refusing to write \(path): \(folder) is a shared folder (mode \(mode)) where other users can create files, so "
                + "they could plant a link or a file at the name; write into a folder of your own instead, e.g. one made with "
                + "`mkdir -m 700 ~/bridges-files`"
        case .folderOpenToOthers(let folder, let mode, false):
            "refusing to write \(path): other users can write to the folder \(folder) (mode \(mode)), so they could plant "
                + "or swap files there; make it yours alone with `chmod go-w \(folder)`, or choose another folder"
        case .exists:
            "\(path) already exists; nothing was replaced"
        case .cannotCreate:
            "cannot create \(path): \(reason); check that the folder exists and that you may write there"
        case .writeFailed:
            isDiskFull ? "the disk is full: writing \(path) failed (\(reason)); free some space and try again" : "writing \(path) failed: \(reason)"
        case .cannotPublish:
            "cannot put the file at \(path): \(reason); nothing was written there"
        }
    }
}

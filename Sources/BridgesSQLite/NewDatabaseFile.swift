import BridgesCore
import BridgesStore
import Foundation

/// A database file built beside its final path and moved there in one step when complete, so
/// that the path holds either nothing or a finished database (`lesson load` into no database).
///
/// The building file is created afresh (never an existing one reused) under a name no other run
/// picks, and locked with `flock` for as long as it is being built: a later run removes only
/// building files no process holds (one killed part-way), whatever machine or container made them.
final class NewDatabaseFile {
    let target: String
    /// `.NAME.loading-PID-RANDOM` in the target's folder: hidden, and on the same file system.
    let path: String
    private var lock: Int32 = -1
    /// Whether this object created the file (only then may it remove it).
    private var created = false

    init(for target: String) {
        self.target = target
        let folder = PrivateFile.folder(of: target)
        let name = PrivateFile.name(of: target)
        let unique = String(UInt64.random(in: .min ... .max), radix: 16)
        path = (target.contains("/") ? folder + "/" : "") + "." + name + ".loading-\(getpid())-\(unique)"
    }

    deinit {
        if lock >= 0 { close(lock) }
    }

    /// Creates the empty file (refusing one that exists) and locks it. Call before SQLite opens it,
    /// and keep this object until the database is closed: closing a descriptor of a file drops
    /// the process's SQLite locks on it.
    func create() throws(StoreError) {
        // The one way Bridges makes a file: O_CREAT | O_EXCL | O_NOFOLLOW, 0600 from the start.
        let descriptor: Int32
        do {
            descriptor = try PrivateFile.createNew(path, readable: true)
        } catch {
            throw .io(path: target, why: "cannot create the database: \(error.reason)")
        }
        lock = descriptor
        created = true
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            throw .io(path: target, why: "cannot lock the database being built: \(String(cString: strerror(errno)))")
        }
    }

    enum Move {
        case moved
        /// Something is at the target path now (another command created the database).
        case pathTaken
        case failed(String)
    }

    /// Puts the finished file at the target path, refusing to replace anything there, syncs the
    /// folder, and removes the temporary name. A hard link does it where the file system has them;
    /// elsewhere (FAT on a USB stick, some network shares) a rename that refuses to replace.
    func moveIntoPlace() -> Move {
        defer { releaseLock() }
        switch Self.renameRefusingToReplace(path, target) {
        case .moved: break
        case .pathTaken: return .pathTaken
        case .failed(let why): return .failed(why)
        }
        let folder = open(PrivateFile.folder(of: target), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
        return .moved
    }

    /// `PrivateFile.renameRefusingToReplace`, as a `Move`.
    static func renameRefusingToReplace(_ from: String, _ to: String) -> Move {
        let code = PrivateFile.renameRefusingToReplace(from, to)
        if code == 0 { return .moved }
        if code == EEXIST { return .pathTaken }
        return .failed(String(cString: strerror(code)))
    }

    /// Removes the file and SQLite's companions of it. Call after the database is closed.
    func remove() {
        if created {
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(path + suffix) }
        }
        releaseLock()
    }

    private func releaseLock() {
        if lock >= 0 {
            close(lock)
            lock = -1
        }
    }

    /// Removes what a killed earlier load left: building files of this name that no process
    /// holds locked.
    func removeLeftovers() {
        let folder = PrivateFile.folder(of: target)
        let prefix = "." + PrivateFile.name(of: target) + ".loading-"
        guard let directory = opendir(folder) else { return }
        var candidates: [String] = []
        while let entry = readdir(directory) {
            let name = Self.name(of: entry)
            let isCompanion = ["-journal", "-wal", "-shm"].contains { name.hasSuffix($0) }
            if name.hasPrefix(prefix), !isCompanion, folder + "/" + name != path { candidates.append(folder + "/" + name) }
        }
        closedir(directory)
        for file in candidates {
            // Never through a link, never waiting on a pipe planted at the name; only a regular
            // file of ours.
            let descriptor = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            var status = stat()
            guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_uid == geteuid() else { continue }
            // Held: another load is building it right now.
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { continue }
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(file + suffix) }
        }
    }

    /// The name of a folder entry.
    private static func name(of entry: UnsafeMutablePointer<dirent>) -> String {
        withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
    }
}

import BridgesCore
import BridgesStore
import BridgesSystem
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
        path = (target.contains("/") ? folder + "/" : "") + "." + name + ".loading-\(SystemCall.processID)-\(unique)"
    }

    deinit {
        if lock >= 0 { try? SystemCall.close(lock) }
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
        do {
            try SystemCall.lockExclusively(descriptor)
        } catch {
            throw .io(path: target, why: "cannot lock the database being built: \(error.message)")
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
        if let folder = try? SystemCall.open(PrivateFile.folder(of: target), O_RDONLY | O_DIRECTORY | O_CLOEXEC) {
            try? SystemCall.sync(folder)
            try? SystemCall.close(folder)
        }
        return .moved
    }

    /// `SystemCall.renameRefusingToReplace`, as a `Move`.
    static func renameRefusingToReplace(_ from: String, _ to: String) -> Move {
        do {
            try SystemCall.renameRefusingToReplace(from, to)
            return .moved
        } catch {
            return error.code == EEXIST ? .pathTaken : .failed(error.message)
        }
    }

    /// Removes the file and SQLite's companions of it. Call after the database is closed.
    func remove() {
        if created {
            for suffix in ["", "-journal", "-wal", "-shm"] { try? SystemCall.unlink(path + suffix) }
        }
        releaseLock()
    }

    private func releaseLock() {
        if lock >= 0 {
            try? SystemCall.close(lock)
            lock = -1
        }
    }

    /// Removes what a killed earlier load left: building files of this name that no process
    /// holds locked.
    func removeLeftovers() {
        let folder = PrivateFile.folder(of: target)
        let prefix = "." + PrivateFile.name(of: target) + ".loading-"
        guard let entries = try? SystemCall.folderEntries(folder) else { return }
        var candidates: [String] = []
        for name in entries.map(\.name) {
            let isCompanion = ["-journal", "-wal", "-shm"].contains { name.hasSuffix($0) }
            if name.hasPrefix(prefix), !isCompanion, folder + "/" + name != path { candidates.append(folder + "/" + name) }
        }
        for file in candidates {
            // Never through a link, never waiting on a pipe planted at the name; only a regular
            // file of ours.
            guard let descriptor = try? SystemCall.open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK) else { continue }
            defer { try? SystemCall.close(descriptor) }
            guard let status = try? SystemCall.status(of: descriptor), status.isRegularFile, status.owner == SystemCall.effectiveUserID else { continue }
            // Held: another load is building it right now.
            guard (try? SystemCall.lockExclusively(descriptor)) != nil else { continue }
            for suffix in ["", "-journal", "-wal", "-shm"] { try? SystemCall.unlink(file + suffix) }
        }
    }
}

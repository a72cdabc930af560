import Foundation

/// Finds the lesson-plan files a person named: files as given, folders searched for `*.xml`.
enum LessonPlanFiles {
    static func expand(_ paths: [String]) throws(BridgesError) -> [String] {
        guard !paths.isEmpty else { throw .usage("name at least one lesson-plan file or folder, e.g. bridges lesson validate Curricula") }
        var files: [String] = []
        var seen: Set<String> = []
        let manager = FileManager.default
        for path in paths {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw .notFound("\(path): no such file or folder")
            }
            if isFolder.boolValue {
                // Walk the real folder (a named folder may be a symbolic link), but name files as
                // the person wrote the path.
                let real = realpath(path, nil).map { resolved in
                    defer { free(resolved) }
                    return String(cString: resolved)
                } ?? path
                var found: [String] = []
                guard walk(real, shown: path.hasSuffix("/") ? String(path.dropLast()) : path, into: &found) else {
                    throw .io("\(path): cannot read the folder")
                }
                if found.isEmpty {
                    throw .notFound("\(path): no lesson-plan files (*.xml) in this folder")
                }
                for file in found.sorted() where seen.insert(file).inserted { files.append(file) }
            } else if seen.insert(path).inserted {
                files.append(path)
            }
        }
        return files
    }

    /// Collects `*.xml` files under `folder` (named `shown` in the results), skipping hidden
    /// files and folders; symbolic links to files are followed, links to folders are not (no
    /// loops). Plain readdir: FileManager's enumerator cost as much as reading the files' names
    /// several times over on a folder of thousands.
    private static func walk(_ folder: String, shown: String, into found: inout [String]) -> Bool {
        guard let directory = opendir(folder) else { return false }
        defer { closedir(directory) }
        var subfolders: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name.hasPrefix(".") { continue }
            let path = folder + "/" + name
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK) {
                var status = stat()
                guard stat(path, &status) == 0 else { continue }
                let isFolder = (status.st_mode & S_IFMT) == S_IFDIR
                // A link to a folder is not followed, as before.
                if isFolder && type == UInt8(DT_LNK) { continue }
                type = isFolder ? UInt8(DT_DIR) : (status.st_mode & S_IFMT) == S_IFREG ? UInt8(DT_REG) : UInt8(DT_UNKNOWN)
            }
            if type == UInt8(DT_DIR) {
                subfolders.append(name)
            } else if type == UInt8(DT_REG), name.lowercased().hasSuffix(".xml") {
                found.append(shown + "/" + name)
            }
        }
        for name in subfolders {
            // An unreadable subfolder is skipped, as the enumerator did.
            _ = walk(folder + "/" + name, shown: shown + "/" + name, into: &found)
        }
        return true
    }

    static func folder(of file: String) -> String {
        guard let slash = file.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        var folder = Substring(file[..<slash])
        while folder.count > 1, folder.hasSuffix("/") { folder = folder.dropLast() }
        return folder.isEmpty ? "/" : String(folder)
    }

    /// The last component of a path.
    static func name(of file: String) -> String {
        guard let slash = file.utf8.lastIndex(of: UInt8(ascii: "/")) else { return file }
        return String(file[file.utf8.index(after: slash)...])
    }

    /// A file name without its extension ("fa-cpr.xml" → "fa-cpr").
    static func removingExtension(_ name: String) -> String {
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.utf8.startIndex else { return name }
        return String(name[..<dot])
    }
}

/// A database file built beside its final path and moved there in one step when complete, so
/// that the path holds either nothing or a finished database (`lesson load` into no database).
struct NewDatabaseFile {
    let target: String
    /// `.NAME.loading-PID` in the target's folder: hidden, and on the same file system.
    let path: String

    init(for target: String) {
        self.target = target
        let folder = LessonPlanFiles.folder(of: target)
        let name = LessonPlanFiles.name(of: target)
        path = (target.contains("/") ? folder + "/" : "") + "." + name + ".loading-\(getpid())"
    }

    enum Move {
        case moved
        /// Something is at the target path now (another command created the database).
        case pathTaken
        case failed(String)
    }

    /// Links the finished file at the target path (refusing to replace anything there), syncs the
    /// folder, and removes the temporary name.
    func moveIntoPlace() -> Move {
        if link(path, target) != 0 {
            let code = errno
            return code == EEXIST ? .pathTaken : .failed(String(cString: strerror(code)))
        }
        unlink(path)
        let folder = open(LessonPlanFiles.folder(of: target), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
        return .moved
    }

    /// Removes the file and SQLite's companions of it.
    func remove() {
        for suffix in ["", "-journal", "-wal", "-shm"] { unlink(path + suffix) }
    }

    /// Removes what a killed earlier load left: files of this name whose process is gone.
    func removeLeftovers() {
        let folder = LessonPlanFiles.folder(of: target)
        let prefix = "." + LessonPlanFiles.name(of: target) + ".loading-"
        guard let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        var stale: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
            guard name.hasPrefix(prefix) else { continue }
            let rest = name.dropFirst(prefix.count)
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard let pid = Int32(digits), kill(pid, 0) != 0, errno == ESRCH else { continue }
            stale.append(folder + "/" + name)
        }
        for file in stale { unlink(file) }
    }
}

import BridgesCore
import BridgesSystem
import Foundation

/// Finds the lesson-plan files a person named: files as given, folders searched for `*.xml`.
enum LessonPlanFiles {
    static func expand(_ paths: [String]) throws(BridgesError) -> [String] {
        guard !paths.isEmpty else { throw .usage("name at least one lesson-plan file or folder, e.g. \(.lessonValidate) Curricula") }
        var files: [String] = []
        var seen: Set<String> = []
        let manager = FileManager.default
        for path in paths {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw .notFound(.file(path), "\(path): no such file or folder")
            }
            if isFolder.boolValue {
                // Walk the real folder (a named folder may be a symbolic link), but name files as
                // the person wrote the path.
                let real = (try? SystemCall.realPath(path)) ?? path
                var found: [String] = []
                guard walk(real, shown: path.hasSuffix("/") ? String(path.dropLast()) : path, into: &found) else {
                    throw .io("\(path): cannot read the folder")
                }
                if found.isEmpty {
                    throw .notFound(.file(path), "\(path): no lesson-plan files (*.xml) in this folder")
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
        guard let entries = try? SystemCall.folderEntries(folder) else { return false }
        var subfolders: [String] = []
        for entry in entries {
            let name = entry.name
            if name.hasPrefix(".") { continue }
            var kind = entry.kind
            if kind == .unknown || kind == .symbolicLink {
                guard let status = try? SystemCall.status(of: folder + "/" + name) else { continue }
                // A link to a folder is not followed, as before.
                if status.isDirectory && kind == .symbolicLink { continue }
                kind = status.isDirectory ? .folder : status.isRegularFile ? .regularFile : .unknown
            }
            if kind == .folder {
                subfolders.append(name)
            } else if kind == .regularFile, name.lowercased().hasSuffix(".xml") {
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

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
                guard let walker = manager.enumerator(atPath: real) else { throw .io("\(path): cannot read the folder") }
                var found: [String] = []
                while let relative = walker.nextObject() as? String {
                    let name = (relative as NSString).lastPathComponent
                    if name.hasPrefix(".") {
                        walker.skipDescendants()
                        continue
                    }
                    if name.lowercased().hasSuffix(".xml") {
                        let full = path.hasSuffix("/") ? path + relative : path + "/" + relative
                        var inner: ObjCBool = false
                        if manager.fileExists(atPath: real + "/" + relative, isDirectory: &inner), !inner.boolValue { found.append(full) }
                    }
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

    static func folder(of file: String) -> String {
        let folder = (file as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }
}

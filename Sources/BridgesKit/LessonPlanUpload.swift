import BridgesArchives
import BridgesCore
import BridgesSystem
import Foundation

/// `lesson load` for a program folder sent as a .zip (a server's upload): its `.xml` files
/// unpacked into a private folder (0700) made inside `temporaryFolder`, loaded, and the folder
/// removed whatever happens. Only the folder holding `program.xml` is read (at the archive's root
/// or one folder down); a macOS `__MACOSX/` folder is ignored.
extension Registrar {
    public func loadLessonPlanArchive(zip path: String, name: String, caller: Caller, processors: Int) async throws(BridgesError) -> LessonPlanLoad {
        try caller.require(.loadLessonPlans)
        let folder: String
        do {
            folder = try PrivateFile.makePrivateFolder(in: temporaryFolder, tag: "lessons")
        } catch {
            throw .io("cannot make a private folder in \(temporaryFolder) to unpack the archive: \(error.reason)")
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let program = folder + "/program"
        do {
            try SystemCall.makeFolder(program, permissions: 0o700)
            try Self.unpackLessonPlans(path, name: name, into: program)
        } catch let failure as ZipArchive.Failure {
            throw .invalidInput([.error(code: "archive.invalid", failure.description, file: name, line: 0)])
        } catch {
            throw .io("cannot unpack the archive: \(error)")
        }
        // Findings name the files inside the archive as `NAME/FILE`, never the private folder.
        func renamed(_ diagnostic: Diagnostic) -> Diagnostic {
            var diagnostic = diagnostic
            diagnostic.file = diagnostic.file.replacingOccurrences(of: program, with: name)
            diagnostic.message = diagnostic.message.replacingOccurrences(of: program, with: name)
            return diagnostic
        }
        do {
            var loaded = try await loadLessonPlans(paths: [program], caller: caller, processors: processors)
            loaded.diagnostics = loaded.diagnostics.map(renamed)
            return loaded
        } catch {
            switch error {
            case .invalidInput(let diagnostics): throw .invalidInput(diagnostics.map(renamed))
            default: throw error
            }
        }
    }

    private static func unpackLessonPlans(_ path: String, name: String, into folder: String) throws {
        let archive = try ZipArchive(path: path, name: name)
        let files = archive.entries.filter { !$0.isDirectory && !$0.name.hasPrefix("__MACOSX/") && !$0.fileName.hasPrefix("._") }
        let programs = files.filter { $0.fileName == "program.xml" }
        guard programs.count == 1, let root = programs.first?.folder else {
            throw ZipArchive.Failure(programs.isEmpty
                ? "the archive holds no program.xml; zip one program's folder (program.xml and its lessons)"
                : "the archive holds \(programs.count) programs; send one program's folder at a time")
        }
        let chosen = files.filter { $0.folder == root && $0.fileName.hasSuffix(".xml") && isPlainFileName($0.fileName) }
        try archive.check(chosen, limits: ZipArchive.Limits())
        for entry in chosen {
            try archive.extract(entry, to: folder + "/" + entry.fileName)
        }
    }

    /// ASCII letters, digits, `_`, `-` and `.`, not hidden: safe as a name in the private folder.
    private static func isPlainFileName(_ name: String) -> Bool {
        !name.hasPrefix(".") && name.utf8.count <= 100
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0)) }
    }
}

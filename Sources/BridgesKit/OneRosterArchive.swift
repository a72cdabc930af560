import BridgesArchives
import BridgesCore
import BridgesCSV
import BridgesSystem
import Foundation

/// A OneRoster export as a .zip: its files unpacked into a private temporary folder (0700) that
/// `OneRosterReader` can read, and that is removed afterwards whatever happens.
///
/// Only `manifest.csv` and the four files Bridges reads are unpacked; every other `.csv` beside
/// the manifest becomes an empty placeholder of the same name, so the reader's check that each
/// file the manifest lists as `bulk` is in the export sees the archive as it is, without
/// unpacking files Bridges never reads. The export may sit at the archive's root or in one
/// folder inside it; a macOS `__MACOSX/` folder is ignored.
enum OneRosterArchive {
    static let unpacked = ["manifest.csv"] + OneRosterReader.requiredFiles.map { "\($0).csv" }

    /// Unpacks `path` into a new private folder in `temporaryFolder`, runs `body` with the
    /// folder, and removes the folder. A damaged or hostile archive is a finding about `name`
    /// (exit 65); nothing is unpacked from it.
    static func withUnpacked<T>(
        zip path: String, name: String, in temporaryFolder: String, limits: ZipArchive.Limits = ZipArchive.Limits(),
        _ body: (URL) async throws -> T
    ) async throws -> T {
        let folder = try makePrivateFolder(in: temporaryFolder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            try unpack(path, name: name, into: folder, limits: limits)
        } catch {
            throw BridgesError.invalidInput([.error(code: "archive.invalid", error.description, file: name, line: 0)])
        }
        return try await body(URL(fileURLWithPath: folder, isDirectory: true))
    }

    private static func unpack(_ path: String, name: String, into folder: String, limits: ZipArchive.Limits) throws(ZipArchive.Failure) {
        let archive = try ZipArchive(path: path, name: name)
        let files = archive.entries.filter { entry in
            !entry.isDirectory && !entry.name.hasPrefix("__MACOSX/") && !entry.fileName.hasPrefix("._")
        }
        let manifests = files.filter { $0.fileName.lowercased() == "manifest.csv" }
        guard manifests.count <= 1 else {
            throw ZipArchive.Failure(
                "the archive holds \(manifests.count) OneRoster exports (\(manifests.map(\.name).joined(separator: ", "))); "
                    + "import one export at a time")
        }
        // Without a manifest the folder stays empty, and the reader says what a export needs.
        guard let root = manifests.first?.folder else { return }
        var chosen: [String: ZipArchive.Entry] = [:]
        var placeholders: Set<String> = []
        for entry in files where entry.folder == root {
            let file = entry.fileName.lowercased()
            if unpacked.contains(file) {
                if chosen[file] != nil {
                    throw ZipArchive.Failure("the archive has \(file) twice; export the roster again")
                }
                chosen[file] = entry
            } else if file.hasSuffix(".csv"), isPlainFileName(entry.fileName) {
                // As the archive spells it: the manifest names files in camel case.
                placeholders.insert(entry.fileName)
            }
        }
        let order = unpacked.compactMap { chosen[$0] }
        try archive.check(order, limits: limits)
        for file in unpacked {
            guard let entry = chosen[file] else { continue }
            try archive.extract(entry, to: folder + "/" + file)
        }
        for file in placeholders {
            if let fd = try? PrivateFile.createNew(folder + "/" + file) { try? SystemCall.close(fd) }
        }
    }

    /// ASCII letters, digits, `_`, `-` and `.`: safe as a file name in the private folder.
    private static func isPlainFileName(_ name: String) -> Bool {
        !name.hasPrefix(".") && name.utf8.count <= 100
            && name.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            }
    }

    /// A new folder only this user can enter (`mkdtemp` makes it 0700) in `base`, the temporary
    /// folder the front door handed over (Kit reads no environment to find one).
    private static func makePrivateFolder(in base: String) throws(BridgesError) -> String {
        do {
            return try PrivateFile.makePrivateFolder(in: base, tag: "roster")
        } catch {
            throw .io("cannot make a temporary folder in \(base) to unpack the archive: \(error.reason)")
        }
    }
}

import BridgesSystem
import Foundation
import Testing

/// `PrivateFile`, the one way Bridges creates a file: new, 0600, never through a link, published
/// by rename, nothing left on failure.
@Suite struct PrivateFileTests {
    /// A new folder only this user can write to.
    private func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("PrivateFileTests-\(UUID().uuidString)").path
        #expect(mkdir(path, 0o700) == 0)
        return path
    }

    private func text(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    @Test func aFileIsWrittenUnderAHiddenNameAndPublishedOwnerOnly() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try PrivateFile(beside: dir + "/report.csv")
        #expect(PrivateFile.name(of: file.temporaryPath).hasPrefix(".report.csv.partial-\(getpid())-"))
        var status = stat()
        #expect(fstat(file.descriptor, &status) == 0 && status.st_mode & 0o7777 == 0o600)
        try Array("a,b\r\n".utf8).withUnsafeBytes { bytes in try file.write(bytes) }
        #expect(text(dir + "/report.csv") == nil)
        try file.publish(replacing: false)
        #expect(text(dir + "/report.csv") == "a,b\r\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["report.csv"])
    }

    @Test func aTakenNameIsRefusedUnlessReplacingAndALinkIsReplacedNotFollowed() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "victim".write(toFile: dir + "/victim", atomically: false, encoding: .utf8)
        #expect(symlink(dir + "/victim", dir + "/out") == 0)
        let refused = #expect(throws: PrivateFileError.self) { try PrivateFile.write("new", to: dir + "/out", replacing: false) }
        #expect(refused?.kind == .exists)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["out", "victim"])
        try PrivateFile.write("new", to: dir + "/out", replacing: true)
        #expect(text(dir + "/victim") == "victim")
        #expect(text(dir + "/out") == "new")
        var status = stat()
        #expect(lstat(dir + "/out", &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG)
    }

    @Test func createNewRefusesALinkEvenADanglingOne() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(symlink(dir + "/nowhere", dir + "/link") == 0)
        let error = #expect(throws: PrivateFileError.self) { _ = try PrivateFile.createNew(dir + "/link") }
        #expect(error?.kind == .exists)
        #expect(!FileManager.default.fileExists(atPath: dir + "/nowhere"))
    }

    @Test func aFolderOthersCanWriteToIsRefusedStickyOrNot() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (mode, sticky) in [(mode_t(0o777), false), (0o1777, true), (0o770, false)] {
            #expect(chmod(dir, mode) == 0)
            let error = #expect(throws: PrivateFileError.self) { _ = try PrivateFile(beside: dir + "/x.csv") }
            #expect(error?.kind == .folderOpenToOthers(folder: dir, mode: String(mode, radix: 8), sticky: sticky))
            #expect(error?.description.contains(sticky ? "folder of your own" : "chmod go-w \(dir)") == true, "\(String(describing: error))")
        }
        #expect(chmod(dir, 0o755) == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func discardRemovesTheFileAndItsSQLiteCompanions() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try PrivateFile(beside: dir + "/copy.sqlite", tag: "backup")
        for suffix in ["-journal", "-wal", "-shm"] {
            #expect(FileManager.default.createFile(atPath: file.temporaryPath + suffix, contents: Data("x".utf8)))
        }
        file.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func leftoversOfAKilledRunAreRemovedButNotThoseOfALiveOne() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let dead = dir + "/.copy.sqlite.backup-2147483000-0f"
        let live = dir + "/.copy.sqlite.backup-1-0f"
        for path in [dead, dead + "-journal", live] { #expect(FileManager.default.createFile(atPath: path, contents: nil)) }
        let held = try PrivateFile(beside: dir + "/copy.sqlite", tag: "backup")
        let second = try PrivateFile(beside: dir + "/copy.sqlite", tag: "backup")
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir).map { dir + "/" + $0 })
        #expect(left == [live, held.temporaryPath, second.temporaryPath])
        held.discard()
        second.discard()
    }
}

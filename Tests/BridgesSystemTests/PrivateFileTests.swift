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

    @Test func aPrivateFolderNamesItsProcessAndTheFoldersOfKilledRunsGoWhenTheNextIsMade() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A process number no process has now
        let gone = try #require((4_000_000...4_194_000).reversed().first { kill(pid_t($0), 0) != 0 && errno == ESRCH }.map { pid_t($0) })
        let hour = Date().addingTimeInterval(-3600)
        func make(_ name: String, changed: Date) throws {
            try FileManager.default.createDirectory(atPath: "\(dir)/\(name)", withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            try Data("400001,Ayesha\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/\(name)/roster.csv"))
            try FileManager.default.setAttributes([.modificationDate: changed], ofItemAtPath: "\(dir)/\(name)")
        }
        try make("bridges-roster-\(gone)-a1B2c3", changed: hour)      // killed an hour ago: goes
        try make("bridges-dry-run-\(gone)-Zz9yY8", changed: hour)     // a tag with a hyphen: goes
        try make("bridges-export-\(gone)-q1w2e3", changed: Date())    // changed just now: stays
        try make("bridges-export-\(getpid())-r4t5y6", changed: hour)  // a running process's: stays
        try make("bridges-export-x7u8i9", changed: hour)               // no process number: not ours to judge
        try make("other-\(gone)-a1B2c3", changed: hour)
        let made = try PrivateFile.makePrivateFolder(in: dir, tag: "export")
        #expect(URL(fileURLWithPath: made).lastPathComponent.hasPrefix("bridges-export-\(getpid())-"))
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        #expect(left == ["bridges-export-\(gone)-q1w2e3", "bridges-export-\(getpid())-r4t5y6", "bridges-export-x7u8i9",
                         "other-\(gone)-a1B2c3", URL(fileURLWithPath: made).lastPathComponent])
    }

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

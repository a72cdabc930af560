@testable import BridgesSQLite
import BridgesStore
import Foundation
import Testing

/// The building file of a first `lesson load` and how it is put in place.
@Suite("A database built beside its path")
struct NewDatabaseFileTests {
    func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("BridgesNewFile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        return folder
    }

    @Test("the rename used where there are no hard links moves a file but never replaces one")
    func renameNeverReplaces() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let from = folder.appendingPathComponent("from").path, to = folder.appendingPathComponent("to").path
        try Data("new".utf8).write(to: URL(fileURLWithPath: from))
        guard case .moved = NewDatabaseFile.renameRefusingToReplace(from, to) else {
            Issue.record("not moved")
            return
        }
        #expect(FileManager.default.contents(atPath: to) == Data("new".utf8))
        try Data("another".utf8).write(to: URL(fileURLWithPath: from))
        guard case .pathTaken = NewDatabaseFile.renameRefusingToReplace(from, to) else {
            Issue.record("replaced, or failed otherwise")
            return
        }
        #expect(FileManager.default.contents(atPath: to) == Data("new".utf8))
        #expect(FileManager.default.fileExists(atPath: from))
    }

    @Test("two building files for one path never share a name, and a held one is not cleared")
    func namesAndLocks() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("bridges.sqlite").path
        let first = NewDatabaseFile(for: target), second = NewDatabaseFile(for: target)
        #expect(first.path != second.path)
        try first.create()
        // Another run clearing leftovers leaves the file a live load holds...
        second.removeLeftovers()
        #expect(FileManager.default.fileExists(atPath: first.path))
        // ...and clears one that nothing holds (a killed load's lock goes with its process).
        let leftover = folder.appendingPathComponent(".bridges.sqlite.loading-1-abc").path
        try Data("half a database".utf8).write(to: URL(fileURLWithPath: leftover))
        second.removeLeftovers()
        #expect(!FileManager.default.fileExists(atPath: leftover))
        #expect(FileManager.default.fileExists(atPath: first.path))
        first.remove()
    }
}

@testable import BridgesKit
import Foundation
import Testing

/// The students a report names are kept in memory up to a bound and on disk past it (memory stays
/// flat), and read back whole, across the reads' chunk boundaries.
@Suite("student spool")
struct StudentSpoolTests {
    @Test func everyStudentComesBackAcrossBatchesAndChunksAndNoFileIsLeftByName() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        // A small batch, so that 30,000 students go to the file in many batches
        let spool = StudentSpool(in: folder.path, limit: 1_000)
        // 30,000 ids of varying length (over 64 KiB in all, so lines straddle chunks), each
        // noted twice in a row and every hundredth again later.
        var expected = Set<String>()
        for n in 0..<30_000 {
            let id = "S\(n)-" + String(repeating: "x", count: n % 7) + "é"
            spool.add(id)
            spool.add(id)
            expected.insert(id)
            if n % 100 == 99 {
                spool.add("S\(n - 50)-")
                expected.insert("S\(n - 50)-")
            }
        }
        var got: [String] = []
        try spool.forEach { got.append($0) }
        #expect(Set(got) == expected)
        // A repeat within a batch is kept once; fewer than all 60,300 notes come back
        #expect(got.count < 31_000, "\(got.count)")
        // Nothing of it has a name on the disk, even in use: the file lives behind its descriptor
        // only, so a process killed part-way leaves no student ids in the temporary folder
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        // …and is read back again whole
        var again = 0
        try spool.forEach { _ in again += 1 }
        #expect(again == got.count)
        spool.remove()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func studentsThatFitInMemoryNeverTouchTheDisk() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let spool = StudentSpool(in: folder.path, limit: 1_000)
        for n in 0..<999 { spool.add("S\(n)"); spool.add("S\(n)") }
        var got: [String] = []
        try spool.forEach { got.append($0) }
        #expect(got.count == 999 && Set(got).count == 999)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        spool.remove()
    }

    @Test func aScratchFolderThatCannotBeUsedIsAnErrorWhenTheStudentsAreRead() throws {
        let spool = StudentSpool(in: "/nonexistent-\(UUID().uuidString)", limit: 10)
        for n in 0..<50 { spool.add("S\(n)") }
        #expect(throws: BridgesError.self) { try spool.forEach { _ in } }
        spool.remove()
    }
}

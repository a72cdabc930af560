import Foundation
import Testing

/// `lesson load` with no database yet builds it beside the path and moves it into place at the
/// end: the path holds nothing or a finished database, whatever happens.
@Suite("A first lesson load", .serialized)
struct FirstLoadTests {
    /// The hidden files a first load builds in, left in `folder`.
    static func buildingFiles(in folder: TemporaryFolder) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path(".")).filter { $0.contains(".loading-") }
    }

    @Test("refused: no database and no building file is left behind")
    func refusedLeavesNothing() throws {
        // Given a program with a lesson that breaks a rule
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FaultFixture.writeGeneratedProgram(lessons: 20, in: folder, at: "gen")
        try folder.write("gen/gen-7.xml", "<lesson xmlns=\"urn:bridges:lesson-plan:1\" id=\"gen-7\"")

        // When it is loaded into no database
        let outcome = try BridgesProcess.run(["lesson", "load", "gen", "--db", "first.sqlite"], in: folder)

        // Then it is refused, naming the file, and nothing is on disk
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.standardError.contains("gen/gen-7.xml:"))
        #expect(!folder.exists("first.sqlite"))
        #expect(try Self.buildingFiles(in: folder).isEmpty)
    }

    @Test("accepted: a WAL database only the owner can read, whole, and nothing else")
    func acceptedIsInPlace() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FaultFixture.writeGeneratedProgram(lessons: 50, in: folder, at: "gen")

        let outcome = try BridgesProcess.run(["lesson", "load", "gen", "--db", "first.sqlite"], in: folder)

        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput.contains("added 51"), "\(outcome)")
        let path = folder.path("first.sqlite")
        #expect(try await FaultFixture.count("lesson", in: path) == 50)
        #expect(try await FaultFixture.integrity(path).ok)
        var status = stat()
        #expect(stat(path, &status) == 0 && status.st_mode & 0o777 == 0o600)
        let header = try #require(FileManager.default.contents(atPath: path))
        #expect(header[18] == 2 && header[19] == 2, "the file is not in WAL mode")
        #expect(try Self.buildingFiles(in: folder).isEmpty)
        // And it is a database like any other: a second load finds everything unchanged.
        let again = try BridgesProcess.run(["lesson", "load", "gen", "--db", "first.sqlite"], in: folder)
        #expect(again.status == 0 && again.standardOutput.contains("unchanged 51"), "\(again)")
    }

    @Test("what a killed first load left is cleared by the next one")
    func leftoversCleared() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FaultFixture.writeGeneratedProgram(lessons: 5, in: folder, at: "gen")
        // A process id above any pid_max: no such process is running.
        try folder.write(".first.sqlite.loading-99999999", "half a database")

        let outcome = try BridgesProcess.run(["lesson", "load", "gen", "--db", "first.sqlite"], in: folder)

        #expect(outcome.status == 0, "\(outcome)")
        #expect(try Self.buildingFiles(in: folder).isEmpty)
    }

    @Test("killed part-way: the path holds nothing or the whole load, never a part")
    func killedPartWay() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FaultFixture.writeGeneratedProgram(lessons: 300, in: folder, at: "gen")
        let arguments = ["lesson", "load", "gen", "--db", "first.sqlite"]
        let path = folder.path("first.sqlite")
        let full = try RunningBridges.start(arguments, in: folder).finish()
        try #require(full.status == 0, "\(full)")
        let usual = full.elapsed

        var random = SystemRandomNumberGenerator()
        for round in 0..<6 {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            let delay = usual * Double.random(in: 0...1.2, using: &random)
            let outcome = try RunningBridges.start(arguments, in: folder).interrupt(with: round.isMultiple(of: 3) ? SIGINT : SIGKILL, after: delay)
            #expect(!outcome.timedOut, "round \(round): hung")
            if folder.exists("first.sqlite") {
                #expect(try await FaultFixture.integrity(path).ok, "round \(round)")
                #expect(try await FaultFixture.count("lesson", in: path) == 300, "round \(round): a part of the load is in place")
            }
        }
        // And a load after all that completes and clears what the killed ones left.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let last = try RunningBridges.start(arguments, in: folder).finish()
        #expect(last.status == 0, "\(last)")
        #expect(try await FaultFixture.count("lesson", in: path) == 300)
        #expect(try Self.buildingFiles(in: folder).isEmpty)
    }
}

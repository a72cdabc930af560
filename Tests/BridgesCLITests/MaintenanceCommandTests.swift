import BridgesKit
import Foundation
import Testing

/// `bridges doctor` and `bridges backup`, run as a school's IT person would.
@Suite("doctor and backup")
struct MaintenanceCommandTests {
    /// Runs `sqlite3 PATH SQL`, to damage a database in ways bridges itself never would.
    private static func sqliteShell(_ path: String, _ sql: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    private static var hasSQLiteShell: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") }

    private static func bytes(_ folder: TemporaryFolder, _ relative: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: folder.path(relative)))
    }

    private static func mode(_ path: String) -> mode_t {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & 0o777 : 0
    }

    @Test("doctor on a sound database: one ok line per check, exit 0, and the file unchanged")
    func doctorSound() async throws {
        // Given a database with records in it
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder, as: "school.sqlite")
        let before = try Self.bytes(folder, "school.sqlite")

        // When the doctor checks it
        let outcome = try BridgesProcess.run(["doctor", "--db", "school.sqlite"], in: folder)

        // Then every check passes, each on its own line, and the file is byte for byte the same
        #expect(outcome.status == 0, "\(outcome)")
        let lines = outcome.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 7, "\(outcome)")
        for name in ["integrity", "foreign keys", "migrations", "audit trail", "audit chain", "audit replay", "permissions"] {
            #expect(lines.contains { $0.hasPrefix("ok:") && $0.contains(name) }, "no ok line for \(name): \(outcome)")
        }
        // (Every migration this version knows; the count grows as the schema does.)
        #expect(outcome.standardOutput.contains(" migrations applied"))
        #expect(outcome.standardError.contains("checks passed; nothing needs doing"), "\(outcome)")
        #expect(try Self.bytes(folder, "school.sqlite") == before)
    }

    @Test("doctor with no database: exit 66, and none is created")
    func doctorMissing() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let outcome = try BridgesProcess.run(["doctor", "--db", "nowhere.sqlite"], in: folder)
        #expect(outcome.status == 66, "\(outcome)")
        #expect(outcome.standardError.contains("there is no database at nowhere.sqlite"), "\(outcome)")
        #expect(!folder.exists("nowhere.sqlite"))
        // The default path too
        let plain = try BridgesProcess.run(["doctor"], in: folder)
        #expect(plain.status == 66, "\(plain)")
        #expect(!folder.exists("bridges.sqlite"))
    }

    @Test("doctor on a file others can read: a warning that says how to fix it, and exit 1: something needs doing")
    func doctorReadableByOthers() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder, as: "school.sqlite")
        _ = chmod(folder.path("school.sqlite"), 0o644)
        let outcome = try BridgesProcess.run(["doctor", "--db", "school.sqlite"], in: folder)
        // (Issue 10 item 18: a warning is something to do, so the status says so, and the last
        // line counts it instead of saying all is well.)
        #expect(outcome.status == 1, "\(outcome)")
        #expect(outcome.errorLines.last?.hasSuffix("1 warning; see the lines above for what to do") == true, "\(outcome)")
        let line = outcome.standardOutput.split(separator: "\n").first { $0.contains("permissions") }.map(String.init) ?? ""
        #expect(line.hasPrefix("warning:") && line.contains("644") && line.contains("minors' records") && line.contains("chmod 600 school.sqlite"), "\(outcome)")
    }

    @Test("doctor on a database whose trail and schema were tampered with: each problem named, exit 1", .enabled(if: hasSQLiteShell))
    func doctorTampered() async throws {
        // Given a database where someone, outside bridges, dropped an append-only trigger, voided a
        // session without a trail, dated an event in the future and un-recorded a migration
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder, as: "school.sqlite")
        let status = try Self.sqliteShell(folder.path("school.sqlite"), """
            DROP TRIGGER auditEvent_noDelete;
            UPDATE session SET voidedAt = '2025-09-02T10:00:00Z', voidedBy = 'x', voidReason = 'x' WHERE id = 1;
            INSERT INTO auditEvent (at, actor, action, entity, entityId) VALUES ('2999-01-01T00:00:00Z', 'x', 'note', 'database', 'bridges');
            DELETE FROM grdb_migrations WHERE identifier = 'v1 certificates';
            """)
        try #require(status == 0)

        // When the doctor checks it
        let outcome = try BridgesProcess.run(["doctor", "--db", "school.sqlite"], in: folder)

        // Then it fails, and says which checks and why
        #expect(outcome.status == 1, "\(outcome)")
        let lines = outcome.standardOutput.split(separator: "\n").map(String.init)
        let migrations = lines.first { $0.contains("migrations") } ?? ""
        #expect(migrations.hasPrefix("FAILED:") && migrations.contains("\"v1 certificates\""), "\(outcome)")
        let trail = lines.first { $0.contains("audit trail") } ?? ""
        #expect(trail.hasPrefix("FAILED:"), "\(outcome)")
        #expect(trail.contains("auditEvent_noDelete"), "\(outcome)")
        #expect(trail.contains("1 event is dated in the future"), "\(outcome)")
        #expect(trail.contains("1 voided session has no void event (1)"), "\(outcome)")
        #expect(lines.contains { $0.hasPrefix("ok:") && $0.contains("integrity") }, "\(outcome)")
        // The event written with the shell has no chain hash (issue 15)
        #expect(lines.contains { $0.hasPrefix("FAILED:") && $0.contains("audit chain") && $0.contains("no chain hash") }, "\(outcome)")
        #expect(outcome.standardError.contains("3 checks failed"), "\(outcome)")
    }

    @Test("backup: a 0600 copy that passes doctor and holds the same records; the path and size printed")
    func backupCopies() async throws {
        // Given a database
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder, as: "school.sqlite")

        // When it is backed up
        let outcome = try BridgesProcess.run(["backup", "copies/monday.sqlite", "--db", "school.sqlite"], in: folder)
        #expect(outcome.status == 74, "a missing folder is an I/O error: \(outcome)")
        #expect(!folder.exists("copies/monday.sqlite"))
        try FileManager.default.createDirectory(atPath: folder.path("copies"), withIntermediateDirectories: false)
        let backup = try BridgesProcess.run(["backup", "copies/monday.sqlite", "--db", "school.sqlite"], in: folder)

        // Then the copy is there, owner-only, sound, and the same records
        #expect(backup.status == 0, "\(backup)")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: folder.path("copies/monday.sqlite"))[.size] as? Int)
        #expect(backup.standardOutput == "copies/monday.sqlite (\(size) bytes)\n", "\(backup)")
        #expect(Self.mode(folder.path("copies/monday.sqlite")) == 0o600)
        #expect(!folder.exists("copies/monday.sqlite-wal"))
        let doctor = try BridgesProcess.run(["doctor", "--db", "copies/monday.sqlite"], in: folder)
        #expect(doctor.status == 0, "\(doctor)")
        await #expect(try DatabaseMaintenance.counts(testDatabase(folder.path("copies/monday.sqlite"))) == DatabaseMaintenance.counts(testDatabase(folder.path("school.sqlite"))))
    }

    @Test("backup never replaces a file (exit 64) and needs a database to copy (exit 66)")
    func backupRefuses() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder, as: "school.sqlite")
        try folder.write("precious.sqlite", "not to be replaced")
        let outcome = try BridgesProcess.run(["backup", "precious.sqlite", "--db", "school.sqlite"], in: folder)
        #expect(outcome.status == 64, "\(outcome)")
        #expect(outcome.standardError.contains("precious.sqlite already exists"), "\(outcome)")
        #expect(try String(contentsOfFile: folder.path("precious.sqlite"), encoding: .utf8) == "not to be replaced")

        let missing = try BridgesProcess.run(["backup", "copy.sqlite", "--db", "nowhere.sqlite"], in: folder)
        #expect(missing.status == 66, "\(missing)")
        #expect(!folder.exists("nowhere.sqlite") && !folder.exists("copy.sqlite"))
    }

    @Test("backup while a 50,000-mark import writes: the copy is consistent, with the import entirely or not at all")
    func backupDuringWrites() async throws {
        // Given a database and a large import running against it
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder)
        try folder.write("marks.csv", FaultFixture.sessionImportCSV(classCount: 10, sessionsPerClass: 50))
        let importing = try RunningBridges.start(["session", "import", "marks.csv", "--db", "fault.sqlite"], in: folder)

        // When copies are taken meanwhile
        var copies: [String] = []
        for n in 0..<4 {
            usleep(100_000)
            let copy = "copy-\(n).sqlite"
            let outcome = try BridgesProcess.run(["backup", copy, "--db", "fault.sqlite"], in: folder)
            #expect(outcome.status == 0, "\(outcome)")
            copies.append(copy)
        }
        let imported = try importing.finish()
        #expect(imported.status == 0, "\(imported)")

        // Then every copy is sound and holds the marks from before or after the import, never part of it
        for copy in copies {
            let doctor = try BridgesProcess.run(["doctor", "--db", copy], in: folder)
            #expect(doctor.status == 0, "\(copy): \(doctor)")
            let marks = try await FaultFixture.count("mark", in: folder.path(copy))
            #expect(marks == FaultFixture.students || marks == FaultFixture.students + 50_000, "\(copy): \(marks) marks")
        }
    }
}

import BridgesKit
import Foundation
import Testing

/// What `bridges` does with the file it is given as the database, and with a trail someone
/// tampered with outside it (issue 10, items 2, 3, 4 and 18): run as a person or an attacker would.
@Suite("Database safety", .serialized)
struct DatabaseSafetyTests {
    private static var hasSQLiteShell: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") }

    /// Runs SQL with the sqlite3 shell, as someone with the file and no Bridges would; the exit
    /// status and standard error.
    @discardableResult
    private static func sqlite(_ path: String, _ sql: String) throws -> (status: Int32, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    private static func bytes(_ folder: TemporaryFolder, _ relative: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: folder.path(relative)))
    }

    /// Commands that only read, each with what it needs to run.
    static let readCommands: [[String]] = [
        ["certificate", "verify", "7K3Q-M9XD-2HFA-Q8RT"], ["certificate", "list"], ["roster", "list"], ["lesson", "list"],
        ["lesson", "show", "fs-drill"], ["session", "list"], ["session", "show", "1"], ["officer", "list"],
        ["export", "attendance", "--out", "-"],
    ]

    @Test("a read on a mistyped --db says there is no database (66) and creates nothing")
    func readsNeverCreate() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for arguments in Self.readCommands {
            let outcome = try BridgesProcess.run(arguments + ["--db", "typo.sqlite"], in: folder)
            #expect(outcome.status == 66, "\(arguments): \(outcome)")
            #expect(outcome.standardError.contains("there is no database at typo.sqlite"), "\(arguments): \(outcome)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.hasPrefix("typo") }.isEmpty, "\(arguments) created a file")
        }
        // A write still starts a database where there is none.
        let add = try BridgesProcess.run(["officer", "add", "ofc-1", "--name", "Dana Reyes", "--db", "new.sqlite"], in: folder)
        #expect(add.status == 0, "\(add)")
        #expect(folder.exists("new.sqlite"))
    }

    @Test("another program's SQLite database is refused untouched (65) by reads and writes", .enabled(if: hasSQLiteShell))
    func foreignDatabaseUntouched() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try #require(try Self.sqlite(folder.path("notes.sqlite"), "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('private');").status == 0)
        let before = try Self.bytes(folder, "notes.sqlite")
        let writes = [["officer", "add", "ofc-1", "--name", "Dana"], ["lesson", "load", "Curricula-missing"], ["upgrade"]]
        for arguments in Self.readCommands + writes {
            let outcome = try BridgesProcess.run(arguments + ["--db", "notes.sqlite"], in: folder)
            if arguments == ["lesson", "load", "Curricula-missing"] {
                #expect(outcome.status != 0, "\(outcome)")
            } else {
                #expect(outcome.status == 65, "\(arguments): \(outcome)")
                #expect(outcome.standardError.contains("notes.sqlite is an SQLite database of another program (its tables: notes)"), "\(arguments): \(outcome)")
            }
            #expect(try Self.bytes(folder, "notes.sqlite") == before, "\(arguments) changed the file")
            #expect(!folder.exists("notes.sqlite-wal"), "\(arguments) switched the file to WAL")
        }
    }

    @Test("a database written by a newer Bridges is refused by every command (65), not only doctor", .enabled(if: hasSQLiteShell))
    func newerDatabaseRefused() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder, as: "school.sqlite")
        try #require(try Self.sqlite(folder.path("school.sqlite"), "INSERT INTO grdb_migrations VALUES ('v9 from the future');").status == 0)
        let before = try Self.bytes(folder, "school.sqlite")
        for arguments in Self.readCommands + [["officer", "add", "ofc-9", "--name", "Pat Lee"], ["upgrade"]] {
            let outcome = try BridgesProcess.run(arguments + ["--db", "school.sqlite"], in: folder)
            #expect(outcome.status == 65, "\(arguments): \(outcome)")
            #expect(outcome.standardError.contains("written by a newer version of Bridges") && outcome.standardError.contains("'v9 from the future'"), "\(arguments): \(outcome)")
            #expect(try Self.bytes(folder, "school.sqlite") == before, "\(arguments) changed the file")
        }
    }

    @Test("a named pipe or a device as --db is refused at once, never waited on")
    func pipeAndDeviceRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try #require(mkfifo(folder.path("pipe.sqlite"), 0o600) == 0)
        for database in [folder.path("pipe.sqlite"), "/dev/null", "/dev/zero"] {
            for arguments in [["roster", "list"], ["officer", "add", "ofc-1", "--name", "Dana"], ["doctor"], ["backup", "copy.sqlite"]] {
                let outcome = try BridgesProcess.run(arguments + ["--db", database], in: folder)
                #expect(!outcome.timedOut && !outcome.crashed && outcome.status == 74, "\(database) \(arguments): \(outcome)")
                #expect(outcome.standardError.contains(database.hasPrefix("/dev") ? "it is a device" : "it is a named pipe"), "\(database) \(arguments): \(outcome)")
                #expect(outcome.elapsed < .seconds(10), "\(database) \(arguments) took \(outcome.elapsed)")
            }
        }
    }

    @Test("INSERT OR REPLACE cannot rewrite an audit event; UPSERT, UPDATE and DELETE are refused too", .enabled(if: hasSQLiteShell))
    func auditTrailCannotBeRewritten() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder, as: "school.sqlite")
        let path = folder.path("school.sqlite")
        let attacks = [
            "INSERT OR REPLACE INTO auditEvent (id, at, actor, action, entity, entityId) VALUES (1, '2025-01-01T00:00:00Z', 'nobody', 'log', 'session', '1');",
            "REPLACE INTO auditEvent (id, at, actor, action, entity, entityId) VALUES (2, '2025-01-01T00:00:00Z', 'nobody', 'log', 'session', '1');",
            "INSERT INTO auditEvent (id, at, actor, action, entity, entityId) VALUES (1, 'x', 'x', 'x', 'x', 'x') ON CONFLICT (id) DO UPDATE SET actor = 'nobody';",
            "UPDATE auditEvent SET actor = 'nobody' WHERE id = 1;",
            "DELETE FROM auditEvent WHERE id = 1;",
        ]
        let before = try Self.sqliteRows(path, "SELECT * FROM auditEvent ORDER BY id")
        for attack in attacks {
            let result = try Self.sqlite(path, attack)
            #expect(result.status != 0 && result.error.contains("append-only"), "\(attack): \(result)")
        }
        #expect(try Self.sqliteRows(path, "SELECT * FROM auditEvent ORDER BY id") == before)
        let doctor = try BridgesProcess.run(["doctor", "--db", "school.sqlite"], in: folder)
        #expect(doctor.status == 0, "\(doctor)")
    }

    @Test("doctor finds an event removed behind a dropped trigger, a mark changed with SQL, and a rewritten event", .enabled(if: hasSQLiteShell))
    func doctorFindsTampering() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder, as: "school.sqlite")
        let path = folder.path("school.sqlite")
        let log = try BridgesProcess.run(["session", "log", "--lesson", "fs-drill", "--class", "c02", "--officer", "ofc-1", "--date", "2025-10-02",
                                          "--absent", "st00101", "--others", "present", "--db", "school.sqlite"], in: folder)
        #expect(log.status == 0, "\(log)")
        let session = log.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let sound = try BridgesProcess.run(["doctor", "--db", "school.sqlite"], in: folder)
        #expect(sound.status == 0, "\(sound)")

        // A mark changed with SQL: the absent student made present, no amend event.
        try #require(try Self.sqlite(path, "UPDATE mark SET status = 'present' WHERE sessionId = \(session) AND studentId = 'st00101';").status == 0)
        var doctor = try BridgesProcess.run(["doctor", "--db", "school.sqlite"], in: folder)
        #expect(doctor.status == 1, "\(doctor)")
        #expect(doctor.standardOutput.contains("1 session's marks are not what the trail says (\(session))"), "\(doctor)")
        #expect(doctor.errorLines.last?.contains("1 check failed") == true, "\(doctor)")

        // An event removed (after dropping the trigger, and putting it back) and one written in
        // later with an old date.
        try #require(try Self.sqlite(path, """
            UPDATE mark SET status = 'absent' WHERE sessionId = \(session) AND studentId = 'st00101';
            DROP TRIGGER auditEvent_noDelete;
            DELETE FROM auditEvent WHERE id = 2;
            CREATE TRIGGER auditEvent_noDelete BEFORE DELETE ON auditEvent BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
            INSERT INTO auditEvent (at, actor, action, entity, entityId, detail) VALUES ('2020-01-01T00:00:00Z', 'x', 'note', 'database', 'bridges', 'backdated');
            """).status == 0)
        doctor = try BridgesProcess.run(["doctor", "--db", "school.sqlite"], in: folder)
        #expect(doctor.status == 1, "\(doctor)")
        let trail = doctor.standardOutput.split(separator: "\n").first { $0.contains("audit trail") }.map(String.init) ?? ""
        #expect(trail.hasPrefix("FAILED:") && trail.contains("1 event is missing from the trail") && trail.contains("is 2"), "\(doctor)")
        #expect(trail.contains("1 event is dated more than a day before an earlier event"), "\(doctor)")
        #expect(!trail.contains("marks are not what the trail says"), "the mark was put back: \(doctor)")
    }

    @Test("the demo never removes a database with records it did not write, even a demo's", .enabled(if: hasSQLiteShell))
    func demoLeavesRealRecords() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.copyItem(atPath: CLITerm.curricula, toPath: folder.path("Curricula"))
        let first = try BridgesProcess.run(["demo", "--db", "demo.sqlite"], in: folder)
        try #require(first.status == 0, "\(first)")
        // A report of the day someone keeps in Exports/ under the demo's name is never replaced.
        let exports = try FileManager.default.contentsOfDirectory(atPath: folder.path("Exports"))
        let attendance = try #require(exports.first { $0.hasPrefix("attendance-") && $0.hasSuffix(".csv") }, "\(exports)")
        try folder.write("Exports/" + attendance, "my own report\r\n")
        // A rerun of an untouched demo replaces its database.
        let again = try BridgesProcess.run(["demo", "--db", "demo.sqlite"], in: folder)
        #expect(again.status == 0, "\(again)")
        #expect(try String(contentsOfFile: folder.path("Exports/" + attendance), encoding: .utf8) == "my own report\r\n")
        #expect(folder.exists("Exports/" + attendance.replacingOccurrences(of: ".csv", with: "-2.csv")), "\(again)")
        // A real officer added to the demo's database, by the same person: the demo leaves it.
        let add = try BridgesProcess.run(["officer", "add", "ofc-real", "--name", "Real Officer", "--db", "demo.sqlite"], in: folder)
        #expect(add.status == 0, "\(add)")
        let before = try Self.sqliteRows(folder.path("demo.sqlite"), "SELECT id, name FROM officer ORDER BY id")
        let refused = try BridgesProcess.run(["demo", "--db", "demo.sqlite"], in: folder)
        #expect(refused.status == 65, "\(refused)")
        #expect(refused.standardError.contains("holds records the demo did not write") && refused.standardError.contains("bridges demo --db"), "\(refused)")
        #expect(try Self.sqliteRows(folder.path("demo.sqlite"), "SELECT id, name FROM officer ORDER BY id") == before)
        #expect(before.contains("ofc-real|Real Officer"))
    }

    /// The rows of a query as the sqlite3 shell prints them.
    private static func sqliteRows(_ path: String, _ sql: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: "\n").map(String.init)
    }
}

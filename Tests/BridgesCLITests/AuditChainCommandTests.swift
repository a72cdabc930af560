import BridgesKit
import Foundation
import Testing

/// The tamper-evident audit trail (issue 15, part 4): a real database attacked with the sqlite3
/// shell, its triggers dropped first, as someone with the file would; `doctor` must name the
/// first event or row that does not fit and exit 1.
@Suite("audit chain and replay")
struct AuditChainCommandTests {
    static var hasSQLiteShell: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") }

    /// Runs SQL with the sqlite3 shell; returns what it printed.
    @discardableResult
    static func sqlite(_ path: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "sqlite3 failed on: \(sql)")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static let dropTriggers = """
        DROP TRIGGER auditEvent_noUpdate; DROP TRIGGER auditEvent_noDelete; DROP TRIGGER auditEvent_noReplace;
        """

    /// The fault fixture (30 sessions, 3,000 students), with certificates issued, one revoked and
    /// session 3 voided, all through bridges.
    static func school() async throws -> TemporaryFolder {
        return try await TemporaryFolder.prepared { folder in
            try await FaultFixture.install(in: folder, as: "school.sqlite")
            let issue = try BridgesProcess.run(["certificate", "issue", "--as-of", "2025-09-02", "--db", "school.sqlite"], in: folder)
            try #require(issue.status == 0, "\(issue)")
            let code = try sqlite(folder.path("school.sqlite"), "SELECT code FROM certificate ORDER BY code LIMIT 1 OFFSET 10")
            let revoke = try BridgesProcess.run(["certificate", "revoke", code, "--reason", "issued in error", "--db", "school.sqlite"], in: folder)
            try #require(revoke.status == 0, "\(revoke)")
            let void = try BridgesProcess.run(["session", "void", "3", "--reason", "logged twice", "--db", "school.sqlite"], in: folder)
            try #require(void.status == 0, "\(void)")
        }
    }

    static func doctor(_ folder: TemporaryFolder) throws -> (status: Int32, lines: [String], outcome: String) {
        let outcome = try BridgesProcess.run(["doctor", "--db", "school.sqlite"], in: folder)
        return (outcome.status, outcome.standardOutput.split(separator: "\n").map(String.init), "\(outcome)")
    }

    static func line(_ name: String, _ lines: [String]) -> String {
        lines.first { $0.dropFirst(9).hasPrefix(name) } ?? ""
    }

    @Test("a database kept by bridges alone: the chain and the replay pass, and the head is printed", .enabled(if: hasSQLiteShell))
    func soundChain() async throws {
        let folder = try await Self.school()
        defer { folder.remove() }
        let events = try Self.sqlite(folder.path("school.sqlite"), "SELECT count(*) FROM auditEvent")
        let head = try Self.sqlite(folder.path("school.sqlite"), "SELECT chainHash FROM auditEvent ORDER BY id DESC LIMIT 1")
        let (status, lines, outcome) = try Self.doctor(folder)
        #expect(status == 0, "\(outcome)")
        let chain = Self.line("audit chain", lines)
        #expect(chain.hasPrefix("ok:") && chain.contains("\(events) events chained") && chain.contains(String(head.prefix(16))), "\(outcome)")
        #expect(Self.line("audit replay", lines).hasPrefix("ok:"), "\(outcome)")
    }

    @Test("an event rewritten with the shell is named, and the events after it are not blamed", .enabled(if: hasSQLiteShell))
    func rewrittenEvent() async throws {
        let folder = try await Self.school()
        defer { folder.remove() }
        try Self.sqlite(folder.path("school.sqlite"), Self.dropTriggers + """
            UPDATE auditEvent SET actor = 'someone else' WHERE id = 7;
            """)
        let (status, lines, outcome) = try Self.doctor(folder)
        #expect(status == 1, "\(outcome)")
        let chain = Self.line("audit chain", lines)
        #expect(chain.hasPrefix("FAILED:") && chain.contains("event 7 (") && chain.contains("rewritten"), "\(outcome)")
    }

    @Test("a personal field rewritten (it enters the chain as its digest) is found too", .enabled(if: hasSQLiteShell))
    func rewrittenDetail() async throws {
        let folder = try await Self.school()
        defer { folder.remove() }
        let id = try Self.sqlite(folder.path("school.sqlite"), "SELECT id FROM auditEvent WHERE action = 'revoke'")
        try Self.sqlite(folder.path("school.sqlite"), Self.dropTriggers + "UPDATE auditEvent SET reason = 'nothing' WHERE id = \(id);")
        let (status, lines, outcome) = try Self.doctor(folder)
        #expect(status == 1, "\(outcome)")
        #expect(Self.line("audit chain", lines).contains("event \(id) (revoke certificate"), "\(outcome)")
    }

    @Test("an event deleted, and the later ones renumbered to hide the gap: both named", .enabled(if: hasSQLiteShell))
    func deletedEvent() async throws {
        let folder = try await Self.school()
        defer { folder.remove() }
        try Self.sqlite(folder.path("school.sqlite"), Self.dropTriggers + "DELETE FROM auditEvent WHERE id = 9;")
        var (status, lines, outcome) = try Self.doctor(folder)
        #expect(status == 1, "\(outcome)")
        #expect(Self.line("audit chain", lines).contains("event 9 is missing"), "\(outcome)")

        try Self.sqlite(folder.path("school.sqlite"), "UPDATE auditEvent SET id = id - 1 WHERE id > 9;")
        (status, lines, outcome) = try Self.doctor(folder)
        #expect(status == 1, "\(outcome)")
        #expect(Self.line("audit chain", lines).contains("event 9 ("), "\(outcome)")
    }

    @Test("an event inserted with a made-up hash, or none, is named", .enabled(if: hasSQLiteShell))
    func insertedEvent() async throws {
        let folder = try await Self.school()
        defer { folder.remove() }
        let last = Int(try Self.sqlite(folder.path("school.sqlite"), "SELECT max(id) FROM auditEvent"))!
        try Self.sqlite(folder.path("school.sqlite"), """
            INSERT INTO auditEvent (at, actor, action, entity, entityId, chainHash)
            VALUES ('2025-09-03T10:00:00Z', 'x', 'revoke', 'certificate', 'NONE', '\(String(repeating: "ab", count: 32))');
            """)
        var (status, lines, outcome) = try Self.doctor(folder)
        #expect(status == 1, "\(outcome)")
        #expect(Self.line("audit chain", lines).contains("event \(last + 1) (revoke certificate NONE"), "\(outcome)")

        try Self.sqlite(folder.path("school.sqlite"), Self.dropTriggers + """
            DELETE FROM auditEvent WHERE id = \(last + 1);
            INSERT INTO auditEvent (at, actor, action, entity, entityId) VALUES ('2025-09-03T10:00:00Z', 'x', 'note', 'database', 'bridges');
            """)
        (status, lines, outcome) = try Self.doctor(folder)
        #expect(status == 1, "\(outcome)")
        #expect(Self.line("audit chain", lines).contains("event \(last + 1) (note database bridges") && Self.line("audit chain", lines).contains("no chain hash"), "\(outcome)")
    }

    @Test("a mark changed with the shell: the session is named", .enabled(if: hasSQLiteShell))
    func markChanged() async throws {
        let folder = try await Self.school()
        defer { folder.remove() }
        try Self.sqlite(folder.path("school.sqlite"), "UPDATE mark SET status = 'absent' WHERE sessionId = 12 AND studentId = 'st01150';")
        let (status, lines, outcome) = try Self.doctor(folder)
        #expect(status == 1, "\(outcome)")
        let trail = Self.line("audit trail", lines)
        #expect(trail.hasPrefix("FAILED:") && trail.contains("marks are not what the trail says (12)"), "\(outcome)")
        #expect(Self.line("audit chain", lines).hasPrefix("ok:"), "the chain itself is whole: \(outcome)")
    }

    @Test("a voided session un-voided with the shell is named", .enabled(if: hasSQLiteShell))
    func sessionUnvoided() async throws {
        let folder = try await Self.school()
        defer { folder.remove() }
        try Self.sqlite(folder.path("school.sqlite"), "UPDATE session SET voidedAt = NULL, voidedBy = NULL, voidReason = NULL WHERE id = 3;")
        let (status, lines, outcome) = try Self.doctor(folder)
        #expect(status == 1, "\(outcome)")
        #expect(Self.line("audit replay", lines).contains("session 3 is not voided"), "\(outcome)")
    }

    @Test("certificates un-revoked, revoked, added or removed with the shell are named", .enabled(if: hasSQLiteShell))
    func certificatesChanged() async throws {
        let folder = try await Self.school()
        defer { folder.remove() }
        let path = folder.path("school.sqlite")
        let revoked = try Self.sqlite(path, "SELECT code FROM certificate WHERE revokedAt IS NOT NULL")
        try Self.sqlite(path, "UPDATE certificate SET revokedOn = NULL, revokedAt = NULL, revokedBy = NULL, revocationReason = NULL;")
        var (status, lines, outcome) = try Self.doctor(folder)
        #expect(status == 1, "\(outcome)")
        #expect(Self.line("audit replay", lines).contains("certificate \(revoked) is not revoked"), "\(outcome)")

        let other = try Self.sqlite(path, "SELECT code FROM certificate ORDER BY code LIMIT 1 OFFSET 20")
        try Self.sqlite(path, "UPDATE certificate SET revokedOn = '2025-09-03', revokedAt = '2025-09-03T00:00:00Z', revokedBy = 'x' WHERE code IN ('\(revoked)', '\(other)');")
        (status, lines, outcome) = try Self.doctor(folder)
        #expect(Self.line("audit replay", lines).contains("certificate \(revoked) is revoked, but its trail does not say so"), "the revocation time was changed: \(outcome)")

        try Self.sqlite(path, """
            UPDATE certificate SET revokedOn = NULL, revokedAt = NULL, revokedBy = NULL WHERE code = '\(other)';
            UPDATE certificate SET revokedAt = (SELECT at FROM auditEvent WHERE action = 'revoke') WHERE code = '\(revoked)';
            INSERT INTO certificate (code, studentId, programId, programVersion, title, issuedOn, issuedAt, issuedBy)
            SELECT '0000000000000', studentId, programId, programVersion, title, issuedOn, '2025-09-04T00:00:00Z', 'x' FROM certificate LIMIT 1;
            """)
        (status, lines, outcome) = try Self.doctor(folder)
        #expect(status == 1, "\(outcome)")
        #expect(Self.line("audit replay", lines).contains("certificate 0000000000000 has no issue event"), "\(outcome)")

        try Self.sqlite(path, "DELETE FROM certificate WHERE code = '0000000000000'; DELETE FROM certificate WHERE code = '\(other)';")
        (status, lines, outcome) = try Self.doctor(folder)
        #expect(status == 1, "\(outcome)")
        #expect(Self.line("audit replay", lines).contains("are 2999, and the trail issued 3000: removed outside Bridges"), "\(outcome)")
    }

    @Test("an existing database's trail is chained by the migration, in order, to the same hashes bridges writes", .enabled(if: hasSQLiteShell))
    func migrationChainsExistingEvents() async throws {
        let folder = try await Self.school()
        defer { folder.remove() }
        let path = folder.path("school.sqlite")
        let written = try Self.sqlite(path, "SELECT group_concat(chainHash, ',') FROM (SELECT chainHash FROM auditEvent ORDER BY id)")
        // Made into a database of the Bridges before the chain: the columns, the migration's
        // record and the narrowed trigger taken back.
        try Self.sqlite(path, Self.dropTriggers + """
            ALTER TABLE auditEvent DROP COLUMN chainHash;
            ALTER TABLE auditEvent DROP COLUMN erased;
            DELETE FROM grdb_migrations WHERE identifier = 'v3 audit trail hash chain';
            CREATE TRIGGER auditEvent_noUpdate BEFORE UPDATE ON auditEvent BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
            CREATE TRIGGER auditEvent_noDelete BEFORE DELETE ON auditEvent BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
            CREATE TRIGGER auditEvent_noReplace BEFORE INSERT ON auditEvent
            WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM auditEvent WHERE id = NEW.id)
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
            """)
        let upgrade = try BridgesProcess.run(["upgrade", "--db", "school.sqlite"], in: folder)
        #expect(upgrade.status == 0, "\(upgrade)")
        #expect(try Self.sqlite(path, "SELECT group_concat(chainHash, ',') FROM (SELECT chainHash FROM auditEvent ORDER BY id)") == written)
        let (status, _, outcome) = try Self.doctor(folder)
        #expect(status == 0, "\(outcome)")
    }
}

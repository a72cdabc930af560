import BridgesKit
import Foundation
import Testing

/// Erasure, legal holds and retention (issue 15, part 3), end to end on the fault fixture
/// (30 sessions of 100 students, all present, 3,000 certificates issued).
@Suite("student erase, hold and retention purge")
struct StudentErasureCommandTests {
    static var hasSQLiteShell: Bool { AuditChainCommandTests.hasSQLiteShell }

    static func sql(_ folder: TemporaryFolder, _ text: String) throws -> String {
        try AuditChainCommandTests.sqlite(folder.path("school.sqlite"), text)
    }

    static func run(_ arguments: [String], _ folder: TemporaryFolder) throws -> BridgesProcess.Outcome {
        try BridgesProcess.run(arguments + ["--db", "school.sqlite"], in: folder)
    }

    static func school() async throws -> TemporaryFolder {
        return try await TemporaryFolder.prepared { folder in
            try await FaultFixture.install(in: folder, as: "school.sqlite")
            let issue = try run(["certificate", "issue", "--as-of", "2025-09-02"], folder)
            try #require(issue.status == 0, "\(issue)")
        }
    }

    static func report(_ name: String, _ folder: TemporaryFolder) throws -> String {
        let outcome = try run(["export", name, "--out", "-"], folder)
        try #require(outcome.status == 0, "\(outcome)")
        return outcome.standardOutput
    }

    @Test("erase: names and identifier gone from the roster and the trail, every report's counts unchanged, the chain still verifies", .enabled(if: hasSQLiteShell))
    func eraseKeepsCounts() async throws {
        let folder = try await Self.school()
        defer { folder.remove() }
        // Given a student renamed by a roster import (so the trail holds the old and new names)
        try folder.write("renamed.csv", FaultFixture.rosterCSV(firstStudent: 1, classes: 1...1, perClass: 100)
            .replacingOccurrences(of: ",st00005,Given5,Family5,", with: ",st00005,Gina,Family5,"))
        #expect(try Self.run(["roster", "import", "renamed.csv"], folder).status == 0)
        #expect(try Self.sql(folder, "SELECT count(*) FROM auditEvent WHERE entityId = 'st00005' AND newValue = 'Gina'") == "1")
        let code = try Self.sql(folder, "SELECT code FROM certificate WHERE studentId = 'st00005'")
        let before = try ["program-report", "summary", "attendance", "certificates"].map { try Self.report($0, folder) }

        // When the family's request is carried out
        let erase = try Self.run(["student", "erase", "st00005", "--reason", "family's request of 2026-11-30, letter on file"], folder)

        // Then the student carries a pseudonym everywhere, and nothing of the names is left
        #expect(erase.status == 0, "\(erase)")
        let pseudonym = try Self.sql(folder, "SELECT familyName FROM student WHERE id = 'st00005'")
        #expect(pseudonym.hasPrefix("ERASED-") && pseudonym.count == 17 && erase.standardOutput.contains(pseudonym), "\(erase)")
        #expect(erase.standardError.contains("1 marks, 0 quiz attempts, 1 certificates"), "\(erase)")
        for name in ["Gina", "Given5"] {
            #expect(try Self.sql(folder, """
                SELECT count(*) FROM auditEvent WHERE oldValue = '\(name)' OR newValue = '\(name)' OR detail LIKE '%\(name)%' OR reason LIKE '%\(name)%'
                """) == "0", "\(name) is still in the trail")
            #expect(try Self.sql(folder, "SELECT count(*) FROM student WHERE givenName = '\(name)'") == "0")
        }
        #expect(try Self.sql(folder, "SELECT count(*) FROM auditEvent WHERE action = 'erase' AND entityId = 'st00005'") == "1")
        // …nor in the file's free space (secure_delete), once bridges has closed it
        let bytes = try Data(contentsOf: URL(fileURLWithPath: folder.path("school.sqlite")))
        #expect(bytes.range(of: Data("Gina".utf8)) == nil && bytes.range(of: Data("Given5Family5".utf8)) == nil && bytes.range(of: Data("Given6Family6".utf8)) != nil)
        #expect(!folder.exists("school.sqlite-wal"))
        // Every report has the same rows, the same counts; only this student's names differ
        let after = try ["program-report", "summary", "attendance", "certificates"].map { try Self.report($0, folder) }
        #expect(after[0] == before[0], "the program report is unchanged")
        for (old, new) in zip(before.dropFirst(), after.dropFirst()) {
            let oldLines = old.split(separator: "\r\n"), newLines = new.split(separator: "\r\n")
            #expect(oldLines.count == newLines.count)
            // (Rows sorted by name move: compared as sets.)
            let gone = Set(oldLines).subtracting(newLines), came = Set(newLines).subtracting(oldLines)
            #expect(gone.count == 1 && came.count == 1 && came.first!.contains(pseudonym) && !came.first!.contains("Gina"), "\(came)")
        }
        // The certificate still verifies, as a status, with no name or initials
        let verify = try Self.run(["certificate", "verify", code], folder)
        #expect(verify.status == 0, "\(verify)")
        #expect(!verify.standardOutput.contains("holder:") && !verify.standardOutput.contains("ERASED") && !verify.standardOutput.contains("GF"), "\(verify)")
        // The chain verifies without the personal data, and doctor is content
        let doctor = try Self.run(["doctor"], folder)
        #expect(doctor.status == 0, "\(doctor)")
        // A second erasure is refused, and a roster import does not bring the names back
        #expect(try Self.run(["student", "erase", "st00005", "--reason", "again"], folder).status == 65)
        #expect(try Self.run(["roster", "import", "renamed.csv"], folder).status == 0)
        #expect(try Self.sql(folder, "SELECT givenName || ' ' || familyName FROM student WHERE id = 'st00005'") == "Erased \(pseudonym)")
        #expect(try Self.run(["student", "erase", "nobody", "--reason", "x"], folder).status == 66)
        #expect(try Self.run(["student", "erase", "st00006", "--reason", " "], folder).status == 64)
    }

    @Test("an erased event's personal field put back, or another student's blanked, with the shell: doctor names the event", .enabled(if: hasSQLiteShell))
    func erasureTampered() async throws {
        let folder = try await Self.school()
        defer { folder.remove() }
        #expect(try Self.run(["student", "opt-out", "st00008", "--reason", "mother, by phone"], folder).status == 0)
        #expect(try Self.run(["student", "opt-out", "st00009", "--reason", "father, by letter"], folder).status == 0)
        #expect(try Self.run(["student", "erase", "st00008", "--reason", "family's request"], folder).status == 0)
        let optOut = try Self.sql(folder, "SELECT id FROM auditEvent WHERE action = 'opt-out' AND entityId = 'st00008'")
        #expect(try Self.sql(folder, "SELECT reason IS NULL FROM auditEvent WHERE id = \(optOut)") == "1")
        // The shell blanks another student's reason the way an erasure does, keeping its digest
        let other = try Self.sql(folder, "SELECT id FROM auditEvent WHERE action = 'opt-out' AND entityId = 'st00009'")
        try AuditChainCommandTests.sqlite(folder.path("school.sqlite"), AuditChainCommandTests.dropTriggers + """
            UPDATE auditEvent SET reason = NULL, erased = 'reason=' || '\(String(repeating: "0", count: 64))' WHERE id = \(other);
            """)
        let doctor = try Self.run(["doctor"], folder)
        #expect(doctor.status == 1, "\(doctor)")
        #expect(doctor.standardOutput.contains("event \(other) (opt-out student st00009"), "\(doctor)")
    }

    @Test("a legal hold stops erasure and keeps records from a purge; release lets them go", .enabled(if: hasSQLiteShell))
    func holdAndRelease() async throws {
        let folder = try await Self.school()
        defer { folder.remove() }
        #expect(try Self.run(["student", "hold", "st00010", "--reason", "records subpoena 2026-114"], folder).status == 0)
        let refused = try Self.run(["student", "erase", "st00010", "--reason", "family's request"], folder)
        #expect(refused.status == 65 && refused.standardError.contains("legal hold"), "\(refused)")
        #expect(try Self.sql(folder, "SELECT givenName FROM student WHERE id = 'st00010'") == "Given10")
        #expect(try Self.run(["student", "hold", "st00010", "--reason", "again"], folder).status == 65)

        // A certificate revoked long ago (its date set back with the shell; the trail still matches
        // its revocation time) and the marks of 2025 are past their time
        let revokedCode = try Self.sql(folder, "SELECT code FROM certificate WHERE studentId = 'st00020'")
        #expect(try Self.run(["certificate", "revoke", revokedCode, "--reason", "issued in error"], folder).status == 0)
        #expect(try Self.run(["certificate", "revoke", try Self.sql(folder, "SELECT code FROM certificate WHERE studentId = 'st00010'"), "--reason", "issued in error"], folder).status == 0)
        // …and one exported as a badge, which must stay: the published revocation list is read from it
        let badgeCode = try Self.sql(folder, "SELECT code FROM certificate WHERE studentId = 'st00030'")
        #expect(try Self.run(["certificate", "revoke", badgeCode, "--reason", "issued in error"], folder).status == 0)
        _ = try Self.sql(folder, "UPDATE certificate SET revokedOn = '2025-10-01' WHERE code IN ('\(revokedCode)', '\(badgeCode)') OR studentId = 'st00010';")
        _ = try Self.sql(folder, "UPDATE certificate SET statusIndex = 0, recipientSalt = 'salt' WHERE code = '\(badgeCode)';")
        let events = try Self.sql(folder, "SELECT count(*) FROM auditEvent")

        // The dry run lists what would go and changes nothing
        let dry = try Self.run(["retention", "purge", "--before", "2026-01-01", "--dry-run"], folder)
        #expect(dry.status == 0, "\(dry)")
        let listed = dry.standardOutput.split(separator: "\n")
        #expect(listed.count == 31 && listed.contains { $0.hasPrefix("session 2  2025-09-01  class c02  fs-drill: 100 marks") }, "\(dry)")
        #expect(listed.contains { $0.hasPrefix("session 1 ") && $0.contains("99 marks") }, "the held student's mark (class c01) stays: \(dry)")
        #expect(listed.contains { $0 == "certificate \(revokedCode)  fire: ended 2025-10-01" }, "\(dry)")
        #expect(!dry.standardOutput.contains(badgeCode), "a badge's certificate is never purged: \(dry)")
        #expect(dry.standardError.contains("would remove 2999 marks") && dry.standardError.contains("1 student under legal hold kept"), "\(dry)")
        #expect(try Self.sql(folder, "SELECT count(*) FROM mark") == "3000")
        #expect(try Self.sql(folder, "SELECT count(*) FROM auditEvent") == events)

        // The purge takes what the dry run said, audited, and doctor replays it
        let purge = try Self.run(["retention", "purge", "--before", "2026-01-01"], folder)
        #expect(purge.status == 0, "\(purge)")
        #expect(purge.standardOutput == dry.standardOutput)
        #expect(try Self.sql(folder, "SELECT group_concat(studentId) FROM mark") == "st00010")
        #expect(try Self.sql(folder, "SELECT count(*) FROM certificate") == "2999")
        #expect(try Self.sql(folder, "SELECT count(*) FROM certificate WHERE studentId = 'st00010'") == "1")
        #expect(try Self.sql(folder, "SELECT revokedOn FROM certificate WHERE code = '\(badgeCode)'") == "2025-10-01")
        #expect(try Self.sql(folder, "SELECT count(*) FROM session") == "30", "sessions stay")
        #expect(try Self.sql(folder, "SELECT count(*) FROM auditEvent WHERE action IN ('purge marks', 'purge', 'retention purge')") == "32")
        let doctor = try Self.run(["doctor"], folder)
        #expect(doctor.status == 0, "\(doctor)")

        // Released, the student can be erased
        #expect(try Self.run(["student", "release", "st00010", "--reason", "subpoena answered"], folder).status == 0)
        #expect(try Self.run(["student", "release", "st00010", "--reason", "again"], folder).status == 65)
        #expect(try Self.run(["student", "erase", "st00010", "--reason", "family's request"], folder).status == 0)
        #expect(try Self.run(["doctor"], folder).status == 0)
        #expect(try Self.run(["retention", "purge", "--before", "2999-01-01"], folder).status == 64)
    }
}

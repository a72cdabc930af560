import Foundation
import Testing

/// `bridges db copy FROM TO`, as a district's IT person moving a school's file to the district's
/// PostgreSQL server (and back) would run it.
@Suite("db copy")
struct DatabaseCopyCommandTests {
    /// The PostgreSQL database of the test run (`BRIDGES_TEST_POSTGRES`), in a schema of its own.
    static func postgres(_ schema: String) -> String? {
        guard let text = ProcessInfo.processInfo.environment["BRIDGES_TEST_POSTGRES"], !text.isEmpty else { return nil }
        return text + (text.contains("?") ? "&" : "?") + "schema=\(schema)"
    }

    @Test("a file copied to a new file: every table listed with its rows and digest, the copy whole and working")
    func fileToFile() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder, as: "school.sqlite")
        let outcome = try BridgesProcess.run(["db", "copy", "school.sqlite", "copy.sqlite"], in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput.hasPrefix("TABLE "), "\(outcome)")
        #expect(outcome.standardOutput.contains("auditEvent "), "\(outcome)")
        #expect(outcome.errorLines.last?.hasPrefix("copied ") == true, "\(outcome)")
        #expect(outcome.errorLines.last?.contains("match the source") == true, "\(outcome)")
        let doctor = try BridgesProcess.run(["doctor", "--db", "copy.sqlite"], in: folder)
        #expect(doctor.status == 0, "\(doctor)")
        let before = try BridgesProcess.run(["export", "attendance", "--db", "school.sqlite", "--out", "-", "--purpose", "test"], in: folder)
        let after = try BridgesProcess.run(["export", "attendance", "--db", "copy.sqlite", "--out", "-", "--purpose", "test"], in: folder)
        #expect(before.status == 0 && before.standardOutput == after.standardOutput)
    }

    @Test("a copy into a database that exists is refused (exit 64) and the database there left as it was")
    func existingTarget() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder, as: "school.sqlite")
        try await FaultFixture.install(in: folder, as: "other.sqlite")
        let before = try Data(contentsOf: URL(fileURLWithPath: folder.path("other.sqlite")))
        let outcome = try BridgesProcess.run(["db", "copy", "school.sqlite", "other.sqlite"], in: folder)
        #expect(outcome.status == 64, "\(outcome)")
        #expect(outcome.standardError.contains("already holds a Bridges database"), "\(outcome)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.path("other.sqlite"))) == before)
        let same = try BridgesProcess.run(["db", "copy", "school.sqlite", "school.sqlite"], in: folder)
        #expect(same.status == 64, "\(same)")
    }

    @Test("a file to PostgreSQL and back: the reports are the same, doctor passes on both, the password never shown",
          .enabled(if: postgres("x") != nil, "BRIDGES_TEST_POSTGRES names no PostgreSQL database"))
    func fileToPostgresAndBack() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder, as: "school.sqlite")
        let schema = "cli_copy_\(UInt32.random(in: 0...UInt32.max))"
        // A password in the address (the test cluster trusts local connections and ignores it):
        // no output may show it.
        let address = try #require(Self.postgres(schema)).replacingOccurrences(of: "://bridges@", with: "://bridges:not-to-be-shown@")
        let there = try BridgesProcess.run(["db", "copy", "school.sqlite", address], in: folder)
        #expect(there.status == 0, "\(there)")
        #expect(!there.standardOutput.contains("not-to-be-shown") && !there.standardError.contains("not-to-be-shown"))
        #expect(there.standardError.contains("://bridges@"), "\(there)")
        let doctor = try BridgesProcess.run(["doctor", "--db", address], in: folder)
        #expect(doctor.status == 0, "\(doctor)")
        let back = try BridgesProcess.run(["db", "copy", address, "back.sqlite"], in: folder)
        #expect(back.status == 0, "\(back)")
        #expect(!back.standardOutput.contains("not-to-be-shown") && !back.standardError.contains("not-to-be-shown"))
        for database in [address, "back.sqlite"] {
            for report in ["attendance", "summary", "certificates"] {
                let original = try BridgesProcess.run(["export", report, "--db", "school.sqlite", "--out", "-", "--purpose", "test"], in: folder)
                let copied = try BridgesProcess.run(["export", report, "--db", database, "--out", "-", "--purpose", "test"], in: folder)
                #expect(original.status == 0 && copied.status == 0, "\(original)\n\(copied)")
                #expect(original.standardOutput == copied.standardOutput, "\(report) from \(database)")
            }
        }
    }
}

import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO
import Testing
@testable import BridgesPostgres

/// The accounts of `bridges serve` on PostgreSQL, through the store contract: the same outcomes,
/// refusals and audit events as SQLite's store gives (the server's tests run on SQLite). And the
/// audit checks of `doctor` and `backup` on PostgreSQL.
@Suite("PostgreSQL accounts, audit checks and backup", .enabled(if: PostgresTestServer.url != nil, "BRIDGES_TEST_POSTGRES names no PostgreSQL database"))
struct PostgresAccountTests {
    let location: PostgresLocation

    init() {
        var url = PostgresTestServer.url!
        url.schema = "account_test_\(UInt32.random(in: 0...UInt32.max))"
        location = PostgresLocation(url: url, maximumConnections: 2)
    }

    static let start = Date(timeIntervalSince1970: 1_790_000_000)
    func context(_ actor: String, plus seconds: TimeInterval = 0) -> WriteContext {
        WriteContext(actor: actor, at: Self.start.addingTimeInterval(seconds))
    }
    func time(plus seconds: TimeInterval) -> String { Timestamp.iso8601(Self.start.addingTimeInterval(seconds)) }

    static let admin = StoredAccount(
        name: "lee", role: "school-admin", schools: ["0202", "0101"], officerID: "ofc-1", passwordHash: "$2b$04$hash", createdAt: "2026-09-21T00:00:00Z")

    @Test func anAccountIsAddedOnceAndReadBackWithItsSchoolsSorted() async throws {
        let store = try await location.open(.write)
        #expect(try await store.addAccount(Self.admin, context: context("it.desk")))
        var other = Self.admin
        other.role = "auditor"
        #expect(try await store.addAccount(other, context: context("it.desk")) == false)
        #expect(try await store.addAccount(
            StoredAccount(name: "amy", role: "district-admin", schools: [], officerID: nil, passwordHash: "h", createdAt: "2026-09-21T00:00:00Z"),
            context: context("it.desk")))
        let lee = try #require(try await store.account(name: "lee"))
        #expect(lee == StoredAccount(
            name: "lee", role: "school-admin", schools: ["0101", "0202"], officerID: "ofc-1", passwordHash: "$2b$04$hash",
            disabled: false, failedAttempts: 0, lockedUntil: nil, createdAt: "2026-09-21T00:00:00Z"))
        #expect(try await store.account(name: "nobody") == nil)
        #expect(try await store.accounts().map(\.name) == ["amy", "lee"])
        let trail = try await store.auditTrail(entity: "account", id: "lee")
        #expect(trail.map(\.action) == ["add"])
        #expect(trail.first?.detail == "role school-admin; schools 0202, 0101; officer ofc-1")
        #expect(try await store.auditTrail(entity: "account", id: "amy").first?.detail == "role district-admin")
        try await store.close()
    }

    @Test func wrongPasswordsCountUpAndTheLimitLocksAndAGoodSignInResets() async throws {
        let store = try await location.open(.write)
        _ = try await store.addAccount(Self.admin, context: context("it.desk"))
        let until = time(plus: 900)
        #expect(try await store.recordFailedSignIn(name: "nobody", limit: 3, lockUntil: until, context: context("nobody")) == nil)
        #expect(try await store.recordFailedSignIn(name: "lee", limit: 3, lockUntil: until, context: context("lee", plus: 1)) == FailedSignIn(failedAttempts: 1, lockedUntil: nil))
        #expect(try await store.recordFailedSignIn(name: "lee", limit: 3, lockUntil: until, context: context("lee", plus: 2)) == FailedSignIn(failedAttempts: 2, lockedUntil: nil))
        #expect(try await store.recordFailedSignIn(name: "lee", limit: 3, lockUntil: until, context: context("lee", plus: 3)) == FailedSignIn(failedAttempts: 0, lockedUntil: until))
        let locked = try #require(try await store.account(name: "lee"))
        #expect(locked.failedAttempts == 0 && locked.lockedUntil == until)
        try await store.recordSignIn(
            name: "lee", secretHash: "s1", signIn: StoredSignIn(account: "lee", csrfToken: "c1", expiresAt: time(plus: 3600)), context: context("lee", plus: 1000))
        let reset = try #require(try await store.account(name: "lee"))
        #expect(reset.failedAttempts == 0 && reset.lockedUntil == nil)
        let trail = try await store.auditTrail(entity: "account", id: "lee")
        #expect(trail.map(\.action) == ["add", "sign-in refused", "sign-in refused", "lock", "sign in"])
        #expect(trail[1].field == "failedAttempts" && trail[1].oldValue == "0" && trail[1].newValue == "1")
        #expect(trail[3].field == "lockedUntil" && trail[3].oldValue == nil && trail[3].newValue == until && trail[3].reason == "3 wrong passwords in a row")
        #expect(trail[4].detail == "until \(time(plus: 3600))")
        try await store.close()
    }

    @Test func aSignInLastsUntilItExpiresOrEndsAndANewOneClearsExpiredOnes() async throws {
        let store = try await location.open(.write)
        _ = try await store.addAccount(Self.admin, context: context("it.desk"))
        let first = StoredSignIn(account: "lee", csrfToken: "c1", expiresAt: time(plus: 100))
        try await store.recordSignIn(name: "lee", secretHash: "s1", signIn: first, context: context("lee"))
        let found = try #require(try await store.signIn(secretHash: "s1", now: time(plus: 99)))
        #expect(found.0 == first && found.1.name == "lee")
        #expect(try await store.signIn(secretHash: "s1", now: time(plus: 100)) == nil)
        #expect(try await store.signIn(secretHash: "other", now: time(plus: 1)) == nil)
        // A new sign-in after the first expired removes it from the table.
        try await store.recordSignIn(
            name: "lee", secretHash: "s2", signIn: StoredSignIn(account: "lee", csrfToken: "c2", expiresAt: time(plus: 500)), context: context("lee", plus: 200))
        #expect(try await PostgresTestServer.integers("SELECT count(*) FROM \(location.url.schema).signIn") == [1])
        #expect(try await store.endSignIn(secretHash: "s2", context: context("lee", plus: 300)))
        #expect(try await store.endSignIn(secretHash: "s2", context: context("lee", plus: 301)) == false)
        #expect(try await store.signIn(secretHash: "s2", now: time(plus: 302)) == nil)
        #expect(try await store.auditTrail(entity: "account", id: "lee").map(\.action) == ["add", "sign in", "sign in", "sign out"])
        try await store.close()
    }

    @Test func tokensAreNumberedListedAcceptedUntilTheirLastDayAndRevokedOnce() async throws {
        let store = try await location.open(.write)
        _ = try await store.addAccount(Self.admin, context: context("it.desk"))
        _ = try await store.addAccount(
            StoredAccount(name: "amy", role: "auditor", schools: [], officerID: nil, passwordHash: "h", createdAt: "2026-09-21T00:00:00Z"),
            context: context("it.desk"))
        let one = try await store.createAPIToken(account: "lee", secretHash: "t1", expires: "2026-12-31", context: context("it.desk"))
        let two = try await store.createAPIToken(account: "amy", secretHash: "t2", expires: nil, context: context("it.desk"))
        #expect((one, two) == (1, 2))
        #expect(try await store.apiTokens(account: nil).map(\.id) == [1, 2])
        #expect(try await store.apiTokens(account: "amy") == [APITokenInfo(id: 2, account: "amy", createdAt: time(plus: 0), expires: nil, revokedAt: nil)])
        #expect(try await store.apiTokenAccount(secretHash: "t1", today: "2026-12-31")?.1.name == "lee")
        #expect(try await store.apiTokenAccount(secretHash: "t1", today: "2027-01-01") == nil)
        #expect(try await store.revokeAPIToken(id: 1, context: context("it.desk", plus: 5)) == true)
        #expect(try await store.revokeAPIToken(id: 1, context: context("it.desk", plus: 6)) == false)
        #expect(try await store.revokeAPIToken(id: 99, context: context("it.desk", plus: 6)) == nil)
        #expect(try await store.apiTokenAccount(secretHash: "t1", today: "2026-10-01") == nil)
        #expect(try await store.apiTokens(account: "lee").first?.revokedAt == time(plus: 5))
        let trail = try await store.auditTrail(entity: "account", id: "lee")
        #expect(trail.map(\.action) == ["add", "create token", "revoke token"])
        #expect(trail.map { $0.detail } == ["role school-admin; schools 0202, 0101; officer ofc-1", "token 1, until 2026-12-31", "token 1"])
        #expect(try await store.auditTrail(entity: "account", id: "amy").last?.detail == "token 2, no expiry")
        try await store.close()
    }

    @Test func disablingAnAccountSignsItOutRevokesItsTokensAndHappensOnce() async throws {
        let store = try await location.open(.write)
        _ = try await store.addAccount(Self.admin, context: context("it.desk"))
        try await store.recordSignIn(
            name: "lee", secretHash: "s1", signIn: StoredSignIn(account: "lee", csrfToken: "c1", expiresAt: time(plus: 3600)), context: context("lee"))
        _ = try await store.createAPIToken(account: "lee", secretHash: "t1", expires: nil, context: context("it.desk"))
        #expect(try await store.disableAccount(name: "lee", context: context("it.desk", plus: 10)) == true)
        #expect(try await store.disableAccount(name: "lee", context: context("it.desk", plus: 11)) == false)
        #expect(try await store.disableAccount(name: "nobody", context: context("it.desk", plus: 11)) == nil)
        #expect(try await store.account(name: "lee")?.disabled == true)
        #expect(try await store.signIn(secretHash: "s1", now: time(plus: 20)) == nil)
        #expect(try await store.apiTokenAccount(secretHash: "t1", today: "2026-10-01") == nil)
        #expect(try await store.apiTokens(account: "lee").first?.revokedAt == time(plus: 10))
        let last = try #require(try await store.auditTrail(entity: "account", id: "lee").last)
        #expect(last.action == "disable" && last.field == "disabled" && last.oldValue == "no" && last.newValue == "yes")
        try await store.close()
    }

    @Test func programsAndSchoolsExistOnlyWhenStored() async throws {
        let store = try await location.open(.write)
        #expect(try await store.programExists("p1") == false)
        #expect(try await store.schoolExists("0101") == false)
        let schema = location.url.schema
        try await PostgresTestServer.execute("INSERT INTO \(schema).program (id, latestVersion) VALUES ('p1', 1)")
        try await PostgresTestServer.execute("INSERT INTO \(schema).school (id, name) VALUES ('0101', 'North')")
        #expect(try await store.programExists("p1"))
        #expect(try await store.schoolExists("0101"))
        #expect(try await store.schoolExists("0102") == false)
        try await store.close()
    }

    /// A few accounts' worth of events, the trail whole.
    func someEvents() async throws {
        let store = try await location.open(.write)
        _ = try await store.addAccount(Self.admin, context: context("it.desk"))
        _ = try await store.createAPIToken(account: "lee", secretHash: "t1", expires: nil, context: context("it.desk", plus: 1))
        _ = try await store.recordFailedSignIn(name: "lee", limit: 5, lockUntil: time(plus: 900), context: context("lee", plus: 2))
        _ = try await store.revokeAPIToken(id: 1, context: context("it.desk", plus: 3))
        try await store.close()
    }

    @Test func aWholeTrailPassesEveryAuditCheck() async throws {
        try await someEvents()
        let inspection = try await location.inspect()
        let chain = try await inspection.auditChain()
        #expect(chain.events == 4 && chain.firstProblem == nil && chain.head != nil)
        #expect(try await inspection.auditTrailProblems(now: "2100-01-01T00:00:00Z").isEmpty)
        #expect(try await inspection.auditReplayProblems().isEmpty)
    }

    @Test func anEventRewrittenByTheOwnerWithTheTriggerDroppedIsFound() async throws {
        try await someEvents()
        let schema = location.url.schema
        // What someone with the tables' owner role could do: drop the rule, then rewrite.
        try await PostgresTestServer.execute("DROP TRIGGER auditEvent_noChange ON \(schema).auditEvent")
        try await PostgresTestServer.execute("UPDATE \(schema).auditEvent SET actor = 'someone else' WHERE id = 2")
        let inspection = try await location.inspect()
        let chain = try await inspection.auditChain()
        #expect(chain.events == 1)
        #expect(chain.firstProblem?.description.hasPrefix("event 2 (create token account lee, ") == true)
        #expect(chain.firstProblem?.description.contains("does not match its chain hash") == true)
        let problems = try await inspection.auditTrailProblems(now: "2100-01-01T00:00:00Z").map(\.description)
        #expect(problems == ["the trigger auditEvent_noChange that keeps the trail append-only is missing"])
    }

    @Test func anEventRemovedAndATriggerFunctionReplacedAreFound() async throws {
        try await someEvents()
        let schema = location.url.schema
        try await PostgresTestServer.execute("""
            CREATE OR REPLACE FUNCTION \(schema).auditEvent_appendOnly() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END
            $$
            """)
        try await PostgresTestServer.execute("DELETE FROM \(schema).auditEvent WHERE id = 3")
        try await PostgresTestServer.execute("UPDATE \(schema).auditEvent SET at = '2100-06-01T00:00:00Z' WHERE id = 1")
        let inspection = try await location.inspect()
        let chain = try await inspection.auditChain()
        #expect(chain.firstProblem?.description.hasPrefix("event 1 (add account lee, 2100-06-01T00:00:00Z) does not match") == true)
        let problems = try await inspection.auditTrailProblems(now: "2099-01-01T00:00:00Z").map(\.description)
        #expect(problems == [
            "the function auditEvent_appendOnly that keeps the trail append-only was replaced: it is not the one Bridges made",
            "1 event is missing from the trail (removed: the first missing number is 3)",
            "2 events are dated more than a day before an earlier event (2, 4): written in later or rewritten",
            "1 event is dated in the future (after 2099-01-01T00:00:00Z)",
        ])
    }

    /// One session of two students as Bridges would have logged it (rows written directly, the
    /// events through the store's own chained `record`): s1 present, s2 absent amended to late.
    func aLoggedAndAmendedSession() async throws -> PostgresStore {
        let store = try #require(try await location.open(.write) as? PostgresStore)
        let schema = location.url.schema
        for statement in [
            "INSERT INTO \(schema).program (id, latestVersion) VALUES ('p1', 1)",
            "INSERT INTO \(schema).lesson (id, programId, latestVersion) VALUES ('l1', 'p1', 1)",
            "INSERT INTO \(schema).lessonVersion VALUES ('l1', 1, 'Crossing', 30, '{}', 'l1.xml', '2026-09-21T00:00:00Z', 'x')",
            "INSERT INTO \(schema).school (id, name) VALUES ('0101', 'North')",
            "INSERT INTO \(schema).schoolClass (id, schoolId, name) VALUES ('c1', '0101', '4A')",
            "INSERT INTO \(schema).officer (id, name) VALUES ('ofc-1', 'One')",
            "INSERT INTO \(schema).student (id, givenName, familyName) VALUES ('s1', 'A', 'B'), ('s2', 'C', 'D')",
            "INSERT INTO \(schema).session (classId, lessonId, lessonVersion, officerId, date, minutes, recordedAt, recordedBy) VALUES ('c1', 'l1', 1, 'ofc-1', '2026-09-21', 30, '2026-09-21T00:00:00Z', 'x')",
            "INSERT INTO \(schema).mark VALUES (1, 's1', 'present'), (1, 's2', 'late')",
        ] {
            try await PostgresTestServer.execute(statement)
        }
        let at = time(plus: 0)
        try await store.write { connection in
            try await PostgresStore.record(
                AuditEvent(at: at, actor: "x", action: "log", entity: "session", entityId: "1", detail: "l1 for c1; 1 present, 0 late, 1 absent, 0 excused"),
                on: connection)
            try await PostgresStore.record(
                AuditEvent(
                    at: at, actor: "x", action: "amend", entity: "session", entityId: "1", field: "status of s2", oldValue: "absent", newValue: "late",
                    reason: "came in late"),
                on: connection)
        }
        return store
    }

    @Test func marksAsTheTrailSaysPassAndMarksSwappedWithSQLAreFound() async throws {
        let store = try await aLoggedAndAmendedSession()
        let inspection = try await location.inspect()
        #expect(try await inspection.auditTrailProblems(now: "2100-01-01T00:00:00Z").isEmpty)
        #expect(try await inspection.auditReplayProblems().isEmpty)
        // The counts still fit; only the amended student's status shows the change.
        try await PostgresTestServer.execute("UPDATE \(location.url.schema).mark SET status = CASE studentId WHEN 's1' THEN 'late' ELSE 'present' END")
        let problems = try await inspection.auditTrailProblems(now: "2100-01-01T00:00:00Z").map(\.description)
        #expect(problems == [
            "1 session's marks are not what the trail says (1): a status was changed, added or removed outside Bridges; `session show ID` shows the trail"
        ], "\(problems)")
        try await store.close()
    }

    @Test func aVoidAndACertificateTheTrailDoesNotExplainAreFound() async throws {
        let store = try await aLoggedAndAmendedSession()
        let schema = location.url.schema
        let at = time(plus: 5)
        try await store.write { connection in
            try await PostgresStore.record(
                AuditEvent(at: at, actor: "x", action: "void", entity: "session", entityId: "1", reason: "wrong class"), on: connection)
        }
        try await PostgresTestServer.execute("""
            INSERT INTO \(schema).certificate (code, studentId, programId, programVersion, title, issuedOn, issuedAt, issuedBy, revokedAt)
            VALUES ('ABC123', 's1', 'p1', 1, 'Crossing', '2026-09-21', '2026-09-21T00:00:09Z', 'x', '2026-09-22T00:00:00Z')
            """)
        let inspection = try await location.inspect()
        #expect(try await inspection.auditReplayProblems().map(\.description) == [
            "session 1 is not voided, but its trail records that it was: changed outside Bridges",
            "certificate ABC123 is revoked, but its trail does not say so (or says another time): changed outside Bridges",
            "certificate ABC123 has no issue event (program p1, issued 2026-09-21T00:00:09Z): added outside Bridges",
        ])
        #expect(try await inspection.auditTrailProblems(now: "2100-01-01T00:00:00Z").map(\.description) == [
            "1 revoked certificate has no revoke event (ABC123)"
        ])
        try await store.close()
    }

    @Test func aBackupIsAnOwnerOnlyCustomFormatDumpAndNeverReplacesAFile() async throws {
        try await someEvents()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bridges-pg-backup-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let destination = folder + "/district.dump"
        let inspection = try await location.inspect()
        let bytes = try await inspection.backUp(to: destination)
        let attributes = try FileManager.default.attributesOfItem(atPath: destination)
        #expect(bytes > 0 && (attributes[.size] as? NSNumber)?.int64Value == bytes)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let head = try #require(FileManager.default.contents(atPath: destination)).prefix(5)
        #expect(String(decoding: head, as: UTF8.self) == "PGDMP")
        await #expect(throws: StoreError.self) { _ = try await inspection.backUp(to: destination) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["district.dump"])
    }

    @Test func libpqSettingsAreQuotedAndCarryNoPassword() throws {
        var url = try PostgresURL("postgres://o'neil:secret@db.example:5433/district?sslmode=require&schema=north", defaultUser: "x")
        #expect(PostgresInspection.connectionSettings(url) == "host='db.example' port='5433' user='o\\'neil' dbname='district' sslmode='require'")
        url.endpoint = .socket(folder: "/run/pg", port: 5432)
        #expect(!PostgresInspection.connectionSettings(url).contains("secret"))
        #expect(PostgresInspection.connectionSettings(url).hasPrefix("host='/run/pg' port='5432' "))
    }
}

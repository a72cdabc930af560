import BridgesStore
import Foundation
import PostgresNIO
import Testing
@testable import BridgesPostgres

/// The PostgreSQL server the fault tests run `bridges` against (`BRIDGES_TEST_POSTGRES`), and what
/// the tests look at on it beside the running command: its writer's backend, the writers' lock,
/// the rows a schema holds.
enum PostgresFaultServer {
    static let address: String? = {
        guard let text = ProcessInfo.processInfo.environment["BRIDGES_TEST_POSTGRES"], !text.isEmpty else { return nil }
        return text
    }()

    static let url: PostgresURL? = address.flatMap { try? PostgresURL($0, defaultUser: "postgres") }

    /// A schema nobody else uses, for one test.
    static func newSchema() -> String { "cli_fault_\(UInt32.random(in: 0...UInt32.max))" }

    /// The server's address with the test's schema (and `extra` query items, `&name=value`).
    static func address(schema: String, extra: String = "") -> String {
        let base = address!
        return base + (base.contains("?") ? "&" : "?") + "schema=\(schema)" + extra
    }

    /// The address as bridges names it in messages (never a password).
    static func displayName(schema: String) -> String {
        var named = url!
        named.schema = schema
        return named.displayName
    }

    static func withConnection<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let (client, run) = PostgresLocation(url: url!).makeClient()
        defer { run.cancel() }
        return try await client.withConnection { try await body($0) }
    }

    /// Runs `body` on a connection of its own, kept for the whole of `body` (a lock held, a poll).
    static func withOwnConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let (client, run) = PostgresLocation(url: url!).makeClient()
        defer { run.cancel() }
        return try await client.withConnection { UncheckedBox(try await body($0)) }.value
    }

    /// Runs `running`'s bulk write on `schema` until it is inside its transaction, has written, and
    /// waits for the audit trail, which the test holds locked: a moment certainly mid-flight. Then
    /// `stop` is called with its backend's id (SIGKILL it, or end the backend), and the lock is let go.
    static func catchMidFlight(_ start: () throws -> RunningBridges, on schema: String, stop: (RunningBridges, Int32) async throws -> Void) async throws -> RunningBridges? {
        try await withOwnConnection { holder in
            try await holder.run("BEGIN")
            try await holder.run(PostgresQuery(unsafeSQL: "LOCK TABLE \(schema).auditEvent IN EXCLUSIVE MODE"))
            let running = try start()
            let caught = try await withOwnConnection { poll -> Int32? in
                while running.process.isRunning {
                    if let found = try await writer(of: schema, on: poll), found.waitsForLock { return found.pid }
                    try await Task.sleep(for: .milliseconds(10))
                }
                return nil
            }
            if let caught { try await stop(running, caught) }
            try await holder.run("ROLLBACK")
            return caught == nil ? nil : running
        }
    }

    static func count(_ table: String, in schema: String, where condition: String = "true") async throws -> Int {
        try await withConnection { connection in
            try await connection.value(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(schema).\(table) WHERE \(condition)"), as: Int.self) ?? 0
        }
    }

    /// The backend that holds `schema`'s writers' lock for a `bridges` process, and whether its
    /// transaction has written anything yet (PostgreSQL gives a transaction an id at its first write).
    static func writer(of schema: String) async throws -> (pid: Int32, wrote: Bool)? {
        try await withConnection { connection in try await writer(of: schema, on: connection) }.map { ($0.pid, $0.wrote) }
    }

    /// The same, asked on `connection`, with whether that writer is waiting for a table lock too.
    static func writer(of schema: String, on connection: PostgresConnection) async throws -> (pid: Int32, wrote: Bool, waitsForLock: Bool)? {
        let key = UInt64(bitPattern: PostgresStore.writerLock(schema: schema))
        // A bigint advisory key shows in pg_locks as its high half (classid) and low half (objid), objsubid 1.
        let high = Int64(key >> 32)
        let low = Int64(key & 0xFFFF_FFFF)
        return try await connection.first(
            """
            SELECT a.pid, a.backend_xid IS NOT NULL, a.backend_xid IS NOT NULL AND EXISTS (SELECT 1 FROM pg_locks w WHERE w.pid = a.pid AND NOT w.granted)
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = \(high) AND l.objid::bigint = \(low)
              AND l.objsubid = 1 AND a.application_name = 'bridges'
            """, as: (Int32, Bool, Bool).self)
    }

    /// Waits until `process`'s write transaction on `schema` has written something: its backend's
    /// id, or nil when the process ended first.
    static func waitForWrites(of process: RunningBridges, on schema: String) async throws -> Int32? {
        let clock = ContinuousClock()
        let start = clock.now
        while process.process.isRunning, clock.now - start < .seconds(60) {
            if let writer = try await writer(of: schema), writer.wrote { return writer.pid }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// Waits (up to 30 s) until no backend holds `schema`'s writers' lock: the server has seen the end
    /// of a killed command's transaction.
    static func waitForNoWriter(on schema: String) async throws -> Bool {
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < .seconds(30) {
            if try await writer(of: schema) == nil { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    static func drop(_ schema: String) async {
        try? await withConnection { try await $0.run(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE")) }
    }

    /// Runs `body` with a new schema, dropped afterwards however `body` ends.
    static func withSchema(_ body: (String) async throws -> Void) async throws {
        let schema = newSchema()
        do {
            try await body(schema)
        } catch {
            await drop(schema)
            throw error
        }
        await drop(schema)
    }

    /// A small school in `schema`, set up through the CLI: program `fire` (lesson `fs-drill`),
    /// school `s1` with classes `c01`…`c10` of 100 grade-2 students (`st00001`…`st01000`), officer
    /// `ofc-1`, and no session yet.
    static let students = 1_000

    /// `body` on a new schema holding the small school (`setUpSchool`), with a folder of its own
    /// for the commands' files and the schema's address; both are gone afterwards.
    static func withSchool(_ body: (_ schema: String, _ folder: TemporaryFolder, _ db: String) async throws -> Void) async throws {
        try await withSchema { schema in
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let db = address(schema: schema)
            try setUpSchool(in: folder, db: db)
            try await body(schema, folder, db)
        }
    }

    static func setUpSchool(in folder: TemporaryFolder, db: String) throws {
        try SchoolFiles.writeFireProgram(to: folder)
        try folder.write("roster.csv", FaultFixture.rosterCSV(firstStudent: 1, classes: 1...10, perClass: 100))
        for arguments in [["lesson", "load", "fire"], ["roster", "import", "roster.csv"], ["officer", "add", "ofc-1", "--name", "Dana Reyes"]] {
            let outcome = try BridgesProcess.run(arguments + ["--db", db, "--actor", "setup"], in: folder)
            try #require(outcome.status == 0 && !outcome.crashed, "set-up \(arguments): \(outcome)")
        }
    }

    /// What a school's database holds, table by table, for "nothing of it was kept".
    static func counts(in schema: String) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in ["school", "schoolClass", "student", "enrollment", "session", "mark", "auditEvent"] {
            counts[table] = try await count(table, in: schema)
        }
        return counts
    }

    /// `doctor` on the database passes every check.
    static func expectDoctorPasses(_ db: String, in folder: TemporaryFolder, _ label: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let doctor = try BridgesProcess.run(["doctor", "--db", db], in: folder)
        #expect(doctor.status == 0 && !doctor.crashed, "\(label): doctor: \(doctor)", sourceLocation: sourceLocation)
        #expect(!doctor.standardOutput.contains("FAILED"), "\(label): doctor: \(doctor)", sourceLocation: sourceLocation)
    }
}

/// The fault tests of `FaultTests` on a PostgreSQL server, through the real `bridges`: a command
/// killed or cut off from the server mid-transaction keeps nothing, writers at once take turns,
/// a writer kept waiting says "busy", and a server that cannot be reached or refuses the sign-in is
/// said clearly, without the password.
@Suite("Faults on PostgreSQL", .serialized, .enabled(if: PostgresFaultServer.url != nil, "BRIDGES_TEST_POSTGRES names no PostgreSQL database Bridges can read"))
struct PostgresFaultTests {
    /// A bulk write big enough to be caught mid-flight, and how to tell it did nothing.
    struct BulkWrite: Sendable {
        var name: String
        var arguments: [String]
        var file: String
        var contents: @Sendable () -> String
        /// The table that grows, and by how much when the command completes.
        var table: String
        var adds: Int
    }

    static let bulkWrites: [BulkWrite] = [
        BulkWrite(
            name: "roster import of 20,000 rows", arguments: ["roster", "import", "big-roster.csv"], file: "big-roster.csv",
            contents: { FaultFixture.rosterCSV(firstStudent: 10_001, classes: 1...200, perClass: 100, classPrefix: "big") },
            table: "student", adds: 20_000),
        BulkWrite(
            name: "session import of 50,000 marks", arguments: ["session", "import", "marks.csv"], file: "marks.csv",
            contents: { FaultFixture.sessionImportCSV(classCount: 10, sessionsPerClass: 50) },
            table: "mark", adds: 50_000),
    ]

    @Test("A bulk write killed (SIGKILL) part-way keeps nothing; doctor passes; the same write then completes", arguments: bulkWrites.indices)
    func killedPartWay(_ index: Int) async throws {
        let write = Self.bulkWrites[index]
        try await PostgresFaultServer.withSchool { schema, folder, db in
            // Given a small school on PostgreSQL and the write's input
            try folder.write(write.file, write.contents())
            let before = try await PostgresFaultServer.counts(in: schema)
            let arguments = write.arguments + ["--db", db, "--actor", "fault-test"]

            // When the command is killed while it waits, mid-transaction, for the audit trail the test holds
            let caught = try await PostgresFaultServer.catchMidFlight({ try RunningBridges.start(arguments, in: folder) }, on: schema) { running, _ in
                kill(running.process.processIdentifier, SIGKILL)
            }
            let killed = try #require(caught, "\(write.name) ended before it could be caught mid-flight")
            let outcome = try killed.finish()
            #expect(outcome.crashed && outcome.status == SIGKILL, "\(outcome)")

            // Then the server ends its transaction, nothing of it is stored, and doctor passes
            #expect(try await PostgresFaultServer.waitForNoWriter(on: schema), "the killed command's transaction is still open")
            #expect(try await PostgresFaultServer.counts(in: schema) == before)
            try PostgresFaultServer.expectDoctorPasses(db, in: folder, "\(write.name), killed")

            // And when it is killed at moments of its own (its first write, and 150 ms after), the
            // same holds for every kill that came before it finished
            var finished = false
            for extra in [0, 150] where !finished {
                let running = try RunningBridges.start(arguments, in: folder)
                let label = "\(write.name), killed \(extra) ms after its first write"
                _ = try await PostgresFaultServer.waitForWrites(of: running, on: schema)
                if extra > 0 { try await Task.sleep(for: .milliseconds(extra)) }
                if running.process.isRunning { kill(running.process.processIdentifier, SIGKILL) }
                let outcome = try running.finish()
                #expect(outcome.crashed || outcome.status == 0, "\(label): \(outcome)")
                #expect(try await PostgresFaultServer.waitForNoWriter(on: schema), "\(label)")
                let rows = try await PostgresFaultServer.count(write.table, in: schema)
                finished = !outcome.crashed
                #expect(rows == before[write.table]! + (finished ? write.adds : 0), "\(label): \(write.table) holds \(rows)")
                if !finished { #expect(try await PostgresFaultServer.counts(in: schema) == before, "\(label)") }
                try PostgresFaultServer.expectDoctorPasses(db, in: folder, label)
            }

            // And the same command run again completes
            let again = try BridgesProcess.run(arguments, in: folder)
            #expect(again.status == 0 && !again.crashed, "\(write.name) again: \(again)")
            #expect(try await PostgresFaultServer.count(write.table, in: schema) == before[write.table]! + write.adds)
            try PostgresFaultServer.expectDoctorPasses(db, in: folder, "\(write.name), after running it again")
        }
    }

    @Test("A connection cut by the server mid-transaction: exit 75, a clear message naming the database, nothing kept", arguments: bulkWrites.indices)
    func connectionCut(_ index: Int) async throws {
        let write = Self.bulkWrites[index]
        try await PostgresFaultServer.withSchool { schema, folder, db in
            // Given a small school and the write's input
            try folder.write(write.file, write.contents())
            let before = try await PostgresFaultServer.counts(in: schema)

            let name = PostgresFaultServer.displayName(schema: schema)
            let arguments = write.arguments + ["--db", db, "--actor", "fault-test"]
            // Caught mid-transaction for certain (waiting for the audit trail the test holds), then at its first write
            for round in 0..<2 {
                let label = round == 0 ? "\(write.name), cut while it waits mid-transaction" : "\(write.name), cut at its first write"
                // When the server ends the command's backend
                let cut: @Sendable (Int32) async throws -> Void = { backend in
                    let ended = try await PostgresFaultServer.withConnection { try await $0.value("SELECT pg_terminate_backend(\(backend))", as: Bool.self) }
                    #expect(ended == true, "\(label): the backend had already ended")
                }
                let running: RunningBridges
                if round == 0 {
                    running = try #require(
                        try await PostgresFaultServer.catchMidFlight({ try RunningBridges.start(arguments, in: folder) }, on: schema) { _, backend in try await cut(backend) },
                        "\(label): it ended before it could be caught")
                } else {
                    running = try RunningBridges.start(arguments, in: folder)
                    guard let backend = try await PostgresFaultServer.waitForWrites(of: running, on: schema) else {
                        _ = try running.finish()
                        break  // it finished first: nothing to cut (round 0 has checked the cut)
                    }
                    try await cut(backend)
                }
                let outcome = try running.finish()

                // Then bridges says in one line that the server ended the connection, naming the database, and exits 75
                #expect(!outcome.crashed && outcome.status == 75, "\(label): \(outcome)")
                #expect(outcome.standardError.hasPrefix("error: cannot reach the database \(name): the server ended the connection part-way"), "\(label): \(outcome)")
                #expect(outcome.standardError.contains("nothing was read or written"), "\(label): \(outcome)")
                #expect(outcome.errorLines.count == 1, "\(label): \(outcome)")
                #expect(!outcome.standardError.contains("PSQLError") && !outcome.standardError.contains("Fatal error"), "\(label): \(outcome)")
                if let password = PostgresFaultServer.url?.password { #expect(!outcome.standardError.contains(password), "\(label): \(outcome)") }

                // And nothing of it was kept, and the database is whole
                #expect(try await PostgresFaultServer.waitForNoWriter(on: schema), "\(label)")
                #expect(try await PostgresFaultServer.counts(in: schema) == before, "\(label)")
                try PostgresFaultServer.expectDoctorPasses(db, in: folder, label)
            }
        }
    }

    static func sessionLog(class classID: String, date: String, db: String, actor: String) -> [String] {
        ["session", "log", "--lesson", "fs-drill", "--class", classID, "--officer", "ofc-1", "--date", date, "--others", "present", "--db", db, "--actor", actor]
    }

    @Test("Eight officers logging the same lesson, class and day at once: one session; the others exit 65 naming it")
    func sameSessionAtOnce() async throws {
        try await PostgresFaultServer.withSchool { schema, folder, db in

            // When eight processes log fs-drill for c01 on 2025-10-01 at the same moment
            let runs = try (1...8).map { try RunningBridges.start(Self.sessionLog(class: "c01", date: "2025-10-01", db: db, actor: "officer-\($0)"), in: folder) }
            let outcomes = try runs.map { try $0.finish() }

            // Then exactly one session is stored, logged by one of them
            #expect(try await PostgresFaultServer.count("session", in: schema) == 1)
            #expect(try await PostgresFaultServer.count("mark", in: schema) == 100)
            let session = try #require(try await PostgresFaultServer.withConnection { try await $0.value("SELECT id FROM \(unescaped: schema).session", as: Int.self) })
            #expect(outcomes.filter { $0.status == 0 }.count == 1, "\(outcomes)")
            // And each other one is refused (65) with a message naming the stored session
            for outcome in outcomes where outcome.status != 0 {
                #expect(!outcome.crashed && outcome.status == 65, "\(outcome)")
                #expect(outcome.standardError.contains("already logged for class c01 on 2025-10-01 as session \(session)"), "\(outcome)")
            }
            try PostgresFaultServer.expectDoctorPasses(db, in: folder, "after the same session eight times")
        }
    }

    @Test("Eight officers logging different sessions at once: all are logged, the audit chain holds")
    func differentSessionsAtOnce() async throws {
        try await PostgresFaultServer.withSchool { schema, folder, db in
            let eventsBefore = try await PostgresFaultServer.count("auditEvent", in: schema)

            // When eight processes each log a session of their own (different classes and days) at once
            let runs = try (1...8).map { n in
                try RunningBridges.start(Self.sessionLog(class: FaultFixture.classID(n), date: "2025-10-0\(n)", db: db, actor: "officer-\(n)"), in: folder)
            }
            let outcomes = try runs.map { try $0.finish() }

            // Then every one succeeds, and every session and its marks are stored
            for outcome in outcomes {
                #expect(outcome.status == 0 && !outcome.crashed, "\(outcome)")
                #expect(!outcome.standardError.contains("busy"), "\(outcome)")
            }
            #expect(try await PostgresFaultServer.count("session", in: schema) == 8)
            #expect(try await PostgresFaultServer.count("mark", in: schema) == 800)
            #expect(try await PostgresFaultServer.count("auditEvent", in: schema) > eventsBefore)
            // And the audit trail's hash chain is whole (doctor checks it)
            try PostgresFaultServer.expectDoctorPasses(db, in: folder, "after eight sessions at once")
        }
    }

    @Test("A writer kept waiting past the address's busy timeout: exit 75, busy, nothing written; readers do not wait")
    func busy() async throws {
        try await PostgresFaultServer.withSchool { schema, folder, db in
            let before = try await PostgresFaultServer.counts(in: schema)
            let waiting = PostgresFaultServer.address(schema: schema, extra: "&busy_timeout=1")
            let key = PostgresStore.writerLock(schema: schema)

            // Given another connection holding the writers' lock of the schema
            let (log, list) = try await PostgresFaultServer.withConnection { connection in
                try await connection.run("SELECT pg_advisory_lock(\(key))")
                // When a session is logged, with a busy timeout of 1 s, and the roster listed
                let log = try BridgesProcess.run(Self.sessionLog(class: "c01", date: "2025-10-01", db: waiting, actor: "officer"), in: folder)
                let list = try BridgesProcess.run(["roster", "list", "--class", "c01", "--db", waiting], in: folder)
                try await connection.run("SELECT pg_advisory_unlock(\(key))")
                return (log, list)
            }

            // Then the write gives up after about its timeout, saying the database is busy, by name
            #expect(!log.crashed && log.status == 75, "\(log)")
            #expect(log.standardError == "error: the database \(PostgresFaultServer.displayName(schema: schema)) is busy with another command; try again in a moment\n", "\(log)")
            #expect(log.elapsed >= .seconds(1) && log.elapsed < .seconds(10), "\(log.elapsed)")
            #expect(try await PostgresFaultServer.counts(in: schema) == before)
            // And the read did not wait for the writers
            #expect(list.status == 0 && list.standardOutput.contains("st00001"), "\(list)")

            // And once the lock is let go, the same write goes through
            let again = try BridgesProcess.run(Self.sessionLog(class: "c01", date: "2025-10-01", db: waiting, actor: "officer"), in: folder)
            #expect(again.status == 0, "\(again)")
            #expect(try await PostgresFaultServer.count("session", in: schema) == 1)
        }
    }

    /// An address like the test server's with its user, password, host, port or database changed.
    static func variant(user: String? = nil, password: String, host: String? = nil, port: Int? = nil, database: String? = nil, schema: String) throws -> String {
        var components = try #require(URLComponents(string: PostgresFaultServer.address(schema: schema)))
        if let user { components.user = user }
        components.password = password
        if let host {
            components.host = host
            components.queryItems = (components.queryItems ?? []).filter { $0.name != "host" }
        }
        if let port { components.port = port }
        if let database { components.path = "/" + database }
        return try #require(components.string)
    }

    @Test("A server that cannot be reached, an unknown user, a missing database: exit 75 or 74, said plainly, never the password")
    func unreachableOrRefused() async throws {
        let schema = PostgresFaultServer.newSchema()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("roster.csv", FaultFixture.rosterCSV(firstStudent: 1, classes: 1...1, perClass: 2))
        let password = "Sekr1t-\(UInt32.random(in: 0...UInt32.max))"
        var cases: [(name: String, address: String, status: Int32, says: String)] = [
            ("a closed port", try Self.variant(password: password, host: "127.0.0.1", port: 1, schema: schema), 75,
             "nothing answers there (is PostgreSQL running, on that host and port?)"),
            ("an unknown user", try Self.variant(user: "no_such_role_\(UInt32.random(in: 0...UInt32.max))", password: password, schema: schema), 75,
             "PostgreSQL refused the sign-in"),
            // (with the right password, if any: a server that checks passwords checks them first)
            ("a missing database", try Self.variant(password: PostgresFaultServer.url?.password ?? password, database: "no_such_database_\(UInt32.random(in: 0...UInt32.max))", schema: schema), 74,
             "the PostgreSQL server has no such database"),
        ]
        // A wrong password can be told only by a server that checks passwords: one whose address for
        // the tests carries one (a cluster that trusts local connections takes any password).
        if PostgresFaultServer.url?.password != nil {
            cases.append(("a wrong password", try Self.variant(password: password, schema: schema), 75,
                          "PostgreSQL refused the sign-in (password authentication failed"))
        }
        let secrets = [password] + (PostgresFaultServer.url?.password.map { [$0] } ?? [])
        for (name, address, status, says) in cases {
            // When a read and a write name it
            for arguments in [["roster", "list"], ["roster", "import", "roster.csv"], ["doctor"]] {
                let outcome = try BridgesProcess.run(arguments + ["--db", address], in: folder)
                let label = "\(name), \(arguments)"
                // Then bridges exits with the code for it, and one line that names the address without the password
                #expect(!outcome.crashed && outcome.status == status, "\(label): \(outcome)")
                #expect(outcome.standardError.hasPrefix("error: ") && outcome.standardError.contains(says), "\(label): \(outcome)")
                #expect(outcome.errorLines.count == 1, "\(label): \(outcome)")
                #expect(outcome.standardError.contains("schema=\(schema)"), "\(label): the database is not named: \(outcome)")
                for secret in secrets {
                    #expect(!(outcome.standardOutput + outcome.standardError).contains(secret), "\(label): a password was printed: \(outcome)")
                }
                #expect(outcome.elapsed < .seconds(15), "\(label): took \(outcome.elapsed)")
            }
        }
        // And nothing was made on the server
        let made = try await PostgresFaultServer.withConnection { try await $0.value("SELECT count(*) FROM pg_namespace WHERE nspname = \(schema)", as: Int.self) }
        #expect(made == 0)
    }
}

import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO
import Testing
@testable import BridgesPostgres

/// The PostgreSQL store's own care, on a real server: `BRIDGES_TEST_POSTGRES` names a database
/// (`.ci/run` starts a throw-away cluster); each test works in a schema of its own.
@Suite("PostgreSQL store", .enabled(if: PostgresTestServer.url != nil, "BRIDGES_TEST_POSTGRES names no PostgreSQL database"))
struct PostgresStoreTests {
    let location: PostgresLocation

    init() {
        var url = PostgresTestServer.url!
        url.schema = "store_test_\(UInt32.random(in: 0...UInt32.max))"
        location = PostgresLocation(url: url, maximumConnections: 2)
    }

    let context = WriteContext(actor: "tester", at: Date(timeIntervalSince1970: 1_790_000_000))

    @Test func aDatabaseWithoutBridgesTablesIsMissingToReadersAndNothingIsMade() async throws {
        await #expect(throws: StoreError.self) { _ = try await location.open(.read) }
        #expect(try await location.openIfPresent(.write) == nil)
        #expect(try await PostgresTestServer.tables(in: location.url.schema).isEmpty)
    }

    @Test func theFirstWriterMakesTheSchemaAndLaterOpensFindItUpToDate() async throws {
        let store = try await location.open(.write)
        #expect(store.upgradedOnOpen.isEmpty)
        try await store.recordMarker("opened", context: context)
        try await store.close()
        let tables = try await PostgresTestServer.tables(in: location.url.schema)
        #expect(tables.contains("auditevent") && tables.contains("session") && tables.contains("bridges_migrations"))
        let again = try await location.open(.read)
        #expect(try await again.lastEventIsMarker("opened"))
        try await again.close()
    }

    @Test func anotherProgramsTablesAreLeftUntouched() async throws {
        try await PostgresTestServer.execute("CREATE SCHEMA \(location.url.schema)")
        try await PostgresTestServer.execute("CREATE TABLE \(location.url.schema).invoices (id int)")
        do {
            _ = try await location.open(.write)
            Issue.record("another program's schema was opened")
        } catch {
            guard case .notADatabase(_, let why) = error else { Issue.record("\(error)"); return }
            #expect(why.contains("invoices"))
        }
        #expect(try await PostgresTestServer.tables(in: location.url.schema) == ["invoices"])
    }

    @Test func aDatabaseOfANewerBridgesIsRefused() async throws {
        try await location.open(.write).close()
        try await PostgresTestServer.execute(
            "INSERT INTO \(location.url.schema).bridges_migrations VALUES ('from the future', '2099-01-01T00:00:00Z')")
        do {
            _ = try await location.open(.write)
            Issue.record("a newer database was opened")
        } catch {
            guard case .newerVersion(_, let migrations) = error else { Issue.record("\(error)"); return }
            #expect(migrations == ["from the future"])
        }
    }

    @Test func theAuditTrailRefusesUpdatesDeletesAndTruncationByTheDatabasesOwnRule() async throws {
        let store = try await location.open(.write)
        try await store.recordMarker("kept", context: context)
        try await store.close()
        let schema = location.url.schema
        for statement in [
            "UPDATE \(schema).auditEvent SET actor = 'someone else'",
            "DELETE FROM \(schema).auditEvent",
            "TRUNCATE \(schema).auditEvent",
        ] {
            await #expect(throws: (any Error).self, "\(statement)") { try await PostgresTestServer.execute(statement) }
        }
        let reopened = try await location.open(.read)
        let trail = try await reopened.auditTrail(entity: "database", id: "bridges")
        #expect(trail.map(\.actor) == ["tester"])
        try await reopened.close()
    }

    @Test func aFirstLoadThatFailsLeavesNoTablesAndOneThatSucceedsLeavesThemAll() async throws {
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            _ = try await location.createInBulk { store in
                try await store.recordMarker("half", context: context)
                throw Refused()
            }
        }
        #expect(try await PostgresTestServer.tables(in: location.url.schema).isEmpty)
        let made = try await location.createInBulk { store in
            try await store.recordMarker("whole", context: context)
            return "made"
        }
        #expect(made == "made")
        // A second bulk creation finds the database and leaves it to `open`.
        #expect(try await location.createInBulk { _ in "again" } == nil)
        let store = try await location.open(.read)
        #expect(try await store.lastEventIsMarker("whole"))
        try await store.close()
    }

    @Test func aDryRunsScratchStoreLeavesNothingBehind() async throws {
        let holds = try await location.withScratchStore { store in
            try await store.recordMarker("dry", context: context)
            return try await store.lastEventIsMarker("dry")
        }
        #expect(holds)
        #expect(try await PostgresTestServer.schemas().filter { $0.hasPrefix("bridges_dry_run_") }.isEmpty)
        #expect(try await location.openIfPresent(.read) == nil)
    }

    @Test func writersOfSeveralStoresTakeTurnsAndTheChainStaysWhole() async throws {
        try await location.open(.write).close()
        let stores = [try await location.open(.write), try await location.open(.write)]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<40 {
                let store = stores[n % 2]
                let context = context
                group.addTask { try await store.recordMarker("writer \(n % 2)", context: context) }
            }
            try await group.waitForAll()
        }
        for store in stores { try await store.close() }
        let ids = try await PostgresTestServer.integers("SELECT id FROM \(location.url.schema).auditEvent ORDER BY id")
        #expect(ids == Array(1...40))
    }

    @Test func aServerThatIsNotThereIsUnavailable() async throws {
        var url = PostgresTestServer.url!
        url.endpoint = .tcp(host: "127.0.0.1", port: 9)
        do {
            _ = try await PostgresLocation(url: url).open(.read)
            Issue.record("a closed port answered")
        } catch {
            guard case .unavailable = error else { Issue.record("\(error)"); return }
        }
    }
}

/// The PostgreSQL database the tests were given, and a few raw statements on it.
enum PostgresTestServer {
    static let url: PostgresURL? = {
        guard let text = ProcessInfo.processInfo.environment["BRIDGES_TEST_POSTGRES"], !text.isEmpty else { return nil }
        return try? PostgresURL(text, defaultUser: "postgres")
    }()

    static func withConnection<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let (client, run) = PostgresLocation(url: url!).makeClient()
        defer { run.cancel() }
        return try await client.withConnection { try await body($0) }
    }

    static func execute(_ sql: String) async throws {
        try await withConnection { try await $0.run(PostgresQuery(unsafeSQL: sql)) }
    }

    static func tables(in schema: String) async throws -> [String] {
        try await withConnection {
            try await $0.values("SELECT table_name::text FROM information_schema.tables WHERE table_schema = \(schema) ORDER BY 1", as: String.self)
        }
    }

    static func schemas() async throws -> [String] {
        try await withConnection { try await $0.values("SELECT nspname::text FROM pg_namespace ORDER BY 1", as: String.self) }
    }

    static func integers(_ sql: String) async throws -> [Int] {
        try await withConnection { try await $0.values(PostgresQuery(unsafeSQL: sql), as: Int.self) }
    }
}

@Suite("PostgreSQL connections cut by the server", .enabled(if: PostgresTestServer.url != nil, "BRIDGES_TEST_POSTGRES names no PostgreSQL database"))
struct PostgresConnectionCutTests {
    @Test func aStatementAfterTheServerEndedTheBackendFailsAsUnavailableInsteadOfWaitingForever() async throws {
        let error = try await PostgresTestServer.withConnection { connection -> StoreError? in
            // Given a connection in a transaction whose backend the server then ends between two statements
            try await connection.run("BEGIN")
            let pid = try #require(try await connection.value("SELECT pg_backend_pid()", as: Int32.self))
            try await PostgresTestServer.execute("SELECT pg_terminate_backend(\(pid))")
            try await connection.closeFuture.get()
            // When the next statement is sent, Then it fails (postgres-nio alone would wait for its answer forever)
            do {
                try await connection.run("SELECT 1")
                return nil
            } catch {
                return StoreError(postgres: error, name: "postgres://test")
            }
        }
        guard case .unavailable(_, let why) = try #require(error) else { Issue.record("\(String(describing: error))"); return }
        #expect(why.hasPrefix("the server ended the connection part-way"))
    }
}

@Suite("PostgreSQL cursors", .enabled(if: PostgresTestServer.url != nil, "BRIDGES_TEST_POSTGRES names no PostgreSQL database"))
struct PostgresCursorTests {
    @Test func aCursorReadsEveryRowInBatchesWithItsBindsAndLetsOtherStatementsRunBetween() async throws {
        let seen = try await PostgresTestServer.withConnection { connection -> [Int] in
            try await connection.run("BEGIN")
            var seen: [Int] = []
            try await connection.forEachBatch("SELECT n FROM generate_series(1, \(4_500)) AS g(n) WHERE n % \(2) = 0 ORDER BY n", batch: 1_000) { rows in
                #expect(rows.count <= 1_000)
                for row in rows { seen.append(try row.decode(Int.self)) }
                // Another statement between two fetches, on the same connection.
                #expect(try await connection.value("SELECT 1::bigint", as: Int.self) == 1)
            }
            try await connection.run("COMMIT")
            return seen
        }
        #expect(seen == Array(stride(from: 2, through: 4_500, by: 2)))
    }
}

@Suite("The copy's list of tables, against PostgreSQL's schema", .enabled(if: PostgresTestServer.url != nil, "BRIDGES_TEST_POSTGRES names no PostgreSQL database"))
struct PostgresStoreTablesTests {
    @Test func everyTableAndColumnOfTheSchemaIsListedAndNothingElse() async throws {
        var url = PostgresTestServer.url!
        url.schema = "tables_test_\(UInt32.random(in: 0...UInt32.max))"
        try await PostgresLocation(url: url).open(.write).close()
        let schema = url.schema
        let columns = try await PostgresTestServer.withConnection { connection -> [String: Set<String>] in
            var columns: [String: Set<String>] = [:]
            for try await (table, column) in try await connection.rows("""
                SELECT table_name::text, column_name::text FROM information_schema.columns
                WHERE table_schema = \(schema) AND table_name <> 'bridges_migrations'
                """).decode((String, String).self) {
                columns[table, default: []].insert(column)
            }
            return columns
        }
        // PostgreSQL keeps the unquoted names in lower case.
        let listed = Dictionary(uniqueKeysWithValues: StoreTables.all.map { ($0.name.lowercased(), Set($0.columns.map { $0.lowercased() })) })
        #expect(listed == columns)
    }
}

@Suite("PostgreSQL connections lost", .enabled(if: PostgresTestServer.url != nil, "BRIDGES_TEST_POSTGRES names no PostgreSQL database"))
struct PostgresLostConnectionTests {
    @Test func aReadWhoseIdleConnectionWasCutIsTriedAgainOnANewOne() async throws {
        var url = PostgresTestServer.url!
        url.schema = "lost_test_\(UInt32.random(in: 0...UInt32.max))"
        let location = PostgresLocation(url: url, maximumConnections: 1)
        let store = try await location.open(.write)
        try await store.recordMarker("before", context: WriteContext(actor: "tester", at: Date()))
        #expect(try await store.lastEventIsMarker("before"))
        // When the server ends the store's idle connection (as a restart or fail-over would)
        let postgres = try #require(store as? PostgresStore)
        let before = try await postgres.read { connection in try await connection.value("SELECT pg_backend_pid()::bigint", as: Int.self) }
        let pid = try #require(before)
        try await PostgresTestServer.execute("SELECT pg_terminate_backend(\(pid))")
        // Then the next read still answers, on a new connection
        #expect(try await store.lastEventIsMarker("before"))
        let after = try await postgres.read { connection in try await connection.value("SELECT pg_backend_pid()::bigint", as: Int.self) }
        #expect(after != pid)
        try await store.close()
    }
}

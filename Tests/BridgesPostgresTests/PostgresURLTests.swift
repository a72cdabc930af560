import BridgesStore
import Testing
@testable import BridgesPostgres

@Suite("PostgreSQL addresses")
struct PostgresURLTests {
    @Test func aFullAddressIsReadAsLibpqReadsIt() throws {
        let url = try PostgresURL("postgres://officer:s%40cret@db.district.example:6543/records?sslmode=require&schema=north", defaultUser: "me")
        #expect(url.endpoint == .tcp(host: "db.district.example", port: 6543))
        #expect(url.user == "officer")
        #expect(url.password == "s@cret")
        #expect(url.database == "records")
        #expect(url.tls == .require)
        #expect(url.schema == "north")
    }

    @Test func leftOutPartsTakeLibpqsDefaults() throws {
        let url = try PostgresURL("postgresql://db.local", defaultUser: "pat")
        #expect(url.endpoint == .tcp(host: "db.local", port: 5432))
        #expect(url.user == "pat")
        #expect(url.password == nil)
        #expect(url.database == "pat")
        #expect(url.tls == .prefer)
        #expect(url.schema == "bridges")
        #expect(url.busyTimeout == 15)
    }

    @Test func theBusyTimeoutIsWholeSecondsFromTheQuery() throws {
        #expect(try PostgresURL("postgres://db/x?busy_timeout=2", defaultUser: "me").busyTimeout == 2)
        #expect(try PostgresURL("postgres://db/x?schema=north&busy_timeout=3600", defaultUser: "me").busyTimeout == 3600)
    }

    @Test func aSocketFolderIsTakenFromHostInTheQuery() throws {
        let url = try PostgresURL("postgres://pat@/bridges?host=/run/postgresql", defaultUser: "x")
        #expect(url.endpoint == .socket(folder: "/run/postgresql", port: 5432))
        #expect(url.displayName == "postgres://pat@/bridges?host=/run/postgresql")
    }

    @Test func aSocketsPortIsTakenFromTheQueryAndShownThere() throws {
        let url = try PostgresURL("postgres://pat@/district?host=/tmp/pgc&port=55432", defaultUser: "x")
        #expect(url.endpoint == .socket(folder: "/tmp/pgc", port: 55432))
        #expect(url.displayName == "postgres://pat@/district?host=/tmp/pgc&port=55432")
        // The port in the authority means the same; shown the one way.
        #expect(try PostgresURL("postgres://pat@:55432/district?host=/tmp/pgc", defaultUser: "x").displayName == url.displayName)
        #expect(try PostgresURL("postgres://pat@db/x?port=5433", defaultUser: "x").endpoint == .tcp(host: "db", port: 5433))
        #expect(throws: StoreError.self) { try PostgresURL("postgres://pat@db:5433/x?port=5434", defaultUser: "x") }
        #expect(throws: StoreError.self) { try PostgresURL("postgres://pat@db/x?port=http", defaultUser: "x") }
        #expect(throws: StoreError.self) { try PostgresURL("postgres://pat@db/x?port=70000", defaultUser: "x") }
    }

    @Test func theNameShownNeverHoldsThePassword() throws {
        let url = try PostgresURL("postgres://officer:hunter2@db:5433/records", defaultUser: "me")
        #expect(url.displayName == "postgres://officer@db:5433/records")
        #expect(!url.displayName.contains("hunter2"))
        #expect(PostgresURL.redacted("postgres://officer:hunter2@db/x?bad=1") == "postgres://officer:…@db/x?bad=1")
    }

    @Test(arguments: [
        "postgres://db/x?sslmode=maybe",
        "postgres://db/x?schema=Robert'); DROP TABLE student;--",
        "postgres://db/x?schema=1abc",
        "postgres://db/x?sslcert=/tmp/c",
        "postgres://db:99999/x",
        "postgres:///x",
        "postgres://db/x?host=relative/folder",
        "postgres://db/x?busy_timeout=0",
        "postgres://db/x?busy_timeout=2.5",
        "postgres://db/x?busy_timeout=-1",
        "postgres://db/x?busy_timeout=3601",
        "postgres://db/x?busy_timeout=",
    ])
    func whatCannotBeUsedIsRefusedWithTheReason(_ text: String) {
        #expect(throws: StoreError.self) { try PostgresURL(text, defaultUser: "me") }
    }

    @Test func aRefusalNeverRepeatsThePassword() {
        do {
            _ = try PostgresURL("postgres://officer:hunter2@db/x?sslmode=maybe", defaultUser: "me")
            Issue.record("an unknown sslmode was taken")
        } catch {
            #expect(!error.message.description.contains("hunter2"))
            #expect(error.message.description.contains("sslmode"))
        }
    }

    @Test func onlyPostgresAddressesNameADatabaseServer() {
        #expect(PostgresURL.names("postgres://db/x"))
        #expect(PostgresURL.names("POSTGRESQL://db/x"))
        #expect(!PostgresURL.names("bridges.sqlite"))
        #expect(!PostgresURL.names("./postgres://odd-file-name"))
    }

    @Test func theSchemaSplitsIntoStatementsOutsideFunctionBodies() {
        let statements = PostgresSchema.statements(PostgresSchema.v1)
        #expect(statements.count > 40)
        let function = statements.first { $0.hasPrefix("CREATE FUNCTION auditEvent_appendOnly") }
        #expect(function?.hasSuffix("$$;") == true)
        #expect(statements.allSatisfy { $0.hasSuffix(";") })
    }
}

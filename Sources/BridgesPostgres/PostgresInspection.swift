import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO

/// A read-only look at a Bridges database on PostgreSQL, for `doctor`, `backup` and the tests.
struct PostgresInspection: StoreInspection {
    let store: PostgresStore
    var engine: String { "PostgreSQL" }
    var storage: String { "the database" }

    /// PostgreSQL checks its own pages (with data checksums on, each read); what it counted as
    /// failed for this database is reported.
    func integrityProblems() async throws(StoreError) -> [String] {
        try await store.read { connection in
            let failures = try await connection.value("""
                SELECT coalesce(checksum_failures, 0) FROM pg_stat_database WHERE datname = current_database()
                """, as: Int64.self) ?? 0
            return failures == 0 ? [] : ["PostgreSQL counted \(failures) page\(failures == 1 ? "" : "s") whose checksum failed in this database; see the server's log"]
        }
    }

    /// PostgreSQL enforces every foreign key as it is written; one can only be broken by a
    /// constraint someone marked NOT VALID or a trigger someone disabled, and those are reported.
    func foreignKeyProblems() async throws(StoreError) -> [String] {
        try await store.read { connection in
            let schema = store.url.schema
            var problems = try await connection.values("""
                SELECT c.conrelid::regclass::text || ': the constraint ' || c.conname || ' is not checked (NOT VALID)'
                FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                WHERE n.nspname = \(schema) AND NOT c.convalidated ORDER BY 1
                """, as: String.self)
            problems += try await connection.values("""
                SELECT t.tgrelid::regclass::text || ': the trigger ' || t.tgname || ' is disabled'
                FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid JOIN pg_namespace n ON n.oid = r.relnamespace
                WHERE n.nspname = \(schema) AND t.tgenabled = 'D' ORDER BY 1
                """, as: String.self)
            return problems
        }
    }

    func migrationState() async throws(StoreError) -> (known: [String], applied: [String]) {
        try await store.read { connection in
            let applied = try await connection.values("SELECT name FROM bridges_migrations ORDER BY appliedAt, name", as: String.self)
            return (PostgresSchema.known, applied)
        }
    }

    func auditTrailProblems(now: String) async throws(StoreError) -> [Message] {
        throw StoreError.notOnThisStore(path: store.displayName, what: "Checking the audit trail")
    }

    func auditChain() async throws(StoreError) -> AuditChainFinding {
        throw StoreError.notOnThisStore(path: store.displayName, what: "Checking the audit trail's chain")
    }

    func auditReplayProblems() async throws(StoreError) -> [Message] {
        throw StoreError.notOnThisStore(path: store.displayName, what: "Replaying the audit trail")
    }

    func counts() async throws(StoreError) -> [(table: String, rows: Int)] {
        try await store.read { connection in
            let tables = try await connection.values("""
                SELECT table_name::text FROM information_schema.tables
                WHERE table_schema = \(store.url.schema) AND table_type = 'BASE TABLE' AND table_name <> 'bridges_migrations'
                ORDER BY 1
                """, as: String.self)
            var counts: [(table: String, rows: Int)] = []
            for table in tables where PostgresURL.isPlainName(table) {
                // The schema's tables are made unquoted, so their names are lower case; the
                // contract names them as Bridges does everywhere (camelCase).
                let rows = try await connection.value("SELECT count(*) FROM \(unescaped: table)", as: Int.self) ?? 0
                counts.append((PostgresSchema.tableNames[table] ?? table, rows))
            }
            return counts
        }
    }

    /// The roles other than the tables' owner that may read a table, as (table, who may).
    func readableByOthers() async -> [(file: String, mode: String)] {
        let found = try? await store.read { connection in
            var found: [(file: String, mode: String)] = []
            for try await (table, grantee) in try await connection.rows("""
                SELECT g.table_name::text, g.grantee::text FROM information_schema.role_table_grants g
                JOIN pg_class c ON c.relname = g.table_name JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = g.table_schema
                WHERE g.table_schema = \(store.url.schema) AND g.privilege_type = 'SELECT' AND g.grantee <> pg_get_userbyid(c.relowner)
                ORDER BY 1, 2
                """).decode((String, String).self) {
                found.append((PostgresSchema.tableNames[table] ?? table, "SELECT granted to \(grantee)"))
            }
            return found
        }
        return found ?? []
    }

    var ownerOnlyAccess: String { "no role but the tables' owner (and superusers) is granted SELECT" }

    func backUp(to destination: String) async throws(StoreError) -> Int64 {
        throw StoreError.notOnThisStore(path: store.displayName, what: "Backing up (use pg_dump)")
    }
}

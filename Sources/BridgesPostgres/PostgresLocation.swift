import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO

/// A Bridges database on a PostgreSQL server, named by its address (`postgres://…`).
///
/// - The database itself is made by whoever runs the server (`createdb`); Bridges makes its
///   schema and tables in it on the first command that writes, in one transaction.
/// - A first load into a database without Bridges' tables runs in the same transaction as the
///   migrations (`createInBulk`): a refused load leaves no tables, as SQLite's leaves no file.
/// - A dry run with no Bridges tables yet runs in a transaction on a private scratch schema that
///   is rolled back: nothing of it is ever visible to anyone.
package struct PostgresLocation: StoreLocation {
    package let url: PostgresURL
    /// How many connections one process may hold at once (the command line needs one).
    package let maximumConnections: Int

    /// The environment PostgreSQL's own programs run in (pg_dump for `backup`; its PATH finds
    /// them), handed in by the front door: nothing below it reads the process's environment.
    package let programEnvironment: [String: String]

    package init(url: PostgresURL, maximumConnections: Int = 1, programEnvironment: [String: String] = [:]) {
        self.url = url
        self.maximumConnections = maximumConnections
        self.programEnvironment = programEnvironment
    }

    package var displayName: String { url.displayName }

    /// The TLS settings the address asks for (libpq's meaning of each sslmode).
    private var tlsConfiguration: TLSConfiguration? {
        var settings = TLSConfiguration.makeClientConfiguration()
        switch url.tls {
        case .disable: return nil
        case .prefer, .require: settings.certificateVerification = .none
        case .verifyFull: break
        }
        return settings
    }

    /// A pool for this database, running until the store is closed.
    func makeClient() -> (PostgresClient, Task<Void, Never>) {
        var configuration: PostgresClient.Configuration
        switch url.endpoint {
        case .tcp(let host, let port):
            let tls: PostgresClient.Configuration.TLS = switch (url.tls, tlsConfiguration) {
            case (_, nil): .disable
            case (.prefer, let settings?): .prefer(settings)
            case (_, let settings?): .require(settings)
            }
            configuration = .init(host: host, port: port, username: url.user, password: url.password, database: url.database, tls: tls)
        case .socket(let folder, let port):
            configuration = .init(unixSocketPath: "\(folder)/.s.PGSQL.\(port)", username: url.user, password: url.password, database: url.database)
        }
        configuration.options.additionalStartupParameters = startupParameters
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(10)
        let client = PostgresClient(configuration: configuration, backgroundLogger: PostgresStore.logger)
        let run = Task { await client.run() }
        return (client, run)
    }

    /// Every connection's search path is the store's schema.
    private var startupParameters: [(String, String)] { [("search_path", url.schema), ("application_name", "bridges")] }

    /// Connects once, on its own, and says what is there: a server that cannot be reached, or
    /// refuses the sign-in, is said at once (a pool would keep trying to connect).
    private func probe() async throws(StoreError) -> (tables: [String], applied: [String]?) {
        var configuration: PostgresConnection.Configuration
        switch url.endpoint {
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS
            do {
                tls = switch (url.tls, tlsConfiguration) {
                case (_, nil): .disable
                case (.prefer, let settings?): .prefer(try NIOSSLContext(configuration: settings))
                case (_, let settings?): .require(try NIOSSLContext(configuration: settings))
                }
            } catch {
                throw StoreError.unavailable(path: displayName, why: "cannot set up TLS: \(error)")
            }
            configuration = .init(host: host, port: port, username: url.user, password: url.password, database: url.database, tls: tls)
        case .socket(let folder, let port):
            configuration = .init(unixSocketPath: "\(folder)/.s.PGSQL.\(port)", username: url.user, password: url.password, database: url.database)
        }
        configuration.options.additionalStartupParameters = startupParameters
        configuration.options.connectTimeout = .seconds(10)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: PostgresStore.logger)
            do {
                let found = try await PostgresSchema.look(connection, schema: url.schema)
                try? await connection.close()
                return found
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            throw StoreError(postgres: error, name: displayName)
        }
    }

    package func open(_ access: StoreAccess) async throws(StoreError) -> any Store {
        try await openStore(access, createIfMissing: true)!
    }

    package func openIfPresent(_ access: StoreAccess) async throws(StoreError) -> (any Store)? {
        try await openStore(access, createIfMissing: false)
    }

    private func openStore(_ access: StoreAccess, createIfMissing: Bool) async throws(StoreError) -> PostgresStore? {
        let (client, run) = makeClient()
        func shut() async {
            run.cancel()
            await run.value
        }
        do {
            let found = try await probe()
            let pending = try PostgresSchema.pending(tables: found.tables, applied: found.applied, name: displayName)
            let isNew = found.applied == nil
            if isNew {
                guard createIfMissing else {
                    await shut()
                    return nil
                }
                guard access == .write else { throw StoreError.missing(path: displayName) }
            } else if !pending.isEmpty && access == .read {
                throw StoreError.olderVersion(path: displayName)
            }
            var applied: [String] = []
            if access == .write && !pending.isEmpty {
                applied = try await migrate(client)
            }
            return PostgresStore(url: url, connections: .pool(client, run), migratedOnOpen: isNew ? [] : applied)
        } catch {
            await shut()
            throw StoreError(postgres: error, name: displayName)
        }
    }

    /// Brings the schema up to date under the writers' lock (another process may be doing it
    /// too: what it did is seen once the lock is had). The migrations applied.
    private func migrate(_ client: PostgresClient) async throws -> [String] {
        try await client.withConnection { connection in
            try await connection.run("BEGIN")
            do {
                try await PostgresStore.takeWriterLock(connection, url: url)
                let found = try await PostgresSchema.look(connection, schema: url.schema)
                let pending = try PostgresSchema.pending(tables: found.tables, applied: found.applied, name: displayName)
                try await PostgresSchema.migrate(connection, schema: url.schema, pending: pending)
                try await connection.run("COMMIT")
                return pending
            } catch {
                try? await connection.run("ROLLBACK")
                throw error
            }
        }
    }

    package func createInBulk<T>(_ body: (any Store) async throws -> T) async throws -> T? {
        let (client, run) = makeClient()
        defer { run.cancel() }
        let found = try await probe()
        if found.applied != nil || !found.tables.isEmpty {
            run.cancel()
            await run.value
            return nil
        }
        do {
            let result: UncheckedBox<T>? = try await client.withConnection { connection in
                try await connection.run("BEGIN")
                do {
                    try await PostgresStore.takeWriterLock(connection, url: url)
                    let again = try await PostgresSchema.look(connection, schema: url.schema)
                    if again.applied != nil || !again.tables.isEmpty {
                        // Another command made it meanwhile: the caller opens it instead.
                        try await connection.run("ROLLBACK")
                        return nil
                    }
                    try await PostgresSchema.migrate(connection, schema: url.schema, pending: PostgresSchema.known)
                    let store = PostgresStore(url: url, connections: .pinned(connection), migratedOnOpen: [])
                    let result = try await body(store)
                    try await connection.run("COMMIT")
                    return UncheckedBox(result)
                } catch {
                    try? await connection.run("ROLLBACK")
                    throw error
                }
            }
            run.cancel()
            await run.value
            return result?.value
        } catch let error as PSQLError {
            throw StoreError(postgres: error, name: displayName)
        } catch let error as ConnectionLost {
            throw StoreError(postgres: error, name: displayName)
        }
    }

    package func withScratchStore<T>(_ body: (any Store) async throws -> T) async throws -> T {
        let (client, run) = makeClient()
        defer { run.cancel() }
        _ = try await probe()
        do {
            let result: UncheckedBox<T> = try await client.withConnection { connection in
                try await connection.run("BEGIN")
                do {
                    // A schema of its own, never committed: nobody else ever sees it.
                    let schema = "bridges_dry_run_\(UInt64.random(in: 0...UInt64.max))"
                    try await connection.run("CREATE SCHEMA \(unescaped: schema)")
                    try await connection.run("SET LOCAL search_path TO \(unescaped: schema)")
                    try await PostgresSchema.migrate(connection, schema: schema, pending: PostgresSchema.known)
                    let store = PostgresStore(url: url, connections: .pinned(connection), migratedOnOpen: [])
                    let result = try await body(store)
                    try await connection.run("ROLLBACK")
                    return UncheckedBox(result)
                } catch {
                    try? await connection.run("ROLLBACK")
                    throw error
                }
            }
            run.cancel()
            await run.value
            return result.value
        } catch let error as PSQLError {
            throw StoreError(postgres: error, name: displayName)
        } catch let error as ConnectionLost {
            throw StoreError(postgres: error, name: displayName)
        }
    }

    package func inspect() async throws(StoreError) -> any StoreInspection {
        guard let store = try await openStore(.read, createIfMissing: false) else { throw StoreError.missing(path: displayName) }
        return PostgresInspection(store: store, programEnvironment: programEnvironment)
    }

    package func discard() async throws(StoreError) {
        let (client, run) = makeClient()
        defer { run.cancel() }
        do {
            try await client.withConnection { connection in
                try await connection.run("DROP SCHEMA IF EXISTS \(unescaped: url.schema) CASCADE")
            }
        } catch {
            throw StoreError(postgres: error, name: displayName)
        }
        run.cancel()
        await run.value
    }
}

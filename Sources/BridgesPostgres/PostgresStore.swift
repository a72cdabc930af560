import BridgesCore
import BridgesStore
import Foundation
import Logging
import PostgresNIO

/// A Bridges database on a PostgreSQL server: the store contract on postgres-nio.
///
/// Why it is built this way:
/// - One pool of connections per process (`PostgresClient`): a command uses one, `bridges serve`
///   several at once. Every Bridges table lives in one PostgreSQL schema (`bridges` unless the
///   address says `schema=`), set as each connection's `search_path`, so the SQL names tables
///   plainly and several Bridges databases can share one PostgreSQL database.
/// - Every write is one transaction that first takes the same transaction-scoped advisory lock
///   (`writerLock`): writers of every process on the database take turns, as SQLite's single
///   writer does, so each operation reads what the one before it wrote and the rules that
///   SQLite's store checks inside its transaction hold here the same way. Readers never wait.
///   A writer that waits longer than the address's `busy_timeout` (15 s unless it says) gets
///   `busy` (exit 75, HTTP 503).
/// - Reads run in a REPEATABLE READ, READ ONLY transaction: one consistent view per read.
/// - A store made by `createInBulk` or `withScratchStore` is *pinned* to one connection inside
///   that one transaction; its own writes are savepoints in it.
package final class PostgresStore: Sendable {
    package let url: PostgresURL
    let connections: Connections
    /// The migrations this open applied.
    package let migratedOnOpen: [String]

    /// The key of the advisory lock every write transaction on `schema` takes first: the same in
    /// every Bridges for the same schema (FNV-1a of "bridges writer " and the schema's name), so
    /// two Bridges databases in one PostgreSQL database do not wait for each other.
    static func writerLock(schema: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "bridges writer \(schema)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
    /// Quiet: a command prints its own messages; the driver's are for debugging.
    static let logger = Logger(label: "bridges.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    enum Connections: Sendable {
        /// The process's pool, and the task that runs it.
        case pool(PostgresClient, Task<Void, Never>)
        /// One connection inside a transaction the location began (bulk creation, scratch).
        case pinned(PostgresConnection)
    }

    init(url: PostgresURL, connections: Connections, migratedOnOpen: [String]) {
        self.url = url
        self.connections = connections
        self.migratedOnOpen = migratedOnOpen
    }

    /// A store let go of without `close` still gives its connections back.
    deinit {
        if case .pool(_, let run) = connections { run.cancel() }
    }

    package var upgradedOnOpen: [String] { migratedOnOpen }
    var displayName: String { url.displayName }

    package func close() async throws(StoreError) {
        guard case .pool(_, let run) = connections else { return }
        run.cancel()
        await run.value
    }

    /// Runs `body` on a connection of this store.
    private func onConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        switch connections {
        case .pinned(let connection):
            return try await body(connection)
        case .pool(let client, _):
            let box = try await client.withConnection { connection in
                UncheckedBox(try await body(connection))
            }
            return box.value
        }
    }

    /// Runs `body` as one write transaction: all of it lands, or none of it.
    package func write<T>(_ body: (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        try await write(keepingIf: { _ in true }, body)
    }

    /// Runs `body` as one write transaction that commits only when `keep` says so of what it
    /// returned (a dry run, a conflict found: nothing is written, the answer still comes back).
    package func write<T>(keepingIf keep: (T) -> Bool, _ body: (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        do {
            return try await onConnection { connection in
                if case .pinned = connections {
                    try await connection.run("SAVEPOINT bridges_write")
                    do {
                        let result = try await body(connection)
                        if !keep(result) { try await connection.run("ROLLBACK TO SAVEPOINT bridges_write") }
                        try await connection.run("RELEASE SAVEPOINT bridges_write")
                        return result
                    } catch {
                        try? await connection.run("ROLLBACK TO SAVEPOINT bridges_write")
                        try? await connection.run("RELEASE SAVEPOINT bridges_write")
                        throw error
                    }
                }
                try await connection.run("BEGIN")
                do {
                    try await Self.takeWriterLock(connection, url: url)
                    let result = try await body(connection)
                    try await connection.run(keep(result) ? "COMMIT" : "ROLLBACK")
                    return result
                } catch {
                    try? await connection.run("ROLLBACK")
                    throw error
                }
            }
        } catch {
            throw storeError(error)
        }
    }

    /// Runs `body` with one consistent view of the database.
    ///
    /// A read whose connection was lost (the server restarted, a fail-over, a connection the
    /// network dropped while idle in the pool) is tried again, up to twice, on a new connection: it changed
    /// nothing and handed nothing out, so trying again is safe. Writes are not tried again (a
    /// lost COMMIT may have landed), nor streamed reports (rows already written out).
    package func read<T>(_ body: (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        var tries = 0
        while true {
            tries += 1
            do {
                return try await onConnection { connection in
                    if case .pinned = connections { return try await body(connection) }
                    try await connection.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    do {
                        let result = try await body(connection)
                        try await connection.run("COMMIT")
                        return result
                    } catch {
                        try? await connection.run("ROLLBACK")
                        throw error
                    }
                }
            } catch {
                let failure = storeError(error)
                if case .unavailable = failure, tries < 3, case .pool = connections, !(error is CancellationError) {
                    // A moment for the pool to let go of the dead connection, or the retry may be
                    // handed the same one.
                    try? await Task.sleep(for: .milliseconds(250 * tries))
                    continue
                }
                throw failure
            }
        }
    }

    /// Runs `body` with one consistent view of the database, letting the errors `body` throws (a
    /// report writer's failure) through unchanged; the database's own become `StoreError`. A
    /// report is written while it is read.
    package func streamingRead(_ body: (PostgresConnection) async throws -> Void) async throws {
        do {
            try await onConnection { connection in
                if case .pinned = connections { return try await body(connection) }
                try await connection.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                do {
                    try await body(connection)
                    try await connection.run("COMMIT")
                } catch {
                    try? await connection.run("ROLLBACK")
                    throw error
                }
            }
        } catch let error as PSQLError {
            throw storeError(error)
        } catch let error as ConnectionLost {
            throw storeError(error)
        }
    }

    /// The writers' turn on `url`'s schema (inside a transaction): waits up to the address's busy
    /// timeout for another writer.
    static func takeWriterLock(_ connection: PostgresConnection, url: PostgresURL) async throws {
        try await connection.run("SET LOCAL lock_timeout = '\(unescaped: String(url.busyTimeout))s'")
        try await connection.run("SELECT pg_advisory_xact_lock(\(writerLock(schema: url.schema)))")
        try await connection.run("SET LOCAL lock_timeout = 0")
    }

    /// What any failure of a transaction on this database is, said as a `StoreError`.
    func storeError(_ error: any Error) -> StoreError {
        StoreError(postgres: error, name: displayName)
    }
}

extension PostgresStore: Store {}

/// The connection to the server closed before a statement's answer came (see `rows`).
struct ConnectionLost: Error {}

/// The statements waiting for an answer on one connection, told when it closes: one callback on
/// the connection's end however many statements it runs (a server's connection lives for days).
final class ConnectionWatch: @unchecked Sendable {
    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var registry: [ObjectIdentifier: ConnectionWatch] = [:]

    private let lock = NSLock()
    private var closed = false
    private var next = 0
    private var waiting: [Int: @Sendable () -> Void] = [:]

    /// The watch of `connection`, made (and hooked to its end) the first time it is asked for.
    static func of(_ connection: PostgresConnection) -> ConnectionWatch {
        let key = ObjectIdentifier(connection)
        registryLock.lock()
        if let watch = registry[key] {
            registryLock.unlock()
            return watch
        }
        let watch = ConnectionWatch()
        registry[key] = watch
        registryLock.unlock()
        let end = connection.closeFuture
        end.whenComplete { _ in
            // Forgotten at once (a new connection may come to the same address); those still
            // waiting are told a moment later, so that the driver's own error (the server's
            // words) may reach them first.
            registryLock.lock()
            if registry[key] === watch { registry[key] = nil }
            registryLock.unlock()
            end.eventLoop.scheduleTask(in: .milliseconds(200)) { watch.close() }
        }
        return watch
    }

    /// Adds `lost` to be called if the connection closes; nil when it already has.
    func add(_ lost: @escaping @Sendable () -> Void) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return nil }
        next += 1
        waiting[next] = lost
        return next
    }

    func remove(_ ticket: Int) {
        lock.lock()
        waiting[ticket] = nil
        lock.unlock()
    }

    private func close() {
        lock.lock()
        closed = true
        let lost = waiting.values
        waiting = [:]
        lock.unlock()
        for call in lost { call() }
    }
}

/// The first answer to a statement, whichever comes first: the driver's, or the connection's end.
/// Later ones are dropped; a query still waiting when the connection's end answered is left to the
/// driver (it holds nothing of ours).
final class OneAnswer<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<UncheckedBox<T>, any Error>?
    private var early: Result<UncheckedBox<T>, any Error>?
    private var task: Task<Void, Never>?
    private var answered = false

    func wait(_ continuation: CheckedContinuation<UncheckedBox<T>, any Error>, for task: Task<Void, Never>) {
        lock.lock()
        if let early {
            lock.unlock()
            continuation.resume(with: early)
            return
        }
        self.continuation = continuation
        self.task = task
        lock.unlock()
    }

    func give(_ result: Result<UncheckedBox<T>, any Error>) {
        lock.lock()
        guard !answered else { lock.unlock(); return }
        answered = true
        guard let continuation else {
            early = result
            lock.unlock()
            return
        }
        self.continuation = nil
        lock.unlock()
        continuation.resume(with: result)
    }

    func cancel() {
        lock.lock()
        let task = self.task
        lock.unlock()
        task?.cancel()
    }
}

/// A value carried out of a closure that the compiler cannot see is used by one task at a time.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

extension PostgresConnection {
    /// Runs a statement whose rows, if any, are not wanted. They are still read to the end: an
    /// error the server sends after the first row (a lock not had in time) comes only then.
    func run(_ query: PostgresQuery) async throws {
        for try await _ in try await rows(query) {}
    }

    /// The rows of `query`.
    ///
    /// Every statement goes through here (or `copy`), watched against the connection's end:
    /// postgres-nio (1.33) loses a query written after the server closed the connection (the
    /// server ended the backend between two statements: `pg_terminate_backend`, a restart), and
    /// its answer would be awaited forever. Once the connection has closed, the query fails with
    /// `ConnectionLost` instead, after a moment in which the driver's own error (the server's
    /// words) may come first.
    func rows(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        try await watched { connection in try await connection.query(query, logger: PostgresStore.logger) }
    }

    /// Copies `data` (COPY's text format: tab-separated, one row a line) into `table`'s `columns`
    /// (lower-case names: postgres-nio quotes them), watched as `rows` is: postgres-nio (1.33)
    /// asked to copy on a connection the server already closed drops its own continuation (a
    /// runtime warning on standard error) and never answers.
    func copy(into table: String, columns: [String], _ data: ByteBuffer) async throws {
        try await watched { connection in
            try await connection.copyFrom(table: table, columns: columns, logger: PostgresStore.logger) { writer in
                try await writer.write(data)
            }
        }
    }

    /// `work`'s answer, or `ConnectionLost` as soon as the connection ends without one.
    private func watched<Answer>(_ work: @escaping @Sendable (PostgresConnection) async throws -> Answer) async throws -> Answer {
        if isClosed { throw ConnectionLost() }
        let answer = OneAnswer<Answer>()
        let watch = ConnectionWatch.of(self)
        guard let ticket = watch.add({ answer.give(.failure(ConnectionLost())) }) else { throw ConnectionLost() }
        defer { watch.remove(ticket) }
        let connection = UncheckedBox(self)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<UncheckedBox<Answer>, any Error>) in
                answer.wait(continuation, for: Task {
                    do {
                        answer.give(.success(UncheckedBox(try await work(connection.value))))
                    } catch {
                        answer.give(.failure(error))
                    }
                })
            }.value
        } onCancel: {
            answer.cancel()
        }
    }

    /// The first column of the first row of `query`, nil when there is no row (every row is
    /// read, so that an error after the first is not missed).
    func value<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> T? {
        var first: T?
        for try await value in try await rows(query).decode(T.self) where first == nil { first = value }
        return first
    }

    /// The first row of `query` decoded as `type`, nil when there is none (every row is read).
    func first<each Column: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: (repeat each Column).Type) async throws -> (repeat each Column)? {
        var found: (repeat each Column)?
        var seen = false
        for try await row in try await rows(query).decode(type) where !seen {
            found = row
            seen = true
        }
        return found
    }

    /// Reads `query` through a cursor, `batch` rows at a time, inside the caller's transaction:
    /// memory holds one batch however many rows there are, and between batches `body` may run
    /// other statements on this connection (a row stream would hold the connection until its end).
    func forEachBatch(_ query: PostgresQuery, batch: Int = 2_000, _ body: ([PostgresRow]) async throws -> Void) async throws {
        let cursor = "bridges_cursor_\(UInt32.random(in: 0...UInt32.max))"
        try await run(PostgresQuery(unsafeSQL: "DECLARE \(cursor) NO SCROLL CURSOR FOR " + query.sql, binds: query.binds))
        while true {
            var rows: [PostgresRow] = []
            rows.reserveCapacity(batch)
            for try await row in try await self.rows("FETCH FORWARD \(unescaped: String(batch)) FROM \(unescaped: cursor)") { rows.append(row) }
            if !rows.isEmpty { try await body(rows) }
            if rows.count < batch { break }
        }
        try await run("CLOSE \(unescaped: cursor)")
    }

    /// The first column of every row of `query`.
    func values<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> [T] {
        var values: [T] = []
        for try await value in try await rows(query).decode(T.self) { values.append(value) }
        return values
    }
}

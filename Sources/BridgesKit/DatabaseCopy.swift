import BridgesCore
import BridgesStore
import Foundation

/// What `DatabaseMaintenance.copy` did: each table's rows and digest, the same in both databases.
public struct DatabaseCopy: Sendable {
    public struct Table: Sendable, Hashable {
        public var name: String
        public var rows: Int
        /// The SHA-256 of the table's rows read back from the new database, equal to the source's.
        public var sha256: String
    }

    public var from: String
    public var to: String
    public var tables: [Table]
    public var rows: Int { tables.reduce(0) { $0 + $1.rows } }
}

extension DatabaseMaintenance {
    /// The most rows a copy holds at once (one page of one table).
    static let copyPage = 5_000

    /// Copies every record of the database at `source` into a new database at `destination`
    /// (another store: an SQLite file to PostgreSQL, or back), all or nothing.
    ///
    /// The new database is made by its store's first-load path (`createInBulk`), so that nothing
    /// of it is left when anything fails. Table by table, parents first, a page at a time, the rows
    /// are read from the source and appended as they were (ids, audit trail and its hash chain
    /// unchanged); each table's rows are counted and hashed as they go. Before the new database is
    /// kept, every table is read back from it and its count and SHA-256 compared with the
    /// source's, and the source's counts are compared with those it had at the start (a command
    /// that wrote to it meanwhile would make the copy of no single moment): any difference, and
    /// nothing is kept. A destination that already holds a Bridges database is refused.
    public static func copy(from source: DatabaseLocation, to destination: DatabaseLocation) async throws(BridgesError) -> DatabaseCopy {
        guard let reader = try await Registrar.openIfPresent(source, access: .read) else {
            throw .notFound(.database(source.name), "there is no database at \(source.name) to copy")
        }
        let sourceStore = reader.database
        // Every write adds an audit event: a write to the source meanwhile changes its counts.
        let before = try await counts(source)
        do {
            let copied = try await destination.store.createInBulk { target -> [DatabaseCopy.Table] in
                var tables: [DatabaseCopy.Table] = []
                for table in StoreTables.all {
                    var digest = TableDigest()
                    var after: [String?]?
                    while true {
                        let page = try await sourceStore.tableRows(table, after: after, limit: copyPage)
                        if page.isEmpty { break }
                        for row in page { digest.add(row) }
                        try await target.appendRows(table, page)
                        after = table.keyPositions.map { page.last![$0] }
                        if page.count < copyPage { break }
                    }
                    tables.append(DatabaseCopy.Table(name: table.name, rows: digest.rows, sha256: digest.finish()))
                }
                try await target.finishCopy()
                // Read back from the new database, inside the same transaction, before it is kept.
                for (table, expected) in zip(StoreTables.all, tables) {
                    let found = try await digest(of: table, in: target)
                    guard found.rows == expected.rows, found.sha256 == expected.sha256 else {
                        let difference = try await firstDifference(table, sourceStore, target)
                        throw BridgesError.internalError(
                            "the copy of \(table.name) does not match its source (\(found.rows) rows read back, \(expected.rows) copied\(difference.map { "; first difference: \($0)" } ?? "")); nothing was kept")
                    }
                }
                let after = try await counts(source)
                guard after == before else {
                    let changed = after.keys.sorted().filter { after[$0] != before[$0] }
                    throw BridgesError.busy(
                        "\(source.name) changed while it was being copied (\(changed.joined(separator: ", "))); nothing was kept. Copy it when nothing writes to it (stop bridges serve first)")
                }
                return tables
            }
            try? await sourceStore.close()
            guard let copied else {
                throw BridgesError.usage(
                    "\(destination.name) already holds a Bridges database (or other tables); a copy only fills a new one. Name an empty database, or a new file")
            }
            return DatabaseCopy(from: source.name, to: destination.name, tables: copied)
        } catch let error as BridgesError {
            try? await sourceStore.close()
            throw error
        } catch let error as StoreError {
            try? await sourceStore.close()
            throw BridgesError(error)
        } catch {
            try? await sourceStore.close()
            throw .internalError("the copy failed: \(error); nothing was kept")
        }
    }

    /// Where two stores' copies of a table first differ, said for a person (key and column).
    static func firstDifference(_ table: StoreTable, _ one: any Store, _ other: any Store) async throws(StoreError) -> String? {
        var after: [String?]?
        while true {
            let left = try await one.tableRows(table, after: after, limit: copyPage)
            let right = try await other.tableRows(table, after: after, limit: copyPage)
            for (a, b) in zip(left, right) where a != b {
                let key = table.keyPositions.map { a[$0] ?? "NULL" }.joined(separator: ", ")
                let column = zip(table.columns, zip(a, b)).first { $0.1.0 != $0.1.1 }
                return "the row \(key), \(column.map { "column \($0.0): \(String(reflecting: $0.1.0)) against \(String(reflecting: $0.1.1))" } ?? "")"
            }
            if left.count != right.count { return "\(left.count) rows against \(right.count) in a page" }
            if left.count < copyPage { return nil }
            after = table.keyPositions.map { left.last![$0] }
        }
    }

    /// Each table's rows and SHA-256, read a page at a time.
    static func digest(of table: StoreTable, in store: any Store) async throws(StoreError) -> DatabaseCopy.Table {
        var digest = TableDigest()
        var after: [String?]?
        while true {
            let page = try await store.tableRows(table, after: after, limit: copyPage)
            for row in page { digest.add(row) }
            if page.count < copyPage { break }
            after = table.keyPositions.map { page.last![$0] }
        }
        return DatabaseCopy.Table(name: table.name, rows: digest.rows, sha256: digest.finish())
    }
}

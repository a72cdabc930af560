@testable import BridgesSQLite
import BridgesStore
import Foundation
import GRDB
import Testing

/// `StoreTables` says every table and column a copy between stores carries: it must be exactly
/// the SQLite store's schema, or a copy would drop a column without a word.
@Suite("The copy's list of tables, against SQLite's schema")
struct StoreTablesTests {
    @Test func everyTableAndColumnOfTheSchemaIsListedAndNothingElse() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("BridgesStoreTables-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("schema.sqlite").path)
        defer { try? store.close() }
        let schema = try store.read { db -> [String: Set<String>] in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'")
            var schema: [String: Set<String>] = [:]
            for table in tables {
                schema[table] = Set(try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table]).map { $0[0] as String })
            }
            return schema
        }
        let listed = Dictionary(uniqueKeysWithValues: StoreTables.all.map { ($0.name, Set($0.columns)) })
        #expect(listed == schema)
        for table in StoreTables.all {
            #expect(Set(table.key).isSubset(of: Set(table.columns)), "\(table.name)")
            #expect(table.integerColumns.isSubset(of: Set(table.columns)), "\(table.name)")
        }
    }
}

import BridgesCore
import BridgesStore
import Foundation
import GRDB

extension SQLiteStore {
    package func tableRows(_ table: StoreTable, after: [String?]?, limit: Int) throws(StoreError) -> [[String?]] {
        try read { db in
            let columns = table.columns.joined(separator: ", ")
            let key = table.key.joined(separator: ", ")
            var arguments: [DatabaseValueConvertible?] = []
            var condition = ""
            if let after {
                // Row values compare as the key orders: (a, b) > (x, y).
                condition = "WHERE (\(key)) > (\(Array(repeating: "?", count: table.key.count).joined(separator: ", ")))"
                for (column, value) in zip(table.key, after) {
                    arguments.append(table.integerColumns.contains(column) ? value.flatMap { Int64($0) } : value)
                }
            }
            arguments.append(limit)
            let rows = try Row.fetchCursor(
                db, sql: "SELECT \(columns) FROM \(table.name) \(condition) ORDER BY \(key) LIMIT ?", arguments: StatementArguments(arguments))
            var page: [[String?]] = []
            while let row = try rows.next() {
                page.append((0..<table.columns.count).map { index -> String? in
                    switch row[index] as DatabaseValue {
                    case let value where value.isNull: nil
                    case let value: String(describing: value.storage.value ?? "")
                    }
                })
            }
            return page
        }
    }

    package func appendRows(_ table: StoreTable, _ rows: [[String?]]) throws(StoreError) {
        try write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: table.columns.count).joined(separator: ", ")))
                """)
            let integer = table.columns.map { table.integerColumns.contains($0) }
            for row in rows {
                var arguments: [DatabaseValueConvertible?] = []
                arguments.reserveCapacity(row.count)
                for (index, value) in row.enumerated() {
                    if integer[index], let value {
                        guard let number = Int64(value) else { throw StoreError.rejected("\(table.name).\(table.columns[index]) holds '\(value)', not a whole number") }
                        arguments.append(number)
                    } else {
                        arguments.append(value)
                    }
                }
                try insert.execute(arguments: StatementArguments(arguments))
            }
        }
    }

    /// SQLite gives a new row the largest id plus one: nothing to set.
    package func finishCopy() throws(StoreError) {}
}

import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO

extension PostgresStore {
    package func tableRows(_ table: StoreTable, after: [String?]?, limit: Int) async throws(StoreError) -> [[String?]] {
        try await read { connection in
            // Qualified by the table: an output column `id::text` named `id` must not be what
            // ORDER BY sorts by (text order would put 10 before 2).
            let columns = table.columns.map { table.integerColumns.contains($0) ? "t.\($0)::text" : "t.\($0)" }.joined(separator: ", ")
            let key = table.key.map { "t.\($0)" }.joined(separator: ", ")
            var query = PostgresQuery(unsafeSQL: "SELECT \(columns) FROM \(table.name) AS t")
            if let after {
                // Row values compare as the key orders: (a, b) > (x, y), each bound as its column's type.
                let placeholders = table.key.enumerated().map { index, column in
                    "$\(index + 1)::\(table.integerColumns.contains(column) ? "bigint" : "text")"
                }
                query.sql += " WHERE (\(key)) > (\(placeholders.joined(separator: ", ")))"
                for value in after { query.binds.append(value) }
            }
            query.sql += " ORDER BY \(key) LIMIT \(limit)"
            var page: [[String?]] = []
            for try await row in try await connection.rows(query) {
                let r = row.makeRandomAccess()
                page.append(try (0..<table.columns.count).map { try r.at($0, String?.self) })
            }
            return page
        }
    }

    /// Rows go in through COPY (text format), one statement per page.
    package func appendRows(_ table: StoreTable, _ rows: [[String?]]) async throws(StoreError) {
        guard !rows.isEmpty else { return }
        try await write { connection in
            var buffer = ByteBuffer()
            for row in rows {
                for (index, value) in row.enumerated() {
                    if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                    guard let value else {
                        buffer.writeString("\\N")
                        continue
                    }
                    Self.writeCopyText(value, into: &buffer)
                }
                buffer.writeInteger(UInt8(ascii: "\n"))
            }
            // postgres-nio quotes the names it is given: PostgreSQL keeps the unquoted camelCase
            // names of the schema in lower case.
            try await connection.copy(into: table.name.lowercased(), columns: table.columns.map { $0.lowercased() }, buffer)
        }
    }

    /// A value in COPY's text format: backslash, tab, newline and carriage return escaped.
    static func writeCopyText(_ value: String, into buffer: inout ByteBuffer) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeString("\\t")
            case UInt8(ascii: "\n"): buffer.writeString("\\n")
            case UInt8(ascii: "\r"): buffer.writeString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    /// The id counters of the tables whose ids PostgreSQL gives, set past the rows copied.
    package func finishCopy() async throws(StoreError) {
        try await write { connection in
            for table in ["session", "quizAttempt", "disclosure", "apiToken"] {
                try await connection.run("""
                    SELECT setval(pg_get_serial_sequence(\(table.lowercased()), 'id'), coalesce(max(id), 0) + 1, false) FROM \(unescaped: table)
                    """)
            }
        }
    }
}

import Foundation
import GRDB
import GRDBSQLite

/// A statement prepared by GRDB and driven through the SQLite C API, for the statements a command
/// runs once per row of a large input (roster and session import, certificate issue): text is bound straight
/// from a Swift string's UTF-8 and columns are read without row objects. Errors become GRDB's
/// `DatabaseError` (with the extended result code, which GRDB turns on for every connection), as
/// GRDB's own calls throw. Use it inside one `write` or `read`, like any statement.
struct DirectStatement {
    private let statement: Statement
    private let connection: OpaquePointer?

    init(_ db: Database, _ sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        connection = db.sqliteConnection
    }

    private var handle: OpaquePointer { statement.sqliteStatement }

    /// Binds text (1-based index), copied by SQLite.
    func bind(_ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            if let base = bytes.baseAddress, !bytes.isEmpty {
                let characters = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
                _ = sqlite3_bind_text(handle, index, characters, Int32(bytes.count), sqliteTransient)
            } else {
                // Empty text, not NULL: a buffer without an address would bind NULL.
                _ = sqlite3_bind_text(handle, index, "", 0, sqliteTransient)
            }
        }
    }

    /// Binds text, or NULL for nil.
    func bind(_ index: Int32, _ text: String?) {
        if let text { bind(index, text) } else { _ = sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Int64) {
        _ = sqlite3_bind_int64(handle, index, value)
    }

    /// Runs a statement that returns no rows, and resets it.
    func run() throws {
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE {
            sqlite3_reset(handle)
            return
        }
        let error = error(code)
        sqlite3_reset(handle)
        throw error
    }

    /// Steps once: true with a row to read (call `reset` when done), false at the end (reset).
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE {
            sqlite3_reset(handle)
            return false
        }
        let error = error(code)
        sqlite3_reset(handle)
        throw error
    }

    func reset() { sqlite3_reset(handle) }

    /// Rows changed by the last `run`.
    var changes: Int32 { sqlite3_changes(connection) }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// Whether the text in `column` is `string`, byte for byte (SQLite's `BINARY`), without making a string.
    func textEquals(_ column: Int32, _ string: String) -> Bool {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let bytes = sqlite3_column_text(handle, column) else { return false }
        var string = string
        return string.withUTF8 { utf8 in
            utf8.count == count && (count == 0 || memcmp(utf8.baseAddress!, bytes, count) == 0)
        }
    }

    /// Whether the text in `column` sorts before `string` in SQLite's `BINARY` order (bytes).
    func textPrecedes(_ column: Int32, _ string: String) -> Bool {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let bytes = sqlite3_column_text(handle, column) else { return true }
        return UnsafeBufferPointer(start: bytes, count: count).lexicographicallyPrecedes(string.utf8)
    }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    private func error(_ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) },
            sql: statement.sql)
    }
}

/// SQLite's `SQLITE_TRANSIENT` (copy the bound value now), which Swift cannot import as a macro.
private let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

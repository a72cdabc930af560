import BridgesStore
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
    private let boundText: BoundText

    init(_ db: Database, _ sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        connection = db.sqliteConnection
        boundText = BoundText(parameters: Int(sqlite3_bind_parameter_count(statement.sqliteStatement)))
    }

    private var handle: OpaquePointer { statement.sqliteStatement }

    /// Binds text (1-based index). The bytes are copied into a buffer this statement keeps for
    /// the parameter and reuses, and SQLite reads them there: letting SQLite copy them
    /// (`SQLITE_TRANSIENT`) cost a malloc and a free per value, millions in an import.
    func bind(_ index: Int32, _ text: String) {
        // Binding is only allowed before a step or after a reset; binding part-way through the
        // rows would overwrite the buffer SQLite still reads.
        precondition(sqlite3_stmt_busy(handle) == 0, "bind on a statement part-way through its rows")
        var text = text
        text.withUTF8 { bytes in
            let stored = boundText.keep(bytes, for: Int(index))
            _ = sqlite3_bind_text(handle, index, stored, Int32(bytes.count), nil)
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

    /// The text, or nil for NULL.
    func optionalText(_ column: Int32) -> String? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : text(column)
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

/// The text bound to a statement's parameters, one reusable buffer per parameter, alive as long
/// as the statement (SQLite reads a value bound with `SQLITE_STATIC` until it is bound again).
private final class BoundText {
    private var buffers: [UnsafeMutablePointer<CChar>?]
    private var capacities: [Int]

    init(parameters: Int) {
        buffers = Array(repeating: nil, count: parameters + 1)
        capacities = Array(repeating: 0, count: parameters + 1)
    }

    deinit {
        for buffer in buffers { buffer?.deallocate() }
    }

    /// Copies `bytes` into the buffer of parameter `index` and returns it (never nil, so empty
    /// text binds as empty text, not NULL).
    func keep(_ bytes: UnsafeBufferPointer<UInt8>, for index: Int) -> UnsafePointer<CChar> {
        if index >= buffers.count {
            buffers += Array(repeating: nil, count: index + 1 - buffers.count)
            capacities += Array(repeating: 0, count: index + 1 - capacities.count)
        }
        if capacities[index] < max(bytes.count, 1) {
            buffers[index]?.deallocate()
            let capacity = max(bytes.count, 64)
            buffers[index] = .allocate(capacity: capacity)
            capacities[index] = capacity
        }
        let buffer = buffers[index]!
        if let source = bytes.baseAddress, !bytes.isEmpty {
            UnsafeMutableRawPointer(buffer).copyMemory(from: source, byteCount: bytes.count)
        }
        return UnsafePointer(buffer)
    }
}

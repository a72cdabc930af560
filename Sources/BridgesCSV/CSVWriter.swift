import BridgesCore
import BridgesSystem
import Foundation

/// Writes RFC 4180 CSV row by row through a fixed buffer, so a report's memory stays flat
/// however many rows it has.
///
/// The output is what spreadsheets and other programs read without questions: UTF-8, comma
/// separators, CRLF after every record including the last, and a field in double quotes (with any
/// quote doubled) when it holds a comma, a semicolon, a quote, CR or LF, or starts or ends with a
/// space. The semicolon is the list separator of spreadsheets in many locales: unquoted, the text
/// after it is a cell of its own, where a formula could start.
///
/// Text cells go through the formula guard: one that starts with `=`, `+`, `-`, `@`, a tab, CR or
/// LF gets a leading `'`, so Excel, LibreOffice and Google Sheets show it as text instead of
/// running it (a student named `=HYPERLINK(…)` is a known attack on whoever opens the report).
/// A text already starting with `'`s before such a character gets one more, so that
/// `FormulaGuard.unguarded` gives back exactly what was written.
/// Numbers and dates are never changed.
///
/// Call `finish()` at the end: it writes what is still buffered and reports any failure, such as
/// a full disk. A writer dropped without `finish()` closes its file with only the rows flushed so
/// far; the caller removes it when a report fails.
///
/// Not `Sendable`: one task writes one report.
public final class CSVWriter {
    public static let defaultBufferSize = 64 * 1024

    /// Where the rows go, as findings name it.
    public let destination: String

    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// The private new file `init(path:)` writes, published by `finish()`.
    private let file: PrivateFile?
    private var buffer: [UInt8]
    private let bufferSize: Int
    private var finished = false
    /// The first write failure, kept so that every later call reports it too.
    private var failure: CSVWriteError?

    /// Writes a new file at `path`, readable and writable by its owner only (0600) from its first
    /// byte, since reports hold minors' data: the rows go into a private new file beside it
    /// (`PrivateFile`), which `finish()` puts at `path`, replacing what was there (a link there is
    /// replaced, never written through). A writer dropped without `finish()` leaves nothing.
    /// A device or a pipe (`/dev/full`, a FIFO) is written directly. `byteOrderMark` starts the
    /// file with one, which Excel needs to read UTF-8 (`--excel`). Throws `CSVWriteError` with
    /// `.cannotCreate`, also for a folder others can write to.
    public init(
        path: String, byteOrderMark: Bool = false, bufferSize: Int = CSVWriter.defaultBufferSize
    ) throws(CSVWriteError) {
        if let status = try? SystemCall.status(of: path), !status.isRegularFile, !status.isDirectory {
            do {
                descriptor = try SystemCall.openDeviceForWriting(path)
            } catch {
                throw CSVWriteError(.cannotCreate, destination: path, reason: error.message, code: error.code)
            }
            file = nil
        } else {
            do {
                let file = try PrivateFile(beside: path)
                descriptor = file.descriptor
                self.file = file
            } catch {
                throw CSVWriteError(.cannotCreate, destination: path, reason: error.kind == .cannotCreate ? error.reason : error.description, code: error.code)
            }
        }
        self.destination = path
        self.ownsDescriptor = true
        self.bufferSize = max(bufferSize, 64)
        self.buffer = []
        buffer.reserveCapacity(self.bufferSize)
        if byteOrderMark { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
    }

    /// Writes to an open file descriptor, such as standard output (1), which stays open after
    /// `finish()`: the caller owns it.
    public init(
        fileDescriptor: Int32, destination: String = "standard output", byteOrderMark: Bool = false,
        bufferSize: Int = CSVWriter.defaultBufferSize
    ) {
        self.descriptor = fileDescriptor
        self.destination = destination
        self.ownsDescriptor = false
        self.file = nil
        self.bufferSize = max(bufferSize, 64)
        self.buffer = []
        buffer.reserveCapacity(self.bufferSize)
        if byteOrderMark { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
    }

    /// Writes to an open `FileHandle` (`FileHandle.standardOutput`), which stays open.
    public convenience init(
        fileHandle: FileHandle, destination: String = "standard output", byteOrderMark: Bool = false
    ) {
        self.init(fileDescriptor: fileHandle.fileDescriptor, destination: destination, byteOrderMark: byteOrderMark)
    }

    deinit {
        // A private file closes (and removes) itself.
        if ownsDescriptor && !finished && file == nil { try? SystemCall.close(descriptor) }
    }

    /// Writes a header row: the column names as text.
    public func writeHeader(_ names: [String]) throws(CSVWriteError) {
        try write(names.map(CSVCell.text))
    }

    /// Writes one record. Throws `CSVWriteError` when flushing the buffer fails.
    public func write(_ row: [CSVCell]) throws(CSVWriteError) {
        if let failure { throw failure }
        if finished {
            throw CSVWriteError(.alreadyFinished, destination: destination, reason: "finish() was called")
        }
        // The row is encoded into a local array (the buffer, swapped out and back): appending to
        // a class's stored property would have Swift check exclusive access at every append,
        // about a tenth of an export's time.
        var out: [UInt8] = []
        swap(&out, &buffer)
        for (index, cell) in row.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            Self.append(cell, to: &out)
        }
        out.append(UInt8(ascii: "\r"))
        out.append(UInt8(ascii: "\n"))
        swap(&out, &buffer)
        if buffer.count >= bufferSize { try flush() }
    }

    /// Writes what is buffered, then closes the file if this writer opened it. Throws
    /// `CSVWriteError` for any failure on the way, including one `close` reports (some file
    /// systems only find the disk full then). Calling it again does nothing.
    public func finish() throws(CSVWriteError) {
        if let failure { throw failure }
        guard !finished else { return }
        try flush()
        finished = true
        if let file {
            do {
                try file.publish(replacing: true)
            } catch {
                let failure = CSVWriteError(.writeFailed, destination: destination, reason: error.reason, code: error.code)
                self.failure = failure
                throw failure
            }
        } else if ownsDescriptor {
            do {
                try SystemCall.close(descriptor)
            } catch {
                let failure = CSVWriteError(.writeFailed, destination: destination, reason: error.message, code: error.code)
                self.failure = failure
                throw failure
            }
        }
    }

    /// Writes the buffer out now, as before a pause in a long report that someone is watching.
    public func flush() throws(CSVWriteError) {
        if let failure { throw failure }
        guard !buffer.isEmpty else { return }
        let result = buffer.withUnsafeBytes { bytes in Result { () throws(SystemCallError) in try SystemCall.writeAll(descriptor, bytes) } }
        buffer.removeAll(keepingCapacity: true)
        if case .failure(let error) = result {
            let failure = CSVWriteError(.writeFailed, destination: destination, reason: error.message, code: error.code)
            self.failure = failure
            throw failure
        }
    }

    // MARK: Encoding

    private static func append(_ cell: CSVCell, to buffer: inout [UInt8]) {
        switch cell {
        case .text(let text):
            appendField(text, guarded: true, to: &buffer)
        case .number(let number):
            buffer.append(contentsOf: String(number).utf8)
        case .decimal(let decimal):
            buffer.append(contentsOf: decimal.description.utf8)
        case .date(let text):
            let startsWithDigit = text.utf8.first.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false
            appendField(text, guarded: !startsWithDigit, to: &buffer)
        case .empty:
            break
        }
    }

    /// Appends one field, disarming a formula when `guarded`, quoting when RFC 4180 needs it.
    private static func appendField(_ text: String, guarded: Bool, to buffer: inout [UInt8]) {
        let utf8 = text.utf8
        guard let first = utf8.first else { return }
        let disarm = guarded && FormulaGuard.needsGuard(text)
        var needsQuotes = first == UInt8(ascii: " ") || utf8.last == UInt8(ascii: " ")
        if !needsQuotes {
            for byte in utf8
            where byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\"") || byte == 0x0D
                || byte == 0x0A
            {
                needsQuotes = true
                break
            }
        }
        if needsQuotes { buffer.append(UInt8(ascii: "\"")) }
        if disarm { buffer.append(UInt8(ascii: "'")) }
        if needsQuotes {
            for byte in utf8 {
                buffer.append(byte)
                if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            }
            buffer.append(UInt8(ascii: "\""))
        } else {
            buffer.append(contentsOf: utf8)
        }
    }
}

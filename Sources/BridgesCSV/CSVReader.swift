import BridgesCore
import BridgesSystem
import Foundation

/// Reads RFC 4180 CSV one record at a time, each with the line it starts on.
///
/// Rosters run to a million rows, so a file is read in chunks (64 KiB by default) into one buffer
/// that holds the rest of the current chunk and the record being parsed, never the whole file.
/// Parsing works on bytes and makes each field's `String` straight from its UTF-8 bytes, which
/// keeps plain data at hundreds of MB/s.
///
/// What it accepts: comma separators; fields in double quotes, with `""` for a quote and any
/// commas, CR or LF inside; CRLF, LF or a lone CR as line ends; a UTF-8 byte-order mark at the
/// start; a last record with or without a line end. Empty lines are skipped (they are not records),
/// but their lines are counted. Anything else is a `CSVReadError` at the line and column of the
/// offending character; after one, the reader stops and `next()` throws the same error again.
///
/// Not `Sendable`: a reader is a cursor with a buffer, used by one task at a time.
public final class CSVReader {
    public static let defaultChunkSize = 64 * 1024
    /// Far above any real row, low enough that a file that is not CSV cannot exhaust memory.
    public static let defaultMaximumRecordSize = 16 * 1024 * 1024

    /// The name findings use: the path as the caller gave it.
    public let file: String

    private let descriptor: Int32?
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The first byte not yet returned in a record.
    private var start = 0
    /// One past the last byte read into the buffer.
    private var end = 0
    /// Whether everything there is to read is in the buffer.
    private var inputEnded: Bool
    /// The physical line at `start`.
    private var line = 1
    private var byteOrderMarkChecked = false
    private let maximumRecordSize: Int
    private var expectedFieldCount = 8
    /// Where a field with doubled quotes is unescaped; kept to reuse its storage.
    private var scratch: [UInt8] = []
    private var failure: CSVReadError?

    /// Opens a file to read; `name` is how findings name it (the path by default). Throws
    /// `CSVReadError` with `.fileNotFound` or `.unreadable`. Without `followingLinks`, a symbolic
    /// link is `.unreadable`: for files found inside a folder, which must not lead outside it.
    public init(
        path: String, name: String? = nil, chunkSize: Int = CSVReader.defaultChunkSize,
        maximumRecordSize: Int = CSVReader.defaultMaximumRecordSize, followingLinks: Bool = true
    ) throws(CSVReadError) {
        let file = name ?? path
        let fd: Int32
        do {
            fd = try SystemCall.openForReading(path, followingLinks: followingLinks)
        } catch where error.isNotFound {
            throw CSVReadError(.fileNotFound, file: file)
        } catch {
            throw CSVReadError(.unreadable(reason: error.message), file: file)
        }
        // `open` for reading accepts a folder, which `read` then refuses.
        if (try? SystemCall.status(of: fd))?.isDirectory == true {
            try? SystemCall.close(fd)
            throw CSVReadError(.unreadable(reason: "it is a folder, not a CSV file"), file: file)
        }
        self.file = file
        self.descriptor = fd
        self.maximumRecordSize = max(maximumRecordSize, 16)
        self.capacity = max(chunkSize, 16)
        self.buffer = .allocate(capacity: capacity)
        self.inputEnded = false
    }

    /// Reads CSV held in memory, as tests and small uploads have it.
    public init(bytes: some Collection<UInt8>, name: String = "input") {
        self.file = name
        self.descriptor = nil
        self.maximumRecordSize = Int.max
        self.capacity = max(bytes.count, 1)
        self.buffer = .allocate(capacity: capacity)
        let copied = UnsafeMutableBufferPointer(start: buffer, count: capacity).initialize(fromContentsOf: bytes)
        self.end = copied
        self.inputEnded = true
    }

    /// Reads CSV text held in memory.
    public convenience init(string: String, name: String = "input") {
        self.init(bytes: Array(string.utf8), name: name)
    }

    deinit {
        buffer.deallocate()
        if let descriptor { try? SystemCall.close(descriptor) }
    }

    /// The next record, or `nil` at the end of the input. Throws `CSVReadError`.
    public func next() throws(CSVReadError) -> CSVRecord? {
        if let failure { throw failure }
        do {
            return try nextRecord()
        } catch {
            failure = error
            throw error
        }
    }

    /// Every remaining record; for small files and tests, since it holds them all.
    public func readAll() throws(CSVReadError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        while let record = try next() { records.append(record) }
        return records
    }

    private func nextRecord() throws(CSVReadError) -> CSVRecord? {
        if !byteOrderMarkChecked {
            while end - start < 3 && !inputEnded { try fill() }
            if end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF {
                start += 3
            }
            byteOrderMarkChecked = true
        }
        while true {
            let outcome: Outcome
            do {
                outcome = try parseRecord()
            } catch {
                throw locate(error)
            }
            switch outcome {
            case .record(let fields, let next, let lineEnds):
                let record = CSVRecord(fields: fields, line: line)
                expectedFieldCount = fields.count
                line += lineEnds
                start = next
                return record
            case .blankLine(let next):
                line += 1
                start = next
            case .endOfInput:
                return nil
            case .needMore(let openQuote):
                if end - start >= maximumRecordSize {
                    if let openQuote { throw locate(SyntaxProblem(kind: .unterminatedQuote, offset: openQuote)) }
                    throw CSVReadError(.recordTooLong(limit: maximumRecordSize), file: file, line: line)
                }
                try fill()
            }
        }
    }

    // MARK: Buffer

    /// Moves the record in progress to the front, grows the buffer when that record fills more
    /// than half of it, and reads until the buffer is full or the file ends.
    ///
    /// Growing at half (not when full) means every re-parse of a long record is paid for by at
    /// least as many new bytes, so long records cost linear time, not quadratic.
    private func fill() throws(CSVReadError) {
        guard let descriptor, !inputEnded else { return }
        if start > 0 {
            let pending = end - start
            if pending > 0 { UnsafeMutableRawPointer(buffer).copyMemory(from: buffer + start, byteCount: pending) }
            start = 0
            end = pending
        }
        if end > capacity / 2 {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            grown.initialize(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity *= 2
        }
        while end < capacity {
            let count: Int
            do {
                count = try SystemCall.read(descriptor, into: buffer + end, count: capacity - end)
            } catch {
                throw CSVReadError(.unreadable(reason: error.message), file: file, line: line)
            }
            if count == 0 {
                inputEnded = true
                return
            }
            end += count
        }
    }

    // MARK: Parsing

    private enum Outcome {
        case record([String], next: Int, lineEnds: Int)
        case blankLine(next: Int)
        case endOfInput
        /// The record runs past the bytes read so far; `openQuote` is set when inside a quoted field.
        case needMore(openQuote: Int?)
    }

    private struct SyntaxProblem: Error {
        enum Kind { case unterminatedQuote, quoteInUnquotedField, textAfterClosingQuote, invalidUTF8 }
        var kind: Kind
        var offset: Int
    }

    private static let comma = UInt8(ascii: ",")
    private static let quote = UInt8(ascii: "\"")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    /// Parses one record from `start`, or says more input is needed. Restarting a record from its
    /// beginning after a refill is simpler than keeping state between chunks, and cheap: at most
    /// one record per chunk is parsed twice.
    private func parseRecord() throws(SyntaxProblem) -> Outcome {
        let comma = Self.comma
        let quote = Self.quote
        let lf = Self.lf
        let cr = Self.cr
        let bytes = UnsafeBufferPointer(start: buffer, count: end)
        let count = end
        let ended = inputEnded
        var i = start
        guard i < count else { return ended ? .endOfInput : .needMore(openQuote: nil) }
        if bytes[i] == lf { return .blankLine(next: i + 1) }
        if bytes[i] == cr {
            if i + 1 < count { return .blankLine(next: bytes[i + 1] == lf ? i + 2 : i + 1) }
            return ended ? .blankLine(next: i + 1) : .needMore(openQuote: nil)
        }
        var fields: [String] = []
        fields.reserveCapacity(expectedFieldCount)
        var lineEnds = 0
        while true {
            if i < count && bytes[i] == quote {
                let open = i
                i += 1
                let contentStart = i
                var doubled = false
                var highBits: UInt8 = 0
                while true {
                    guard i < count else {
                        if ended { throw SyntaxProblem(kind: .unterminatedQuote, offset: open) }
                        return .needMore(openQuote: open)
                    }
                    let byte = bytes[i]
                    if byte == quote {
                        if i + 1 < count {
                            if bytes[i + 1] != quote { break }
                            doubled = true
                            i += 2
                        } else if ended {
                            break
                        } else {
                            return .needMore(openQuote: open)
                        }
                    } else if byte == lf {
                        lineEnds += 1
                        i += 1
                    } else if byte == cr {
                        if i + 1 < count {
                            i += bytes[i + 1] == lf ? 2 : 1
                        } else if ended {
                            i += 1
                        } else {
                            return .needMore(openQuote: open)
                        }
                        lineEnds += 1
                    } else {
                        highBits |= byte
                        i += 1
                    }
                }
                fields.append(
                    try makeField(bytes, from: contentStart, to: i, isASCII: highBits < 0x80, unescapingQuotes: doubled)
                )
                i += 1
                guard i < count else {
                    return ended ? .record(fields, next: i, lineEnds: lineEnds) : .needMore(openQuote: nil)
                }
                let after = bytes[i]
                if after == comma {
                    i += 1
                    continue
                }
                if after != lf && after != cr { throw SyntaxProblem(kind: .textAfterClosingQuote, offset: i) }
            } else {
                let fieldStart = i
                var highBits: UInt8 = 0
                while i < count {
                    let byte = bytes[i]
                    if byte == comma || byte == lf || byte == cr { break }
                    if byte == quote { throw SyntaxProblem(kind: .quoteInUnquotedField, offset: i) }
                    highBits |= byte
                    i += 1
                }
                if i == count && !ended { return .needMore(openQuote: nil) }
                fields.append(
                    try makeField(bytes, from: fieldStart, to: i, isASCII: highBits < 0x80, unescapingQuotes: false))
                if i == count { return .record(fields, next: i, lineEnds: lineEnds) }
                if bytes[i] == comma {
                    i += 1
                    continue
                }
            }
            // bytes[i] is CR or LF: the record ends here.
            if bytes[i] == lf {
                i += 1
            } else if i + 1 < count {
                i += bytes[i + 1] == lf ? 2 : 1
            } else if ended {
                i += 1
            } else {
                return .needMore(openQuote: nil)
            }
            return .record(fields, next: i, lineEnds: lineEnds + 1)
        }
    }

    /// A field's text from its bytes, refusing bytes that are not UTF-8 rather than guessing.
    @inline(__always)
    private func makeField(
        _ bytes: UnsafeBufferPointer<UInt8>, from lower: Int, to upper: Int, isASCII: Bool, unescapingQuotes: Bool
    ) throws(SyntaxProblem) -> String {
        if lower == upper { return "" }
        let field = UnsafeBufferPointer(rebasing: bytes[lower..<upper])
        if !isASCII, let invalid = UTF8Validation.firstInvalidOffset(in: field) {
            throw SyntaxProblem(kind: .invalidUTF8, offset: lower + invalid)
        }
        guard unescapingQuotes else { return String(decoding: field, as: UTF8.self) }
        scratch.removeAll(keepingCapacity: true)
        var i = 0
        while i < field.count {
            let byte = field[i]
            scratch.append(byte)
            i += byte == Self.quote ? 2 : 1
        }
        return scratch.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    /// Turns a byte offset in the record being parsed into a line and a column in characters
    /// (Unicode scalars), counting line ends inside quoted fields as an editor does.
    private func locate(_ problem: SyntaxProblem) -> CSVReadError {
        var errorLine = line
        var lineStart = start
        var i = start
        while i < problem.offset {
            let byte = buffer[i]
            if byte == Self.lf {
                errorLine += 1
                lineStart = i + 1
            } else if byte == Self.cr {
                if i + 1 < problem.offset && buffer[i + 1] == Self.lf { i += 1 }
                errorLine += 1
                lineStart = i + 1
            }
            i += 1
        }
        var column = 1
        for j in lineStart..<max(lineStart, problem.offset) where buffer[j] & 0xC0 != 0x80 {
            column += 1
        }
        let kind: CSVReadError.Kind =
            switch problem.kind {
            case .unterminatedQuote: .unterminatedQuote
            case .quoteInUnquotedField: .quoteInUnquotedField
            case .textAfterClosingQuote: .textAfterClosingQuote
            case .invalidUTF8: .invalidUTF8
            }
        return CSVReadError(kind, file: file, line: errorLine, column: column)
    }
}

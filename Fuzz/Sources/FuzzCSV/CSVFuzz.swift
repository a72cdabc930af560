import BridgesCore
import BridgesCSV
import Foundation

/// One input through the CSV readers, with their promises checked:
/// - no crash, and an error is located (line ≥ 1 and a column for a syntax error);
/// - after an error, `next()` throws the same error again;
/// - reading the same bytes from a file in 16-byte chunks (the buffer refills and growth a
///   million-row roster goes through) gives exactly the records and error that reading them
///   from memory gives;
/// - `RosterCSVReader` returns findings and never crashes, on the input as it is and after a
///   valid roster header (so its row checks run on every input, not only ones that start with a
///   header), again the same from memory and from a file in chunks.
enum CSVFuzz {
    static let name = "fuzz.csv"
    static let header = Array("school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade\n".utf8)

    /// The scratch file the chunked reader reads; one per process (libFuzzer -jobs runs several).
    static let scratchPath: String = {
        let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = (folder as NSString).appendingPathComponent("bridges-fuzz-csv-\(getpid()).csv")
        atexit { unlink(CSVFuzz.scratchPath) }
        return path
    }()

    static func run(_ bytes: [UInt8]) {
        let fromMemory = records(CSVReader(bytes: bytes, name: name))
        let fromFile = records(chunkedReader(bytes))
        if fromMemory.records != fromFile.records || fromMemory.error != fromFile.error {
            fatalError("""
                fuzz: chunked reading differs from reading in memory
                memory: \(fromMemory.records.count) records, error \(String(describing: fromMemory.error)), last \(String(describing: fromMemory.records.last))
                chunks: \(fromFile.records.count) records, error \(String(describing: fromFile.error)), last \(String(describing: fromFile.records.last))
                """)
        }

        _ = roster(CSVReader(bytes: bytes, name: name))
        let withHeader = header + bytes
        let memoryFindings = roster(CSVReader(bytes: withHeader, name: name))
        let fileFindings = roster(chunkedReader(withHeader))
        if memoryFindings != fileFindings {
            fatalError("fuzz: roster findings differ between memory and chunks:\n\(memoryFindings)\n\(fileFindings)")
        }
    }

    static func chunkedReader(_ bytes: [UInt8]) -> CSVReader {
        let path = scratchPath
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(fd >= 0, "fuzz: cannot write \(path)")
        var written = 0
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = write(fd, buffer.baseAddress! + written, buffer.count - written)
                precondition(count > 0, "fuzz: cannot write \(path)")
                written += count
            }
        }
        close(fd)
        do {
            return try CSVReader(path: path, name: name, chunkSize: 16)
        } catch {
            fatalError("fuzz: cannot open \(path): \(error)")
        }
    }

    static func records(_ reader: CSVReader) -> (records: [CSVRecord], error: CSVReadError?) {
        var records: [CSVRecord] = []
        do {
            while let record = try reader.next() {
                precondition(!record.fields.isEmpty, "fuzz: a record without fields at line \(record.line)")
                precondition(record.line >= (records.last.map { $0.line + 1 } ?? 1), "fuzz: record lines out of order: \(records.last!.line) then \(record.line)")
                records.append(record)
            }
            precondition((try? reader.next()) == nil, "fuzz: a record after the end")
            return (records, nil)
        } catch {
            precondition(error.file == name)
            switch error.kind {
            case .fileNotFound, .unreadable, .recordTooLong:
                fatalError("fuzz: unexpected error for input in memory or a scratch file: \(error)")
            case .unterminatedQuote, .quoteInUnquotedField, .textAfterClosingQuote, .invalidUTF8:
                precondition(error.line >= 1 && (error.column ?? 0) >= 1, "fuzz: syntax error not located: \(error)")
                precondition(error.line >= (records.last?.line ?? 1), "fuzz: error before the last record: \(error)")
            }
            do {
                _ = try reader.next()
                fatalError("fuzz: next() after an error did not throw")
            } catch let again {
                precondition(again == error, "fuzz: next() after an error threw another error: \(again) after \(error)")
            }
            return (records, error)
        }
    }

    static func roster(_ reader: CSVReader) -> [Diagnostic] {
        var rows = 0
        let findings: [Diagnostic]
        do {
            findings = try RosterCSVReader(reader).read { entry in
                precondition(entry.line >= 2, "fuzz: a roster row at line \(entry.line)")
                rows += 1
            }
        } catch {
            fatalError("fuzz: RosterCSVReader threw for input in memory: \(error)")
        }
        for finding in findings {
            precondition(finding.file == name && finding.line >= 0 && !finding.message.isEmpty, "fuzz: bad finding \(finding)")
        }
        return findings
    }
}

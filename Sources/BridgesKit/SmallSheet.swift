import BridgesCSV
import BridgesCore

/// A small CSV an officer writes by hand (an attendance or quiz sheet), read whole.
struct SmallSheet {
    var header: CSVHeader
    var rows: [CSVRow]

    /// Reads `path`; a missing file is `notFound`, a CSV syntax error or missing required
    /// columns are located diagnostics.
    static func read(_ path: String, required: [String]) throws(BridgesError) -> SmallSheet {
        let reader: CSVReader
        do {
            reader = try CSVReader(path: path)
        } catch {
            switch error.kind {
            case .fileNotFound: throw .notFound(.file(path), "\(path): no such file")
            case .unreadable(let reason): throw .io("\(path): \(reason)")
            default: throw .invalidInput([error.diagnostic])
            }
        }
        do {
            guard let first = try reader.next() else {
                throw BridgesError.invalidInput([.error(code: "sheet.empty-file", "the sheet is empty; its first row must name the columns \(required.joined(separator: ","))", file: path, line: 1)])
            }
            let header = CSVHeader(first)
            let problems = header.check(required: required, file: path)
            if !problems.isEmpty { throw BridgesError.invalidInput(problems) }
            var rows: [CSVRow] = []
            while let record = try reader.next() {
                if !record.isBlank { rows.append(header.row(record)) }
            }
            return SmallSheet(header: header, rows: rows)
        } catch let error as CSVReadError {
            throw .invalidInput([error.diagnostic])
        } catch let error as BridgesError {
            throw error
        } catch {
            throw .internalError("\(error)")
        }
    }
}

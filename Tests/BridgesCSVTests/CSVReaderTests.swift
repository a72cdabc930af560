import BridgesCSV
import Foundation
import Testing

@Suite("CSVReader")
struct CSVReaderTests {
    private func records(_ text: String) throws -> [CSVRecord] {
        try CSVReader(string: text).readAll()
    }

    private func readError(_ bytes: [UInt8]) -> CSVReadError? {
        do {
            _ = try CSVReader(bytes: bytes, name: "roster.csv").readAll()
            return nil
        } catch {
            return error
        }
    }

    private func readError(_ text: String) -> CSVReadError? { readError(Array(text.utf8)) }

    // MARK: Fields

    @Test func plainFieldsAreSplitAtCommas() throws {
        let result = try records("a,b,c\n1,,3\n")
        #expect(result == [CSVRecord(fields: ["a", "b", "c"], line: 1), CSVRecord(fields: ["1", "", "3"], line: 2)])
    }

    @Test func quotedFieldKeepsCommasAndLosesItsQuotes() throws {
        let result = try records("\"Smith, Jo\",\"\",x\n")
        #expect(result.map(\.fields) == [["Smith, Jo", "", "x"]])
    }

    @Test func doubledQuotesInsideAQuotedFieldBecomeOne() throws {
        let result = try records("\"Jo \"\"JJ\"\" Smith\",\"\"\"\"\n")
        #expect(result.map(\.fields) == [["Jo \"JJ\" Smith", "\""]])
    }

    @Test func trailingCommaMeansATrailingEmptyField() throws {
        #expect(try records("a,\n").map(\.fields) == [["a", ""]])
    }

    @Test func spacesAroundFieldsAreKept() throws {
        #expect(try records(" a , b \n").map(\.fields) == [[" a ", " b "]])
    }

    @Test func textInAnyScriptIsReadAsWritten() throws {
        let result = try records("name,note\nمريم,日本語 😀\n")
        #expect(result[1].fields == ["مريم", "日本語 😀"])
    }

    // MARK: Lines

    @Test func newlinesInsideQuotedFieldsCountTowardsLaterLineNumbers() throws {
        let text = "id,note\n1,\"line one\nline two\r\nline three\rline four\"\n2,plain\n\"3\",\"x\"\n"
        let result = try records(text)
        #expect(result.map(\.line) == [1, 2, 6, 7])
        #expect(result[1].fields == ["1", "line one\nline two\r\nline three\rline four"])
        #expect(result[2].fields == ["2", "plain"])
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func everyLineEndStyleGivesTheSameRecords(lineEnd: String) throws {
        let text = ["a,b", "\"1\",2", "3,\"4\""].joined(separator: lineEnd) + lineEnd
        let result = try records(text)
        #expect(result.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(result.map(\.line) == [1, 2, 3])
    }

    @Test func byteOrderMarkAtTheStartIsNotPartOfTheFirstField() throws {
        let result = try CSVReader(bytes: [0xEF, 0xBB, 0xBF] + Array("id,name\n1,Ana\n".utf8)).readAll()
        #expect(result.first?.fields == ["id", "name"])
        #expect(result.map(\.line) == [1, 2])
    }

    @Test func lastRecordWithoutLineEndIsRead() throws {
        #expect(try records("a,b\n1,2").map(\.fields) == [["a", "b"], ["1", "2"]])
        #expect(try records("a,\"b\"").map(\.fields) == [["a", "b"]])
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        let result = try records("\na,b\n\r\n\n1,2\n\n")
        #expect(result == [CSVRecord(fields: ["a", "b"], line: 2), CSVRecord(fields: ["1", "2"], line: 5)])
    }

    @Test func emptyInputHasNoRecords() throws {
        #expect(try records("").isEmpty)
        #expect(try CSVReader(bytes: [0xEF, 0xBB, 0xBF]).readAll().isEmpty)
    }

    // MARK: Errors

    @Test func unterminatedQuoteIsReportedWhereTheQuoteOpened() throws {
        let error = try #require(readError("id,note\n1,ok\n2,\"never closed\n3,more\n4,more\n"))
        #expect(error.kind == .unterminatedQuote)
        #expect(error.line == 3)
        #expect(error.column == 3)
        #expect(error.description.hasPrefix("roster.csv:3:3: error: "))
    }

    @Test func quoteInsideAnUnquotedFieldIsReportedAtTheQuote() throws {
        let error = try #require(readError("a,b\n日本,x\"y\n"))
        #expect(error.kind == .quoteInUnquotedField)
        #expect(error.line == 2)
        #expect(error.column == 5)
    }

    @Test func textAfterAClosingQuoteIsReportedAtTheText() throws {
        let error = try #require(readError("a,b\n\"multi\nline\"x,1\n"))
        #expect(error.kind == .textAfterClosingQuote)
        #expect(error.line == 3)
        #expect(error.column == 6)
    }

    @Test func bytesThatAreNotUTF8AreRefusedWithAdviceToSaveAsUTF8() throws {
        // "José" as Windows-1252 saves é as the single byte 0xE9.
        let bytes = Array("id,name\n1,Jos".utf8) + [0xE9] + Array("\n".utf8)
        let error = try #require(readError(bytes))
        #expect(error.kind == .invalidUTF8)
        #expect(error.line == 2)
        #expect(error.column == 6)
        #expect(error.message.contains("UTF-8"))
    }

    @Test(arguments: [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] as [[UInt8]])
    func malformedUTF8SequencesAreRefused(sequence: [UInt8]) throws {
        let error = try #require(readError(Array("a,\"x".utf8) + sequence + Array("\"\n".utf8)))
        #expect(error.kind == .invalidUTF8)
        #expect(error.column == 5)
    }

    @Test func readerKeepsReportingTheSameErrorAfterOne() throws {
        let reader = CSVReader(string: "a\nb\"c\nd\n")
        #expect(try reader.next()?.fields == ["a"])
        #expect(throws: CSVReadError.self) { try reader.next() }
        let again = #expect(throws: CSVReadError.self) { try reader.next() }
        #expect(again?.line == 2)
    }

    @Test func missingFileIsReportedAsNotFound() {
        let error = #expect(throws: CSVReadError.self) {
            _ = try CSVReader(path: "/nonexistent/bridges/roster.csv", name: "roster.csv")
        }
        #expect(error?.kind == .fileNotFound)
        #expect(error?.description == "roster.csv: error: the file does not exist; check the path")
    }

    @Test func folderIsNotReadAsAFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let error = #expect(throws: CSVReadError.self) { _ = try CSVReader(path: folder.url.path) }
        guard case .unreadable = error?.kind else {
            Issue.record("expected unreadable, got \(String(describing: error))")
            return
        }
    }

    @Test func runawayRecordStopsAtTheLimitPointingAtTheOpenQuote() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("big.csv", "a,b\n1,\"" + String(repeating: "x", count: 10_000))
        let reader = try CSVReader(path: path, chunkSize: 64, maximumRecordSize: 1024)
        _ = try reader.next()
        let error = #expect(throws: CSVReadError.self) { try reader.next() }
        #expect(error?.kind == .unterminatedQuote)
        #expect(error?.line == 2)
        #expect(error?.column == 3)
    }

    // MARK: Files and chunks

    @Test(arguments: [16, 17, 31, 64, 1000])
    func fileReadInSmallChunksGivesTheSameRecordsAsMemory(chunkSize: Int) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var text = "\u{FEFF}id,name,note\r\n"
        for i in 0..<200 {
            switch i % 5 {
            case 0: text += "\(i),\"Smith, Jo\",\"said \"\"hi\"\"\r\nthen left\"\r\n"
            case 1: text += "\(i),مريم,日本語 😀\n"
            case 2: text += "\(i),\"\",\r\r\n"
            case 3: text += "\(i),\"cr\rinside\",x\r"
            default: text += "\(i),plain,\"\"\"\"\n"
            }
        }
        text += "last,no,newline"
        let path = try folder.write("chunks.csv", text)
        let fromFile = try CSVReader(path: path, chunkSize: chunkSize).readAll()
        let fromMemory = try CSVReader(string: text).readAll()
        #expect(fromFile == fromMemory)
        #expect(fromFile.count == 202)
        #expect(fromFile.first?.fields == ["id", "name", "note"])
        #expect(fromFile.last == CSVRecord(fields: ["last", "no", "newline"], line: 322))
    }

    @Test func severalMegabytesAreReadWithRightCountsAndLines() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let rows = 100_000
        var text = "school_id,student_id,given_name,family_name,note\n"
        text.reserveCapacity(rows * 70)
        for i in 0..<rows {
            let note = i % 100 == 0 ? "\"two\nlines\"" : "Room \(i % 40)"
            text += "S\(i % 7),\(1_000_000 + i),Given\(i),Family\(i % 977),\(note)\n"
        }
        let path = try folder.write("big.csv", text)
        #expect(text.utf8.count > 3_000_000)
        let reader = try CSVReader(path: path)
        var count = 0
        var lastLine = 0
        var fieldCount = 0
        while let record = try reader.next() {
            count += 1
            lastLine = record.line
            fieldCount += record.fields.count
        }
        #expect(count == rows + 1)
        #expect(fieldCount == (rows + 1) * 5)
        #expect(lastLine == rows + 1 + rows / 100)
    }
}

import BridgesCSV
import Foundation
import Testing

@Suite("CSVWriter")
struct CSVWriterTests {
    /// The bytes a writer produces for `rows`, written to a file as a report would be.
    private func written(_ rows: [[CSVCell]], byteOrderMark: Bool = false) throws -> [UInt8] {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let writer = try CSVWriter(path: folder.path("out.csv"), byteOrderMark: byteOrderMark)
        for row in rows { try writer.write(row) }
        try writer.finish()
        return try folder.read("out.csv")
    }

    private func text(_ rows: [[CSVCell]]) throws -> String {
        String(decoding: try written(rows), as: UTF8.self)
    }

    // MARK: RFC 4180

    @Test func everyRecordEndsWithCRLFIncludingTheLast() throws {
        #expect(try text([["a", "b"], [1, 2]]) == "a,b\r\n1,2\r\n")
    }

    @Test func fieldsWithCommaQuoteOrLineEndsAreQuotedWithQuotesDoubled() throws {
        let row: [CSVCell] = ["Smith, Jo", "Jo \"JJ\"", "two\nlines", "cr\rhere", "plain"]
        #expect(try text([row]) == "\"Smith, Jo\",\"Jo \"\"JJ\"\"\",\"two\nlines\",\"cr\rhere\",plain\r\n")
    }

    @Test func leadingOrTrailingSpaceIsQuotedSoItSurvives() throws {
        #expect(try text([[" a", "b ", "c d"]]) == "\" a\",\"b \",c d\r\n")
    }

    @Test func emptyCellsAndEmptyTextWriteNothingBetweenCommas() throws {
        #expect(try text([[.empty, "", .text(nil), .number(nil)]]) == ",,,\r\n")
    }

    // MARK: Formula guard

    @Test func textStartingAFormulaGetsALeadingApostrophe() throws {
        let row: [CSVCell] = [
            "=HYPERLINK(\"http://x\",\"y\")", "+SUM(1,2)", "@cmd", "-2+3", "\tx", "\rx", "\nx", "safe=1",
        ]
        let expected =
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"'+SUM(1,2)\",'@cmd,'-2+3,'\tx,\"'\rx\",\"'\nx\",safe=1\r\n"
        #expect(try text([row]) == expected)
    }

    @Test func numbersDecimalsAndDatesAreNeverAltered() throws {
        let row: [CSVCell] = [
            .number(-5), .decimal(Decimal(string: "-1.5")!), .date("2025-03-14"), .date("2025-03-14T09:30:00Z"),
        ]
        #expect(try text([row]) == "-5,-1.5,2025-03-14,2025-03-14T09:30:00Z\r\n")
    }

    @Test func dateCellThatIsNotADateIsGuardedLikeText() throws {
        #expect(try text([[.date("=1+1")]]) == "'=1+1\r\n")
    }

    @Test func awkwardTextComesBackThroughTheReaderWithOnlyFormulasPrefixed() throws {
        let awkward = [
            "Jo \"JJ\" Smith", "Smith, Jo", "two\r\nlines", "lone\rcr", "😀👩🏽‍🚒", "مريم الحسن", "王小明",
            "=HYPERLINK(\"http://x\",\"y\")", "+SUM(1,2)", "@cmd", "-2+3", "\tleading tab", " spaced ", "",
        ]
        let bytes = try written([awkward.map(CSVCell.text) + [.number(-5), .date("2025-01-02")]])
        let records = try CSVReader(bytes: bytes).readAll()
        let expected = awkward.map { text in
            guard let first = text.unicodeScalars.first, "=+-@\t\r\n".unicodeScalars.contains(first) else {
                return text
            }
            return "'" + text
        }
        #expect(records.count == 1)
        #expect(records.first?.fields == expected + ["-5", "2025-01-02"])
    }

    // MARK: Output

    @Test func byteOrderMarkOptionStartsTheFileWithOne() throws {
        let bytes = try written([["name"], ["José"]], byteOrderMark: true)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(try CSVReader(bytes: bytes).readAll().map(\.fields) == [["name"], ["José"]])
        #expect(try written([["name"]]).first == UInt8(ascii: "n"))
    }

    @Test func reportFileIsReadableByItsOwnerOnly() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("report.csv")
        try folder.write("report.csv", "old")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let writer = try CSVWriter(path: path)
        try writer.write(["x"])
        try writer.finish()
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(try folder.read("report.csv") == Array("x\r\n".utf8))
    }

    @Test func manyRowsThroughASmallBufferAreAllWritten() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let writer = try CSVWriter(path: folder.path("many.csv"), bufferSize: 64)
        for i in 0..<10_000 { try writer.write([.number(i), "name \(i)"]) }
        try writer.finish()
        let records = try CSVReader(path: folder.path("many.csv")).readAll()
        #expect(records.count == 10_000)
        #expect(records.last?.fields == ["9999", "name 9999"])
    }

    @Test func writerToAFileHandleLeavesItOpenForTheCaller() throws {
        let pipe = Pipe()
        let writer = CSVWriter(fileHandle: pipe.fileHandleForWriting)
        try writer.write(["a", 1])
        try writer.finish()
        try pipe.fileHandleForWriting.write(contentsOf: Data("more".utf8))
        try pipe.fileHandleForWriting.close()
        let data = try pipe.fileHandleForReading.readToEnd() ?? Data()
        #expect(String(decoding: data, as: UTF8.self) == "a,1\r\nmore")
    }

    @Test func fullDiskIsReportedNotLost() throws {
        let writer = try CSVWriter(path: "/dev/full")
        try writer.write(["a"])
        let error = #expect(throws: CSVWriteError.self) { try writer.finish() }
        #expect(error?.kind == .writeFailed)
        #expect(error?.isDiskFull == true)
        #expect(error?.description.contains("free some space") == true)
        #expect(throws: CSVWriteError.self) { try writer.write(["b"]) }
    }

    @Test func fileInAMissingFolderCannotBeCreated() {
        let error = #expect(throws: CSVWriteError.self) {
            _ = try CSVWriter(path: "/nonexistent/bridges/report.csv")
        }
        #expect(error?.kind == .cannotCreate)
    }

    @Test func writingAfterFinishIsRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let writer = try CSVWriter(path: folder.path("done.csv"))
        try writer.finish()
        try writer.finish()
        let error = #expect(throws: CSVWriteError.self) { try writer.write(["late"]) }
        #expect(error?.kind == .alreadyFinished)
    }
}

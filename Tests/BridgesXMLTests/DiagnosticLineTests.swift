import BridgesCore
import BridgesXML
import Foundation
import Testing

/// Issue 10, item 15: every diagnostic the reader gives is one line, whatever libxml2 said (its
/// messages carry details on lines of their own); encodings that contradict each other are
/// refused, and UTF-8 text declared as a single-byte encoding is warned about (item 16).
@Suite("Diagnostics are one line each")
struct DiagnosticLineTests {
    func read(_ bytes: [UInt8]) throws -> LessonPlanReading {
        try LessonPlanReader().read(bytes: bytes, file: "water/ws-pools.xml")
    }

    static let windows1252 = Array(Fixture.lesson(head: "  <title>Pool safety</title>\n  <minutes>30</minutes>")
        .replacingOccurrences(of: Fixture.declaration, with: #"<?xml version="1.0"?>"#).utf8)
        .flatMap { $0 == UInt8(ascii: "P") ? [0x93, $0] : [$0] }

    /// Files libxml2 used to describe over several lines, and others that break in other ways.
    static let broken: [(String, [UInt8])] = [
        ("Windows-1252 smart quote", windows1252),
        ("unfinished CDATA", Array(Fixture.lesson(head: "  <title><![CDATA[Pool safety</title>\n  <minutes>30</minutes>").utf8)),
        ("unfinished comment", Array(Fixture.lesson(head: "  <title>Pool safety</title><!-- to do\n  <minutes>30</minutes>").utf8)),
        ("control character", Array(Fixture.lesson(head: "  <title>Pool\u{1} safety</title>\n  <minutes>30</minutes>").utf8)),
        ("minutes over two lines", Array(Fixture.lesson(head: "  <title>Pool safety</title>\n  <minutes>3\n0</minutes>").utf8)),
        ("unclosed tag", Array(Fixture.lesson(head: "  <title>Pool safety\n  <minutes>30</minutes>").utf8)),
    ]

    @Test(arguments: broken.map(\.0))
    func everyDiagnosticIsOneLocatedLine(name: String) throws {
        let bytes = try #require(Self.broken.first { $0.0 == name }?.1)
        let reading = try read(bytes)
        #expect(reading.hasErrors)
        for diagnostic in reading.diagnostics {
            #expect(!diagnostic.message.contains("\n") && !diagnostic.message.contains("\r"), "\(diagnostic)")
            #expect(diagnostic.line >= 1 && (diagnostic.column ?? 0) >= 1, "\(diagnostic)")
            #expect(!diagnostic.message.contains("Bytes: 0x"), "\(diagnostic)")
        }
    }

    @Test func notUTF8IsLocatedAtTheFirstBadByteInTheCSVReadersWords() throws {
        let reading = try read(Self.windows1252)
        #expect(reading.diagnostics.count == 1, "\(reading.diagnostics)")
        let diagnostic = try #require(reading.diagnostics.first)
        #expect(diagnostic.line == 3 && diagnostic.column == 10, "\(diagnostic)")
        #expect(diagnostic.message.hasPrefix("the file is not UTF-8 text"), "\(diagnostic)")
        #expect(diagnostic.message.contains("save it as UTF-8"), "\(diagnostic)")
    }

    @Test func anUnfinishedCDATASectionIsLocatedAtItsStart() throws {
        let reading = try read(Array(Fixture.lesson(head: "  <title><![CDATA[Pool safety</title>\n  <minutes>30</minutes>").utf8))
        #expect(reading.diagnostics.count == 1, "\(reading.diagnostics)")
        let diagnostic = try #require(reading.diagnostics.first)
        #expect(diagnostic.line == 3 && diagnostic.column == 10, "\(diagnostic)")
        #expect(diagnostic.message.contains("never closed"), "\(diagnostic)")
    }

    @Test(arguments: [
        [0xEF, 0xBB, 0xBF] + Array(#"<?xml version="1.0" encoding="ISO-8859-1"?>"#.utf8),
        Encoding.utf16LittleEndian.encode(#"<?xml version="1.0" encoding="UTF-8"?>"#),
        Encoding.utf16BigEndian.encode(#"<?xml version="1.0" encoding="windows-1252"?>"#),
    ])
    func aByteOrderMarkContradictingTheDeclarationIsRefused(declaration: [UInt8]) throws {
        let body = Fixture.lesson().replacingOccurrences(of: Fixture.declaration, with: "")
        let rest: [UInt8]
        switch Array(declaration.prefix(2)) {
        case [0xFF, 0xFE]: rest = Array(Encoding.utf16LittleEndian.encode(body).dropFirst(2))
        case [0xFE, 0xFF]: rest = Array(Encoding.utf16BigEndian.encode(body).dropFirst(2))
        default: rest = Array(body.utf8)
        }
        let reading = try read(declaration + rest)
        #expect(reading.document == nil)
        let diagnostic = try #require(reading.diagnostics.first)
        #expect(diagnostic.isError && diagnostic.line == 1 && diagnostic.column == 21, "\(diagnostic)")
        #expect(diagnostic.message.contains("byte-order mark") && diagnostic.message.contains("contradict"), "\(diagnostic)")
    }

    @Test func aByteOrderMarkAgreeingWithTheDeclarationReads() throws {
        #expect(try read(Encoding.utf8WithByteOrderMark.encode(Fixture.lesson())).document != nil)
        let utf16 = Fixture.lesson().replacingOccurrences(of: Fixture.declaration, with: #"<?xml version="1.0" encoding="UTF-16"?>"#)
        #expect(try read(Encoding.utf16BigEndian.encode(utf16)).document != nil)
    }

    @Test(arguments: ["ISO-8859-1", "ISO-8859-15", "windows-1252", "latin1", "CP1252"])
    func utf8TextDeclaredAsASingleByteEncodingWarns(name: String) throws {
        let text = Fixture.lesson(head: "  <title>Maya\u{2019}s pool</title>\n  <minutes>30</minutes>")
            .replacingOccurrences(of: Fixture.declaration, with: #"<?xml version="1.0" encoding="\#(name)"?>"#)
        let reading = try read(Array(text.utf8))
        let warning = try #require(reading.diagnostics.first { $0.severity == .warning })
        #expect(warning.line == 1 && warning.column == 21, "\(warning)")
        #expect(warning.message.contains("line 3, column 14") && warning.message.contains(#"encoding="UTF-8""#), "\(warning)")
    }

    @Test func asciiTextDeclaredAsLatin1DoesNotWarn() throws {
        let text = Fixture.lesson().replacingOccurrences(of: Fixture.declaration, with: #"<?xml version="1.0" encoding="ISO-8859-1"?>"#)
        let reading = try read(Array(text.utf8))
        #expect(reading.diagnostics.isEmpty, "\(reading.diagnostics)")
    }

    @Test func anXSIAttributeAnywhereIsAnError() throws {
        let text = Fixture.lesson(head: "  <title>Pool safety</title>\n  <minutes xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:nil=\"false\">30</minutes>")
        let reading = try read(Array(text.utf8))
        #expect(reading.document == nil)
        let diagnostic = try #require(reading.diagnostics.first)
        #expect(diagnostic.line == 4 && diagnostic.column == 66, "\(diagnostic)")
        #expect(diagnostic.message.hasPrefix("<minutes> has no attribute 'xsi:nil'"), "\(diagnostic)")
    }
}

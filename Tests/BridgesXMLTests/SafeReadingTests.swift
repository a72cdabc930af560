import BridgesCore
import BridgesXML
import Foundation
import Testing

/// Lesson plans come from other schools and the internet: reading one must never reach outside
/// the file, never expand without limit, and refuse what is not a lesson plan with a located
/// error, quickly. The time bound is a hang guard, not a performance measurement.
// The limit guards against a reader that hangs or expands without end (each attack here would run
// for ever or exhaust memory), not a timing: beside hundreds of tests waiting on `bridges`
// processes, these can wait more than a minute for a thread on two cores.
@Suite("Safe reading", .timeLimit(.minutes(4)))
struct SafeReadingTests {
    static let hangGuard: Duration = .seconds(5)

    /// Reads `bytes` and checks the common promise: refused, with at least one located error,
    /// in well under the hang guard.
    @discardableResult
    func expectRefused(_ bytes: [UInt8], file: String = "hostile.xml", sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> LessonPlanReading {
        let reader = try LessonPlanReader()
        var reading: LessonPlanReading?
        let elapsed = ContinuousClock().measure { reading = reader.read(bytes: bytes, file: file) }
        let result = try #require(reading, sourceLocation: sourceLocation)
        #expect(result.document == nil, "the file was accepted", sourceLocation: sourceLocation)
        #expect(result.hasErrors, sourceLocation: sourceLocation)
        let located = result.diagnostics.filter { $0.isError && $0.file == file && $0.line >= 1 && ($0.column ?? 0) >= 1 }
        #expect(!located.isEmpty, "no located error in \(result.diagnostics)", sourceLocation: sourceLocation)
        #expect(elapsed < Self.hangGuard, "took \(elapsed)", sourceLocation: sourceLocation)
        return result
    }

    @discardableResult
    func expectRefused(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> LessonPlanReading {
        try expectRefused(Array(text.utf8), sourceLocation: sourceLocation)
    }

    static let doctypeAdvice = "the file has a DOCTYPE; lesson plans must not have one"

    // MARK: DOCTYPE and entities

    @Test func aDoctypeIsRefusedAtTheDoctype() throws {
        // Given a harmless-looking DOCTYPE
        // Then it is refused all the same, and the error points at <!DOCTYPE
        try assertDiagnostics("""
            <?xml version="1.0" encoding="UTF-8"?>
            1️⃣<!DOCTYPE lesson [ <!ENTITY school "Lincoln Middle School"> ]>
            <lesson xmlns="urn:bridges:lesson-plan:1" id="ws-pools" program="water" version="1"/>
            """, [.error("1️⃣", Self.doctypeAdvice)])
    }

    @Test func aDoctypeWithoutAnInternalSubsetIsRefusedToo() throws {
        let reading = try expectRefused("""
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE lesson>
            \(Fixture.lessonRoot)<title>Pool safety</title></lesson>
            """)
        #expect(reading.diagnostics.map(\.line) == [2])
        #expect(reading.diagnostics.first?.message.contains(Self.doctypeAdvice) == true)
    }

    @Test func anExternalEntityIsNeverLoaded() throws {
        // Given a secret file on this machine and a lesson whose external entity names it,
        // in text, in an attribute and as a parameter entity
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("BridgesXMLTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let secret = "SECRET-\(UUID().uuidString)"
        let secretFile = folder.appendingPathComponent("secret.txt")
        try Data(secret.utf8).write(to: secretFile)
        let inputs = [
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE lesson [ <!ENTITY xxe SYSTEM "\(secretFile.absoluteString)"> ]>
            \(Fixture.lessonRoot)<title>&xxe;</title></lesson>
            """,
            """
            <?xml version="1.0"?>
            <!DOCTYPE lesson [ <!ENTITY xxe SYSTEM "\(secretFile.path)"> ]>
            <lesson xmlns="urn:bridges:lesson-plan:1" id="&xxe;" program="water" version="1"/>
            """,
            """
            <?xml version="1.0"?>
            <!DOCTYPE lesson [ <!ENTITY % p SYSTEM "\(secretFile.path)"> %p; ]>
            \(Fixture.lessonRoot)<title>x</title></lesson>
            """,
            """
            <?xml version="1.0"?>
            <!DOCTYPE lesson SYSTEM "\(secretFile.path)">
            \(Fixture.lessonRoot)<title>x</title></lesson>
            """,
        ]
        for input in inputs {
            // When read
            let reading = try expectRefused(input)
            // Then it is refused for its DOCTYPE and the secret appears nowhere
            #expect(reading.diagnostics.contains { $0.message.contains(Self.doctypeAdvice) })
            #expect(!reading.diagnostics.contains { $0.message.contains(secret) || $0.file.contains(secret) })
        }
    }

    @Test func billionLaughsIsRefused() throws {
        var entities = #"<!ENTITY lol "lol">"#
        for level in 2...9 {
            entities += "\n <!ENTITY lol\(level) \"" + String(repeating: "&lol\(level == 2 ? "" : String(level - 1));", count: 10) + "\">"
        }
        let reading = try expectRefused("""
            <?xml version="1.0"?>
            <!DOCTYPE lesson [
             \(entities)
            ]>
            \(Fixture.lessonRoot)<title>&lol9;</title></lesson>
            """)
        #expect(reading.diagnostics.contains { $0.message.contains(Self.doctypeAdvice) })
    }

    @Test func aFiftyKilobyteEntityUsedFiftyThousandTimesIsRefused() throws {
        // The "quadratic" attack: parses fast, but asking for the text would make gigabytes.
        let entity = String(repeating: "a", count: 50_000)
        let uses = String(repeating: "&big;", count: 50_000)
        let reading = try expectRefused("""
            <?xml version="1.0"?>
            <!DOCTYPE lesson [<!ENTITY big "\(entity)">]>
            \(Fixture.lessonRoot)<title>\(uses)</title></lesson>
            """)
        #expect(reading.diagnostics.contains { $0.message.contains(Self.doctypeAdvice) })
    }

    @Test func aDTDOnANetworkAddressIsRefusedAndNeverFetched() throws {
        // Given a listener on this machine standing in for a server
        let listener = try LocalListener()
        let url = "http://127.0.0.1:\(listener.port)/lesson.dtd"
        // When a lesson names a DTD, and an external entity, there
        try expectRefused("""
            <?xml version="1.0"?>
            <!DOCTYPE lesson SYSTEM "\(url)">
            \(Fixture.lessonRoot)<title>x</title></lesson>
            """)
        try expectRefused("""
            <?xml version="1.0"?>
            <!DOCTYPE lesson PUBLIC "-//Bridges//Lesson//EN" "\(url)" [ <!ENTITY e SYSTEM "\(url)"> ]>
            \(Fixture.lessonRoot)<title>&e;</title></lesson>
            """)
        // Then nothing ever connected
        #expect(!listener.wasContacted)
    }

    @Test func anXIncludeIsNeverFollowed() throws {
        let listener = try LocalListener()
        let reading = try expectRefused(Fixture.lesson(objectives: """
              <objectives xmlns:xi="http://www.w3.org/2001/XInclude">
                <objective id="rules">Know the pool rules</objective>
                <xi:include href="http://127.0.0.1:\(listener.port)/objective.xml"/>
              </objectives>
            """))
        #expect(reading.diagnostics.contains { $0.message.contains("<xi:include> is not supported") })
        #expect(!listener.wasContacted)
    }

    @Test func anUndeclaredEntityIsAnErrorAtTheEntityExplainingWhichAreAllowed() throws {
        try assertDiagnostics(Fixture.lesson(head: "  <title>Pool1️⃣&nbsp;safety</title>\n  <minutes>30</minutes>"),
            [.error("1️⃣", "unknown entity '&nbsp;'", "&amp;")])
    }

    @Test func aBareAmpersandIsAnErrorSayingToWriteAmp() throws {
        let reading = try expectRefused(Fixture.lesson(head: "  <title>Sun & sea</title>\n  <minutes>30</minutes>"))
        #expect(reading.diagnostics.first?.line == 3)
        #expect(reading.diagnostics.contains { $0.message.contains("a bare '&': write it as &amp;") })
    }

    // MARK: size and shape

    @Test func oneHundredThousandNestedElementsAreRefused() throws {
        let open = String(repeating: "<step>", count: 100_000)
        let close = String(repeating: "</step>", count: 100_000)
        let reading = try expectRefused("<?xml version=\"1.0\"?>\n\(Fixture.lessonRoot)\(open)\(close)</lesson>\n")
        #expect(reading.diagnostics.contains { $0.message.contains("nested too deeply") })
        #expect(reading.diagnostics.allSatisfy { $0.line == 2 })
    }

    @Test func aFileOverEightMegabytesIsRefusedBeforeParsing() throws {
        let padding = [UInt8](repeating: UInt8(ascii: " "), count: 8 * 1024 * 1024)
        let bytes = Array(Fixture.lesson().utf8) + padding
        let reading = try expectRefused(bytes)
        let diagnostic = try #require(reading.diagnostics.only)
        #expect(diagnostic.line == 1 && diagnostic.column == 1)
        #expect(diagnostic.message.contains("MB"))
    }

    @Test func aTruncatedFileIsRefused() throws {
        let whole = Fixture.lesson()
        let reading = try expectRefused(String(whole.prefix(whole.count / 2)))
        #expect(reading.diagnostics.contains { $0.message.contains("ends before every element is closed") })
    }

    @Test func textAfterTheRootIsRefused() throws {
        let reading = try expectRefused(Fixture.lesson() + "<lesson/>\n")
        #expect(reading.diagnostics.contains { $0.message.contains("more after the root element ends") })
    }

    @Test(arguments: [
        ("PNG", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }),
        ("ZIP (a .docx)", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00] + (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 101) }),
        ("every byte", (0...255).map { UInt8($0) }),
        ("NUL bytes", [UInt8](repeating: 0, count: 64)),
        ("invalid UTF-8 after a good start", Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<lesson xmlns=\"urn:bridges:lesson-plan:1\">".utf8) + [0xC3, 0x28, 0xFF, 0xFE]),
    ] as [(String, [UInt8])])
    func binaryGarbageIsRefusedWithALocatedError(name: String, bytes: [UInt8]) throws {
        try expectRefused(bytes)
    }

    @Test func anEmptyFileIsRefusedAtItsStart() throws {
        let reading = try expectRefused([])
        #expect(reading.diagnostics.count == 1)
        let diagnostic = try #require(reading.diagnostics.first)
        #expect((diagnostic.line, diagnostic.column) == (1, 1))
        #expect(diagnostic.message.contains("the file is empty"))
    }

    @Test func aFileOfOnlyWhiteSpaceIsRefused() throws {
        let reading = try expectRefused(" \n\t\n")
        #expect(reading.diagnostics.contains { $0.message.contains("no XML found") })
    }

    @Test func plainTextIsRefusedAsNotXML() throws {
        let reading = try expectRefused("Lesson 1: Pool safety\nObjectives: know the rules\n")
        #expect(reading.diagnostics.contains { $0.message.contains("not a lesson plan") })
    }

    @Test func aMissingFileIsReportedForTheWholeFile() throws {
        let path = "/nonexistent-\(UUID().uuidString)/ws-pools.xml"
        let reading = try LessonPlanReader().read(file: path)
        #expect(reading.document == nil)
        let diagnostic = try #require(reading.diagnostics.only)
        #expect(diagnostic.isError)
        #expect(diagnostic.file == path)
        #expect(diagnostic.message.contains("cannot open the file"))
    }
}

extension Array {
    /// The one element, or nil when there are none or several.
    var only: Element? { count == 1 ? first : nil }
}

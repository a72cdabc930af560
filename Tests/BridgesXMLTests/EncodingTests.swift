import BridgesCore
import BridgesXML
import Testing

/// Files are UTF-8, but an XML declaration naming another encoding libxml2 supports is honoured,
/// and UTF-16 announces itself with a byte-order mark.
@Suite("Encodings")
struct EncodingTests {
    static func frenchLesson(declaration: String) -> String {
        Fixture.lesson(head: "  <title>Sécurité à la piscine</title>\n  <summary>Règles, « bouées » et l’œil du maître-nageur</summary>\n  <minutes>30</minutes>")
            .replacingOccurrences(of: Fixture.declaration, with: declaration)
    }

    func title(of document: LessonPlanDocument) -> (String, String?) {
        guard case .lesson(let lesson, _) = document else { return ("not a lesson", nil) }
        return (lesson.title, lesson.summary)
    }

    @Test(arguments: [Encoding.utf16LittleEndian, .utf16BigEndian])
    func utf16WithAByteOrderMarkReadsTheRightText(encoding: Encoding) throws {
        // Given a lesson saved as UTF-16 (as Windows Notepad may) with its BOM
        let text = Self.frenchLesson(declaration: #"<?xml version="1.0" encoding="UTF-16"?>"#)
        // When read
        let document = try readValid(text, encoding: encoding)
        // Then the accented text is as written
        #expect(title(of: document) == ("Sécurité à la piscine", "Règles, « bouées » et l’œil du maître-nageur"))
    }

    @Test func utf16WithAByteOrderMarkNeedsNoEncodingInTheDeclaration() throws {
        let text = Self.frenchLesson(declaration: #"<?xml version="1.0"?>"#)
        let document = try readValid(text, encoding: .utf16LittleEndian)
        #expect(title(of: document).0 == "Sécurité à la piscine")
    }

    @Test(arguments: ["ISO-8859-1", "iso-8859-1", "latin1"])
    func latin1DeclaredInTheDeclarationReadsTheRightText(name: String) throws {
        // Given a lesson saved in ISO-8859-1 by an older editor, which says so
        let text = Fixture.lesson(head: "  <title>Sécurité à la piscine</title>\n  <summary>Règles et maître-nageur</summary>\n  <minutes>30</minutes>")
            .replacingOccurrences(of: Fixture.declaration, with: #"<?xml version="1.0" encoding="\#(name)"?>"#)
        // When read
        let document = try readValid(text, encoding: .latin1)
        // Then é, à and è come out as themselves
        #expect(title(of: document) == ("Sécurité à la piscine", "Règles et maître-nageur"))
    }

    @Test func utf8WithAByteOrderMarkReads() throws {
        let document = try readValid(Self.frenchLesson(declaration: Fixture.declaration), encoding: .utf8WithByteOrderMark)
        #expect(title(of: document).0 == "Sécurité à la piscine")
    }

    @Test func latin1BytesInAFileThatSaysUTF8AreRefusedAtTheBadByte() throws {
        // Given Latin-1 bytes in a file that declares (or defaults to) UTF-8
        let text = Fixture.lesson(head: "  <title>Sécurité</title>\n  <minutes>30</minutes>")
        let reader = try LessonPlanReader()
        let reading = reader.read(bytes: Encoding.latin1.encode(text), file: "ws-pools.xml")
        // Then it is refused on the line of the é, with the advice to save as UTF-8
        #expect(reading.document == nil)
        let diagnostic = try #require(reading.diagnostics.first)
        #expect(diagnostic.line == 3)
        #expect(diagnostic.message.contains("save it as UTF-8"))
    }

    @Test(arguments: [Encoding.utf16LittleEndian, .utf16BigEndian])
    func errorsInAUTF16FileAreLocatedInCharacters(encoding: Encoding) throws {
        try assertDiagnostics(Fixture.lesson(head: "  <title>Sécurité à la piscine</title> 1️⃣<minutes>3</minutes>", activities: """
              <activities>
                <activity id="talk" 2️⃣kind="leçon" minutes="10">
                  <title>Règles</title>
                  <step>Demandez qui nage</step>
                </activity>
              </activities>
            """).replacingOccurrences(of: Fixture.declaration, with: #"<?xml version="1.0" encoding="UTF-16"?>"#),
            encoding: encoding, [.error("1️⃣", "<minutes>3</minutes>"), .error("2️⃣", #"kind="leçon""#)])
    }

    @Test func errorsInALatin1FileAreLocatedInCharacters() throws {
        try assertDiagnostics(Fixture.lesson(head: "  <title>Sécurité à la piscine</title> 1️⃣<minutes>3</minutes>", objectives: """
              <objectives>
                <objective id="règles">Connaître les règles</objective>
              </objectives>
            """.replacingOccurrences(of: "<objective id", with: "<objective 2️⃣id"))
            .replacingOccurrences(of: Fixture.declaration, with: #"<?xml version="1.0" encoding="ISO-8859-1"?>"#),
            encoding: .latin1, [.error("1️⃣", "<minutes>3</minutes>"), .error("2️⃣", #"id="règles""#)])
    }
}

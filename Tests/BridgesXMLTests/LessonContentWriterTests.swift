import BridgesCore
import BridgesXML
import Foundation
import Testing

/// When loading, a lesson's canonical content is written straight from the parsed tree instead of
/// from decoded strings; it must be the very bytes `Lesson.canonicalJSON` gives for the decoded
/// lesson, or stored versions would look changed.
@Suite("Canonical content written from the tree")
struct LessonContentWriterTests {
    /// The content both ways: from the fully decoded lesson, and as a load writes it.
    static func bothWays(_ bytes: [UInt8], file: String = "lesson.xml") throws -> (decoded: String, written: String) {
        let reader = try LessonPlanReader()
        let full = reader.read(bytes: bytes, file: file)
        try #require(full.diagnostics.filter { $0.severity == .error } == [], "\(full.diagnostics)")
        let document = try #require(full.document)
        let encoded = reader.read(bytes: bytes, file: file, keepsContent: false, encodes: true)
        return (try document.canonicalContent(), try #require(encoded.canonicalContent))
    }

    @Test("every shipped lesson and program")
    func shippedCurricula() throws {
        let files = try ConcurrentReadingTests.curriculumFiles()
        #expect(files.count > 10)
        for file in files {
            let bytes = try #require(FileManager.default.contents(atPath: file))
            let (decoded, written) = try Self.bothWays(Array(bytes), file: file)
            #expect(written == decoded, "\(file)")
        }
    }

    /// A lesson with everything optional present, text that needs escaping or trimming in every
    /// way, comments and CDATA inside text, and references.
    static let awkward = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- written by hand -->
        <lesson xmlns="urn:bridges:lesson-plan:1" id="ws-pools" program="water" version="3">
          <title>  Pool "safety" \\ rules\t</title>
          <summary>
              Line one
              line two &amp; &lt;three&gt; &#233;&#x1F6DF;
          </summary>
          <minutes> 40 </minutes>
          <grades min="K" max="2"/>
          <objectives>
            <objective id="rules">Know <!-- the --> the pool rules</objective>
            <objective id="help"><![CDATA[Shout "help" & <wave>]]></objective>
          </objectives>
          <materials>
            <material>\u{00A0}Whistle\u{00A0}</material>
            <material>Rope &amp; ring</material>
          </materials>
          <activities>
            <activity id="talk" kind="discussion" minutes="10">
              <title>Pool rules</title>
              <step>Ask who swims</step>
              <step>   Say: "walk, don't run"   </step>
            </activity>
            <activity id="play" kind="role-play" minutes="15">
              <title>Rescue 安全</title>
              <step>Throw, don't go\u{3000}</step>
            </activity>
          </activities>
          <safety-note>Adults watch the water.</safety-note>
          <safety-note>No one goes in.</safety-note>
          <quiz passPercent="75">
            <question id="q1" type="single" points="2" objective="rules">
              <prompt>What do you do first?</prompt>
              <choice id="a" correct="true">Shout for help</choice>
              <choice id="b">Jump in</choice>
              <explanation>Help first; never jump in.</explanation>
            </question>
            <question id="q2" type="true-false">
              <prompt>Running is fine.</prompt>
              <answer>false</answer>
            </question>
            <question id="q3" type="short" objective="help">
              <prompt>Who do you tell?</prompt>
              <answer>a lifeguard</answer>
              <answer> an adult </answer>
            </question>
          </quiz>
        </lesson>

        """

    @Test("a lesson with every part, and text that needs escaping, trimming and joining")
    func awkwardLesson() throws {
        let (decoded, written) = try Self.bothWays(Array(Self.awkward.utf8))
        #expect(written == decoded)
        #expect(decoded.contains(#""summary":"Line one\n      line two & <three> é🛟""#), "\(decoded)")
    }

    @Test("the same lesson saved as UTF-16 and as ISO-8859-1")
    func otherEncodings() throws {
        let utf16 = Self.awkward.replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"UTF-16\"")
        let (decoded, written) = try Self.bothWays([0xFF, 0xFE] + Array(try #require(utf16.data(using: .utf16LittleEndian))))
        #expect(written == decoded)

        let latin = Fixture.lesson(head: "  <title>Sécurité à la piscine</title>\n  <summary> Règles et maître-nageur\u{A0}</summary>\n  <minutes>30</minutes>")
            .replacingOccurrences(of: Fixture.declaration, with: #"<?xml version="1.0" encoding="ISO-8859-1"?>"#)
        let (latinDecoded, latinWritten) = try Self.bothWays(Array(try #require(latin.data(using: .isoLatin1))))
        #expect(latinWritten == latinDecoded)
    }

    @Test("the fixture lesson with a quiz of every kind, and a bare lesson")
    func fixtures() throws {
        for text in [Fixture.lesson(), Fixture.lesson(tail: "  <safety-note>Stay dry</safety-note>")] {
            let (decoded, written) = try Self.bothWays(Array(text.utf8))
            #expect(written == decoded)
        }
    }

    @Test("text broken by comments keeps the white space between them, both ways")
    func commentsInsideText() throws {
        let text = Fixture.lesson(activities: """
              <activities>
                <activity id="talk" kind="discussion" minutes="10">
                  <title><!-- a --> Pool <!-- b -->  <!-- c -->rules </title>
                  <step>A<!-- c -->  <!-- d -->B</step>
                </activity>
              </activities>
            """)
        let reader = try LessonPlanReader()
        let reading = reader.read(bytes: Array(text.utf8), file: "lesson.xml")
        guard case .lesson(let lesson, _)? = reading.document else {
            Issue.record("not read: \(reading.diagnostics)")
            return
        }
        #expect(lesson.activities.first?.title == "Pool   rules")
        #expect(lesson.activities.first?.steps == ["A  B"])
        let (decoded, written) = try Self.bothWays(Array(text.utf8))
        #expect(written == decoded)
    }
}

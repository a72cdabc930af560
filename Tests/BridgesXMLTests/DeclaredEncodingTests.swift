import BridgesCore
import BridgesXML
import Testing

/// Found by fuzzing: libxml2 2.9 reports a failed conversion from a declared encoding only on its
/// unstructured channel, which used to print raw lines to the terminal.
@Suite("A file whose bytes do not fit its declared encoding")
struct DeclaredEncodingTests {
    @Test("is refused with an error that says to save it as UTF-8")
    func saysToSaveAsUTF8() throws {
        // Given a file that declares EUC-JP but holds UTF-8 (an en dash)
        let text = "<?xml version=\"1.0\" encoding=\"EUC-JP\"?>\n<lesson xmlns=\"urn:bridges:lesson-plan:1\" id=\"a\" program=\"p\" version=\"1\"><title>\u{2013}</title></lesson>\n"
        // When it is read
        let reading = try LessonPlanReader().read(bytes: Array(text.utf8), file: "water/pools.xml")
        // Then it is refused, and the first error names the declared encoding and the fix
        #expect(reading.document == nil)
        let first = try #require(reading.diagnostics.first)
        #expect(first.isError && first.line == 1)
        #expect(first.message.contains("EUC-JP") && first.message.contains("save the file as UTF-8"))
    }

    @Test("a later sound file on the same thread is not blamed for it")
    func countIsPerFile() throws {
        let reader = try LessonPlanReader()
        _ = reader.read(bytes: Array("<?xml version=\"1.0\" encoding=\"EUC-JP\"?>\n<lesson>\u{2013}</lesson>".utf8), file: "bad.xml")
        let next = reader.read(bytes: Array("<lesson xmlns=\"urn:bridges:lesson-plan:1\"/>".utf8), file: "next.xml")
        #expect(!next.diagnostics.contains { $0.message.contains("encoding the file declares") })
    }
}

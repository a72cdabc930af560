import BridgesCore
import BridgesXML

/// One input through the lesson-plan reader, with the promises the reader makes checked: it
/// returns (no crash, no hang: libFuzzer's -timeout and -rss_limit_mb watch those), and a file it
/// refuses always says why, at a line in that file.
enum LessonPlanFuzz {
    /// One reader for the whole run, as one thread of `readAll` uses it: this also checks that a
    /// reader's validation context survives any earlier input.
    nonisolated(unsafe) static let reader: LessonPlanReader = {
        do { return try LessonPlanReader() } catch { fatalError("fuzz: \(error)") }
    }()

    static func run(_ bytes: [UInt8]) {
        // Both names, so the program.xml / lesson file-name rule runs too; the choice follows the
        // input, so a crash replays with the same name.
        let file = bytes.count % 2 == 0 ? "program.xml" : "lesson.xml"
        let reading = reader.read(bytes: bytes, file: file)
        if reading.document == nil && !reading.hasErrors {
            fatalError("fuzz: the reader refused the file without an error: \(reading.diagnostics)")
        }
        if reading.document != nil && reading.hasErrors {
            fatalError("fuzz: a document came back with errors: \(reading.diagnostics)")
        }
        for diagnostic in reading.diagnostics {
            precondition(diagnostic.file == file, "fuzz: diagnostic names another file: \(diagnostic)")
            precondition(diagnostic.line >= 0, "fuzz: negative line: \(diagnostic)")
            precondition(diagnostic.column.map { $0 >= 1 } ?? true, "fuzz: column below 1: \(diagnostic)")
            precondition(!diagnostic.message.isEmpty, "fuzz: empty message at \(diagnostic)")
        }
        // A sound document goes on to be stored: its canonical encoding and outline must work too.
        if let document = reading.document {
            _ = try? document.canonicalContent()
            _ = document.outline
        }
    }
}

import BridgesCore
import BridgesXML
import Testing

/// An input with markers (`1️⃣`, `2️⃣`, …) placed exactly where a diagnostic must point, as
/// swift-format's tests write them: the markers are removed to give the real input, and each
/// one's 1-based line and column (in characters) is kept.
struct MarkedText {
    static let markerCharacters: [Character] = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟"]

    /// The input without its markers.
    let text: String
    /// Where each marker stood.
    let markers: [String: (line: Int, column: Int)]

    init(_ marked: String) {
        var text = ""
        var markers: [String: (line: Int, column: Int)] = [:]
        var line = 1
        var column = 1
        for character in marked {
            if Self.markerCharacters.contains(character) {
                precondition(markers[String(character)] == nil, "marker \(character) is used twice")
                markers[String(character)] = (line, column)
                continue
            }
            text.append(character)
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        self.text = text
        self.markers = markers
    }
}

/// A diagnostic a test expects at a marker: its severity and words its message must contain.
struct ExpectedDiagnostic: CustomStringConvertible {
    var marker: String
    var severity: Diagnostic.Severity
    var messageParts: [String]

    static func error(_ marker: String, _ messageParts: String...) -> ExpectedDiagnostic {
        ExpectedDiagnostic(marker: marker, severity: .error, messageParts: messageParts)
    }

    static func warning(_ marker: String, _ messageParts: String...) -> ExpectedDiagnostic {
        ExpectedDiagnostic(marker: marker, severity: .warning, messageParts: messageParts)
    }

    var description: String { "\(severity) at \(marker) containing \(messageParts.map { "\"\($0)\"" }.joined(separator: " and "))" }
}

enum Encoding {
    case utf8
    /// UTF-8 after the three bytes EF BB BF that some editors write first.
    case utf8WithByteOrderMark
    /// UTF-16 with a byte-order mark, little-endian.
    case utf16LittleEndian
    /// UTF-16 with a byte-order mark, big-endian.
    case utf16BigEndian
    /// ISO-8859-1, one byte per character (the text must declare it).
    case latin1

    func encode(_ text: String) -> [UInt8] {
        switch self {
        case .utf8: return Array(text.utf8)
        case .utf8WithByteOrderMark: return [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        case .utf16LittleEndian: return [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        case .utf16BigEndian: return [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case .latin1:
            return text.unicodeScalars.map { scalar in
                precondition(scalar.value < 256, "\(scalar) is not in ISO-8859-1")
                return UInt8(scalar.value)
            }
        }
    }
}

/// Reads `marked` (markers removed) as the file `file` and checks that the diagnostics are
/// exactly the expected ones, each at its marker. Returns the reading for further checks.
@discardableResult
func assertDiagnostics(
    _ marked: String, file: String = "ws-pools.xml", encoding: Encoding = .utf8, _ expected: [ExpectedDiagnostic],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws -> LessonPlanReading {
    let input = MarkedText(marked)
    let reader = try LessonPlanReader()
    let reading = reader.read(bytes: encoding.encode(input.text), file: file)
    let found = reading.diagnostics.map(\.description).joined(separator: "\n")
    var unmatched = reading.diagnostics
    for expectation in expected {
        guard let at = input.markers[expectation.marker] else {
            Issue.record("the input has no marker \(expectation.marker)", sourceLocation: sourceLocation)
            continue
        }
        let index = unmatched.firstIndex { diagnostic in
            diagnostic.file == file && diagnostic.line == at.line && diagnostic.column == at.column
                && diagnostic.severity == expectation.severity
                && expectation.messageParts.allSatisfy { diagnostic.message.contains($0) }
        }
        if let index {
            unmatched.remove(at: index)
        } else {
            Issue.record("expected \(expectation) (\(file):\(at.line):\(at.column)); found:\n\(found)", sourceLocation: sourceLocation)
        }
    }
    if !unmatched.isEmpty {
        Issue.record("unexpected diagnostics:\n\(unmatched.map(\.description).joined(separator: "\n"))", sourceLocation: sourceLocation)
    }
    if expected.contains(where: { $0.severity == .error }) {
        #expect(reading.document == nil, "a file with errors gives no document", sourceLocation: sourceLocation)
    }
    return reading
}

/// Reads an input that must be valid (no markers) and returns its document.
func readValid(_ text: String, file: String = "ws-pools.xml", encoding: Encoding = .utf8, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> LessonPlanDocument {
    let reading = try LessonPlanReader().read(bytes: encoding.encode(text), file: file)
    #expect(reading.diagnostics == [], sourceLocation: sourceLocation)
    return try #require(reading.document, sourceLocation: sourceLocation)
}

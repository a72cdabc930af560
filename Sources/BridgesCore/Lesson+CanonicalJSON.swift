/// A lesson's canonical JSON, written by hand.
///
/// Loading thousands of lessons spent most of its time in `JSONEncoder`'s generic machinery. This
/// writes the same structure `Codable` gives (keys sorted, absent optionals left out), so
/// `JSONDecoder` reads it back into an equal `Lesson` (a test holds it to that); it is several
/// times faster because it appends bytes directly.
extension Lesson {
    public func canonicalJSON() -> String {
        var out = JSONBytes()
        out.beginObject()
        out.key("activities"); out.beginArray()
        for activity in activities {
            out.beginObject()
            out.key("id"); out.string(activity.id)
            out.key("kind"); out.string(activity.kind.rawValue)
            out.key("minutes"); out.number(activity.minutes)
            out.key("steps"); out.strings(activity.steps)
            out.key("title"); out.string(activity.title)
            out.endObject()
        }
        out.endArray()
        if let grades {
            out.key("grades"); out.beginObject()
            out.key("max"); out.number(grades.max.number)
            out.key("min"); out.number(grades.min.number)
            out.endObject()
        }
        out.key("id"); out.string(id)
        out.key("materials"); out.strings(materials)
        out.key("minutes"); out.number(minutes)
        out.key("objectives"); out.beginArray()
        for objective in objectives {
            out.beginObject()
            out.key("id"); out.string(objective.id)
            out.key("text"); out.string(objective.text)
            out.endObject()
        }
        out.endArray()
        out.key("programID"); out.string(programID)
        if let quiz {
            out.key("quiz"); out.beginObject()
            out.key("passPercent"); out.number(quiz.passPercent)
            out.key("questions"); out.beginArray()
            for question in quiz.questions {
                out.beginObject()
                out.key("answers"); out.strings(question.answers)
                out.key("choices"); out.beginArray()
                for choice in question.choices {
                    out.beginObject()
                    out.key("correct"); out.bool(choice.correct)
                    out.key("id"); out.string(choice.id)
                    out.key("text"); out.string(choice.text)
                    out.endObject()
                }
                out.endArray()
                if let explanation = question.explanation { out.key("explanation"); out.string(explanation) }
                out.key("id"); out.string(question.id)
                out.key("kind"); out.string(question.kind.rawValue)
                if let objective = question.objectiveID { out.key("objectiveID"); out.string(objective) }
                out.key("points"); out.number(question.points)
                out.key("prompt"); out.string(question.prompt)
                out.endObject()
            }
            out.endArray()
            out.endObject()
        }
        out.key("safetyNotes"); out.strings(safetyNotes)
        if let summary { out.key("summary"); out.string(summary) }
        out.key("title"); out.string(title)
        out.key("version"); out.number(version)
        out.endObject()
        return String(decoding: out.bytes, as: UTF8.self)
    }
}

/// Appends JSON to a byte buffer; commas are placed by tracking whether a container is empty.
struct JSONBytes {
    var bytes: [UInt8] = []
    private var first = true

    init(capacity: Int = 64 * 1024) { bytes.reserveCapacity(capacity) }

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        first = true
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        first = true
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    mutating func strings(_ items: [String]) {
        beginArray()
        for item in items { string(item) }
        endArray()
    }

    /// A key (always a plain ASCII literal here, so it is copied as it is); the value that
    /// follows is written without a comma before it.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        first = true
    }

    mutating func string(_ text: String) {
        separate()
        quoted(text)
        first = false
    }

    mutating func number(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        first = false
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        first = false
    }

    private mutating func separate() {
        if !first { bytes.append(UInt8(ascii: ",")) }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// Whether any byte of `word` is below 0x20, '"' or '\\' (the classic "has less / has zero
    /// byte" tests, exact when read as a whole).
    @inline(__always)
    private static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return (control | ((quote &- ones) & ~quote & highs) | ((backslash &- ones) & ~backslash & highs)) != 0
    }

    private mutating func quoted(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in quoted(utf8) }
    }

    /// Writes `utf8` as a JSON string: runs that need no escaping are copied whole (a memcpy),
    /// since looking at a String byte by byte through its views cost most of a big load.
    private mutating func quoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        let base = utf8.baseAddress.map(UnsafeRawPointer.init)
        while index < utf8.count {
            // Eight bytes at a time while none needs escaping (a control character, '"' or '\\').
            if let base {
                while index + 8 <= utf8.count, !Self.needsEscape((base + index).loadUnaligned(as: UInt64.self)) {
                    index += 8
                }
                if index >= utf8.count { break }
            }
            let byte = utf8[index]
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            default:
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]])
            }
            index += 1
            runStart = index
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
        bytes.append(UInt8(ascii: "\""))
    }
}

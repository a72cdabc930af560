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
            if !activity.objectiveIDs.isEmpty { out.key("objectiveIDs"); out.strings(activity.objectiveIDs) }
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
        return out.text
    }
}

/// Appends JSON to a byte buffer; commas are placed by tracking whether a container is empty.
///
/// The buffer is managed by hand: an `[UInt8]` checked uniqueness and capacity on every byte, and
/// the small literal arrays it was given were allocated each time, which made writing a key cost
/// more than copying a paragraph.
package struct JSONBytes: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    private var first = true

    package init(capacity: Int = 64 * 1024) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The JSON text written so far.
    package var text: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

    package mutating func beginObject() {
        separate()
        put(UInt8(ascii: "{"))
        first = true
    }

    package mutating func endObject() {
        put(UInt8(ascii: "}"))
        first = false
    }

    package mutating func beginArray() {
        separate()
        put(UInt8(ascii: "["))
        first = true
    }

    package mutating func endArray() {
        put(UInt8(ascii: "]"))
        first = false
    }

    package mutating func strings(_ items: [String]) {
        beginArray()
        for item in items { string(item) }
        endArray()
    }

    /// A key (always a plain ASCII literal here, so it is copied as it is); the value that
    /// follows is written without a comma before it.
    package mutating func key(_ name: StaticString) {
        separate()
        reserve(name.utf8CodeUnitCount + 3)
        base[count] = UInt8(ascii: "\"")
        (base + count + 1).update(from: name.utf8Start, count: name.utf8CodeUnitCount)
        count += name.utf8CodeUnitCount + 1
        base[count] = UInt8(ascii: "\"")
        base[count + 1] = UInt8(ascii: ":")
        count += 2
        first = true
    }

    package mutating func string(_ text: String) {
        separate()
        var text = text
        text.withUTF8 { quoted($0) }
        first = false
    }

    /// A string value given as UTF-8 bytes (valid UTF-8, as libxml2 hands out).
    package mutating func string(utf8: UnsafeBufferPointer<UInt8>) {
        separate()
        quoted(utf8)
        first = false
    }

    package mutating func number(_ value: Int) {
        separate()
        var digits = String(value)
        digits.withUTF8 { put($0) }
        first = false
    }

    package mutating func bool(_ value: Bool) {
        separate()
        let word: StaticString = value ? "true" : "false"
        put(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
        first = false
    }

    private mutating func separate() {
        if !first { put(UInt8(ascii: ",")) }
    }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        let newCapacity = max(capacity * 2, needed)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    private mutating func put(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let source = buffer.baseAddress, !buffer.isEmpty else { return }
        reserve(buffer.count)
        (base + count).update(from: source, count: buffer.count)
        count += buffer.count
    }

    private static let hex: StaticString = "0123456789abcdef"

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

    /// Writes `utf8` as a JSON string: runs that need no escaping are copied whole, found eight
    /// bytes at a time.
    private mutating func quoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        put(UInt8(ascii: "\""))
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
            put(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            put(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): put(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): put(UInt8(ascii: "\\"))
            case 0x0A: put(UInt8(ascii: "n"))
            case 0x0D: put(UInt8(ascii: "r"))
            case 0x09: put(UInt8(ascii: "t"))
            default:
                for digit in [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), Self.hex.utf8Start[Int(byte >> 4)], Self.hex.utf8Start[Int(byte & 0xF)]] {
                    put(digit)
                }
            }
            index += 1
            runStart = index
        }
        put(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
        put(UInt8(ascii: "\""))
    }
}

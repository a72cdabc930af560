import BridgesCore

/// What a file's first bytes say about its encoding, read before libxml2 sees it: the byte-order
/// mark, and the `encoding` of the XML declaration with where it is written.
///
/// Only the declaration (the first line) is looked at, so this costs nothing per file; the one
/// whole-file scan (`utf8Mismatch`) runs only for files that declare a single-byte encoding.
struct XMLEncodingCheck {
    enum Mark: Equatable {
        case none, utf8, utf16LittleEndian, utf16BigEndian
    }

    let mark: Mark
    /// The declared encoding as written, e.g. "ISO-8859-1"; nil when the file declares none.
    let declared: String?
    /// 1-based column (in characters, on line 1, after any byte-order mark) of `encoding=`.
    let declaredColumn: Int

    init(_ bytes: UnsafeRawBufferPointer) {
        let mark: Mark
        var start = 0
        var stride = 1
        var lowByte = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            mark = .utf8
            start = 3
        } else if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE {
            mark = .utf16LittleEndian
            start = 2
            stride = 2
        } else if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            mark = .utf16BigEndian
            start = 2
            stride = 2
            lowByte = 1
        } else {
            mark = .none
        }
        self.mark = mark
        // The declaration is ASCII; in UTF-16 each of its characters is one byte and a zero.
        var head: [UInt8] = []
        var index = start + lowByte
        while index < bytes.count, head.count < 256 {
            let byte = bytes[index]
            if stride == 2 {
                let other = lowByte == 0 ? index + 1 : index - 1
                guard other < bytes.count, bytes[other] == 0 else { break }
            }
            head.append(byte)
            if byte == UInt8(ascii: ">") { break }
            index += stride
        }
        (declared, declaredColumn) = Self.declaredEncoding(in: head)
    }

    /// `encoding="…"` of `<?xml … ?>` at the very start, and its column.
    private static func declaredEncoding(in head: [UInt8]) -> (String?, Int) {
        guard head.starts(with: Array("<?xml".utf8)), let end = head.firstIndex(of: UInt8(ascii: ">")) else { return (nil, 1) }
        let text = String(decoding: head[..<end], as: UTF8.self)
        guard let key = text.range(of: "encoding") else { return (nil, 1) }
        var rest = text[key.upperBound...].drop { $0 == " " || $0 == "\t" }
        guard rest.first == "=" else { return (nil, 1) }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return (nil, 1) }
        let value = rest.dropFirst().prefix { $0 != quote }
        return (String(value), text.distance(from: text.startIndex, to: key.lowerBound) + 1)
    }

    private var upperDeclared: String? { declared?.uppercased() }

    var declaresUTF8: Bool { upperDeclared == "UTF-8" || upperDeclared == "UTF8" }

    var declaresUTF16: Bool { upperDeclared.map { $0.hasPrefix("UTF-16") || $0.hasPrefix("UTF16") || $0 == "UCS-2" } ?? false }

    /// Whether the file is read as UTF-8: declared so, or not declared and with no UTF-16 mark.
    var readsAsUTF8: Bool { declared == nil ? mark == .none || mark == .utf8 : declaresUTF8 }

    /// Latin-1, Windows-125x and the other encodings of one byte a character, where any byte
    /// sequence is valid and UTF-8 text silently turns into "Mayaâ€™s".
    var declaresSingleByte: Bool {
        guard let name = upperDeclared else { return false }
        return ["ISO-8859", "ISO8859", "ISO_8859", "LATIN", "WINDOWS-125", "CP125", "KOI8", "MACINTOSH", "MAC-ROMAN", "MACROMAN"].contains { name.hasPrefix($0) }
            || name == "L1" || name == "CP819" || name == "IBM819"
    }

    /// An error when the byte-order mark and the declaration name different encodings: the XML
    /// specification makes that a fatal error, and libxml2 would read the text in one of them.
    func contradiction(file: String) -> Diagnostic? {
        guard let declared else { return nil }
        let markName: String
        switch mark {
        case .none: return nil
        case .utf8:
            if declaresUTF8 { return nil }
            markName = "UTF-8"
        case .utf16LittleEndian, .utf16BigEndian:
            if declaresUTF16 { return nil }
            markName = "UTF-16"
        }
        return .error(code: "xml.byte-order-mark",
            "the file starts with a \(markName) byte-order mark but declares encoding=\"\(declared)\"; the two contradict each other, so the text cannot be read safely: save the file as UTF-8 and declare encoding=\"UTF-8\"",
            file: file, line: 1, column: declaredColumn)
    }

    /// A warning when a file declares a single-byte encoding but its text is UTF-8 (it has bytes
    /// of 0x80 and above, and all of it decodes as UTF-8): read as declared, "Maya’s" becomes
    /// "Mayaâ€™s". One pass over the bytes, only for files declaring such an encoding.
    func utf8Mismatch(_ bytes: UnsafeRawBufferPointer, file: String) -> Diagnostic? {
        guard mark == .none, declaresSingleByte, let declared else { return nil }
        let buffer = bytes.bindMemory(to: UInt8.self)
        guard let firstHigh = buffer.firstIndex(where: { $0 >= 0x80 }), UTF8Validation.firstInvalidOffset(in: buffer, from: firstHigh) == nil else { return nil }
        let (line, column) = UTF8Check.lineAndColumn(of: firstHigh, in: buffer)
        return .warning(code: "xml.declared-encoding",
            "the file declares encoding=\"\(declared)\" but its text is UTF-8 (from line \(line), column \(column)), so it would be read as garbled characters (\"’\" as \"â€™\"): change the declaration to encoding=\"UTF-8\"",
            file: file, line: 1, column: declaredColumn)
    }
}

/// Where a byte of a lesson file is, for messages about its encoding (well-formedness itself is
/// Core's `UTF8Validation`, shared with the CSV reader).
enum UTF8Check {
    /// The 1-based line and column (in characters, a UTF-8 byte-order mark not counted) of a byte
    /// offset, where everything before it is UTF-8.
    static func lineAndColumn(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        var line = 1
        var lineStart = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        var index = lineStart
        while index < offset {
            if bytes[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        var column = 1
        index = lineStart
        while index < offset {
            // Count characters: every byte that does not continue a sequence.
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return (line, column)
    }
}

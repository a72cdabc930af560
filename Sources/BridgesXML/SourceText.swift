import Foundation

/// A file's text with its line starts, for turning a line and a name into a column.
///
/// libxml2 keeps a line for each node but no column, and schema errors come with none; teachers
/// need the caret on the attribute they mistyped, so we find it in the source.
final class SourceText {
    private let text: [UInt8]
    /// Line starts found so far; extended only as far as a lookup needs, since most lookups are
    /// near the top of the file (the root element) and sound files need few.
    private var lineStarts: [Int] = [0]
    private var scannedTo = 0

    /// `bytes` as the file holds them; decoded to UTF-8 when libxml2 says the file declared
    /// another encoding (UTF-16, ISO-8859-1), so columns count characters either way.
    init(bytes: [UInt8], encoding: String?) {
        var utf8: [UInt8]
        let name = encoding?.uppercased() ?? "UTF-8"
        if name == "UTF-8" || name == "UTF8" || name == "US-ASCII" || name == "ASCII" {
            utf8 = bytes
        } else {
            let data = Data(bytes)
            let decoded: String?
            switch name {
            case "UTF-16", "UTF-16LE", "UTF-16BE": decoded = String(data: data, encoding: .utf16)
            case "ISO-8859-1", "LATIN1", "ISO_8859-1": decoded = String(data: data, encoding: .isoLatin1)
            case "WINDOWS-1252", "CP1252": decoded = String(data: data, encoding: .windowsCP1252)
            default: decoded = nil
            }
            utf8 = decoded.map { Array($0.utf8) } ?? Array(bytes)
        }
        if utf8.starts(with: [0xEF, 0xBB, 0xBF]) { utf8.removeFirst(3) }
        self.text = utf8
    }

    /// Scans for line starts until `line` is known (or the text ends).
    private func scan(toLine line: Int) {
        while lineStarts.count < line, scannedTo < text.count {
            scanNextLine()
        }
    }

    /// Scans until the line holding `offset` is known to have ended.
    private func scan(toOffset offset: Int) {
        while scannedTo <= offset, scannedTo < text.count {
            scanNextLine()
        }
    }

    private func scanNextLine() {
        let found: Int? = text.withUnsafeBufferPointer { buffer in
            var index = scannedTo
            while index < buffer.count {
                if buffer[index] == 0x0A { return index }
                index += 1
            }
            return nil
        }
        if let found {
            lineStarts.append(found + 1)
            scannedTo = found + 1
        } else {
            scannedTo = text.count
        }
    }

    /// Byte range of a 1-based line, without its line end.
    private func range(ofLine line: Int) -> Range<Int>? {
        scan(toLine: line + 1)
        guard line >= 1, line <= lineStarts.count else { return nil }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : text.count
        if end > start, text[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return start..<max(start, end)
    }

    /// 1-based column in characters of a byte offset on a line.
    private func column(line: Int, byteOffset: Int) -> Int {
        let start = lineStarts[line - 1]
        return String(decoding: text[start..<byteOffset], as: UTF8.self).count + 1
    }

    /// The first column of a line that is not white space (1 for an empty line).
    func firstColumn(line: Int) -> Int {
        guard let range = range(ofLine: line) else { return 1 }
        for index in range where text[index] != UInt8(ascii: " ") && text[index] != UInt8(ascii: "\t") {
            return column(line: line, byteOffset: index)
        }
        return 1
    }

    /// Where the `occurrence`-th start tag `<name` (or `<prefix:name`) whose `>` falls on
    /// `endLine` begins. libxml2 numbers an element by the line its start tag ends on, so a tag
    /// written over several lines starts earlier; several tags may share a line.
    func locateStartTag(_ name: String, prefix: String?, endingOnLine endLine: Int, occurrence: Int) -> (line: Int, column: Int, offset: Int)? {
        scan(toLine: endLine + 1)
        guard endLine >= 1, endLine <= lineStarts.count, let lineRange = range(ofLine: endLine) else { return nil }
        let tag = Array(("<" + (prefix.map { $0 + ":" } ?? "") + name).utf8)
        func isCandidate(_ index: Int) -> Bool {
            index + tag.count <= text.count && text[index] == tag[0] && text[index..<(index + tag.count)].elementsEqual(tag)
                && (index + tag.count == text.count || isTagEnd(text[index + tag.count]))
        }
        var found: [Int] = []
        // At most one tag can start on an earlier line and end on this one: the last '<' before
        // the line, if it is still open when the line begins.
        var back = lineRange.lowerBound - 1
        let limit = max(0, lineRange.lowerBound - 8192)
        while back >= limit, text[back] != UInt8(ascii: "<"), text[back] != UInt8(ascii: ">") { back -= 1 }
        if back >= limit, text[back] == UInt8(ascii: "<"), isCandidate(back), let end = endOfTag(from: back), end >= lineRange.lowerBound, end < lineRange.upperBound {
            found.append(back)
        }
        var index = lineRange.lowerBound
        while index < lineRange.upperBound {
            if isCandidate(index), let end = endOfTag(from: index), end < lineRange.upperBound + 1 {
                found.append(index)
                if found.count > occurrence { break }
            }
            index += 1
        }
        guard let start = found.count > occurrence ? found[occurrence] : found.first else { return nil }
        let line = lineOf(byteOffset: start)
        return (line, column(line: line, byteOffset: start), start)
    }

    /// The offset of the `>` that ends the tag starting at `offset`, skipping quoted values.
    private func endOfTag(from offset: Int) -> Int? {
        var quote: UInt8? = nil
        var index = offset + 1
        while index < text.count {
            let byte = text[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return index
            }
            index += 1
        }
        return nil
    }

    /// The line and column of the first occurrence of `needle` in the text.
    func locate(_ needle: String) -> (line: Int, column: Int)? {
        let bytes = Array(needle.utf8)
        guard !bytes.isEmpty, bytes.count <= text.count else { return nil }
        for index in 0...(text.count - bytes.count) where text[index] == bytes[0] && text[index..<(index + bytes.count)].elementsEqual(bytes) {
            let line = lineOf(byteOffset: index)
            return (line, column(line: line, byteOffset: index))
        }
        return nil
    }

    /// Where the first `opening` (such as `<![CDATA[`) that has no `closing` after it starts: the
    /// section a parser found unfinished.
    func locateUnclosed(_ opening: String, closedBy closing: String) -> (line: Int, column: Int)? {
        let open = Array(opening.utf8), close = Array(closing.utf8)
        func find(_ needle: [UInt8], from start: Int) -> Int? {
            guard start + needle.count <= text.count else { return nil }
            var index = start
            while index + needle.count <= text.count {
                if text[index] == needle[0], text[index..<(index + needle.count)].elementsEqual(needle) { return index }
                index += 1
            }
            return nil
        }
        var from = 0
        while let start = find(open, from: from) {
            guard let end = find(close, from: start + open.count) else {
                let line = lineOf(byteOffset: start)
                return (line, column(line: line, byteOffset: start))
            }
            from = end + close.count
        }
        return nil
    }

    /// The column of the last `character` on `line` before `column`, if any.
    func lastColumn(of character: UInt8, onLine line: Int, before column: Int) -> Int? {
        guard let range = range(ofLine: line) else { return nil }
        var best: Int?
        for index in range where text[index] == character {
            let at = self.column(line: line, byteOffset: index)
            if at < column { best = at } else { break }
        }
        return best
    }

    /// Where an attribute is written in the start tag that begins at `offset`, across lines.
    func locateAttribute(_ name: String, tagOffset offset: Int) -> (line: Int, column: Int)? {
        let needle = Array(name.utf8)
        var index = offset + 1
        var quote: UInt8? = nil
        while index < text.count {
            let byte = text[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return nil
            } else if isSpace(text[index - 1]), index + needle.count <= text.count, text[index..<(index + needle.count)].elementsEqual(needle) {
                var after = index + needle.count
                while after < text.count, isSpace(text[after]) { after += 1 }
                if after < text.count, text[after] == UInt8(ascii: "=") {
                    let line = lineOf(byteOffset: index)
                    return (line, column(line: line, byteOffset: index))
                }
            }
            index += 1
        }
        return nil
    }

    private func lineOf(byteOffset: Int) -> Int {
        scan(toOffset: byteOffset)
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= byteOffset { low = middle } else { high = middle - 1 }
        }
        return low + 1
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    private func isTagEnd(_ byte: UInt8) -> Bool {
        isSpace(byte) || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/")
    }
}

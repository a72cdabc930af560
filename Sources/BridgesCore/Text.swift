extension String {
    /// The string without white space (including newlines) at either end.
    public func trimmingWhitespace() -> String {
        // Fast path: most text is ASCII-bounded, so look at the bytes at either end first.
        let bytes = utf8
        guard let first = bytes.first, let last = bytes.last else { return "" }
        if first < 0x80, last < 0x80 {
            func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
            if !isSpace(first) && !isSpace(last) { return self }
            var start = bytes.startIndex
            while start != bytes.endIndex, isSpace(bytes[start]) { start = bytes.index(after: start) }
            if start == bytes.endIndex { return "" }
            var end = bytes.index(before: bytes.endIndex)
            while isSpace(bytes[end]) { end = bytes.index(before: end) }
            if bytes[start] < 0x80, bytes[end] < 0x80 {
                return String(self[start...end])
            }
        }
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }

    /// Trimmed, with every inner run of white space made one space.
    public func collapsingWhitespace() -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// True when the string has nothing but white space.
    public var isBlank: Bool { unicodeScalars.allSatisfy { $0.properties.isWhitespace } }
}

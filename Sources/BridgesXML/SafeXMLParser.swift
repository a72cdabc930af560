import BridgesCore
import CLibXML2
import Foundation

/// The one way Bridges reads XML: libxml2 with everything that reaches outside the file turned
/// off, and any DOCTYPE refused.
///
/// Why each piece is here:
/// - `XML_PARSE_NONET`, and never `NOENT`, `DTDLOAD`, `DTDATTR`, `DTDVALID`, `XINCLUDE`: nothing
///   is fetched, no external entity or DTD is loaded, no include is followed.
/// - Never `HUGE` or `RECOVER`: libxml2 keeps its depth (256) and text-size limits, and a broken
///   file is refused rather than guessed at.
/// - A DOCTYPE is refused as soon as it starts (an internal-subset hook stops the parser). On
///   libxml2 2.9 a "quadratic" internal entity parses quickly but expands to gigabytes when read;
///   lesson plans never need a DTD, so no document with one is read at all.
/// - Errors arrive through the context's own structured handler, so threads never share state.
/// - `COMPACT` and `NOBLANKS` (with a guard, below) make the tree smaller and faster to build;
///   the tree is never modified, and trimmed text reads the same. One known difference: past line
///   65,535 libxml2 numbers an element by its first text node, and without the blank one before a
///   child element that can be a later line (only in files of that size, far beyond a lesson).
enum SafeXMLParser {
    /// Larger than any real lesson plan by hundreds of times; refuses a runaway file before
    /// libxml2 sees it.
    static let maximumFileBytes = 8 * 1024 * 1024

    static let options: Int32 = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
        | XML_PARSE_NOCDATA.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_COMPACT.rawValue | XML_PARSE_NOBLANKS.rawValue)

    /// Runs `xmlInitParser` once per process, before any thread parses.
    static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    /// Parses `bytes`, appending every problem to `diagnostics`. Returns nil when the file is not
    /// well-formed XML or was refused.
    static func parse(_ source: [UInt8], file: String, diagnostics: inout [Diagnostic]) -> ParsedXML? {
        source.withUnsafeBytes { bytes in parse(bytes, source: source, file: file, diagnostics: &diagnostics) }
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer, source: [UInt8], file: String, diagnostics: inout [Diagnostic]) -> ParsedXML? {
        _ = initialized
        // Per thread, and cheap: nothing libxml2 says may reach the terminal unlocated.
        bridges_silence_generic_errors()
        _ = bridges_take_generic_error_count()
        if bytes.isEmpty {
            diagnostics.append(.error(code: "file.empty", "the file is empty; a lesson plan starts with <lesson …> or <program …> (see Curricula/README.md)", file: file, line: 1, column: 1))
            return nil
        }
        if bytes.count > maximumFileBytes {
            diagnostics.append(.error(code: "file.too-large", "the file is \(bytes.count / 1_048_576) MB; lesson plans are far smaller (at most \(maximumFileBytes / 1_048_576) MB), so this is not one", file: file, line: 1, column: 1))
            return nil
        }
        let encoding = XMLEncodingCheck(bytes)
        if let contradiction = encoding.contradiction(file: file) {
            diagnostics.append(contradiction)
            return nil
        }
        if let mismatch = encoding.utf8Mismatch(bytes, file: file) {
            diagnostics.append(mismatch)
        }
        guard let context = xmlCreateMemoryParserCtxt(bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count)) else {
            diagnostics.append(.error(code: "internal.reader", "could not start the XML reader (out of memory?)", file: file, line: 0))
            return nil
        }
        defer { xmlFreeParserCtxt(context) }

        let collector = ParserErrors(file: file)
        let unmanaged = Unmanaged.passRetained(collector)
        defer { unmanaged.release() }
        context.pointee._private = unmanaged.toOpaque()
        _ = xmlCtxtUseOptions(context, options)
        context.pointee.sax.pointee.serror = { userData, error in
            guard let userData, let error else { return }
            let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
            guard let owner = context.pointee._private else { return }
            Unmanaged<ParserErrors>.fromOpaque(owner).takeUnretainedValue().record(error.pointee)
        }
        // NOBLANKS drops the indentation between elements, which is most of a tree's nodes; but
        // libxml2 also drops a blank run between a comment and the next text, which would join
        // "A<!-- -->  <!-- -->B" into "AB". Keep a blank run unless it follows nothing or an element.
        context.pointee.sax.pointee.ignorableWhitespace = { userData, characters, length in
            guard let userData else { return }
            let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
            if let last = context.pointee.node?.pointee.last, last.pointee.type != XML_ELEMENT_NODE {
                xmlSAX2Characters(userData, characters, length)
            }
        }
        context.pointee.sax.pointee.internalSubset = { userData, _, _, _ in
            guard let userData else { return }
            let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
            if let owner = context.pointee._private {
                let line = Int(xmlSAX2GetLineNumber(userData))
                let column = Int(xmlSAX2GetColumnNumber(userData))
                Unmanaged<ParserErrors>.fromOpaque(owner).takeUnretainedValue().refuseDoctype(line: line, column: column)
            }
            xmlStopParser(context)
        }

        let status = xmlParseDocument(context)
        let document = context.pointee.myDoc
        context.pointee.myDoc = nil
        let wellFormed = status == 0 && context.pointee.wellFormed != 0 && !collector.refusedDoctype && !collector.sawError

        collector.relocate(using: source)
        let sawGenericError = bridges_take_generic_error_count() > 0
        if !wellFormed, encoding.readsAsUTF8, collector.sawEncodingError || sawGenericError,
           let bad = UTF8Validation.firstInvalidOffset(in: bytes.bindMemory(to: UInt8.self)) {
            // Not UTF-8 (a Windows-1252 file's smart quotes, say): one message, at the first bad
            // byte, saying how to save the file, in the words the CSV reader uses.
            let (line, column) = UTF8Check.lineAndColumn(of: bad, in: bytes.bindMemory(to: UInt8.self))
            let byte = String(bytes[bad], radix: 16, uppercase: true)
            diagnostics.append(.error(code: "xml.not-utf8",
                "the file is not UTF-8 text (byte 0x\(byte) here is not UTF-8; Windows-1252 and Latin-1 files have such bytes): save it as UTF-8 (in a text editor, Save As with the encoding \"UTF-8\"; in LibreOffice, character set \"Unicode (UTF-8)\"), or declare the encoding it is in on its first line, e.g. <?xml version=\"1.0\" encoding=\"windows-1252\"?>",
                file: file, line: line, column: column))
            diagnostics.append(contentsOf: collector.otherThanEncoding(before: (line, column)))
            if let document { xmlFreeDoc(document) }
            return nil
        }
        if sawGenericError, !wellFormed {
            // libxml2 said only "encoding error" on its unstructured channel: the bytes do not
            // fit the encoding the file declares, which is what the author needs to hear.
            let declared = context.pointee.input?.pointee.encoding.map { String(cString: $0) } ?? context.pointee.encoding.map { String(cString: $0) }
            diagnostics.append(.error(code: "xml.encoding",
                "the text cannot be read in the encoding the file declares\(declared.map { " (\($0))" } ?? ""); save the file as UTF-8 and declare encoding=\"UTF-8\" in its first line",
                file: file, line: 1, column: 1))
        }
        if !wellFormed || document == nil {
            if let document { xmlFreeDoc(document) }
            if collector.diagnostics.isEmpty {
                diagnostics.append(.error(code: "xml.not-well-formed", "this is not well-formed XML", file: file, line: 1, column: 1))
            }
            diagnostics.append(contentsOf: collector.diagnostics)
            return nil
        }
        diagnostics.append(contentsOf: collector.diagnostics)
        return ParsedXML(document: document!, bytes: source)
    }
}

/// Collects the parser's errors for one file, translated for people.
private final class ParserErrors {
    let file: String
    var diagnostics: [Diagnostic] = []
    /// libxml2's error code of each diagnostic, for placing it better afterwards.
    private var codes: [Int] = []
    var refusedDoctype = false
    var sawError = false
    /// libxml2 found bytes that are not in the file's encoding.
    var sawEncodingError = false
    /// A CDATA section or comment runs to the end of the file: what libxml2 says after that
    /// (elements not closed) only follows from it.
    private var sawUnfinishedSection = false

    /// libxml2 reports where it stopped reading, which is past the token at fault: move DOCTYPE
    /// errors to `<!DOCTYPE` and entity errors to their `&`, where a teacher has to look.
    func relocate(using bytes: [UInt8]) {
        guard !diagnostics.isEmpty else { return }
        let source = SourceText(bytes: bytes, encoding: nil)
        for index in diagnostics.indices {
            let code = codes[index]
            if code == Self.doctypeCode, let at = source.locate("<!DOCTYPE") {
                diagnostics[index].line = at.line
                diagnostics[index].column = at.column
            } else if code == Int(XML_ERR_CDATA_NOT_FINISHED.rawValue), let at = source.locateUnclosed("<![CDATA[", closedBy: "]]>") {
                diagnostics[index].line = at.line
                diagnostics[index].column = at.column
            } else if code == Int(XML_ERR_COMMENT_NOT_FINISHED.rawValue), let at = source.locateUnclosed("<!--", closedBy: "-->") {
                diagnostics[index].line = at.line
                diagnostics[index].column = at.column
            } else if Self.entityCodes.contains(code), let column = diagnostics[index].column,
                      let ampersand = source.lastColumn(of: UInt8(ascii: "&"), onLine: diagnostics[index].line, before: column) {
                diagnostics[index].column = ampersand
            }
        }
    }

    /// The findings before `location` other than libxml2's encoding errors: what is still worth
    /// saying when the file is refused for not being UTF-8 there.
    func otherThanEncoding(before location: (line: Int, column: Int)) -> [Diagnostic] {
        diagnostics.indices.filter { index in
            !Self.encodingCodes.contains(codes[index]) && (diagnostics[index].line, diagnostics[index].column ?? 0) < location
        }.map { diagnostics[$0] }
    }

    private static let encodingCodes: Set<Int> = [Int(XML_ERR_INVALID_CHAR.rawValue), Int(XML_ERR_INVALID_ENCODING.rawValue)]

    private static let doctypeCode = -1
    private static let entityCodes: Set<Int> = [
        Int(XML_ERR_UNDECLARED_ENTITY.rawValue), Int(XML_WAR_UNDECLARED_ENTITY.rawValue),
        Int(XML_ERR_ENTITYREF_SEMICOL_MISSING.rawValue), Int(XML_ERR_NAME_REQUIRED.rawValue),
        Int(XML_ERR_ENTITYREF_NO_NAME.rawValue),
    ]

    init(file: String) { self.file = file }

    func refuseDoctype(line: Int, column: Int) {
        refusedDoctype = true
        sawError = true
        diagnostics.append(.error(code: "xml.doctype",
            "the file has a DOCTYPE; lesson plans must not have one (it could pull in other files or expand without limit), so delete the <!DOCTYPE …> declaration and use only &amp; &lt; &gt; &quot; &apos; and numeric character references",
            file: file, line: max(line, 1), column: max(column, 1)))
        codes.append(Self.doctypeCode)
    }

    func record(_ error: xmlError) {
        // Once the DOCTYPE is refused, what follows ("parser stopped") says nothing new.
        if refusedDoctype || sawUnfinishedSection { return }
        let isError = error.level.rawValue >= XML_ERR_ERROR.rawValue
        if isError { sawError = true }
        let code = Int(error.code)
        if Self.encodingCodes.contains(code) { sawEncodingError = true }
        if code == Int(XML_ERR_CDATA_NOT_FINISHED.rawValue) || code == Int(XML_ERR_COMMENT_NOT_FINISHED.rawValue) { sawUnfinishedSection = true }
        let raw = error.message.map { String(cString: $0) } ?? "unknown error"
        let message = ParserMessage.translate(code: code, message: raw, str1: error.str1.map { String(cString: $0) })
        let line = max(Int(error.line), 1)
        let column = max(Int(error.int2), 1)
        let diagnostic = Diagnostic(file: file, line: line, column: column, severity: isError ? .error : .warning,
                                    code: isError ? "xml.not-well-formed" : "xml.warning", message: message)
        if diagnostics.last != diagnostic {
            diagnostics.append(diagnostic)
            codes.append(Int(error.code))
        }
    }
}

/// libxml2's parser messages, said for a teacher, with the most common fixes.
enum ParserMessage {
    /// Every message as one line: libxml2 puts details on lines of their own ("Bytes: 0x93 …",
    /// the start of an unfinished section), and a diagnostic is one `file:line:column:` line.
    static func translate(code: Int, message raw: String, str1: String?) -> String {
        let message = oneLine(raw)
        switch code {
        case Int(XML_ERR_CDATA_NOT_FINISHED.rawValue):
            return "this <![CDATA[ section is never closed: end it with ]]> (or leave CDATA out and write < as &lt; and & as &amp;)"
        case Int(XML_ERR_COMMENT_NOT_FINISHED.rawValue):
            return "this comment <!-- is never closed: end it with -->"
        case Int(XML_ERR_DOCUMENT_EMPTY.rawValue):
            // Zero-byte files are caught before parsing; this is blank space or binary data.
            return "no XML found: this is not a lesson plan (it may be blank, or a binary file such as a Word document or a picture); a lesson plan is a text file that starts with <?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        case _ where message.contains("Start tag expected") || code == Int(XML_ERR_DOCUMENT_START.rawValue):
            return "this is not an XML lesson plan: it should start with <?xml version=\"1.0\" encoding=\"UTF-8\"?> and then <lesson …> or <program …>"
        case Int(XML_ERR_INVALID_CHAR.rawValue), Int(XML_ERR_INVALID_ENCODING.rawValue):
            if message.hasPrefix("Input is not proper UTF-8") {
                return "the text is not in the encoding the file declares; save the file as UTF-8 and declare encoding=\"UTF-8\" in its first line"
            }
            return "\(message) — the file may not be text, or may be in another encoding than it declares; save it as UTF-8"
        case Int(XML_ERR_UNDECLARED_ENTITY.rawValue), Int(XML_WAR_UNDECLARED_ENTITY.rawValue):
            let name = str1 ?? message
            return "unknown entity '&\(name);': only &amp; &lt; &gt; &quot; &apos; and numeric references like &#233; are allowed; to write a plain & use &amp;"
        case _ where code == Int(XML_ERR_ENTITYREF_SEMICOL_MISSING.rawValue) || message.contains("EntityRef"):
            return "a bare '&': write it as &amp; (for example 'Tom &amp; Jerry')"
        case Int(XML_ERR_TAG_NAME_MISMATCH.rawValue):
            return "\(message) — every <tag> needs a matching </tag> in the right order"
        case Int(XML_ERR_LT_IN_ATTRIBUTE.rawValue):
            return "a '<' inside an attribute value: write it as &lt;"
        case Int(XML_ERR_USER_STOP.rawValue):
            return "reading stopped"
        default:
            if message.contains("Excessive depth") {
                return "elements are nested too deeply (more than 256 levels); a lesson plan needs only a few"
            }
            if message.contains("Extra content at the end") {
                return "there is more after the root element ends; a file holds one <lesson> or one <program>"
            }
            if message.contains("Premature end of data") || message.contains("EndTag: '</' not found") {
                return "\(message) — the file ends before every element is closed"
            }
            return message
        }
    }
}

extension ParserMessage {
    /// libxml2's message on one line: its first line, with any further lines (a detail such as
    /// "Bytes: 0x93 0x4D") after a colon, white space runs collapsed.
    static func oneLine(_ message: String) -> String {
        let lines = message.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") }.filter { !$0.isEmpty }
        guard let first = lines.first else { return "unknown error" }
        let rest = lines.dropFirst()
        return rest.isEmpty ? first : first + ": " + rest.joined(separator: " ")
    }
}

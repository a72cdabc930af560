import BridgesCore
import CLibXML2
import Foundation

/// A parsed document. Owns its libxml2 tree and frees it when it goes; libxml2 pointers never
/// leave this module.
final class ParsedXML {
    let document: xmlDocPtr
    /// The file's text as UTF-8, for finding columns that libxml2 does not keep; built only when
    /// a location is asked for, which sound files rarely need.
    private(set) lazy var source = SourceText(bytes: bytes, encoding: document.pointee.encoding.map { String(cString: $0) })
    private let bytes: [UInt8]

    init(document: xmlDocPtr, bytes: [UInt8]) {
        self.document = document
        self.bytes = bytes
    }

    deinit { xmlFreeDoc(document) }

    var root: xmlNodePtr? { xmlDocGetRootElement(document) }

    /// Which `<name` ending on its line the node is (0 for the first).
    ///
    /// Start tags end in document order, so the elements before this one on its line are the ones
    /// just before it in document order: walk back until the line changes. Pretty-printed files
    /// have one tag a line, so this is a step or two; no index of the whole tree is built.
    func occurrence(of node: xmlNodePtr) -> Int {
        let line = node.lineNumber
        let name = node.pointee.name
        var count = 0
        var current = node.previousElementInDocumentOrder
        while let element = current, element.lineNumber == line {
            if xmlStrEqual(element.pointee.name, name) != 0 { count += 1 }
            current = element.previousElementInDocumentOrder
        }
        return count
    }

    /// Where an element's start tag (or one of its attributes) is written in the source.
    func location(of element: xmlNodePtr, attribute: String?) -> (line: Int, column: Int) {
        let line = max(element.lineNumber, 1)
        guard let tag = source.locateStartTag(element.localName, prefix: element.namespacePrefix, endingOnLine: line, occurrence: occurrence(of: element)) else {
            return (line, source.firstColumn(line: line))
        }
        if let attribute, let at = source.locateAttribute(attribute, tagOffset: tag.offset) {
            return (at.line, at.column)
        }
        return (tag.line, tag.column)
    }
}

extension UnsafeMutablePointer where Pointee == xmlNode {
    /// The element's local name ("" for nodes without one, such as the document).
    var localName: String { pointee.name.map { String(cString: $0) } ?? "" }

    /// The parent when it is an element (the root's parent is the document, which is not).
    var parentElement: xmlNodePtr? {
        guard let parent = pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
        return parent
    }

    var namespaceURI: String? { pointee.ns.map { String(cString: $0.pointee.href) } }

    var namespacePrefix: String? { pointee.ns.flatMap { $0.pointee.prefix.map { String(cString: $0) } } }

    var isElement: Bool { pointee.type == XML_ELEMENT_NODE }

    /// The element whose start tag comes just before this one's in the file: the last element
    /// inside the previous sibling element, or that sibling, or else the parent.
    var previousElementInDocumentOrder: xmlNodePtr? {
        var sibling = pointee.prev
        while let node = sibling, !node.isElement { sibling = node.pointee.prev }
        guard var deepest = sibling else { return parentElement }
        while let last = deepest.lastChildElement { deepest = last }
        return deepest
    }

    /// The last child that is an element.
    var lastChildElement: xmlNodePtr? {
        var child = pointee.last
        while let node = child, !node.isElement { child = node.pointee.prev }
        return child
    }

    /// The line of the start tag; large files keep true numbers (XML_PARSE_BIG_LINES).
    var lineNumber: Int { Int(xmlGetLineNo(self)) }

    /// Child elements in document order, walked without building an array.
    var elementChildren: ElementChildren { ElementChildren(upcoming: pointee.children) }

    /// True when the element's local name is `name`; no Swift string is made.
    func isNamed(_ name: StaticString) -> Bool {
        guard let own = pointee.name else { return false }
        return strcmp(UnsafeRawPointer(own).assumingMemoryBound(to: CChar.self), UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
    }

    /// The text of an element with simple content: its text and CDATA children joined.
    var textContent: String { withTextBytes { String(decoding: $0, as: UTF8.self) } }

    /// Calls `body` with the element's text (its text and CDATA children joined) as UTF-8 bytes;
    /// the common case, a single text node, is passed without copying.
    func withTextBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let only = pointee.children, only.pointee.next == nil,
           only.pointee.type == XML_TEXT_NODE || only.pointee.type == XML_CDATA_SECTION_NODE {
            guard let content = only.pointee.content else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
            return body(UnsafeBufferPointer(start: content, count: strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self))))
        }
        var bytes: [UInt8] = []
        var child = pointee.children
        while let node = child {
            if node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE, let content = node.pointee.content {
                let length = strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self))
                bytes.append(contentsOf: UnsafeBufferPointer(start: content, count: length))
            }
            child = node.pointee.next
        }
        return bytes.withUnsafeBufferPointer(body)
    }

    /// An attribute with no namespace, as written (after XML's attribute-value normalisation).
    func attribute(_ name: String) -> String? {
        var attribute = pointee.properties
        while let current = attribute {
            if current.pointee.ns == nil, name.withCString({ strcmp($0, UnsafeRawPointer(current.pointee.name).assumingMemoryBound(to: CChar.self)) }) == 0 {
                if let only = current.pointee.children, only.pointee.next == nil {
                    return only.pointee.content.map { String(cString: $0) } ?? ""
                }
                var value = ""
                var child = current.pointee.children
                while let text = child {
                    if let content = text.pointee.content { value += String(cString: content) }
                    child = text.pointee.next
                }
                return value
            }
            attribute = current.pointee.next
        }
        return nil
    }
}

/// The child elements of an element, in document order.
struct ElementChildren: Sequence, IteratorProtocol {
    var upcoming: xmlNodePtr?

    mutating func next() -> xmlNodePtr? {
        while let node = upcoming {
            upcoming = node.pointee.next
            if node.isElement { return node }
        }
        return nil
    }
}

/// Text trimmed the way `String.trimmingWhitespace` trims, made from bytes in one step.
enum TrimmedText {
    private static func isASCIISpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

    /// The bytes without ASCII white space at either end, when what remains starts and ends with
    /// ASCII (so no other white space could be trimmed); nil otherwise. Empty for blank text.
    static func asciiTrimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        guard let start = bytes.indices.first(where: { !isASCIISpace(bytes[$0]) }) else { return UnsafeBufferPointer(rebasing: bytes[0..<0]) }
        var end = bytes.count - 1
        while isASCIISpace(bytes[end]) { end -= 1 }
        guard bytes[start] < 0x80, bytes[end] < 0x80 else { return nil }
        return UnsafeBufferPointer(rebasing: bytes[start...end])
    }

    /// The trimmed string.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if let trimmed = asciiTrimmed(bytes) { return String(decoding: trimmed, as: UTF8.self) }
        // Other white space (a no-break space, say) at either end: let the String rule decide.
        return String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
    }

    /// True when the text is nothing but white space; a string is made only for non-ASCII text
    /// with no ASCII letter in it.
    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var sawOther = false
        for byte in bytes where !isASCIISpace(byte) {
            if byte < 0x80 { return false }
            sawOther = true
        }
        return sawOther ? String(decoding: bytes, as: UTF8.self).isBlank : true
    }
}

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

    /// For each element, how many elements of the same name end their start tag on the same line
    /// before it; built in one walk the first time a location is asked for.
    private lazy var occurrences: [xmlNodePtr: Int] = {
        var result: [xmlNodePtr: Int] = [:]
        var seen: [LineAndName: Int] = [:]
        func visit(_ node: xmlNodePtr) {
            let key = LineAndName(line: node.lineNumber, name: node.localName)
            let count = seen[key, default: 0]
            if count > 0 { result[node] = count }
            seen[key] = count + 1
            var child = node.pointee.children
            while let next = child {
                if next.isElement { visit(next) }
                child = next.pointee.next
            }
        }
        if let root { visit(root) }
        return result
    }()

    private struct LineAndName: Hashable {
        var line: Int
        var name: String
    }

    /// Which `<name` ending on its line the node is (0 for the first).
    func occurrence(of node: xmlNodePtr) -> Int {
        // The root is the first element of the file; no walk needed for it.
        if node == root { return 0 }
        return occurrences[node] ?? 0
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

    /// The line of the start tag; large files keep true numbers (XML_PARSE_BIG_LINES).
    var lineNumber: Int { Int(xmlGetLineNo(self)) }

    /// Child elements in document order.
    var childElements: [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var child = pointee.children
        while let node = child {
            if node.isElement { result.append(node) }
            child = node.pointee.next
        }
        return result
    }

    /// The text of an element with simple content: its text and CDATA children joined.
    var textContent: String {
        // The common case, one text node, needs no joining.
        if let only = pointee.children, only.pointee.next == nil,
           only.pointee.type == XML_TEXT_NODE || only.pointee.type == XML_CDATA_SECTION_NODE {
            return only.pointee.content.map { String(cString: $0) } ?? ""
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
        return String(decoding: bytes, as: UTF8.self)
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

import CLibXML2
import Foundation

/// A parsed document. Owns its libxml2 tree and frees it when it goes; libxml2 pointers never
/// leave this module.
final class ParsedXML {
    let document: xmlDocPtr
    /// The file's text as UTF-8, for finding columns that libxml2 does not keep.
    let source: SourceText

    init(document: xmlDocPtr, source: SourceText) {
        self.document = document
        self.source = source
    }

    deinit { xmlFreeDoc(document) }

    var root: xmlNodePtr? { xmlDocGetRootElement(document) }
}

extension UnsafeMutablePointer where Pointee == xmlNode {
    /// The element's local name.
    var localName: String { String(cString: pointee.name) }

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
            if current.pointee.ns == nil, String(cString: current.pointee.name) == name {
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

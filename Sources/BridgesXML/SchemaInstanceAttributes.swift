import BridgesCore
import CLibXML2

/// Refuses `xsi:` attributes (schemaLocation, noNamespaceSchemaLocation, type, nil).
///
/// lesson-plan-format.md: unknown attributes are errors. XSD validation, by design, passes over
/// attributes of the schema-instance namespace (and `xsi:type` would even choose another type to
/// validate with), so the schema alone lets them through: this rule runs before it. Lesson plans
/// are always checked against the built-in schema, so a schema hint has nothing to say.
enum SchemaInstanceAttributes {
    static let namespace = "http://www.w3.org/2001/XMLSchema-instance"

    /// One located error per `xsi:` attribute in the document. A walk over the elements, which
    /// compares only namespace pointers' text for attributes that have a namespace at all.
    static func check(_ parsed: ParsedXML, file: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var node = parsed.root
        while let current = node {
            if current.pointee.type == XML_ELEMENT_NODE {
                var attribute = current.pointee.properties
                while let property = attribute {
                    if let ns = property.pointee.ns, let href = ns.pointee.href, String(cString: href) == namespace {
                        let local = property.pointee.name.map { String(cString: $0) } ?? ""
                        let written = (ns.pointee.prefix.map { String(cString: $0) + ":" } ?? "") + local
                        let at = parsed.location(of: current, attribute: written)
                        diagnostics.append(.error(code: "schema.schema-location",
                            "<\(current.localName)> has no attribute '\(written)': lesson plans are always checked against the built-in lesson-plan schema, and attributes of the XML Schema instance namespace are not part of the format; remove it (and its xmlns declaration)",
                            file: file, line: at.line, column: at.column))
                    }
                    attribute = property.pointee.next
                }
            }
            // Depth first, in document order.
            if let child = current.pointee.children, current.pointee.type == XML_ELEMENT_NODE {
                node = child
                continue
            }
            var climb: xmlNodePtr? = current
            node = nil
            while let up = climb {
                if up == parsed.root { break }
                if let next = up.pointee.next {
                    node = next
                    break
                }
                climb = up.pointee.parent
            }
        }
        return diagnostics
    }
}

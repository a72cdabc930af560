import BridgesCore
import CLibXML2

/// Turns libxml2's schema messages into ones a teacher can act on: the element and attribute as
/// written in the file, what is allowed there, and a guess at the intended word.
///
/// libxml2 says `Element '{urn:bridges:lesson-plan:1}activity', attribute 'kind': [facet
/// 'enumeration'] The value 'lecture' is not an element of the set {…}`; we say
/// `<activity> kind="lecture" is not a kind of activity: use one of discussion, demonstration, …`.
enum SchemaMessage {
    static func diagnostics(for errors: [RawSchemaError], in parsed: ParsedXML, file: String) -> [Diagnostic] {
        var result: [Diagnostic] = []
        var seen: Set<Diagnostic> = []
        for error in errors {
            var parts = Parts(error.message)
            if let attribute = parts.attribute, attribute.hasPrefix("{") {
                parts.attribute = writtenName(of: attribute, on: error.node)
            }
            let (line, column) = locate(error, attribute: parts.attribute, in: parsed)
            let diagnostic = Diagnostic.error(code: "schema.invalid", translate(parts, node: error.node), file: file, line: line, column: column)
            if seen.insert(diagnostic).inserted { result.append(diagnostic) }
        }
        return result
    }

    /// A namespaced attribute as the file writes it (`xml:lang`, not
    /// `{http://www.w3.org/XML/1998/namespace}lang`), so that the message names it and locating
    /// it finds it.
    static func writtenName(of expanded: String, on node: xmlNodePtr?) -> String {
        guard let close = expanded.firstIndex(of: "}") else { return expanded }
        let uri = String(expanded[expanded.index(after: expanded.startIndex)..<close])
        let local = String(expanded[expanded.index(after: close)...])
        if uri == "http://www.w3.org/XML/1998/namespace" { return "xml:" + local }
        var attribute = node?.pointee.properties
        while let property = attribute {
            if let ns = property.pointee.ns, let href = ns.pointee.href, String(cString: href) == uri,
               let name = property.pointee.name, String(cString: name) == local, let prefix = ns.pointee.prefix {
                return String(cString: prefix) + ":" + local
            }
            attribute = property.pointee.next
        }
        return expanded
    }

    /// The pieces of a libxml2 schema message.
    struct Parts {
        var element: String?
        var attribute: String?
        var detail: String

        init(_ message: String) {
            var text = message.replacingOccurrences(of: "{\(LessonPlanSchema.namespace)}", with: "")
            element = nil
            attribute = nil
            if text.hasPrefix("Element '"), let close = text.dropFirst(9).firstIndex(of: "'") {
                element = String(text[text.index(text.startIndex, offsetBy: 9)..<close])
                text = String(text[text.index(after: close)...])
                if text.hasPrefix(", attribute '"), let end = text.dropFirst(13).firstIndex(of: "'") {
                    attribute = String(text[text.index(text.startIndex, offsetBy: 13)..<end])
                    text = String(text[text.index(after: end)...])
                }
                if text.hasPrefix(":") { text.removeFirst() }
            }
            detail = text.trimmingWhitespace()
        }
    }

    static func translate(_ parts: Parts, node: xmlNodePtr?) -> String {
        let detail = parts.detail
        guard let element = parts.element else { return detail }
        let tag = "<\(element)>"

        if detail.contains("No matching global declaration available for the validation root") {
            return "the root element must be <program> or <lesson> in the namespace \(LessonPlanSchema.namespace) (write <lesson xmlns=\"\(LessonPlanSchema.namespace)\" …>)"
        }
        if let attribute = parts.attribute {
            if detail.contains("is not allowed") {
                let inLessons = node?.parentElement?.localName == "lessons"
                let known = inLessons ? ["ref", "required"] : knownAttributes[element] ?? []
                return "\(tag) has no attribute '\(attribute)'\(suggestion(for: attribute, among: known)); \(tag) takes \(list(known))"
            }
            if let value = quotedValue(in: detail) {
                return "\(tag) \(attribute)=\"\(value)\" is not valid: \(hint(element: element, attribute: attribute, value: value))"
            }
            if detail.contains("length of '0'") {
                return "\(tag) \(attribute) is empty: \(hint(element: element, attribute: attribute, value: ""))"
            }
        }
        if let missing = between(detail, "The attribute '", "' is required but missing") {
            return "\(tag) needs the attribute \(missing)=\"…\" (\(hint(element: element, attribute: missing, value: nil)))"
        }
        if element.hasPrefix("{http://www.w3.org/2001/XInclude}") {
            return "<xi:include> is not supported: a lesson plan must be complete in itself, so paste the text in instead"
        }
        if element.hasPrefix("{"), let close = element.firstIndex(of: "}") {
            let uri = element[element.index(after: element.startIndex)..<close]
            let local = element[element.index(after: close)...]
            return "<\(local)> from the namespace '\(uri)' is not part of a lesson plan; only elements of \(LessonPlanSchema.namespace) are allowed, so remove it"
        }
        if detail.contains("This element is not expected") {
            let expected = expectedNames(detail)
            let parent = node?.parentElement?.localName
            var message = "\(tag) is not allowed here"
            if !expected.isEmpty {
                message += "; expected \(expected.map { "<\($0)>" }.joined(separator: " or "))"
                message += suggestion(for: element, among: expected, asTag: true)
            } else {
                message += "; it may be one too many, or out of order"
            }
            if let parent, let order = childOrder[parent] {
                message += ". Inside <\(parent)> the elements go in this order: \(order)"
            }
            return message
        }
        if detail.contains("Missing child element(s)") {
            let expected = expectedNames(detail)
            if element == "question", expected == ["choice"] {
                return "<question> needs at least two <choice> elements (single and multiple choice) or one or more <answer> elements (true-false and short)"
            }
            return "\(tag) is missing \(expected.map { "<\($0)>" }.joined(separator: " or ")) here" + (childOrder[element].map { ". Inside \(tag) the elements go in this order: \($0)" } ?? "")
        }
        if detail.contains("Element content is not allowed") {
            return "\(tag) holds plain text only; markup inside it (such as <b> or <br/>) is not allowed, so remove the inner tags"
        }
        if detail.contains("Character content other than whitespace is not allowed") {
            return "\(tag) holds elements, not loose text; put the text inside the right child element (\(childOrder[element] ?? "see the format"))"
        }
        if detail.contains("length of '0'") || detail.contains("is not a valid value of the atomic type 'Text'") {
            return "\(tag) is empty; write its text between \(tag) and </\(element)>"
        }
        if let value = quotedValue(in: detail) {
            return "\(tag)\(value)</\(element)> is not valid: \(hint(element: element, attribute: nil, value: value))"
        }
        return "\(tag): \(detail)"
    }

    /// What a value must look like, in words, with a suggestion for near misses.
    static func hint(element: String, attribute: String?, value: String?) -> String {
        switch (element, attribute) {
        case (_, "id"), (_, "ref"), (_, "program"), (_, "objective"):
            var text = "use lower-case letters a–z, digits and dashes, starting with a letter or digit, at most 64 characters (e.g. fa-bleeding)"
            if let value, !value.isEmpty, Identifier.isValid(value.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: " ", with: "-")) {
                text += "; did you mean \"\(value.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: " ", with: "-"))\"?"
            }
            return text
        case ("activity", "objectives"):
            var text = "list the ids of this lesson's objectives that the activity teaches, separated by spaces; each uses lower-case letters a–z, digits and dashes, starting with a letter or digit, at most 64 characters"
            let fixed = (value ?? "").split(separator: " ").map { $0.lowercased().replacingOccurrences(of: "_", with: "-") }
            if !fixed.isEmpty, fixed.allSatisfy(Identifier.isValid), fixed.joined(separator: " ") != value { text += "; did you mean \"\(fixed.joined(separator: " "))\"?" }
            return text
        case (_, "version"): return "a version is a whole number from 1 up"
        case ("grades", _): return "a grade is K (kindergarten) or a number from 0 to 12"
        case ("minutes", nil): return "a lesson's minutes are a whole number from 5 to 240"
        case ("activity", "minutes"): return "an activity's minutes are a whole number from 1 up"
        case ("activity", "kind"): return "use one of \(list(Activity.Kind.allCases.map(\.rawValue)))" + suggestion(for: value ?? "", among: Activity.Kind.allCases.map(\.rawValue))
        case ("question", "type"): return "use one of \(list(Question.Kind.allCases.map(\.rawValue)))" + suggestion(for: value ?? "", among: Question.Kind.allCases.map(\.rawValue))
        case ("question", "points"): return "points are a whole number from 1 up (the default is 1)"
        case ("quiz", "passPercent"): return "passPercent is a whole number from 0 to 100 (the default is 70)"
        case (_, "correct"), (_, "required"): return "write true or false"
        case ("certificate", "attendance"): return "write all, or how many of the required lessons a student must attend (a whole number from 1 up)"
        case ("certificate", "quizzes"): return "write pass-all (every quiz of an attended required lesson passed) or none"
        case ("certificate", "validMonths"): return "validMonths is a whole number of months from 1 up; leave it out if the certificate never expires"
        case ("certificate", "title"): return "write what the certificate says, e.g. title=\"Junior First Aider\""
        default: return "see the lesson-plan format (Curricula/README.md)"
        }
    }

    static let knownAttributes: [String: [String]] = [
        "program": ["id", "version"], "lesson": ["id", "program", "version"],
        "grades": ["min", "max"], "certificate": ["title", "attendance", "quizzes", "validMonths"],
        "objective": ["id"], "activity": ["id", "kind", "minutes", "objectives"], "quiz": ["passPercent"],
        "question": ["id", "type", "points", "objective"], "choice": ["id", "correct"],
    ]

    static let childOrder: [String: String] = [
        "program": "<title>, <summary> (optional), <grades>, <lessons>, <certificate>",
        "lesson": "<title>, <summary> (optional), <minutes>, <grades> (optional), <objectives>, <materials> (optional), <activities>, <safety-note> (any number), <quiz> (optional)",
        "lessons": "<lesson ref=\"…\"/> one or more",
        "objectives": "<objective id=\"…\"> one or more",
        "materials": "<material> one or more",
        "activities": "<activity> one or more",
        "activity": "<title>, then <step> one or more",
        "quiz": "<question> one or more",
        "question": "<prompt>, then <choice> (two or more) or <answer> (one or more), then <explanation> (optional)",
    ]

    private static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " or " + items.last!
    }

    /// The first single-quoted value in a detail, e.g. `'lecture'` in "The value 'lecture' is …".
    private static func quotedValue(in detail: String) -> String? {
        var text = Substring(detail)
        if let facetEnd = text.range(of: "] ") { text = text[facetEnd.upperBound...] }
        guard let open = text.firstIndex(of: "'") else { return nil }
        let rest = text[text.index(after: open)...]
        guard let close = rest.firstIndex(of: "'") else { return nil }
        if text.contains("length of") { return nil }
        return String(rest[..<close])
    }

    private static func between(_ text: String, _ start: String, _ end: String) -> String? {
        guard let a = text.range(of: start), let b = text.range(of: end, range: a.upperBound..<text.endIndex) else { return nil }
        return String(text[a.upperBound..<b.lowerBound])
    }

    private static func expectedNames(_ detail: String) -> [String] {
        guard let open = detail.range(of: "( "), let close = detail.range(of: " )", range: open.upperBound..<detail.endIndex) else { return [] }
        return detail[open.upperBound..<close.lowerBound].split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty && $0 != "##other" }
    }

    /// "; did you mean …?" when a word is one or two edits from an allowed one.
    static func suggestion(for word: String, among candidates: [String], asTag: Bool = false) -> String {
        guard !word.isEmpty else { return "" }
        let best = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }.filter { $0.1 <= 2 && $0.0 != word }.min { $0.1 < $1.1 }
        guard let best else { return "" }
        return asTag ? "; did you mean <\(best.0)>?" : "; did you mean \"\(best.0)\"?"
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return current[b.count]
    }

    /// The line and column of the element (or its attribute) that an error is about.
    static func locate(_ error: RawSchemaError, attribute: String?, in parsed: ParsedXML) -> (Int, Int) {
        guard let node = error.node, node.isElement else {
            let line = max(error.line, 1)
            return (line, parsed.source.firstColumn(line: line))
        }
        return parsed.location(of: node, attribute: attribute)
    }
}

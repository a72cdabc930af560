import Foundation

/// A JSON value with its kind kept (JSONSerialization gives `true` and `1` both as an NSNumber;
/// JSONDecoder's Bool takes only `true` and `false`).
enum JSONValue: Decodable, CustomStringConvertible {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    func isOfType(_ type: String) -> Bool {
        switch (self, type) {
        case (.null, "null"), (.bool, "boolean"), (.string, "string"), (.array, "array"), (.object, "object"), (.number, "number"): true
        case (.number(let number), "integer"): number == number.rounded()
        default: false
        }
    }

    /// Whether this is the document's `enum` or `const` value (a string, number or boolean).
    func equals(_ other: Any) -> Bool {
        switch self {
        case .string(let text): (other as? String) == text
        case .number(let number): (other as? NSNumber).map { !(other is String) && $0.doubleValue == number } ?? false
        case .bool(let flag): (other as? NSNumber).map { !(other is String) && $0.boolValue == flag } ?? false
        default: false
        }
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .number(let number): "\(number)"
        case .string(let text): "'\(text)'"
        case .array(let items): "[\(items.count) items]"
        case .object(let members): "{\(members.keys.sorted().joined(separator: ", "))}"
        }
    }
}

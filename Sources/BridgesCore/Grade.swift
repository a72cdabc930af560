/// A school grade: kindergarten is 0 and written `K`; then 1 to 12.
public struct Grade: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let number: Int

    public init?(number: Int) {
        guard (0...12).contains(number) else { return nil }
        self.number = number
    }

    /// Reads `K`, `KG` (the CEDS code), or 0–12 with or without a leading zero (`01`).
    public init?(_ text: String) {
        let trimmed = text.trimmingWhitespace()
        if trimmed == "K" || trimmed == "k" || trimmed == "KG" || trimmed == "kg" {
            self.init(number: 0)
            return
        }
        guard !trimmed.isEmpty, trimmed.utf8.count <= 3, let value = Int(trimmed) else { return nil }
        self.init(number: value)
    }

    public static func < (a: Grade, b: Grade) -> Bool { a.number < b.number }

    public var description: String { number == 0 ? "K" : String(number) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let number = try container.decode(Int.self)
        guard let grade = Grade(number: number) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "grade \(number) is not 0–12")
        }
        self = grade
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(number)
    }
}

/// The grades a program or lesson is written for, inclusive.
public struct GradeRange: Sendable, Hashable, Codable, CustomStringConvertible {
    public var min: Grade
    public var max: Grade

    public init(min: Grade, max: Grade) {
        self.min = min
        self.max = max
    }

    public func contains(_ other: GradeRange) -> Bool { min <= other.min && other.max <= max }

    public var description: String { min == max ? "grade \(min)" : "grades \(min)–\(max)" }
}

extension Grade {
    /// The CEDS grade-level codes a roster may give besides kindergarten to grade 12: infant and
    /// toddler, preschool, pre-kindergarten, transitional kindergarten, grade 13, ungraded and
    /// other. A student with one of these (or no grade at all) is kept; they have no K–12 grade,
    /// so grade-band checks pass them by.
    public static let otherCodes = ["IT", "PR", "PK", "TK", "PS", "13", "UG", "Other"]

    /// A roster's grade as Bridges keeps it: `grade` for K–12 and `code` as it is shown and
    /// exported (`K`, `1`…`12`, one of `otherCodes`, or `""` when the roster gives none). `nil`
    /// when the text is none of these.
    public static func rosterCode(_ text: String) -> (grade: Grade?, code: String)? {
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty { return (nil, "") }
        if !trimmed.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }), let grade = Grade(trimmed) {
            return (grade, grade.description)
        }
        if let code = otherCodes.first(where: { $0.lowercased() == trimmed.lowercased() }) { return (nil, code) }
        return nil
    }

    /// The grade of a stored code: K–12, or `nil` for the other codes and for none.
    public static func ofCode(_ code: String) -> Grade? {
        guard !otherCodes.contains(code) else { return nil }
        return code.isEmpty ? nil : Grade(code)
    }
}

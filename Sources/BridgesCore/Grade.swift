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

/// How a student took part in a session. Present and late count as attended.
public enum AttendanceStatus: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case present, late, absent, excused

    public var attended: Bool { self == .present || self == .late }

    public init?(parsing text: String) {
        self.init(rawValue: text.trimmingWhitespace().lowercased())
    }

    public var description: String { rawValue }
}

/// A curriculum such as first aid: its lessons in teaching order and what earns its certificate.
public struct Program: Sendable, Hashable, Codable {
    public var id: String
    public var version: Int
    public var title: String
    public var summary: String?
    public var grades: GradeRange
    public var lessons: [LessonReference]
    public var certificate: CertificateRule

    public init(
        id: String, version: Int, title: String, summary: String? = nil, grades: GradeRange,
        lessons: [LessonReference], certificate: CertificateRule
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.summary = summary
        self.grades = grades
        self.lessons = lessons
        self.certificate = certificate
    }

    /// The lessons a certificate depends on, in teaching order.
    public var requiredLessonIDs: [String] { lessons.filter(\.required).map(\.lessonID) }
}

/// One `<lesson ref="…"/>` of a program.
public struct LessonReference: Sendable, Hashable, Codable {
    public var lessonID: String
    public var required: Bool

    public init(lessonID: String, required: Bool = true) {
        self.lessonID = lessonID
        self.required = required
    }
}

/// What a student must do to earn a program's certificate, and how long it lasts.
public struct CertificateRule: Sendable, Hashable, Codable {
    public enum Attendance: Sendable, Hashable, Codable, CustomStringConvertible {
        /// Every required lesson.
        case all
        /// At least this many of the required lessons.
        case count(Int)

        public var description: String {
            switch self {
            case .all: "all"
            case .count(let n): String(n)
            }
        }
    }

    public enum QuizRequirement: String, Sendable, Hashable, Codable {
        /// Every quiz of an attended required lesson passed (on the best attempt).
        case passAll = "pass-all"
        /// No quiz needed.
        case none
    }

    public var title: String
    public var attendance: Attendance
    public var quizzes: QuizRequirement
    /// How long a certificate stays valid; `nil` means it never expires.
    public var validMonths: Int?

    public init(title: String, attendance: Attendance, quizzes: QuizRequirement, validMonths: Int? = nil) {
        self.title = title
        self.attendance = attendance
        self.quizzes = quizzes
        self.validMonths = validMonths
    }
}

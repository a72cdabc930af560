/// One student in one class, as `roster list` shows it.
public struct RosterListingRow: Sendable, Hashable {
    public var schoolID: String
    public var classID: String
    public var studentID: String
    public var familyName: String
    public var givenName: String
    /// As shown and exported: `K`, `1`…`12`, a CEDS code, or `""`.
    public var grade: String
    /// The district's student number, or `""`.
    public var identifier: String

    public init(schoolID: String, classID: String, studentID: String, familyName: String, givenName: String, grade: String, identifier: String) {
        self.schoolID = schoolID
        self.classID = classID
        self.studentID = studentID
        self.familyName = familyName
        self.givenName = givenName
        self.grade = grade
        self.identifier = identifier
    }
}

/// How many rows a listing has and its longest texts, so a table can be laid out before its
/// rows stream past.
public struct RosterListingShape: Sendable, Hashable {
    public var rows: Int
    /// The most terminal columns each takes (`DisplayText.width`: a CJK character or an emoji
    /// two, a combining accent none), so a table of such names still lines up: school id, class
    /// id, student id, family name, given name, identifier (0 when no row has one).
    public var longest: [Int]

    public init(rows: Int, longest: [Int]) {
        self.rows = rows
        self.longest = longest
    }
}

/// A class and how many students are enrolled in it.
public struct ClassListing: Sendable, Hashable {
    public var id: String
    public var name: String
    public var schoolID: String
    public var students: Int

    public init(id: String, name: String, schoolID: String, students: Int) {
        self.id = id
        self.name = name
        self.schoolID = schoolID
        self.students = students
    }
}

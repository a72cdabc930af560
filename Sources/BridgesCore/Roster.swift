// The roster: who is in which class at which school. Ids are the school's or the district's own
// (a student information system's number, a OneRoster sourcedId), kept exactly as written apart
// from white space at either end, so `00123` stays `00123` and matches the next import.
// Names are kept as written, in any script; nothing here changes their case or spelling.

/// A school, as the district's roster names it.
public struct School: Sendable, Hashable, Codable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// A class (homeroom or section) at one school; sessions are taught to a class.
///
/// Named `SchoolClass` because `Class` would read as the Swift keyword's idea, not the school's.
public struct SchoolClass: Sendable, Hashable, Codable {
    public var id: String
    public var schoolID: String
    public var name: String

    public init(id: String, schoolID: String, name: String) {
        self.id = id
        self.schoolID = schoolID
        self.name = name
    }
}

/// A student: the person attendance, quizzes and certificates are recorded for.
public struct Student: Sendable, Hashable, Codable {
    public var id: String
    public var givenName: String
    /// May be empty: some students have one name only, which goes in `givenName`.
    public var familyName: String
    /// K–12; `nil` for a student whose roster gives another CEDS code (`PK`, `TK`, `UG`, …) or
    /// no grade.
    public var grade: Grade?
    /// The grade as shown and exported: `K`, `1`…`12`, one of `Grade.otherCodes`, or `""`.
    public var gradeCode: String
    /// The district's own number for the student (OneRoster `identifier`), when it gives one;
    /// `id` is the system's (the `sourcedId`).
    public var identifier: String?

    public init(
        id: String, givenName: String, familyName: String, grade: Grade?, gradeCode: String? = nil,
        identifier: String? = nil
    ) {
        self.identifier = identifier
        self.id = id
        self.givenName = givenName
        self.familyName = familyName
        self.grade = grade
        self.gradeCode = gradeCode ?? grade?.description ?? ""
    }
}

/// A student's membership of a class, which decides who is expected at the class's sessions.
public struct Enrollment: Sendable, Hashable, Codable {
    public var classID: String
    public var studentID: String

    public init(classID: String, studentID: String) {
        self.classID = classID
        self.studentID = studentID
    }
}

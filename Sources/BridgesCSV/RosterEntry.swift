import BridgesCore

/// One row of a roster CSV: a student in a class at a school, with the row's line.
///
/// A row carries all four values so an importer can store them in the order the database
/// needs them (school, class, student, then the enrollment that refers to both).
public struct RosterEntry: Sendable, Hashable {
    public var school: School
    public var schoolClass: SchoolClass
    public var student: Student
    public var enrollment: Enrollment
    /// The line of the row, for findings the importer makes later (such as a database conflict).
    public var line: Int
    /// The family's directory-information opt-out as the optional `directory_opt_out` column
    /// says it: true (yes), false (no), or nil when the column is absent or the cell blank, which
    /// leaves what is recorded as it is.
    public var directoryOptOut: Bool?

    public init(school: School, schoolClass: SchoolClass, student: Student, enrollment: Enrollment, line: Int,
                directoryOptOut: Bool? = nil) {
        self.school = school
        self.schoolClass = schoolClass
        self.student = student
        self.enrollment = enrollment
        self.line = line
        self.directoryOptOut = directoryOptOut
    }
}

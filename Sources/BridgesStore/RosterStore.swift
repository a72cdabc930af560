import BridgesCore
import Foundation

/// What a roster import found in the file and did (or, in a dry run, would do) to the database.
package struct RosterImportCounts: Sendable, Hashable {
    package var schoolsAdded = 0
    package var schoolsRenamed = 0
    package var schoolsUnchanged = 0
    package var classesAdded = 0
    package var classesRenamed = 0
    package var classesUnchanged = 0
    package var studentsAdded = 0
    /// Students whose name or grade changed.
    package var studentsUpdated = 0
    package var studentsUnchanged = 0
    package var enrollmentsAdded = 0
    /// Students no longer listed in a class the file lists, taken off that class.
    package var enrollmentsRemoved = 0
    package var enrollmentsUnchanged = 0
    /// Students whose family's directory-information opt-out the roster recorded, or withdrew.
    package var directoryOptOutsRecorded = 0
    package var directoryOptOutsWithdrawn = 0

    package init() {}
}

/// The result of `BridgesDatabase.importRoster`.
package struct RosterImportOutcome: Sendable {
    package var counts: RosterImportCounts
    /// The reader's findings followed by the store's (such as a class id stored at another
    /// school), in the order they were made.
    package var findings: [Diagnostic]
    /// False for a dry run and whenever `findings` has an error: then nothing was written.
    package var written: Bool

    package init(counts: RosterImportCounts, findings: [Diagnostic], written: Bool) {
        self.counts = counts
        self.findings = findings
        self.written = written
    }
}

/// One student in one class, as `roster list` shows it.
package struct StoredRosterRow: Sendable, Hashable {
    package var schoolID: String
    package var classID: String
    package var studentID: String
    package var familyName: String
    package var givenName: String
    /// As shown and exported: `K`, `1`…`12`, a CEDS code, or `""`.
    package var grade: String
    /// The district's student number, or `""`.
    package var identifier: String

    package init(schoolID: String, classID: String, studentID: String, familyName: String, givenName: String, grade: String, identifier: String) {
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
package struct StoredRosterShape: Sendable, Hashable {
    package var rows: Int
    /// The most terminal columns each takes (`DisplayText.width`: a CJK character or an emoji
    /// two, a combining accent none), so a table of such names still lines up: school id, class
    /// id, student id, family name, given name, identifier (0 when no row has one).
    package var longest: [Int]

    package init(rows: Int, longest: [Int]) {
        self.rows = rows
        self.longest = longest
    }
}

/// A class and how many students are enrolled in it.
package struct StoredClassSummary: Sendable, Hashable {
    package var id: String
    package var name: String
    package var schoolID: String
    package var students: Int

    package init(id: String, name: String, schoolID: String, students: Int) {
        self.id = id
        self.name = name
        self.schoolID = schoolID
        self.students = students
    }
}

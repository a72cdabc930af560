import BridgesCore

/// A student's record against one program, as certificates and the summary report need it.
package struct StudentProgramRecord: Sendable {
    package var studentID: String
    /// Lessons of the program the student was present or late at (non-voided sessions).
    package var attended: Set<String>
    /// Lessons whose quiz the student passed on their best attempt.
    package var passed: Set<String>
    /// Statuses over every session of the program, for the summary report.
    package var counts: [AttendanceStatus: Int]
    /// The school of the class of the student's latest session in scope (any status), as the
    /// certificate records it; when two sessions share that date, either.
    package var latestSchoolID: String? = nil
    /// The date of that session.
    package var latestSessionDate: String? = nil

    package init(studentID: String, attended: Set<String>, passed: Set<String>, counts: [AttendanceStatus: Int],
                 latestSchoolID: String? = nil, latestSessionDate: String? = nil) {
        self.studentID = studentID
        self.attended = attended
        self.passed = passed
        self.counts = counts
        self.latestSchoolID = latestSchoolID
        self.latestSessionDate = latestSessionDate
    }
}

/// Which students and sessions count: one program, optionally one school and a date range.
package struct ProgramScope: Sendable {
    package var programID: String
    package var schoolID: String?
    package var from: String?
    package var to: String?

    package init(programID: String, schoolID: String? = nil, from: String? = nil, to: String? = nil) {
        self.programID = programID
        self.schoolID = schoolID
        self.from = from
        self.to = to
    }
}

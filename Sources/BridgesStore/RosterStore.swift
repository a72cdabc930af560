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


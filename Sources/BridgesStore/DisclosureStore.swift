import BridgesCore
import Foundation

/// One output that left Bridges: who, when, what and why (FERPA 34 CFR 99.32).
package struct DisclosureEntry: Sendable, Hashable {
    package var id: Int64?
    /// ISO 8601 UTC, to the second.
    package var at: String
    package var actor: String
    /// `export attendance`, `certificate print`, `student record` …
    package var kind: String
    /// The filters as given, as JSON (`{"school":"0101","from":"2026-09-01"}`).
    package var filters: String
    /// Rows, pages or credentials written.
    package var rowCount: Int
    /// The file it went to, or `standard output`.
    package var destination: String
    /// Why, as given with `--purpose`; nil when none was given.
    package var purpose: String?
    /// Whether the output names students (a per-student report, a certificate, a student record).
    package var namesStudents: Bool
    /// How many students it named (filled in when read back).
    package var studentCount: Int

    package init(
        id: Int64? = nil, at: String, actor: String, kind: String, filters: String, rowCount: Int, destination: String,
        purpose: String?, namesStudents: Bool, studentCount: Int = 0
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.kind = kind
        self.filters = filters
        self.rowCount = rowCount
        self.destination = destination
        self.purpose = purpose
        self.namesStudents = namesStudents
        self.studentCount = studentCount
    }
}

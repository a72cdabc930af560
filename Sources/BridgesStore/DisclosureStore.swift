import Foundation
import GRDB

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

extension BridgesDatabase {
    /// Records a disclosure and the students it named in one write transaction. `publish` runs
    /// first inside that transaction (it puts the finished output at its name and says where it
    /// went); should it or the recording fail, nothing is recorded and the caller takes the
    /// output back. The students are inserted in order, once each.
    package func recordDisclosure(
        _ entry: DisclosureEntry, students: [String], publish: () throws -> String
    ) throws(StoreError) -> Int64 {
        try write { db in
            var entry = entry
            entry.destination = try publish()
            try db.execute(
                sql: """
                    INSERT INTO disclosure (at, actor, kind, filters, rowCount, destination, purpose, namesStudents)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [entry.at, entry.actor, entry.kind, entry.filters, entry.rowCount, entry.destination, entry.purpose, entry.namesStudents])
            let id = db.lastInsertedRowID
            let statement = try db.cachedStatement(sql: "INSERT INTO disclosedStudent (studentId, disclosureId) VALUES (?, ?)")
            var previous: String?
            for student in students where student != previous {
                try statement.execute(arguments: [student, id])
                previous = student
            }
            return id
        }
    }

    /// The disclosures recorded, oldest first: all of them, or those that named `studentID`;
    /// `from`/`to` (`YYYY-MM-DD`, inclusive) on the day they were made (UTC).
    package func disclosures(studentID: String? = nil, from: String? = nil, to: String? = nil) throws(StoreError) -> [DisclosureEntry] {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            var join = ""
            if let studentID {
                join = "JOIN disclosedStudent ds ON ds.disclosureId = d.id AND ds.studentId = ?"
                _ = arguments.append(contentsOf: [studentID])
            }
            if let from {
                conditions.append("d.at >= ?")
                _ = arguments.append(contentsOf: [from])
            }
            if let to {
                // `at` is `YYYY-MM-DDTHH:MM:SSZ`: every instant of that day sorts before `to` + "U".
                conditions.append("d.at < ?")
                _ = arguments.append(contentsOf: [to + "U"])
            }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.*, (SELECT COUNT(*) FROM disclosedStudent c WHERE c.disclosureId = d.id) AS students
                    FROM disclosure d \(join)
                    \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
                    ORDER BY d.id
                    """,
                arguments: arguments)
            return rows.map { row in
                DisclosureEntry(
                    id: row["id"], at: row["at"], actor: row["actor"], kind: row["kind"], filters: row["filters"],
                    rowCount: row["rowCount"], destination: row["destination"], purpose: row["purpose"],
                    namesStudents: row["namesStudents"], studentCount: row["students"])
            }
        }
    }

    /// Whether a student with this id is in the roster.
    package func studentExists(_ id: String) throws(StoreError) -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM student WHERE id = ?", arguments: [id]) != nil }
    }
}

import BridgesCore
import BridgesStore
import Foundation
import GRDB

extension SQLiteStore {
    /// Records a disclosure and the students it named in one write transaction. `publish` runs
    /// first inside that transaction (it puts the finished output at its name and says where it
    /// went); should it or the recording fail, nothing is recorded and the caller takes the
    /// output back. The students, handed over one at a time in any order, are gathered in a
    /// temporary table (SQLite keeps it in its own bounded cache, spilling to disk) and stored
    /// in order, once each.
    package func recordDisclosure(
        _ entry: DisclosureEntry, students: (_ each: (String) throws -> Void) throws -> Void, publish: () throws -> String
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
            try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS disclosing (studentId TEXT PRIMARY KEY) WITHOUT ROWID")
            try db.execute(sql: "DELETE FROM temp.disclosing")
            let gather = try db.cachedStatement(sql: "INSERT OR IGNORE INTO temp.disclosing (studentId) VALUES (?)")
            try students { student in try gather.execute(arguments: [student]) }
            try db.execute(
                sql: "INSERT INTO disclosedStudent (studentId, disclosureId) SELECT studentId, ? FROM temp.disclosing ORDER BY studentId",
                arguments: [id])
            try db.execute(sql: "DELETE FROM temp.disclosing")
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

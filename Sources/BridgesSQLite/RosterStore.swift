import BridgesCore
import BridgesStore
import Foundation
import GRDB
// The SQLite C API, for the per-row statements of an import (GRDB links this same library).
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

extension SQLiteStore {
    /// Imports a roster in one transaction, streaming: `body` reads the file and passes each good
    /// row to the importer as it comes (schools, classes and students are upserted at once, so
    /// memory stays flat whatever the file's size), and returns the reader's findings.
    ///
    /// At the end, when no finding is an error, each class in the file gets exactly the file's
    /// enrolments (set-based, from a temporary table of them) and the import is summarised in
    /// the audit trail. When any finding is an error, or for a dry run, the transaction is rolled
    /// back: the counts still say what the file would change, and nothing is written.
    ///
    /// Throws `StoreError` for the database, and whatever `body` throws (such as an I/O error
    /// while reading), unchanged; either way nothing is written.
    package func importRoster(
        source: String, context: WriteContext, dryRun: Bool, _ body: (any RosterImportSink) throws -> [Diagnostic]
    ) throws -> RosterImportOutcome {
        var outcome: RosterImportOutcome?
        do {
            // Foreign keys are not enforced during the import (the pragma has to be set outside
            // the transaction): every school, class and student is stored by the importer before
            // the rows that refer to it, from rows the reader has already checked (a OneRoster
            // enrolment naming a class or user its files lack is an error, and nothing is
            // written). Checking each enrolment's two parents again cost a quarter of an import.
            // `bridges doctor` checks every foreign key, and the import tests check them too.
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
                try db.inTransaction {
                    // A bigger page cache for the import's duration, so the student and enrolment
                    // tables' pages stay in memory instead of spilling to the WAL mid-transaction.
                    let cacheSize = try Int.fetchOne(db, sql: "PRAGMA main.cache_size") ?? -2000
                    let temporaryCacheSize = try Int.fetchOne(db, sql: "PRAGMA temp.cache_size") ?? -2000
                    try db.execute(sql: "PRAGMA main.cache_size = \(Self.importCacheSize); PRAGMA temp.cache_size = \(Self.importCacheSize)")
                    defer {
                        try? db.execute(sql: "PRAGMA main.cache_size = \(cacheSize); PRAGMA temp.cache_size = \(temporaryCacheSize)")
                    }
                    let importer = try RosterImporter(db: db, context: context, source: source)
                    let findings = try body(importer) + importer.findings
                    let keep = !dryRun && !findings.hasErrors
                    if !findings.hasErrors {
                        try importer.finish(recordingSummary: keep)
                    }
                    outcome = RosterImportOutcome(counts: importer.counts, findings: findings, written: keep)
                    // Rolled back: nothing written, as asked or as the findings require.
                    guard keep else { return .rollback }
                    try importer.dropWorkTables()
                    return .commit
                }
            }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        }
        guard let outcome else { throw StoreError.rejected("the roster import ended without a result") }
        return outcome
    }

    /// In KiB, as a negative `cache_size` counts: 64 MiB at most, used only as the import touches pages.
    private static let importCacheSize = -65_536
}

/// Upserts one import's rows inside its transaction, and remembers what the file said.
///
/// Written for speed, since a district's roster runs to a million rows:
/// - a fresh import costs two statements a row (insert the student, insert the enrolment);
///   a repeat import, three (read the student; note the pair; insert-or-ignore it);
/// - the hot statements are prepared once and driven through the SQLite C API, without building
///   argument arrays or row objects per row;
/// - which students were stored before the import is told by their rowid (SQLite gives new rows
///   a rowid above the largest), so no table of new students is needed;
/// - schools and classes seen are kept in memory (a district has thousands, not millions); the
///   students stored before and met in the import are one bit each; the file's pairs
///   for classes stored before go to a temporary table, so the set-based un-enrolment at the end
///   needs no memory at all.
///
/// The audit trail gets one event per change to a record that was stored before (a rename, a
/// grade change, a student taken off a class, put on one, or moved from one to another), never
/// one per new row, and one summary event for the import.
///
/// Not `Sendable`: it lives inside one transaction's closure.
package final class RosterImporter: RosterImportSink {
    private let db: Database
    private let context: WriteContext
    private let source: String
    package private(set) var counts = RosterImportCounts()
    /// Conflicts between the file and the database that no reader could see.
    package private(set) var findings: [Diagnostic] = []

    /// Schools already handled in this import (the plain CSV repeats one on every row).
    private var schoolsSeen: Set<String> = []
    /// The school of the previous row, to skip the set for the next row of the same school.
    private var lastSchoolID: String?
    /// Classes already handled in this import: true when the class was stored before it.
    private var classesSeen: [String: Bool] = [:]
    /// The class of the previous row, to skip the dictionary for the next row of the same class.
    private var lastClass: (id: String, storedBefore: Bool)?
    /// Students stored before the import have a rowid up to this; students added, above it.
    private let studentRowidBefore: Int64
    /// One bit per rowid of the students stored before the import: set when met in it, so a
    /// repeat is not compared twice (125 KB per million stored students).
    private var storedStudentsSeen: [UInt64]
    /// The student of the previous row, so a plain CSV row's enrolment needs no lookup.
    private var lastStudent: (id: String, storedBefore: Bool)?
    /// Insert first (one statement for a new student) or read first (one for a stored one):
    /// whichever the file has more of so far.
    private var insertStudentFirst: Bool

    private let selectSchool: Statement
    private let insertSchool: Statement
    private let renameSchool: Statement
    private let selectClass: Statement
    private let insertClass: Statement
    private let renameClass: Statement
    private let noteStoredClass: Statement
    private let selectStudent: DirectStatement
    private let insertStudent: DirectStatement
    private let studentRowid: DirectStatement
    private let updateStudent: Statement
    private let notePair: DirectStatement
    private let insertEnrollment: DirectStatement
    private let noteEnrolledStoredStudent: Statement
    /// Made when a roster first says anything about a family's directory-information opt-out.
    private var optOutStatements: (select: Statement, update: Statement)?

    init(db: Database, context: WriteContext, source: String) throws {
        self.db = db
        self.context = context
        self.source = source
        // Temporary tables: private to this connection, gone at rollback, dropped after commit.
        try db.execute(sql: """
            DROP TABLE IF EXISTS temp.rosterImportClass;
            DROP TABLE IF EXISTS temp.rosterImportEnrollment;
            DROP TABLE IF EXISTS temp.rosterImportEnrolled;
            CREATE TEMP TABLE rosterImportClass (id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
            CREATE TEMP TABLE rosterImportEnrollment (
                classId TEXT NOT NULL, studentId TEXT NOT NULL, PRIMARY KEY (classId, studentId)
            ) WITHOUT ROWID;
            CREATE TEMP TABLE rosterImportEnrolled (
                classId TEXT NOT NULL, studentId TEXT NOT NULL, PRIMARY KEY (classId, studentId)
            ) WITHOUT ROWID;
            """)
        studentRowidBefore = try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM main.student") ?? 0
        insertStudentFirst = studentRowidBefore == 0
        storedStudentsSeen = Array(repeating: 0, count: Int(studentRowidBefore / 64) + 1)
        selectSchool = try db.makeStatement(sql: "SELECT name FROM main.school WHERE id = ?")
        insertSchool = try db.makeStatement(sql: "INSERT INTO main.school (id, name) VALUES (?, ?)")
        renameSchool = try db.makeStatement(sql: "UPDATE main.school SET name = ? WHERE id = ?")
        selectClass = try db.makeStatement(sql: "SELECT schoolId, name FROM main.schoolClass WHERE id = ?")
        insertClass = try db.makeStatement(sql: "INSERT INTO main.schoolClass (id, schoolId, name) VALUES (?, ?, ?)")
        renameClass = try db.makeStatement(sql: "UPDATE main.schoolClass SET name = ? WHERE id = ?")
        noteStoredClass = try db.makeStatement(sql: "INSERT OR IGNORE INTO temp.rosterImportClass (id) VALUES (?)")
        selectStudent = try DirectStatement(db, "SELECT rowid, givenName, familyName, gradeCode, identifier, erasedAt IS NOT NULL FROM main.student WHERE id = ?")
        insertStudent = try DirectStatement(db, """
            INSERT INTO main.student (id, givenName, familyName, grade, gradeCode, identifier) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO NOTHING
            """)
        studentRowid = try DirectStatement(db, "SELECT rowid FROM main.student WHERE id = ?")
        updateStudent = try db.makeStatement(
            sql: "UPDATE main.student SET givenName = ?, familyName = ?, grade = ?, gradeCode = ?, identifier = ? WHERE id = ?")
        notePair = try DirectStatement(db, "INSERT OR IGNORE INTO temp.rosterImportEnrollment (classId, studentId) VALUES (?, ?)")
        insertEnrollment = try DirectStatement(db, "INSERT OR IGNORE INTO main.enrollment (classId, studentId) VALUES (?, ?)")
        noteEnrolledStoredStudent = try db.makeStatement(
            sql: "INSERT OR IGNORE INTO temp.rosterImportEnrolled (classId, studentId) VALUES (?, ?)")
    }

    // MARK: Rows, as the reader passes them

    /// Adds the school, or renames the stored one; a repeat within the import is a no-op.
    package func school(_ school: School) throws {
        guard school.id != lastSchoolID else { return }
        lastSchoolID = school.id
        guard schoolsSeen.insert(school.id).inserted else { return }
        guard let stored = try String.fetchOne(selectSchool, arguments: [school.id]) else {
            try insertSchool.execute(arguments: [school.id, school.name])
            counts.schoolsAdded += 1
            return
        }
        guard stored != school.name else {
            counts.schoolsUnchanged += 1
            return
        }
        try renameSchool.execute(arguments: [school.name, school.id])
        try audit("rename", entity: "school", id: school.id, field: "name", old: stored, new: school.name)
        counts.schoolsRenamed += 1
    }

    /// Adds the class, or renames the stored one, and marks a stored one as a class whose
    /// enrolment the file decides. A class id stored at another school is a finding at
    /// `file:line`: ids are global, and moving the class would move its past sessions to the
    /// other school.
    package func schoolClass(_ schoolClass: SchoolClass, file: String, line: Int) throws {
        if lastClass?.id == schoolClass.id || classesSeen[schoolClass.id] != nil { return }
        guard let stored = try Row.fetchOne(selectClass, arguments: [schoolClass.id]) else {
            try insertClass.execute(arguments: [schoolClass.id, schoolClass.schoolID, schoolClass.name])
            classesSeen[schoolClass.id] = false
            counts.classesAdded += 1
            return
        }
        classesSeen[schoolClass.id] = true
        let storedSchool: String = stored[0]
        let storedName: String = stored[1]
        guard storedSchool == schoolClass.schoolID else {
            findings.append(
                .error(code: "roster.class-stored-at-another-school",
                    "class \(schoolClass.id) is already stored at school \(storedSchool), not \(schoolClass.schoolID); "
                        + "a class id belongs to one school, so give this class an id of its own "
                        + "(for example, prefixed with its school's id)",
                    file: file, line: line))
            return
        }
        try noteStoredClass.execute(arguments: [schoolClass.id])
        guard storedName != schoolClass.name else {
            counts.classesUnchanged += 1
            return
        }
        try renameClass.execute(arguments: [schoolClass.name, schoolClass.id])
        try audit("rename", entity: "schoolClass", id: schoolClass.id, field: "name", old: storedName, new: schoolClass.name)
        counts.classesRenamed += 1
    }

    /// Adds the student, or updates the stored one's names and grade (each change audited with
    /// old and new); a repeat within the import is a no-op.
    package func student(_ student: Student) throws {
        if insertStudentFirst, try insert(student) { return }
        selectStudent.bind(1, student.id)
        guard try selectStudent.step() else {
            selectStudent.reset()
            guard try insert(student) else { throw StoreError.rejected("student \(student.id) could not be stored") }
            return
        }
        let rowid = selectStudent.int64(0)
        guard rowid <= studentRowidBefore else {
            // Added earlier in this import.
            selectStudent.reset()
            lastStudent = (student.id, false)
            return
        }
        lastStudent = (student.id, true)
        // SQLite's own rowids are positive; one set by hand below 1 is simply compared again.
        if rowid > 0 {
            let (word, bit) = (Int(rowid / 64), UInt64(1) << UInt64(rowid % 64))
            guard storedStudentsSeen[word] & bit == 0 else {
                selectStudent.reset()
                return
            }
            storedStudentsSeen[word] |= bit
        }
        let storedGiven = selectStudent.text(1)
        let storedFamily = selectStudent.text(2)
        let storedGrade = selectStudent.text(3)
        let storedIdentifier = selectStudent.optionalText(4)
        let erased = selectStudent.int64(5) != 0
        selectStudent.reset()
        // An erased student keeps the pseudonym: a roster import never brings the names back.
        if erased {
            counts.studentsUnchanged += 1
            return
        }
        insertStudentFirst = counts.studentsAdded > counts.studentsUpdated + counts.studentsUnchanged
        var changed = false
        if storedGiven != student.givenName {
            try audit("update", entity: "student", id: student.id, field: "givenName", old: storedGiven, new: student.givenName)
            changed = true
        }
        if storedFamily != student.familyName {
            try audit("update", entity: "student", id: student.id, field: "familyName", old: storedFamily, new: student.familyName)
            changed = true
        }
        if storedGrade != student.gradeCode {
            try audit("update", entity: "student", id: student.id, field: "grade", old: storedGrade, new: student.gradeCode)
            changed = true
        }
        if storedIdentifier != student.identifier {
            try audit(
                "update", entity: "student", id: student.id, field: "identifier", old: storedIdentifier ?? "",
                new: student.identifier ?? "")
            changed = true
        }
        guard changed else {
            counts.studentsUnchanged += 1
            return
        }
        try updateStudent.execute(
            arguments: [
                student.givenName, student.familyName, student.grade?.number, student.gradeCode, student.identifier,
                student.id,
            ])
        counts.studentsUpdated += 1
    }

    /// Records the family's directory-information opt-out (or its withdrawal) as the roster's
    /// `directory_opt_out` column says, for a student stored before or added by this import;
    /// audited as `student opt-out` is (action `opt-out` or `opt-in`, old and new value), with the
    /// file and line as the reason. A value equal to the stored one writes nothing.
    package func directoryOptOut(studentID: String, optedOut: Bool, file: String, line: Int) throws {
        let statements: (select: Statement, update: Statement)
        if let made = optOutStatements {
            statements = made
        } else {
            statements = (
                try db.makeStatement(sql: "SELECT directoryOptOut FROM main.student WHERE id = ?"),
                try db.makeStatement(sql: "UPDATE main.student SET directoryOptOut = ? WHERE id = ?"))
            optOutStatements = statements
        }
        guard let current = try Bool.fetchOne(statements.select, arguments: [studentID]), current != optedOut else { return }
        try statements.update.execute(arguments: [optedOut, studentID])
        // Through the chain, like every event (`appendAuditEvent`).
        try SQLiteStore.appendAuditEvent(
            at: context.at, actor: context.actor, action: optedOut ? "opt-out" : "opt-in", entity: "student", entityId: studentID,
            field: "directoryOptOut", oldValue: current ? "yes" : "no", newValue: optedOut ? "yes" : "no",
            reason: "the roster's directory_opt_out column, \(file) line \(line)", detail: "roster import from \(source)", in: db)
        if optedOut { counts.directoryOptOutsRecorded += 1 } else { counts.directoryOptOutsWithdrawn += 1 }
    }


    /// Inserts a student not stored yet; false when the id is stored (before or in this import).
    private func insert(_ student: Student) throws -> Bool {
        insertStudent.bind(1, student.id)
        insertStudent.bind(2, student.givenName)
        insertStudent.bind(3, student.familyName)
        if let grade = student.grade { insertStudent.bind(4, Int64(grade.number)) } else { insertStudent.bind(4, nil as String?) }
        insertStudent.bind(5, student.gradeCode)
        insertStudent.bind(6, student.identifier)
        try insertStudent.run()
        guard insertStudent.changes > 0 else { return false }
        counts.studentsAdded += 1
        lastStudent = (student.id, false)
        insertStudentFirst = counts.studentsAdded > counts.studentsUpdated + counts.studentsUnchanged
        return true
    }

    /// Enrols the student in the class, noting the pair when the class was stored before (its
    /// other students are taken off in `finish`) and when the student was (for the audit trail).
    /// Returns false when the file listed this student in this class before (the repeat is
    /// ignored; the caller may warn).
    @discardableResult
    package func enrollment(_ enrollment: Enrollment) throws -> Bool {
        let classStoredBefore: Bool
        if let lastClass, lastClass.id == enrollment.classID {
            classStoredBefore = lastClass.storedBefore
        } else {
            classStoredBefore = classesSeen[enrollment.classID] ?? false
            lastClass = (enrollment.classID, classStoredBefore)
        }
        if classStoredBefore {
            notePair.bind(1, enrollment.classID)
            notePair.bind(2, enrollment.studentID)
            try notePair.run()
            guard notePair.changes > 0 else { return false }
        }
        insertEnrollment.bind(1, enrollment.classID)
        insertEnrollment.bind(2, enrollment.studentID)
        try insertEnrollment.run()
        guard insertEnrollment.changes > 0 else {
            // A class added in this import had no students before it: this pair is a repeat.
            guard classStoredBefore else { return false }
            counts.enrollmentsUnchanged += 1
            return true
        }
        counts.enrollmentsAdded += 1
        if try studentStoredBefore(enrollment.studentID) {
            try noteEnrolledStoredStudent.execute(arguments: [enrollment.classID, enrollment.studentID])
        }
        return true
    }

    private func studentStoredBefore(_ id: String) throws -> Bool {
        if let lastStudent, lastStudent.id == id { return lastStudent.storedBefore }
        guard studentRowidBefore > 0 else { return false }
        studentRowid.bind(1, id)
        defer { studentRowid.reset() }
        return try studentRowid.step() && studentRowid.int64(0) <= studentRowidBefore
    }

    // MARK: The end of the file

    /// Takes off each class stored before the students the file no longer lists in it, audits
    /// the enrolment changes of students stored before, and records the summary event (unless
    /// rolling back anyway).
    func finish(recordingSummary: Bool) throws {
        let removals = try auditEnrollmentChanges()
        // Set-based: one statement, however many classes and students; none when the audit
        // found nobody to take off.
        if removals > 0 {
            try db.execute(sql: """
            DELETE FROM main.enrollment
            WHERE classId IN (SELECT id FROM temp.rosterImportClass)
              AND NOT EXISTS (
                SELECT 1 FROM temp.rosterImportEnrollment f
                WHERE f.classId = enrollment.classId AND f.studentId = enrollment.studentId)
            """)
            counts.enrollmentsRemoved = db.changesCount
        }
        if recordingSummary {
            try audit("import roster", entity: "roster", id: source, field: nil, old: nil, new: nil, detail: summary)
        }
    }

    /// One event per student stored before whose classes the file changes: a move when one
    /// class was swapped for another, otherwise each class taken off or put on. Returns how many
    /// enrolments are to be taken off.
    private func auditEnrollmentChanges() throws -> Int {
        let changes = try Row.fetchCursor(db, sql: """
            SELECT e.studentId, e.classId, 0 AS added
            FROM main.enrollment e
            WHERE e.classId IN (SELECT id FROM temp.rosterImportClass)
              AND NOT EXISTS (
                SELECT 1 FROM temp.rosterImportEnrollment f WHERE f.classId = e.classId AND f.studentId = e.studentId)
            UNION ALL
            SELECT studentId, classId, 1 AS added FROM temp.rosterImportEnrolled
            ORDER BY 1, 3, 2
            """)
        var student: String?
        var removals = 0
        var removed: [String] = []
        var added: [String] = []
        func flush() throws {
            guard let student else { return }
            if removed.count == 1 && added.count == 1 {
                try audit("move", entity: "student", id: student, field: "class", old: removed[0], new: added[0])
            } else {
                for classID in removed {
                    try audit("unenroll", entity: "student", id: student, field: "class", old: classID, new: nil)
                }
                for classID in added {
                    try audit("enroll", entity: "student", id: student, field: "class", old: nil, new: classID)
                }
            }
            removed.removeAll(keepingCapacity: true)
            added.removeAll(keepingCapacity: true)
        }
        while let row = try changes.next() {
            let studentID: String = row[0]
            if studentID != student {
                try flush()
                student = studentID
            }
            if row[2] as Bool {
                added.append(row[1])
            } else {
                removed.append(row[1])
                removals += 1
            }
        }
        try flush()
        return removals
    }

    func dropWorkTables() throws {
        try db.execute(sql: """
            DROP TABLE temp.rosterImportClass;
            DROP TABLE temp.rosterImportEnrollment;
            DROP TABLE temp.rosterImportEnrolled;
            """)
    }

    /// `schools 3 (2 new, 1 renamed), …`, as the summary event's detail.
    private var summary: String {
        let c = counts
        return "schools \(c.schoolsAdded + c.schoolsRenamed + c.schoolsUnchanged) (\(c.schoolsAdded) new, \(c.schoolsRenamed) renamed), "
            + "classes \(c.classesAdded + c.classesRenamed + c.classesUnchanged) (\(c.classesAdded) new, \(c.classesRenamed) renamed), "
            + "students \(c.studentsAdded + c.studentsUpdated + c.studentsUnchanged) (\(c.studentsAdded) new, \(c.studentsUpdated) updated), "
            + "enrolments \(c.enrollmentsAdded) added, \(c.enrollmentsRemoved) removed"
    }

    private func audit(
        _ action: String, entity: String, id: String, field: String?, old: String?, new: String?, detail: String? = nil
    ) throws {
        try SQLiteStore.appendAuditEvent(
            at: context.at, actor: context.actor, action: action, entity: entity, entityId: id, field: field,
            oldValue: old, newValue: new, detail: detail ?? "roster import from \(source)", in: db)
    }
}

// MARK: Reading the roster back

extension SQLiteStore {
    package func school(id: String) throws(StoreError) -> School? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT id, name FROM school WHERE id = ?", arguments: [id]).map {
                School(id: $0[0], name: $0[1])
            }
        }
    }

    package func schoolClass(id: String) throws(StoreError) -> SchoolClass? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT id, schoolId, name FROM schoolClass WHERE id = ?", arguments: [id]).map {
                SchoolClass(id: $0[0], schoolID: $0[1], name: $0[2])
            }
        }
    }

    /// `bridgesDisplayWidth(text)`: the columns a terminal gives `text` (`DisplayText.width`).
    private static let displayWidthFunction = DatabaseFunction("bridgesDisplayWidth", argumentCount: 1, pure: true) { values in
        String.fromDatabaseValue(values[0]).map(DisplayText.width)
    }

    /// Streams the enrolled students, by school, class, family name, given name and id, in one
    /// read: `shape` first, then each row as the cursor reaches it.
    package func rosterListing(
        schoolID: String?, classID: String?, student: String? = nil, shape: (RosterListingShape) -> Void,
        row: (RosterListingRow) -> Void
    ) throws(StoreError) {
        var conditions: [String] = []
        var values: [String] = []
        if let schoolID {
            conditions.append("c.schoolId = ?")
            values.append(schoolID)
        }
        if let classID {
            conditions.append("c.id = ?")
            values.append(classID)
        }
        if let student {
            // A student id, or the district's number (`identifier`), as people know the student.
            conditions.append("(s.id = ? OR s.identifier = ?)")
            values += [student, student]
        }
        let arguments = StatementArguments(values)
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        // CROSS JOIN fixes the loop order: classes by school (the schoolClass_school index), each
        // class's enrolments by its primary key, so SQLite sorts one school's rows at a time as
        // they stream instead of sorting the whole roster before the first row.
        // Columns on screen: the length for ASCII text (as many bytes as characters), else
        // DisplayText's count, so only the rows with other characters call into Swift.
        func columns(_ column: String) -> String {
            "CASE WHEN length(CAST(\(column) AS BLOB)) = length(\(column)) THEN length(\(column)) ELSE bridgesDisplayWidth(\(column)) END"
        }
        let from = "FROM schoolClass c CROSS JOIN enrollment e ON e.classId = c.id CROSS JOIN student s ON s.id = e.studentId \(filter)"
        try read { db in
            db.add(function: Self.displayWidthFunction)
            let sizes = try Row.fetchOne(db, sql: """
                SELECT count(*), max(\(columns("c.schoolId"))), max(\(columns("c.id"))), max(\(columns("s.id"))),
                       max(\(columns("s.familyName"))), max(\(columns("s.givenName"))), max(\(columns("s.identifier"))) \(from)
                """, arguments: arguments)
            let rows: Int = sizes?[0] ?? 0
            let longest = (1...6).map { (sizes?[$0] as Int?) ?? 0 }
            shape(RosterListingShape(rows: rows, longest: longest))
            guard rows > 0 else { return }
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT c.schoolId, c.id, s.id, s.familyName, s.givenName, s.gradeCode, coalesce(s.identifier, '') \(from)
                ORDER BY c.schoolId, c.id, s.familyName, s.givenName, s.id
                """, arguments: arguments)
            while let next = try cursor.next() {
                row(RosterListingRow(schoolID: next[0], classID: next[1], studentID: next[2], familyName: next[3], givenName: next[4], grade: next[5], identifier: next[6]))
            }
        }
    }
}

extension SQLiteStore {
    package func classSummaries() throws(StoreError) -> [ClassListing] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.id, c.name, c.schoolId, count(*) FROM schoolClass c JOIN enrollment e ON e.classId = c.id
                GROUP BY c.id ORDER BY c.schoolId, c.id
                """).map { ClassListing(id: $0[0], name: $0[1], schoolID: $0[2], students: $0[3]) }
        }
    }
}

import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO

// The roster read back, a student's directory choice and number, erasure and legal hold: SQLite's
// operations of the same names (RosterStore, VerificationStore, StudentErasure), on PostgreSQL.
extension PostgresStore {
    package func school(id: String) async throws(StoreError) -> School? {
        try await read { connection in
            try await connection.first("SELECT id, name FROM school WHERE id = \(id)", as: (String, String).self)
                .map { School(id: $0.0, name: $0.1) }
        }
    }

    package func schoolClass(id: String) async throws(StoreError) -> SchoolClass? {
        try await read { connection in
            try await connection.first("SELECT id, schoolId, name FROM schoolClass WHERE id = \(id)", as: (String, String, String).self)
                .map { SchoolClass(id: $0.0, schoolID: $0.1, name: $0.2) }
        }
    }

    /// Streams the enrolled students, by school, class, family name, given name and id, in one
    /// read: `shape` first, then each row as it comes. The columns a terminal gives each value:
    /// its length for ASCII text (as many bytes as characters), counted by PostgreSQL; for the
    /// few values with other characters, by `DisplayText.width` as they stream past.
    package func rosterListing(
        schoolID: String?, classID: String?, student: String?, shape: (RosterListingShape) -> Void, row: (RosterListingRow) -> Void
    ) async throws(StoreError) {
        func query(_ head: String, join: String = "", _ tail: String = "") -> PostgresQuery {
            """
            \(unescaped: head)
            FROM schoolClass c JOIN enrollment e ON e.classId = c.id JOIN student s ON s.id = e.studentId \(unescaped: join)
            WHERE (\(schoolID)::text IS NULL OR c.schoolId = \(schoolID))
              AND (\(classID)::text IS NULL OR c.id = \(classID))
              AND (\(student)::text IS NULL OR s.id = \(student) OR s.identifier = \(student))
            \(unescaped: tail)
            """
        }
        let columns = ["c.schoolId", "c.id", "s.id", "s.familyName", "s.givenName", "s.identifier"]
        try await read { connection in
            let ascii = columns.map { "max(CASE WHEN octet_length(\($0)) = char_length(\($0)) THEN char_length(\($0)) END)" }
            guard let sizes = try await connection.first(
                query("SELECT count(*), \(ascii.joined(separator: ", "))"),
                as: (Int64, Int64?, Int64?, Int64?, Int64?, Int64?, Int64?).self) else { return }
            var longest = [sizes.1, sizes.2, sizes.3, sizes.4, sizes.5, sizes.6].map { Int($0 ?? 0) }
            let rows = Int(sizes.0)
            if rows > 0 {
                // The values with characters other than ASCII, each with its column's place.
                let values = columns.enumerated().map { "(\($0.offset)::bigint, \($0.element))" }.joined(separator: ", ")
                for try await (index, value) in try await connection.rows(query(
                    "SELECT v.place, v.value", join: "CROSS JOIN LATERAL (VALUES \(values)) AS v(place, value)",
                    "AND v.value IS NOT NULL AND octet_length(v.value) <> char_length(v.value)")
                ).decode((Int64, String).self) {
                    longest[Int(index)] = max(longest[Int(index)], DisplayText.width(value))
                }
            }
            shape(RosterListingShape(rows: rows, longest: longest))
            guard rows > 0 else { return }
            for try await (school, schoolClass, id, family, given, grade, identifier) in try await connection.rows(
                query("SELECT c.schoolId, c.id, s.id, s.familyName, s.givenName, s.gradeCode, coalesce(s.identifier, '')",
                    "ORDER BY c.schoolId, c.id, s.familyName, s.givenName, s.id")
            ).decode((String, String, String, String, String, String, String).self) {
                row(RosterListingRow(
                    schoolID: school, classID: schoolClass, studentID: id, familyName: family, givenName: given, grade: grade,
                    identifier: identifier))
            }
        }
    }

    package func directoryOptOut(studentID: String) async throws(StoreError) -> Bool? {
        try await read { connection in
            try await connection.value("SELECT directoryOptOut FROM student WHERE id = \(studentID)", as: Int64.self).map { $0 != 0 }
        }
    }

    package func studentIdentifier(studentID: String) async throws(StoreError) -> String? {
        try await read { connection in
            try await connection.value("SELECT identifier FROM student WHERE id = \(studentID) AND identifier <> ''", as: String.self)
        }
    }

    /// Records a family's directory-information opt-out (or its withdrawal), audited with the
    /// reason: nil when there is no such student, false when it already was so, true when changed.
    package func setDirectoryOptOut(studentID: String, optedOut: Bool, reason: String, context: WriteContext) async throws(StoreError) -> Bool? {
        try await write { connection in
            guard let current = try await connection.value(
                "SELECT directoryOptOut FROM student WHERE id = \(studentID)", as: Int64.self).map({ $0 != 0 }) else { return nil }
            if current == optedOut { return false }
            try await connection.run("UPDATE student SET directoryOptOut = \(optedOut ? Int64(1) : 0) WHERE id = \(studentID)")
            try await Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: optedOut ? "opt-out" : "opt-in", entity: "student", entityId: studentID,
                field: "directoryOptOut", oldValue: current ? "yes" : "no", newValue: optedOut ? "yes" : "no", reason: reason), on: connection)
            return true
        }
    }

    package func studentExists(_ id: String) async throws(StoreError) -> Bool {
        try await read { connection in
            try await connection.value("SELECT 1::bigint FROM student WHERE id = \(id)", as: Int64.self) != nil
        }
    }

    package func erasedAt(studentID: String) async throws(StoreError) -> String?? {
        try await read { connection in
            guard let (erased) = try await connection.first("SELECT erasedAt FROM student WHERE id = \(studentID)", as: (String?).self)
            else { return nil }
            return .some(erased)
        }
    }

    /// Replaces a student's personal data with `pseudonym` in one transaction, as SQLite's store
    /// does: the names and identifier in the student row, and the same data in the audit trail
    /// (blanked, their digests kept in `erased`, which the trail's trigger allows once). The
    /// erasure is its own event.
    package func eraseStudent(id: String, pseudonym: String, reason: String, context: WriteContext) async throws(StoreError) -> Result<ErasedStudent, StudentRecordRefusal> {
        try await write { connection in
            guard let (erasedAt, hold) = try await connection.first(
                "SELECT erasedAt, holdReason FROM student WHERE id = \(id)", as: (String?, String?).self)
            else { return .failure(.noSuchStudent) }
            if let erasedAt { return .failure(.alreadyErased(at: erasedAt)) }
            if let hold { return .failure(.underHold(reason: hold)) }
            try await connection.run("""
                UPDATE student SET givenName = \(PostgresStore.erasedGivenName), familyName = \(pseudonym), identifier = NULL,
                    directoryOptOut = 1, erasedAt = \(context.at) WHERE id = \(id)
                """)
            var personal: [(Int64, String?, String?, String?)] = []
            for try await event in try await connection.rows("""
                SELECT id, oldValue, newValue, reason FROM auditEvent
                WHERE entity = 'student' AND entityId = \(id) AND erased IS NULL
                  AND (field IN ('givenName', 'familyName', 'identifier') OR action IN ('opt-out', 'opt-in'))
                ORDER BY id
                """).decode((Int64, String?, String?, String?).self) {
                personal.append(event)
            }
            var fields = 0
            for (eventID, old, new, why) in personal {
                var kept: [String] = []
                for (name, value) in [("oldValue", old), ("newValue", new), ("reason", why)] {
                    guard let value else { continue }
                    kept.append("\(name)=\(SHA256.hash(value.utf8).hexadecimal)")
                    fields += 1
                }
                guard !kept.isEmpty else { continue }
                // A field not blanked is left as it was (NULL already, or kept).
                try await connection.run("""
                    UPDATE auditEvent SET erased = \(kept.joined(separator: ";")),
                        oldValue = NULL, newValue = NULL, reason = NULL
                    WHERE id = \(eventID)
                    """)
            }
            let marks = try await connection.value("SELECT count(*) FROM mark WHERE studentId = \(id)", as: Int64.self) ?? 0
            let attempts = try await connection.value("SELECT count(*) FROM quizAttempt WHERE studentId = \(id)", as: Int64.self) ?? 0
            let certificates = try await connection.value("SELECT count(*) FROM certificate WHERE studentId = \(id)", as: Int64.self) ?? 0
            try await Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "erase", entity: "student", entityId: id, field: "personal data",
                newValue: pseudonym, reason: reason,
                detail: "names and identifier replaced by a pseudonym, \(fields) trail field\(fields == 1 ? "" : "s") erased; kept: \(marks) marks, \(attempts) quiz attempts, \(certificates) certificates"),
                on: connection)
            return .success(ErasedStudent(
                studentID: id, pseudonym: pseudonym, trailFieldsErased: fields, marks: Int(marks), quizAttempts: Int(attempts), certificates: Int(certificates)))
        }
    }

    /// The given name every erased student gets (as SQLite's store gives); the family name is the pseudonym.
    static let erasedGivenName = "Erased"

    /// Puts a student's records under a legal hold, or releases it; audited either way.
    package func setLegalHold(id: String, hold: Bool, reason: String, context: WriteContext) async throws(StoreError) -> Result<Void, StudentRecordRefusal> {
        try await write { connection in
            guard let (current) = try await connection.first("SELECT holdReason FROM student WHERE id = \(id)", as: (String?).self) else {
                return .failure(.noSuchStudent)
            }
            if hold, let current { return .failure(.alreadyHeld(reason: current)) }
            if !hold, current == nil { return .failure(.notHeld) }
            try await connection.run("UPDATE student SET holdReason = \(hold ? reason : nil) WHERE id = \(id)")
            try await Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: hold ? "hold" : "release", entity: "student", entityId: id,
                field: "legal hold", oldValue: hold ? nil : "held", newValue: hold ? "held" : nil, reason: reason), on: connection)
            return .success(())
        }
    }
}

extension PostgresStore {
    package func classSummaries() async throws(StoreError) -> [ClassListing] {
        try await read { connection in
            var summaries: [ClassListing] = []
            for try await (id, name, school, students) in try await connection.rows("""
                SELECT c.id, c.name, c.schoolId, count(*) FROM schoolClass c JOIN enrollment e ON e.classId = c.id
                GROUP BY c.id, c.name, c.schoolId ORDER BY c.schoolId, c.id
                """).decode((String, String, String, Int).self) {
                summaries.append(ClassListing(id: id, name: name, schoolID: school, students: students))
            }
            return summaries
        }
    }
}

import BridgesCore
import BridgesStore
import GRDB

extension SQLiteStore {
    /// The given name every erased student gets; the family name is the pseudonym.
    package static let erasedGivenName = "Erased"

    /// Replaces a student's personal data with `pseudonym`, in one transaction: the given and
    /// family names and the district's identifier in the student row (the grade stays: reports
    /// count by it and it names no one), and the same data in the audit trail (a roster import's
    /// "givenName: old → new", the reasons a family gave for an opt-out), which the chain lets go
    /// because those fields enter it as digests (AuditChain). The student's id stays: it is the
    /// key that keeps marks, attempts and certificates counted. Directory information is opted
    /// out, so a certificate verifies as a status alone. The erasure is its own event.
    package func eraseStudent(id: String, pseudonym: String, reason: String, context: WriteContext) throws(StoreError) -> Result<ErasedStudent, StudentRecordRefusal> {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT erasedAt, holdReason FROM student WHERE id = ?", arguments: [id]) else {
                return .failure(.noSuchStudent)
            }
            if let at: String = row[0] { return .failure(.alreadyErased(at: at)) }
            if let hold: String = row[1] { return .failure(.underHold(reason: hold)) }
            // What is overwritten or deleted is zeroed in the file, not left in a free page.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            defer { try? db.execute(sql: "PRAGMA secure_delete = OFF") }
            try db.execute(sql: """
                UPDATE student SET givenName = ?, familyName = ?, identifier = NULL, directoryOptOut = 1, erasedAt = ? WHERE id = ?
                """, arguments: [Self.erasedGivenName, pseudonym, context.at, id])
            // The trail's personal fields about this student, blanked with their digests kept.
            let personal = try Row.fetchAll(db, sql: """
                SELECT id, oldValue, newValue, reason FROM auditEvent
                WHERE entity = 'student' AND entityId = ? AND erased IS NULL
                  AND (field IN ('givenName', 'familyName', 'identifier') OR action IN ('opt-out', 'opt-in'))
                ORDER BY id
                """, arguments: [id])
            var fields = 0
            for event in personal {
                var kept: [String] = []
                var blank: [String: Bool] = ["oldValue": false, "newValue": false, "reason": false]
                for (index, name) in ["oldValue", "newValue", "reason"].enumerated() {
                    guard let value: String = event[index + 1] else { continue }
                    kept.append("\(name)=\(SHA256.hash(value.utf8).hexadecimal)")
                    blank[name] = true
                    fields += 1
                }
                guard !kept.isEmpty else { continue }
                try db.execute(sql: """
                    UPDATE auditEvent SET erased = ?,
                        oldValue = CASE WHEN ? THEN NULL ELSE oldValue END,
                        newValue = CASE WHEN ? THEN NULL ELSE newValue END,
                        reason = CASE WHEN ? THEN NULL ELSE reason END
                    WHERE id = ?
                    """, arguments: [kept.joined(separator: ";"), blank["oldValue"]!, blank["newValue"]!, blank["reason"]!, event[0] as Int64])
            }
            let marks = try Int.fetchOne(db, sql: "SELECT count(*) FROM mark WHERE studentId = ?", arguments: [id]) ?? 0
            let attempts = try Int.fetchOne(db, sql: "SELECT count(*) FROM quizAttempt WHERE studentId = ?", arguments: [id]) ?? 0
            let certificates = try Int.fetchOne(db, sql: "SELECT count(*) FROM certificate WHERE studentId = ?", arguments: [id]) ?? 0
            try Self.appendAuditEvent(
                at: context.at, actor: context.actor, action: "erase", entity: "student", entityId: id, field: "personal data",
                newValue: pseudonym, reason: reason,
                detail: "names and identifier replaced by a pseudonym, \(fields) trail field\(fields == 1 ? "" : "s") erased; kept: \(marks) marks, \(attempts) quiz attempts, \(certificates) certificates",
                in: db)
            return .success(ErasedStudent(studentID: id, pseudonym: pseudonym, trailFieldsErased: fields, marks: marks, quizAttempts: attempts, certificates: certificates))
        }
    }

    /// Puts a student's records under a legal hold (`reason` set) or releases it (`reason` nil
    /// and `releaseReason` given). Audited either way.
    package func setLegalHold(id: String, hold: Bool, reason: String, context: WriteContext) throws(StoreError) -> Result<Void, StudentRecordRefusal> {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT holdReason FROM student WHERE id = ?", arguments: [id]) else {
                return .failure(.noSuchStudent)
            }
            let current: String? = row[0]
            if hold, let current { return .failure(.alreadyHeld(reason: current)) }
            if !hold, current == nil { return .failure(.notHeld) }
            try db.execute(sql: "UPDATE student SET holdReason = ? WHERE id = ?", arguments: [hold ? reason : nil, id])
            try Self.appendAuditEvent(
                at: context.at, actor: context.actor, action: hold ? "hold" : "release", entity: "student", entityId: id,
                field: "legal hold", oldValue: hold ? nil : "held", newValue: hold ? "held" : nil, reason: reason, in: db)
            return .success(())
        }
    }

    /// Whether a student id is stored and erased (nil: no such student).
    package func erasedAt(studentID: String) throws(StoreError) -> String?? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT erasedAt FROM student WHERE id = ?", arguments: [studentID]) else { return nil }
            return .some(row[0])
        }
    }
}

import BridgesCore
import BridgesStore
import GRDB

extension SQLiteStore {
    /// Removes the student records past their time: the marks and quiz attempts of sessions
    /// dated before `before`, and the certificates that expired or were revoked before it,
    /// except those of students under a legal hold. The sessions themselves stay (an officer's
    /// record of teaching, naming no student), and so does the audit trail: it is the record of
    /// what was destroyed, and the chain would not verify without it. Each session and
    /// certificate purged is an event (with the counts the trail's replay needs, no names), and
    /// the purge as a whole one more. One transaction; `dryRun` reads the same plan and rolls back.
    package func purgeRetention(before: String, dryRun: Bool, context: WriteContext) throws(StoreError) -> RetentionPurgePlan {
        let plan: (Database) throws -> RetentionPurgePlan = { db in
            var purge = RetentionPurgePlan(before: before)
            purge.heldStudents = try String.fetchAll(db, sql: "SELECT id FROM student WHERE holdReason IS NOT NULL ORDER BY id")
            // Per session: marks by status (the replay subtracts them), and attempts.
            let sessions = try Row.fetchAll(db, sql: """
                SELECT s.id, s.date, s.classId, s.lessonId,
                       (SELECT count(*) FROM mark m JOIN student t ON t.id = m.studentId WHERE m.sessionId = s.id AND t.holdReason IS NULL),
                       (SELECT count(*) FROM quizAttempt q JOIN student t ON t.id = q.studentId WHERE q.sessionId = s.id AND t.holdReason IS NULL)
                FROM session s WHERE s.date < ? ORDER BY s.date, s.id
                """, arguments: [before])
            for row in sessions {
                let marks: Int = row[4]
                let attempts: Int = row[5]
                guard marks + attempts > 0 else { continue }
                purge.sessions.append(.init(id: row[0], date: row[1], classID: row[2], lessonID: row[3], marks: marks, quizAttempts: attempts))
            }
            purge.certificates = try Row.fetchAll(db, sql: """
                SELECT c.code, c.programId, CASE WHEN c.revokedOn IS NOT NULL AND (c.validUntil IS NULL OR c.revokedOn < c.validUntil) THEN c.revokedOn ELSE c.validUntil END AS ended
                FROM certificate c JOIN student t ON t.id = c.studentId
                WHERE t.holdReason IS NULL AND c.statusIndex IS NULL AND (c.validUntil < ?1 OR c.revokedOn < ?1)
                ORDER BY ended, c.code
                """, arguments: [before]).map { .init(code: $0[0], programID: $0[1], ended: $0[2]) }
            return purge
        }
        if dryRun { return try read(plan) }
        return try write { db in
            let purge = try plan(db)
            // What is deleted is zeroed in the file, not left in a free page.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            defer { try? db.execute(sql: "PRAGMA secure_delete = OFF") }
            let statuses = ["present", "late", "absent", "excused"]
            let countMarks = try db.makeStatement(sql: """
                SELECT m.status, count(*) FROM mark m JOIN student t ON t.id = m.studentId
                WHERE m.sessionId = ? AND t.holdReason IS NULL GROUP BY m.status
                """)
            let deleteMarks = try db.makeStatement(sql: """
                DELETE FROM mark WHERE sessionId = ? AND studentId IN (SELECT id FROM student WHERE holdReason IS NULL)
                """)
            let deleteAttempts = try db.makeStatement(sql: """
                DELETE FROM quizAttempt WHERE sessionId = ? AND studentId IN (SELECT id FROM student WHERE holdReason IS NULL)
                """)
            for session in purge.sessions {
                var counts: [String: Int] = [:]
                for row in try Row.fetchAll(countMarks, arguments: [session.id]) { counts[row[0]] = row[1] }
                try deleteMarks.execute(arguments: [session.id])
                try deleteAttempts.execute(arguments: [session.id])
                // Worded as a log event's counts, so the replay of the marks can subtract them.
                try Self.appendAuditEvent(
                    at: context.at, actor: context.actor, action: "purge marks", entity: "session", entityId: String(session.id),
                    detail: "retention: records of sessions before \(before), \(session.quizAttempts) quiz attempts; "
                        + statuses.map { "\(counts[$0] ?? 0) \($0)" }.joined(separator: ", "),
                    in: db)
            }
            let issue = try db.makeStatement(sql: "SELECT programId || '|' || issuedAt || '|' || issuedBy FROM certificate WHERE code = ?")
            let deleteCertificate = try db.makeStatement(sql: "DELETE FROM certificate WHERE code = ?")
            for certificate in purge.certificates {
                let key = try String.fetchOne(issue, arguments: [certificate.code])
                try deleteCertificate.execute(arguments: [certificate.code])
                try Self.appendAuditEvent(
                    at: context.at, actor: context.actor, action: "purge", entity: "certificate", entityId: certificate.code,
                    oldValue: key, detail: "retention: ended \(certificate.ended), before \(before)", in: db)
            }
            try Self.appendAuditEvent(
                at: context.at, actor: context.actor, action: "retention purge", entity: "database", entityId: "bridges",
                detail: "before \(before): \(purge.marks) marks and \(purge.quizAttempts) quiz attempts of \(purge.sessions.count) sessions, \(purge.certificates.count) certificates; \(purge.heldStudents.count) students under legal hold kept",
                in: db)
            return purge
        }
    }
}

import BridgesCore
import Foundation
import GRDB

/// A stored certificate with its holder's name, as lists and verification show it.
package struct StoredCertificate: Sendable, Hashable {
    package var code: String
    package var studentID: String
    package var givenName: String
    package var familyName: String
    package var programID: String
    package var programVersion: Int
    package var title: String
    package var schoolID: String?
    package var issuedOn: String
    package var validUntil: String?
    package var issuedAt: String
    package var issuedBy: String
    package var revokedOn: String?
    package var revokedBy: String?
    package var revocationReason: String?
}

/// What one `certificate issue` run did for one program.
package struct CertificateIssueOutcome: Sendable {
    package var programID: String
    package var issued: [(studentID: String, code: String)]
    /// Students who met the rule but already hold a current certificate.
    package var alreadyHeld: Int
    /// Students who met the rule but hold a revoked one still inside its validity window.
    package var revokedSkipped: Int
    /// Students with any record in the program who did not meet the rule.
    package var notEligible: Int
}

extension BridgesDatabase {
    /// Issues certificates of every program (or one) dated `asOf` to each student who meets the
    /// program's rule on that date and holds no current certificate for it. One transaction.
    package func issueCertificates(programID: String?, asOf: SchoolDate, context: WriteContext) throws(StoreError) -> [CertificateIssueOutcome] {
        try write { db in
            let programIDs = try programID.map { [$0] } ?? String.fetchAll(db, sql: "SELECT id FROM program ORDER BY id")
            var outcomes: [CertificateIssueOutcome] = []
            for id in programIDs {
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT v.content, v.version FROM program p JOIN programVersion v ON v.programId = p.id AND v.version = p.latestVersion WHERE p.id = ?
                    """, arguments: [id]) else { continue }
                let program = try JSONDecoder().decode(Program.self, from: Data((row[0] as String).utf8))
                let version: Int = row[1]
                let withQuiz = try Self.lessonsWithQuiz(programID: id, in: db)
                let asOfText = asOf.description
                let validUntil = program.certificate.validMonths.flatMap { asOf.adding(months: $0)?.adding(days: -1) }?.description
                let current = try db.cachedStatement(sql: """
                    SELECT revokedOn IS NOT NULL FROM certificate WHERE studentId = ? AND programId = ? AND issuedOn <= ?3
                      AND (validUntil IS NULL OR validUntil >= ?3) ORDER BY revokedOn IS NOT NULL LIMIT 1
                    """)
                let school = try db.cachedStatement(sql: """
                    SELECT c.schoolId FROM mark m JOIN session s ON s.id = m.sessionId JOIN lesson l ON l.id = s.lessonId
                    JOIN schoolClass c ON c.id = s.classId
                    WHERE m.studentId = ? AND l.programId = ? AND s.voidedAt IS NULL AND s.date <= ?
                    ORDER BY s.date DESC LIMIT 1
                    """)
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO certificate (code, studentId, programId, programVersion, title, schoolId, issuedOn, validUntil, issuedAt, issuedBy)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                var outcome = CertificateIssueOutcome(programID: id, issued: [], alreadyHeld: 0, revokedSkipped: 0, notEligible: 0)
                try forEachStudentRecord(ProgramScope(programID: id, to: asOfText), in: db) { record in
                    let progress = program.progress(of: record.studentID, attended: record.attended, passed: record.passed, lessonsWithQuiz: withQuiz)
                    guard progress.eligible else {
                        outcome.notEligible += 1
                        return
                    }
                    if let revoked = try Bool.fetchOne(current, arguments: [record.studentID, id, asOfText]) {
                        if revoked { outcome.revokedSkipped += 1 } else { outcome.alreadyHeld += 1 }
                        return
                    }
                    let schoolID = try String.fetchOne(school, arguments: [record.studentID, id, asOfText])
                    // 80 random bits: a collision is astronomically unlikely, but the key would refuse it; draw again.
                    var code = CertificateCode.random()
                    while try Bool.fetchOne(db, sql: "SELECT 1 FROM certificate WHERE code = ?", arguments: [code.normalized]) != nil {
                        code = CertificateCode.random()
                    }
                    try insert.execute(arguments: [code.normalized, record.studentID, id, version, program.certificate.title, schoolID, asOfText, validUntil, context.at, context.actor])
                    outcome.issued.append((record.studentID, code.normalized))
                }
                if !outcome.issued.isEmpty {
                    try Self.record(AuditEvent(
                        at: context.at, actor: context.actor, action: "issue", entity: "program", entityId: id,
                        detail: "\(outcome.issued.count) certificate\(outcome.issued.count == 1 ? "" : "s") dated \(asOfText)"), in: db)
                }
                outcomes.append(outcome)
            }
            return outcomes
        }
    }

    static func lessonsWithQuiz(programID: String, in db: Database) throws -> Set<String> {
        var result: Set<String> = []
        let rows = try Row.fetchCursor(db, sql: """
            SELECT l.id, v.content FROM lesson l JOIN lessonVersion v ON v.lessonId = l.id AND v.version = l.latestVersion WHERE l.programId = ?
            """, arguments: [programID])
        while let row = try rows.next() {
            let lesson = try JSONDecoder().decode(Lesson.self, from: Data((row[1] as String).utf8))
            if lesson.quiz != nil { result.insert(row[0]) }
        }
        return result
    }

    private static let certificateSQL = """
        SELECT c.code, c.studentId, s.givenName, s.familyName, c.programId, c.programVersion, c.title, c.schoolId, c.issuedOn,
               c.validUntil, c.issuedAt, c.issuedBy, c.revokedOn, c.revokedBy, c.revocationReason
        FROM certificate c JOIN student s ON s.id = c.studentId

        """

    private static func certificate(_ row: Row) -> StoredCertificate {
        StoredCertificate(code: row[0], studentID: row[1], givenName: row[2], familyName: row[3], programID: row[4], programVersion: row[5],
                          title: row[6], schoolID: row[7], issuedOn: row[8], validUntil: row[9], issuedAt: row[10], issuedBy: row[11],
                          revokedOn: row[12], revokedBy: row[13], revocationReason: row[14])
    }

    package func certificates(programID: String?) throws(StoreError) -> [StoredCertificate] {
        try read { db in
            try Row.fetchAll(db, sql: Self.certificateSQL + "WHERE ?1 IS NULL OR c.programId = ?1 ORDER BY c.programId, c.issuedOn, s.familyName, s.givenName, c.studentId",
                             arguments: [programID]).map(Self.certificate)
        }
    }

    package func certificate(code: String) throws(StoreError) -> StoredCertificate? {
        try read { db in
            try Row.fetchOne(db, sql: Self.certificateSQL + "WHERE c.code = ?", arguments: [code]).map(Self.certificate)
        }
    }

    /// Revokes a certificate; it stays stored, with when, who and why.
    package func revokeCertificate(code: String, reason: String, on day: SchoolDate, context: WriteContext) throws(StoreError) -> StoredCertificate? {
        try write { db in
            guard let existing = try Row.fetchOne(db, sql: Self.certificateSQL + "WHERE c.code = ?", arguments: [code]).map(Self.certificate) else { return nil }
            if existing.revokedOn != nil { return existing }
            try db.execute(sql: "UPDATE certificate SET revokedOn = ?, revokedAt = ?, revokedBy = ?, revocationReason = ? WHERE code = ?",
                           arguments: [day.description, context.at, context.actor, reason, code])
            try Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "revoke", entity: "certificate", entityId: code,
                field: "status", oldValue: "issued", newValue: "revoked", reason: reason), in: db)
            var revoked = existing
            revoked.revokedOn = day.description
            revoked.revokedBy = context.actor
            revoked.revocationReason = reason
            return revoked
        }
    }
}

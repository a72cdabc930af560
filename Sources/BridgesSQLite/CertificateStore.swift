import BridgesCore
import BridgesStore
import Foundation
import GRDB

extension SQLiteStore {
    /// Issues certificates of every program (or one) dated `asOf` to each student who meets the
    /// program's rule on that date and holds no current certificate for it. One transaction.
    package func issueCertificates(programID: String?, asOf: SchoolDate, schools: Set<String>? = nil, context: WriteContext, listingCodes: Bool = false) throws(StoreError) -> [CertificateIssue] {
        // A larger cache: a run issues up to one certificate per student, into the code key in
        // random order. Not the imports' 256 MiB: SQLite also lets its sorter (the marks in
        // student order) hold as much, which made a state's run take 552 MB to report counts.
        try writeWithLargeCache(kib: 48 * 1024) { db in
            let programIDs = try programID.map { [$0] } ?? String.fetchAll(db, sql: "SELECT id FROM program ORDER BY id")
            var outcomes: [CertificateIssue] = []
            for id in programIDs {
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT v.content, v.version FROM program p JOIN programVersion v ON v.programId = p.id AND v.version = p.latestVersion WHERE p.id = ?
                    """, arguments: [id]) else { continue }
                let program = try JSONDecoder().decode(Program.self, from: Data((row[0] as String).utf8))
                let version: Int = row[1]
                let withQuiz = try Self.lessonsWithQuiz(programID: id, in: db)
                let asOfText = asOf.description
                let validUntil = program.certificate.validMonths.flatMap { CertificateValidity.lastValidDay(issuedOn: asOf, months: $0) }?.description
                // Per eligible student: does a certificate still valid on that date exist, whenever it
                // was issued (min: 0 when one is not revoked, 1 when all are, NULL when there is
                // none), so issuing today and then for an earlier day gives nobody two; then the
                // insert. Each a prepared statement whose program and date are bound once;
                // certificate_student finds the student's few. The school is that of the
                // student's latest session, which the record brings.
                let current = try DirectStatement(db, """
                    SELECT min(revokedOn IS NOT NULL) FROM certificate WHERE studentId = ?1 AND programId = ?2
                      AND (validUntil IS NULL OR validUntil >= ?3)
                    """)
                current.bind(2, id)
                current.bind(3, asOfText)
                let insert = try DirectStatement(db, """
                    INSERT INTO certificate (code, studentId, programId, programVersion, title, schoolId, issuedOn, validUntil, issuedAt, issuedBy)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                    """)
                insert.bind(3, id)
                insert.bind(4, Int64(version))
                insert.bind(5, program.certificate.title)
                insert.bind(7, asOfText)
                insert.bind(8, validUntil)
                insert.bind(9, context.at)
                insert.bind(10, context.actor)
                var random = BufferedSystemRandom()
                var outcome = CertificateIssue(programID: id, issuedCount: 0, issued: [], alreadyHeld: 0, revokedSkipped: 0, notEligible: 0)
                try forEachStudentRecord(ProgramScope(programID: id, to: asOfText), in: db) { record in
                    // A caller limited to some schools issues for their students only.
                    if let schools, !schools.contains(record.latestSchoolID ?? "") { return }
                    let progress = program.progress(of: record.studentID, attended: record.attended, passed: record.passed, lessonsWithQuiz: withQuiz)
                    guard progress.eligible else {
                        outcome.notEligible += 1
                        return
                    }
                    current.bind(1, record.studentID)
                    _ = try current.step()
                    let held = current.isNull(0) ? nil : current.int64(0)
                    current.reset()
                    if let held {
                        if held != 0 { outcome.revokedSkipped += 1 } else { outcome.alreadyHeld += 1 }
                        return
                    }
                    insert.bind(2, record.studentID)
                    insert.bind(6, record.latestSchoolID)
                    // 80 random bits: a collision is astronomically unlikely, but the key would refuse it; draw again.
                    while true {
                        let code = CertificateCode.random(using: &random)
                        insert.bind(1, code.normalized)
                        do {
                            try insert.run()
                        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
                            continue
                        }
                        outcome.issuedCount += 1
                        if listingCodes { outcome.issued.append((record.studentID, code)) }
                        break
                    }
                }
                if outcome.issuedCount > 0 {
                    try Self.record(AuditEvent(
                        at: context.at, actor: context.actor, action: "issue", entity: "program", entityId: id,
                        detail: "\(outcome.issuedCount) certificate\(outcome.issuedCount == 1 ? "" : "s") dated \(asOfText)"), in: db)
                }
                outcomes.append(outcome)
            }
            return outcomes
        }
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

/// The system's cryptographically secure random generator (`arc4random_buf`: the kernel's
/// `getrandom` on Linux, the system CSPRNG on Apple platforms), read 4 KiB at a time.
/// `SystemRandomNumberGenerator` makes one system call per 64 bits, 16 for one certificate code,
/// which cost more than everything else `certificate issue` does per student. The bits are the
/// same kernel randomness, and each is used once.
private struct BufferedSystemRandom: RandomNumberGenerator {
    private var buffer = [UInt64](repeating: 0, count: 512)
    private var index = 512

    mutating func next() -> UInt64 {
        if index == buffer.count {
            buffer.withUnsafeMutableBytes { bytes in arc4random_buf(bytes.baseAddress!, bytes.count) }
            index = 0
        }
        defer { index += 1 }
        return buffer[index]
    }
}

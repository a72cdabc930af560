import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Issues certificates of every program (or one) dated `asOf` to each student who meets the
    /// program's rule on that date and holds no current certificate for it, in one transaction.
    /// The students' records come a batch at a time through a cursor; each batch asks once which
    /// of its eligible students hold a current certificate, and inserts its new ones in one
    /// statement: a district's run is a few hundred round trips, not one per student.
    package func issueCertificates(programID: String?, asOf: SchoolDate, schools: Set<String>?, context: WriteContext, listingCodes: Bool) async throws(StoreError) -> [CertificateIssue] {
        try await write { connection in
            let programIDs = if let programID { [programID] } else {
                try await connection.values("SELECT id FROM program ORDER BY id", as: String.self)
            }
            var outcomes: [CertificateIssue] = []
            for id in programIDs {
                guard let (content, version) = try await connection.first("""
                    SELECT v.content, v.version FROM program p JOIN programVersion v ON v.programId = p.id AND v.version = p.latestVersion
                    WHERE p.id = \(id)
                    """, as: (String, Int).self) else { continue }
                let program = try Self.decodeContent(Program.self, content)
                let withQuiz = try await Self.lessonsWithQuiz(programID: id, on: connection)
                let asOfText = asOf.description
                let validUntil = program.certificate.validMonths.flatMap { CertificateValidity.lastValidDay(issuedOn: asOf, months: $0) }?.description
                var outcome = CertificateIssue(programID: id, issuedCount: 0, issued: [], alreadyHeld: 0, revokedSkipped: 0, notEligible: 0)
                var random = SystemRandomNumberGenerator()
                try await Self.forEachStudentRecordBatch(ProgramScope(programID: id, to: asOfText), on: connection) { records in
                    var eligible: [StudentProgramRecord] = []
                    for record in records {
                        // A caller limited to some schools issues for their students only.
                        if let schools, !schools.contains(record.latestSchoolID ?? "") { continue }
                        let progress = program.progress(of: record.studentID, attended: record.attended, passed: record.passed, lessonsWithQuiz: withQuiz)
                        if progress.eligible { eligible.append(record) } else { outcome.notEligible += 1 }
                    }
                    guard !eligible.isEmpty else { return }
                    // Per student: a certificate still valid on that date, whenever issued (0 when
                    // one is not revoked, 1 when all are), so issuing today and then for an
                    // earlier day gives nobody two.
                    var held: [String: Int] = [:]
                    for try await (student, revoked) in try await connection.rows("""
                        SELECT studentId, min(CASE WHEN revokedOn IS NULL THEN 0 ELSE 1 END) FROM certificate
                        WHERE programId = \(id) AND studentId = ANY(\(eligible.map(\.studentID))::text[])
                          AND (validUntil IS NULL OR validUntil >= \(asOfText))
                        GROUP BY studentId
                        """).decode((String, Int).self) {
                        held[student] = revoked
                    }
                    var toIssue: [StudentProgramRecord] = []
                    for record in eligible {
                        switch held[record.studentID] {
                        case 0?: outcome.alreadyHeld += 1
                        case _?: outcome.revokedSkipped += 1
                        case nil: toIssue.append(record)
                        }
                    }
                    // 80 random bits each: a collision is astronomically unlikely, but the key
                    // would refuse it; those drawn again.
                    while !toIssue.isEmpty {
                        let codes = toIssue.map { _ in CertificateCode.random(using: &random).normalized }
                        var inserted: Set<String> = []
                        for try await code in try await connection.rows("""
                            INSERT INTO certificate (code, studentId, programId, programVersion, title, schoolId, issuedOn, validUntil, issuedAt, issuedBy)
                            SELECT code, studentId, \(id), \(version), \(program.certificate.title), NULLIF(schoolId, ''), \(asOfText), \(validUntil), \(context.at), \(context.actor)
                            FROM unnest(\(codes)::text[], \(toIssue.map(\.studentID))::text[], \(toIssue.map { $0.latestSchoolID ?? "" })::text[]) AS n(code, studentId, schoolId)
                            ON CONFLICT (code) DO NOTHING
                            RETURNING code
                            """).decode(String.self) {
                            inserted.insert(code)
                        }
                        var again: [StudentProgramRecord] = []
                        for (record, code) in zip(toIssue, codes) {
                            if inserted.contains(code) {
                                outcome.issuedCount += 1
                                if listingCodes { outcome.issued.append((record.studentID, CertificateCode(stored: code))) }
                            } else {
                                again.append(record)
                            }
                        }
                        toIssue = again
                    }
                }
                if outcome.issuedCount > 0 {
                    try await Self.record(AuditEvent(
                        at: context.at, actor: context.actor, action: "issue", entity: "program", entityId: id,
                        detail: "\(outcome.issuedCount) certificate\(outcome.issuedCount == 1 ? "" : "s") dated \(asOfText)"), on: connection)
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

    private static func certificate(_ row: PostgresRow) throws -> StoredCertificate {
        let r = row.makeRandomAccess()
        return StoredCertificate(
            code: try r.at(0), studentID: try r.at(1), givenName: try r.at(2), familyName: try r.at(3), programID: try r.at(4),
            programVersion: try r.at(5), title: try r.at(6), schoolID: try r.at(7), issuedOn: try r.at(8), validUntil: try r.at(9),
            issuedAt: try r.at(10), issuedBy: try r.at(11), revokedOn: try r.at(12), revokedBy: try r.at(13), revocationReason: try r.at(14))
    }

    private static func certificate(code: String, on connection: PostgresConnection) async throws -> StoredCertificate? {
        var found: StoredCertificate?
        for try await row in try await connection.rows("\(unescaped: certificateSQL) WHERE c.code = \(code)") {
            found = try certificate(row)
        }
        return found
    }

    package func certificates(programID: String?) async throws(StoreError) -> [StoredCertificate] {
        try await read { connection in
            var certificates: [StoredCertificate] = []
            for try await row in try await connection.rows("""
                \(unescaped: Self.certificateSQL)
                WHERE \(programID)::text IS NULL OR c.programId = \(programID)
                ORDER BY c.programId, c.issuedOn, s.familyName, s.givenName, c.studentId
                """) {
                certificates.append(try Self.certificate(row))
            }
            return certificates
        }
    }

    package func certificate(code: String) async throws(StoreError) -> StoredCertificate? {
        try await read { connection in try await Self.certificate(code: code, on: connection) }
    }

    /// Revokes a certificate; it stays stored, with when, who and why.
    package func revokeCertificate(code: String, reason: String, on day: SchoolDate, context: WriteContext) async throws(StoreError) -> StoredCertificate? {
        try await write { connection in
            guard let existing = try await Self.certificate(code: code, on: connection) else { return nil }
            if existing.revokedOn != nil { return existing }
            try await connection.run("""
                UPDATE certificate SET revokedOn = \(day.description), revokedAt = \(context.at), revokedBy = \(context.actor),
                                       revocationReason = \(reason) WHERE code = \(code)
                """)
            try await Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "revoke", entity: "certificate", entityId: code,
                field: "status", oldValue: "issued", newValue: "revoked", reason: reason), on: connection)
            var revoked = existing
            revoked.revokedOn = day.description
            revoked.revokedBy = context.actor
            revoked.revocationReason = reason
            return revoked
        }
    }

    /// Reinstates a revoked certificate: the revocation is cleared from it and kept in the audit
    /// trail. nil when there is no such certificate, false when it is not revoked.
    package func reinstateCertificate(code: String, reason: String, context: WriteContext) async throws(StoreError) -> Bool? {
        try await write { connection -> Bool? in
            guard let (revokedOn, revocationReason) = try await connection.first(
                "SELECT revokedOn, revocationReason FROM certificate WHERE code = \(code)", as: (String?, String?).self) else { return nil }
            guard let revokedOn else { return false }
            try await connection.run(
                "UPDATE certificate SET revokedOn = NULL, revokedAt = NULL, revokedBy = NULL, revocationReason = NULL WHERE code = \(code)")
            try await Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "reinstate", entity: "certificate", entityId: code,
                field: "status", oldValue: "revoked", newValue: "issued", reason: reason,
                detail: "revoked on \(revokedOn)\(revocationReason.map { " (\($0))" } ?? "")"), on: connection)
            return true
        }
    }

    /// The agency of the officer who taught a student the most sessions of a program.
    private static func teachingAgency(programID: String, studentID: String, on connection: PostgresConnection) async throws -> String? {
        let agency: String? = try await connection.first("""
            SELECT o.agency FROM mark m
            JOIN session s ON s.id = m.sessionId AND s.voidedAt IS NULL
            JOIN lesson l ON l.id = s.lessonId AND l.programId = \(programID)
            JOIN officer o ON o.id = s.officerId
            WHERE m.studentId = \(studentID) AND m.status IN ('present', 'late')
            GROUP BY o.id ORDER BY count(*) DESC, o.id LIMIT 1
            """, as: (String?).self) ?? nil
        return agency?.isEmpty == false ? agency : nil
    }

    package func certificatePrintDetails(code: String) async throws(StoreError) -> CertificatePrintDetails? {
        try await read { connection -> CertificatePrintDetails? in
            guard let (studentID, programID, schoolName) = try await connection.first("""
                SELECT c.studentId, c.programId, s.name FROM certificate c LEFT JOIN school s ON s.id = c.schoolId WHERE c.code = \(code)
                """, as: (String, String, String?).self) else { return nil }
            return CertificatePrintDetails(
                schoolName: schoolName, officerAgency: try await Self.teachingAgency(programID: programID, studentID: studentID, on: connection))
        }
    }

    /// Streams the current certificates of a program in `scope`, by family name, given name and
    /// student id, each with what its printed page says; a batch at a time through a cursor.
    package func currentCertificates(programID: String, in scope: CertificatePagesScope, on day: String,
                                     _ each: (StoredCertificate, CertificatePrintDetails) -> Bool) async throws(StoreError) -> Int {
        try await read { connection in
            let columns = """
                c.code, c.studentId, s.givenName, s.familyName, c.programId, c.programVersion, c.title, c.schoolId, c.issuedOn,
                c.validUntil, c.issuedAt, c.issuedBy, c.revokedOn, c.revokedBy, c.revocationReason, sc.name
                """
            let query: PostgresQuery
            switch scope {
            case .schoolClass(let classID):
                query = """
                    SELECT \(unescaped: columns) FROM enrollment e
                    JOIN certificate c ON c.studentId = e.studentId AND c.programId = \(programID)
                    JOIN student s ON s.id = c.studentId
                    LEFT JOIN school sc ON sc.id = c.schoolId
                    WHERE e.classId = \(classID) AND c.revokedOn IS NULL AND c.issuedOn <= \(day) AND (c.validUntil IS NULL OR c.validUntil >= \(day))
                    ORDER BY s.familyName, s.givenName, s.id, c.code
                    """
            case .school(let schoolID):
                query = """
                    SELECT \(unescaped: columns) FROM certificate c
                    JOIN student s ON s.id = c.studentId
                    LEFT JOIN school sc ON sc.id = c.schoolId
                    WHERE c.programId = \(programID) AND c.schoolId = \(schoolID)
                      AND c.revokedOn IS NULL AND c.issuedOn <= \(day) AND (c.validUntil IS NULL OR c.validUntil >= \(day))
                    ORDER BY s.familyName, s.givenName, s.id, c.code
                    """
            }
            var count = 0
            var stopped = false
            try await connection.forEachBatch(query, batch: 500) { rows in
                for row in rows where !stopped {
                    let certificate = try Self.certificate(row)
                    let schoolName = try row.makeRandomAccess().at(15, String?.self)
                    let details = CertificatePrintDetails(
                        schoolName: schoolName,
                        officerAgency: try await Self.teachingAgency(programID: programID, studentID: certificate.studentID, on: connection))
                    count += 1
                    if !each(certificate, details) { stopped = true }
                }
            }
            return count
        }
    }

    package func issuer() async throws(StoreError) -> StoredIssuer? {
        try await read { connection -> StoredIssuer? in
            guard let row = try await connection.first(
                "SELECT name, url, keyId, publicJwk, keyPath, createdAt, createdBy FROM issuer WHERE id = 1",
                as: (String, String, String, String, String, String, String).self) else { return nil }
            return StoredIssuer(name: row.0, url: row.1, keyID: row.2, publicJWK: row.3, keyPath: row.4, createdAt: row.5, createdBy: row.6)
        }
    }

    /// Stores the issuer, audited; false (nothing written) when one is already stored.
    package func createIssuer(name: String, url: String, keyID: String, publicJWK: String, keyPath: String, context: WriteContext) async throws(StoreError) -> Bool {
        try await write { connection in
            if try await connection.value("SELECT 1::bigint FROM issuer WHERE id = 1", as: Int.self) != nil { return false }
            try await connection.run("""
                INSERT INTO issuer (id, name, url, keyId, publicJwk, keyPath, createdAt, createdBy)
                VALUES (1, \(name), \(url), \(keyID), \(publicJWK), \(keyPath), \(context.at), \(context.actor))
                """)
            try await Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "create", entity: "issuer", entityId: keyID,
                detail: "\(name) <\(url)>, private key written to \(keyPath)"), on: connection)
            return true
        }
    }

    /// The certificate's recipient salt and status-list index, kept the first time asked for.
    package func badgeEntry(code: String, fresh: String) async throws(StoreError) -> (salt: String, statusIndex: Int)? {
        try await write { connection -> (salt: String, statusIndex: Int)? in
            try await connection.run("UPDATE certificate SET recipientSalt = \(fresh) WHERE code = \(code) AND recipientSalt IS NULL")
            try await connection.run("""
                UPDATE certificate SET statusIndex = (SELECT coalesce(max(statusIndex) + 1, 0) FROM certificate)
                WHERE code = \(code) AND statusIndex IS NULL
                """)
            guard let (salt, index) = try await connection.first(
                "SELECT recipientSalt, statusIndex FROM certificate WHERE code = \(code)", as: (String, Int).self) else { return nil }
            return (salt, index)
        }
    }

    /// Gives every certificate of a program and/or school that has none a salt and a status
    /// index, in one transaction; returns each one's (unrevoked ones only).
    package func assignBadgeEntries(programID: String?, schoolID: String?, fresh: () -> String) async throws(StoreError) -> [String: (salt: String, statusIndex: Int)] {
        try await write { connection -> [String: (salt: String, statusIndex: Int)] in
            let missing = try await connection.values("""
                SELECT code FROM certificate
                WHERE revokedOn IS NULL AND (\(programID)::text IS NULL OR programId = \(programID)) AND (\(schoolID)::text IS NULL OR schoolId = \(schoolID))
                  AND (recipientSalt IS NULL OR statusIndex IS NULL)
                ORDER BY issuedOn, code
                """, as: String.self)
            if !missing.isEmpty {
                let next = try await connection.value("SELECT coalesce(max(statusIndex) + 1, 0) FROM certificate", as: Int.self) ?? 0
                let salts = missing.map { _ in fresh() }
                try await connection.run("""
                    UPDATE certificate c SET recipientSalt = coalesce(c.recipientSalt, n.salt), statusIndex = coalesce(c.statusIndex, n.place - 1 + \(next))
                    FROM unnest(\(missing)::text[], \(salts)::text[]) WITH ORDINALITY AS n(code, salt, place)
                    WHERE c.code = n.code
                    """)
            }
            var entries: [String: (salt: String, statusIndex: Int)] = [:]
            for try await (code, salt, index) in try await connection.rows("""
                SELECT code, recipientSalt, statusIndex FROM certificate
                WHERE revokedOn IS NULL AND (\(programID)::text IS NULL OR programId = \(programID)) AND (\(schoolID)::text IS NULL OR schoolId = \(schoolID))
                """).decode((String, String, Int).self) {
                entries[code] = (salt, index)
            }
            return entries
        }
    }

    /// The status indexes of revoked certificates, and how many indexes are assigned.
    package func revocationStatus() async throws(StoreError) -> (revoked: [Int], assigned: Int) {
        try await read { connection -> (revoked: [Int], assigned: Int) in
            let revoked = try await connection.values(
                "SELECT statusIndex FROM certificate WHERE revokedOn IS NOT NULL AND statusIndex IS NOT NULL", as: Int.self)
            let assigned = try await connection.value("SELECT coalesce(max(statusIndex) + 1, 0) FROM certificate", as: Int.self) ?? 0
            return (revoked, assigned)
        }
    }
}

import BridgesCore
import BridgesStore
import GRDB

extension SQLiteStore {
    /// Streams the current certificates of a program (issued by `day`, not revoked, not past
    /// their last valid day) in `scope`, by family name, given name and student id, each with
    /// what its printed page says beyond the certificate. Row by row from one read: memory stays
    /// flat however many there are. `each` returns false to stop. Returns how many were passed.
    package func currentCertificates(programID: String, in scope: CertificatePagesScope, on day: String,
                                     _ each: (StoredCertificate, CertificatePrintDetails) -> Bool) throws(StoreError) -> Int {
        try read { db in
            let columns = """
                c.code, c.studentId, s.givenName, s.familyName, c.programId, c.programVersion, c.title, c.schoolId, c.issuedOn,
                c.validUntil, c.issuedAt, c.issuedBy, c.revokedOn, c.revokedBy, c.revocationReason, sc.name
                """
            let current = "c.revokedOn IS NULL AND c.issuedOn <= :day AND (c.validUntil IS NULL OR c.validUntil >= :day)"
            let order = "ORDER BY s.familyName, s.givenName, s.id, c.code"
            let sql: String
            let target: String
            switch scope {
            case .schoolClass(let classID):
                target = classID
                // One student's certificates of the program through index certificate_student.
                sql = """
                    SELECT \(columns) FROM enrollment e
                    JOIN certificate c ON c.studentId = e.studentId AND c.programId = :program
                    JOIN student s ON s.id = c.studentId
                    LEFT JOIN school sc ON sc.id = c.schoolId
                    WHERE e.classId = :target AND \(current) \(order)
                    """
            case .school(let schoolID):
                target = schoolID
                sql = """
                    SELECT \(columns) FROM certificate c
                    JOIN student s ON s.id = c.studentId
                    LEFT JOIN school sc ON sc.id = c.schoolId
                    WHERE c.programId = :program AND c.schoolId = :target AND \(current) \(order)
                    """
            }
            let agency = try db.cachedStatement(sql: Self.teachingAgencySQL)
            let rows = try Row.fetchCursor(db, sql: sql, arguments: ["program": programID, "target": target, "day": day])
            var count = 0
            while let row = try rows.next() {
                let certificate = StoredCertificate(
                    code: row[0], studentID: row[1], givenName: row[2], familyName: row[3], programID: row[4], programVersion: row[5],
                    title: row[6], schoolID: row[7], issuedOn: row[8], validUntil: row[9], issuedAt: row[10], issuedBy: row[11],
                    revokedOn: row[12], revokedBy: row[13], revocationReason: row[14])
                let taughtBy = try String.fetchOne(agency, arguments: [programID, certificate.studentID])
                let details = CertificatePrintDetails(schoolName: row[15], officerAgency: taughtBy?.isEmpty == false ? taughtBy : nil)
                count += 1
                guard each(certificate, details) else { break }
            }
            return count
        }
    }
}

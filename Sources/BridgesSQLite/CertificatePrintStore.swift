import BridgesCore
import BridgesStore
import GRDB

extension SQLiteStore {
    package func certificatePrintDetails(code: String) throws(StoreError) -> CertificatePrintDetails? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT c.studentId, c.programId, s.name FROM certificate c LEFT JOIN school s ON s.id = c.schoolId WHERE c.code = ?
                """, arguments: [code]) else { return nil }
            let studentID: String = row[0]
            let programID: String = row[1]
            // One student's marks (index mark_student), ties broken by the officer's id so a reprint says the same.
            let agency = try String.fetchOne(db, sql: Self.teachingAgencySQL, arguments: [programID, studentID])
            return CertificatePrintDetails(schoolName: row[2], officerAgency: agency?.isEmpty == false ? agency : nil)
        }
    }

    /// The agency of the officer who taught a student (`?2`) the most sessions of a program
    /// (`?1`): see `CertificatePrintDetails.officerAgency`.
    static let teachingAgencySQL = """
        SELECT o.agency FROM mark m
        JOIN session s ON s.id = m.sessionId AND s.voidedAt IS NULL
        JOIN lesson l ON l.id = s.lessonId AND l.programId = ?
        JOIN officer o ON o.id = s.officerId
        WHERE m.studentId = ? AND m.status IN ('present', 'late')
        GROUP BY o.id ORDER BY COUNT(*) DESC, o.id LIMIT 1
        """
}

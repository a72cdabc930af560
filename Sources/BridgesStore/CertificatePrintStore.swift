import BridgesCore
import Foundation

/// What a printed certificate says beyond the certificate itself (issue 14, item 3).
package struct CertificatePrintDetails: Sendable, Hashable {
    /// The name of the school the certificate was issued for, from the roster.
    package var schoolName: String?
    /// The agency of the officer who taught the holder the most sessions of the program (sessions
    /// the student was marked present or late at, not voided); nil when none, or that officer has none.
    package var officerAgency: String?

    package init(schoolName: String?, officerAgency: String?) {
        self.schoolName = schoolName
        self.officerAgency = officerAgency
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

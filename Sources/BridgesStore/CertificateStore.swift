import BridgesCore
import Foundation

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

    package init(code: String, studentID: String, givenName: String, familyName: String, programID: String, programVersion: Int, title: String, schoolID: String?, issuedOn: String, validUntil: String?, issuedAt: String, issuedBy: String, revokedOn: String?, revokedBy: String?, revocationReason: String?) {
        self.code = code
        self.studentID = studentID
        self.givenName = givenName
        self.familyName = familyName
        self.programID = programID
        self.programVersion = programVersion
        self.title = title
        self.schoolID = schoolID
        self.issuedOn = issuedOn
        self.validUntil = validUntil
        self.issuedAt = issuedAt
        self.issuedBy = issuedBy
        self.revokedOn = revokedOn
        self.revokedBy = revokedBy
        self.revocationReason = revocationReason
    }
}

/// How long a certificate is valid, the same for every store.
package enum CertificateValidity {
    /// The last day a certificate issued on `issuedOn` is valid for `months`: the day before the
    /// same date `months` later, or that month's last day when the date does not exist in it
    /// (issued 29 February, valid through 28 February two years on).
    package static func lastValidDay(issuedOn: SchoolDate, months: Int) -> SchoolDate? {
        guard let anniversary = issuedOn.adding(months: months) else { return nil }
        return anniversary.day < issuedOn.day ? anniversary : anniversary.adding(days: -1)
    }
}

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
}

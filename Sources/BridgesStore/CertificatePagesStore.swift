import BridgesCore
import Foundation

/// Which certificates a printed file of many holds (`certificate print --program --class`).
package enum CertificatePagesScope: Sendable, Hashable {
    /// The students enrolled in this class now.
    case schoolClass(String)
    /// The certificates issued for this school (the school recorded at issue).
    case school(String)
}

import BridgesCore
import Foundation

extension OfficerSave.Change {
    /// What the audit trail's "add" event of an officer says of them (every store writes the same).
    package static func detail(_ officer: Officer) -> String {
        var parts = ["name: \(officer.name)"]
        if let agency = officer.agency { parts.append("agency: \(agency)") }
        if let until = officer.certifiedUntil { parts.append("certified until: \(until)") }
        return parts.joined(separator: "; ")
    }
}

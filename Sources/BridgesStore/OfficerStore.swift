import BridgesCore
import Foundation

/// What saving an officer did.
package enum OfficerSaveOutcome: Sendable, Equatable {
    /// An id not stored before.
    case added
    /// A stored id whose details changed; each change is in the audit trail with old and new.
    case updated([OfficerFieldChange])
    /// A stored id with the same details: nothing was written.
    case unchanged
}

/// One detail of an officer that a save changed.
package struct OfficerFieldChange: Sendable, Hashable {
    /// `name`, `agency` or `certifiedUntil`, as the audit trail names the field.
    package var field: String
    package var oldValue: String?
    package var newValue: String?

    package init(field: String, oldValue: String?, newValue: String?) {
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
    }

    /// What the audit trail's "add" event of an officer says of them (every store writes the same).
    package static func detail(_ officer: Officer) -> String {
        var parts = ["name: \(officer.name)"]
        if let agency = officer.agency { parts.append("agency: \(agency)") }
        if let until = officer.certifiedUntil { parts.append("certified until: \(until)") }
        return parts.joined(separator: "; ")
    }
}

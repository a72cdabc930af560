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
}

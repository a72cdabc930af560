/// What saving an officer (`officer add`) did.
public enum OfficerSave: Sendable, Hashable {
    /// An id not stored before.
    case added
    /// A stored id whose details changed; each change is in the audit trail with old and new.
    case updated([Change])
    /// A stored id with the same details: nothing was written.
    case unchanged

    /// One detail of an officer that a save changed.
    public struct Change: Sendable, Hashable {
        /// `name`, `agency` or `certifiedUntil`, as the audit trail names the field.
        public var field: String
        public var oldValue: String?
        public var newValue: String?

        public init(field: String, oldValue: String?, newValue: String?) {
            self.field = field
            self.oldValue = oldValue
            self.newValue = newValue
        }
    }
}

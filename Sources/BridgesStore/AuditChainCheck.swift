import BridgesCore
import Foundation

/// What the hash chain check found: how long the chain is, its head, and the first event that
/// does not fit (nil when every event does).
package struct AuditChainFinding: Sendable, Hashable {
    package var events: Int64
    /// The last event's `chainHash`: write it down, and a later chain that no longer holds it was
    /// rewritten and recomputed.
    package var head: String?
    package var firstProblem: Message?

    package init(events: Int64, head: String?, firstProblem: Message?) {
        self.events = events
        self.head = head
        self.firstProblem = firstProblem
    }
}

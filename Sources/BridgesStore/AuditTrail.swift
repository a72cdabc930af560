import BridgesCore
import Foundation

/// One entry of the append-only audit trail.
package struct AuditEvent: Sendable, Hashable, Codable {

    package var id: Int64?
    package var at: String
    package var actor: String
    package var action: String
    package var entity: String
    package var entityId: String
    package var field: String?
    package var oldValue: String?
    package var newValue: String?
    package var reason: String?
    package var detail: String?

    package init(
        at: String, actor: String, action: String, entity: String, entityId: String,
        field: String? = nil, oldValue: String? = nil, newValue: String? = nil, reason: String? = nil, detail: String? = nil
    ) {
        self.at = at
        self.actor = actor
        self.action = action
        self.entity = entity
        self.entityId = entityId
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.reason = reason
        self.detail = detail
    }
}

/// Who is writing and when: every write command carries one.
package struct WriteContext: Sendable {
    package var actor: String
    /// ISO 8601 UTC, to the second; one instant for the whole command.
    package var at: String

    package init(actor: String, at: Date) {
        self.actor = actor
        self.at = Timestamp.iso8601(at)
    }
}

package enum Timestamp {
    /// `2026-11-22T03:18:24Z`: sortable as text, the same in every time zone.
    package static func iso8601(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}

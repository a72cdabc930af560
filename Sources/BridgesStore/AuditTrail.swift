import Foundation
import GRDB

/// One entry of the append-only audit trail.
package struct AuditEvent: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    package static let databaseTableName = "auditEvent"

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

    package init(actor: String, at: Date = Date()) {
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

extension BridgesDatabase {
    package static func record(_ event: AuditEvent, in db: Database) throws {
        // Chained to the last event (AuditChain); a cached statement inside, as bulk commands
        // record an event per item.
        try appendAuditEvent(
            at: event.at, actor: event.actor, action: event.action, entity: event.entity, entityId: event.entityId,
            field: event.field, oldValue: event.oldValue, newValue: event.newValue, reason: event.reason, detail: event.detail, in: db)
    }

    /// The trail of one thing, oldest first.
    package func auditTrail(entity: String, id: String) throws(StoreError) -> [AuditEvent] {
        try read { db in
            try AuditEvent.fetchAll(db, sql: "SELECT * FROM auditEvent WHERE entity = ? AND entityId = ? ORDER BY id", arguments: [entity, id])
        }
    }
}

extension BridgesDatabase {
    /// Records a fact about the database as a whole (that the demo built it).
    package func recordMarker(_ action: String, actor: String) throws(StoreError) {
        try write { db in
            try Self.record(AuditEvent(at: WriteContext(actor: actor).at, actor: actor, action: action, entity: "database", entityId: "bridges"), in: db)
        }
    }

    /// Whether any record is stored (the audit trail of an empty database may still say it was
    /// opened).
    package func holdsRecords() throws(StoreError) -> Bool {
        try read { db in
            for table in ["program", "school", "student", "officer", "session", "certificate"] {
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM \(table) LIMIT 1") != nil { return true }
            }
            return false
        }
    }

    /// Whether the trail's last event is this marker: nothing was recorded after it.
    package func lastEventIsMarker(_ action: String) throws(StoreError) -> Bool {
        try read { db in
            guard let last = try Row.fetchOne(db, sql: "SELECT entity, action FROM auditEvent ORDER BY id DESC LIMIT 1") else { return false }
            return last[0] as String == "database" && last[1] as String == action
        }
    }

    package func hasMarker(_ action: String) throws(StoreError) -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM auditEvent WHERE entity = 'database' AND action = ?", arguments: [action]) != nil
        }
    }
}

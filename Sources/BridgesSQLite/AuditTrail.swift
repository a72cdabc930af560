import Foundation
import BridgesStore
import GRDB

extension AuditEvent: FetchableRecord, PersistableRecord {
    package static let databaseTableName = "auditEvent"
}

extension SQLiteStore {
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

extension SQLiteStore {
    /// Records a fact about the database as a whole (that the demo built it).
    package func recordMarker(_ action: String, context: WriteContext) throws(StoreError) {
        try write { db in
            try Self.record(AuditEvent(at: context.at, actor: context.actor, action: action, entity: "database", entityId: "bridges"), in: db)
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

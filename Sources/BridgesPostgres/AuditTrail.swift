import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Appends one event to the trail, chained to the last one (AuditChain). Every write of the
    /// trail goes through here, inside a write transaction: the writers' lock makes "the last
    /// one" the same for everybody. The id is the last plus one, as it is part of what is hashed.
    static func record(_ event: AuditEvent, on connection: PostgresConnection) async throws {
        let last = try await connection.first("SELECT id, chainHash FROM auditEvent ORDER BY id DESC LIMIT 1", as: (Int64, String?).self)
        let id = (last?.0 ?? 0) + 1
        let hash = AuditChain.hash(
            previous: last?.1 ?? AuditChain.genesis, id: id, at: event.at, actor: event.actor, action: event.action,
            entity: event.entity, entityId: event.entityId, field: event.field,
            oldValue: event.oldValue, newValue: event.newValue, reason: event.reason, detail: event.detail)
        try await connection.run("""
            INSERT INTO auditEvent (id, at, actor, action, entity, entityId, field, oldValue, newValue, reason, detail, chainHash)
            VALUES (\(id), \(event.at), \(event.actor), \(event.action), \(event.entity), \(event.entityId), \(event.field),
                    \(event.oldValue), \(event.newValue), \(event.reason), \(event.detail), \(hash))
            """)
    }

    package func auditTrail(entity: String, id: String) async throws(StoreError) -> [AuditEvent] {
        try await read { connection in
            var events: [AuditEvent] = []
            let rows = try await connection.rows("""
                SELECT id, at, actor, action, entity, entityId, field, oldValue, newValue, reason, detail
                FROM auditEvent WHERE entity = \(entity) AND entityId = \(id) ORDER BY id
                """)
            for try await row in rows {
                let c = try row.decode((Int64, String, String, String, String, String, String?, String?, String?, String?, String?).self)
                var event = AuditEvent(
                    at: c.1, actor: c.2, action: c.3, entity: c.4, entityId: c.5,
                    field: c.6, oldValue: c.7, newValue: c.8, reason: c.9, detail: c.10)
                event.id = c.0
                events.append(event)
            }
            return events
        }
    }

    package func recordMarker(_ action: String, context: WriteContext) async throws(StoreError) {
        try await write { connection in
            try await Self.record(
                AuditEvent(at: context.at, actor: context.actor, action: action, entity: "database", entityId: "bridges"), on: connection)
        }
    }

    package func holdsRecords() async throws(StoreError) -> Bool {
        try await read { connection in
            for table in ["program", "school", "student", "officer", "session", "certificate"] {
                if try await connection.value("SELECT 1::bigint FROM \(unescaped: table) LIMIT 1", as: Int64.self) != nil { return true }
            }
            return false
        }
    }

    package func lastEventIsMarker(_ action: String) async throws(StoreError) -> Bool {
        try await read { connection in
            guard let (entity, lastAction) = try await connection.first(
                "SELECT entity, action FROM auditEvent ORDER BY id DESC LIMIT 1", as: (String, String).self) else { return false }
            return entity == "database" && lastAction == action
        }
    }
}

import BridgesCore
import BridgesStore
import GRDB

extension SQLiteStore {
    /// Appends one event to the trail, chained to the last one. Every write of the trail goes
    /// through here (bulk imports too), so no event is written without its hash. The id is given
    /// explicitly (the last one plus one) because it is part of what is hashed.
    package static func appendAuditEvent(
        at: String, actor: String, action: String, entity: String, entityId: String, field: String? = nil,
        oldValue: String? = nil, newValue: String? = nil, reason: String? = nil, detail: String? = nil, in db: Database
    ) throws {
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, chainHash FROM auditEvent ORDER BY id DESC LIMIT 1"))
        let id: Int64 = (last?[0] as Int64? ?? 0) + 1
        let previous: String = last?[1] ?? AuditChain.genesis
        let hash = AuditChain.hash(
            previous: previous, id: id, at: at, actor: actor, action: action, entity: entity, entityId: entityId, field: field,
            oldValue: oldValue, newValue: newValue, reason: reason, detail: detail)
        try db.cachedStatement(sql: """
            INSERT INTO auditEvent (id, at, actor, action, entity, entityId, field, oldValue, newValue, reason, detail, chainHash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [id, at, actor, action, entity, entityId, field, oldValue, newValue, reason, detail, hash])
    }

    /// Chains every event already stored, in order (the migration that brings the chain to an
    /// existing database). The trigger that refuses updates is dropped by the caller meanwhile.
    static func chainExistingEvents(_ db: Database) throws {
        let update = try db.makeStatement(sql: "UPDATE auditEvent SET chainHash = ? WHERE id = ?")
        var previous = AuditChain.genesis
        var after: Int64 = 0
        // A batch at a time, read whole before it is written: no update while a cursor reads the
        // table, and memory stays flat however long the trail.
        while true {
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, at, actor, action, entity, entityId, field, oldValue, newValue, reason, detail FROM auditEvent
                WHERE id > ? ORDER BY id LIMIT 10000
                """, arguments: [after])
            guard let lastRow = rows.last else { return }
            for row in rows {
                let id: Int64 = row[0]
                previous = AuditChain.hash(
                    previous: previous, id: id, at: row[1], actor: row[2], action: row[3], entity: row[4], entityId: row[5], field: row[6],
                    oldValue: row[7], newValue: row[8], reason: row[9], detail: row[10])
                try update.execute(arguments: [previous, id])
            }
            after = lastRow[0]
        }
    }
}

import BridgesCore
import BridgesStore
import GRDB

extension SQLiteInspection {
    /// Walks the trail once, in order, recomputing each event's hash from the previous one, and
    /// stops at the first event that does not fit: a number missing (an event removed), no hash
    /// (written outside Bridges), or a hash that is not its own (rewritten, or put in the place of
    /// another). Memory stays flat: one event at a time.
    package func auditChain() throws(StoreError) -> AuditChainFinding {
        try read { db in
            let columns = try db.columns(in: "auditEvent").map(\.name)
            guard columns.contains("chainHash") else {
                return AuditChainFinding(events: 0, head: nil, firstProblem: "the trail has no hash chain yet; `\(.upgrade)` adds it")
            }
            let events = try Row.fetchCursor(db, sql: """
                SELECT id, at, actor, action, entity, entityId, field, oldValue, newValue, reason, detail, chainHash, erased
                FROM auditEvent ORDER BY id
                """)
            var walk = AuditChainWalk()
            while let row = try events.next() {
                if let finding = walk.take(
                    id: row[0], at: row[1], actor: row[2], action: row[3], entity: row[4], entityId: row[5], field: row[6],
                    oldValue: row[7], newValue: row[8], reason: row[9], detail: row[10], chainHash: row[11], erased: row[12]) {
                    return finding
                }
            }
            return walk.finding
        }
    }

    /// Replays the trail against the records it explains and names the first that does not fit:
    /// a session voided or un-voided, a certificate revoked, reinstated, added or removed, or an
    /// event's personal data blanked, outside Bridges. (Marks are replayed by the audit trail
    /// check.) One pass over the events, one over the certificates grouped by their issue.
    package func auditReplayProblems() throws(StoreError) -> [Message] {
        try read { db in
            guard try db.tableExists("session"), try db.tableExists("certificate") else { return [] }
            let hasErased = try db.columns(in: "auditEvent").contains { $0.name == "erased" }
            var replay = AuditReplay()
            let events = try Row.fetchCursor(db, sql: """
                SELECT id, action, entity, entityId, at, actor, detail, \(hasErased ? "erased" : "NULL"), oldValue FROM auditEvent
                WHERE entity IN ('session', 'certificate', 'program', 'student') OR \(hasErased ? "erased IS NOT NULL" : "0")
                ORDER BY id
                """)
            while let row = try events.next() {
                replay.event(
                    id: row[0], action: row[1], entity: row[2], entityId: row[3], at: row[4], actor: row[5], detail: row[6],
                    erased: (row[7] as String?) != nil, oldValue: row[8])
            }
            var problems: [Message] = []
            if let finding = replay.erasureProblem { problems.append(finding) }
            let sessions = try Row.fetchCursor(db, sql: "SELECT id FROM session WHERE voidedAt IS NULL ORDER BY id")
            while let row = try sessions.next() {
                if let finding = replay.unvoided(session: row[0]) {
                    problems.append(finding)
                    break
                }
            }
            let certificates = try Row.fetchCursor(db, sql: "SELECT code, revokedAt FROM certificate ORDER BY code")
            while let row = try certificates.next() {
                if let finding = replay.certificate(code: row[0], revokedAt: row[1]) {
                    problems.append(finding)
                    break
                }
            }
            let groups = try Row.fetchCursor(db, sql: """
                SELECT programId, issuedAt, issuedBy, count(*), min(code) FROM certificate GROUP BY programId, issuedAt, issuedBy ORDER BY min(code)
                """)
            while let row = try groups.next() {
                if let finding = replay.issueGroup(programId: row[0], issuedAt: row[1], issuedBy: row[2], count: row[3], firstCode: row[4]) {
                    problems.append(finding)
                }
            }
            if let finding = replay.missingIssue { problems.append(finding) }
            return problems
        }
    }
}

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
            var previous = AuditChain.genesis
            var expectedID: Int64 = 1
            var count: Int64 = 0
            while let row = try events.next() {
                let id: Int64 = row[0]
                if id != expectedID {
                    let missing = id > expectedID
                        ? "event \(expectedID)\(id - expectedID > 1 ? "–\(id - 1)" : "") \(id - expectedID > 1 ? "are" : "is") missing (removed from the trail); the chain breaks before event \(id)"
                        : "event \(id) is out of place"
                    return AuditChainFinding(events: count, head: previous, firstProblem: Message(missing))
                }
                let stored: String? = row[11]
                let action: String = row[3]
                let entity: String = row[4]
                let entityId: String = row[5]
                let what = "event \(id) (\(action) \(entity) \(entityId), \(row[1] as String))"
                guard let stored else {
                    return AuditChainFinding(events: count, head: previous, firstProblem: "\(what) has no chain hash: it was written outside Bridges")
                }
                let computed = AuditChain.hash(
                    previous: previous, id: id, at: row[1], actor: row[2], action: action, entity: entity, entityId: entityId, field: row[6],
                    oldValue: row[7], newValue: row[8], reason: row[9], detail: row[10], erased: row[12])
                if computed != stored {
                    return AuditChainFinding(events: count, head: previous, firstProblem: "\(what) does not match its chain hash: it was rewritten, or written in place of another, outside Bridges")
                }
                previous = stored
                expectedID += 1
                count += 1
            }
            return AuditChainFinding(events: count, head: count == 0 ? nil : previous, firstProblem: nil)
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
            var voided: [Int64: Bool] = [:]  // session → whether its last void-like event voided it
            var revoked: [String: String?] = [:]  // code → revokedAt expected (nil: reinstated)
            var issued: [String: Int] = [:]  // "program|at|actor" → certificates
            var erasedStudents: Set<String> = []
            var erasedRows: [(Int64, String, String)] = []
            let events = try Row.fetchCursor(db, sql: """
                SELECT id, action, entity, entityId, at, actor, detail, \(hasErased ? "erased" : "NULL"), oldValue FROM auditEvent
                WHERE entity IN ('session', 'certificate', 'program', 'student') OR \(hasErased ? "erased IS NOT NULL" : "0")
                ORDER BY id
                """)
            while let row = try events.next() {
                let id: Int64 = row[0]
                let action: String = row[1]
                let entity: String = row[2]
                let entityId: String = row[3]
                if let _: String = row[7] { erasedRows.append((id, entity, entityId)) }
                switch (entity, action) {
                case ("session", "void"):
                    if let session = Int64(entityId) { voided[session] = true }
                case ("certificate", "revoke"):
                    revoked[entityId] = .some(row[4])
                case ("certificate", "reinstate"):
                    revoked[entityId] = .some(nil)
                case ("certificate", "purge"):
                    // Retention took it: its issue counts one fewer (`oldValue` names the issue).
                    revoked[entityId] = nil
                    if let issue: String = row[8] { issued[issue, default: 0] -= 1 }
                case ("program", "issue"):
                    let detail: String = row[6] ?? ""
                    issued["\(entityId)|\(row[4] as String)|\(row[5] as String)", default: 0] += Int(detail.prefix { $0.isNumber }) ?? 0
                case ("student", "erase"):
                    erasedStudents.insert(entityId)
                default:
                    break
                }
            }
            var problems: [Message] = []
            // Personal data blanked in an event whose student was never erased.
            if let (id, entity, entityId) = erasedRows.first(where: { !($0.1 == "student" && erasedStudents.contains($0.2)) }) {
                problems.append("event \(id) (\(entity) \(entityId)) had its personal data blanked, and no erasure of that student is recorded")
            }
            // Sessions: voided without a void event (the audit trail check), or un-voided.
            let sessions = try Row.fetchCursor(db, sql: "SELECT id, voidedAt IS NOT NULL FROM session WHERE voidedAt IS NULL ORDER BY id")
            while let row = try sessions.next() {
                let id: Int64 = row[0]
                if voided[id] == true {
                    problems.append("session \(id) is not voided, but its trail records that it was: changed outside Bridges")
                    break
                }
            }
            // Certificates: each revoked one by its last revoke event, each reinstated one not
            // revoked, and each group issued together counted by its issue event.
            let certificates = try Row.fetchCursor(db, sql: "SELECT code, revokedAt FROM certificate ORDER BY code")
            var firstRevocation: String?
            while let row = try certificates.next() {
                let code: String = row[0]
                let revokedAt: String? = row[1]
                let expected: String?? = revoked[code]
                let fits: Bool
                switch expected {
                case .none: fits = revokedAt == nil
                case .some(let at): fits = revokedAt == at
                }
                if !fits {
                    firstRevocation = revokedAt == nil
                        ? "certificate \(code) is not revoked, but its trail says it was: changed outside Bridges"
                        : "certificate \(code) is revoked, but its trail does not say so (or says another time): changed outside Bridges"
                    break
                }
            }
            if let firstRevocation { problems.append(Message(firstRevocation)) }
            let groups = try Row.fetchCursor(db, sql: """
                SELECT programId, issuedAt, issuedBy, count(*), min(code) FROM certificate GROUP BY programId, issuedAt, issuedBy ORDER BY min(code)
                """)
            var firstIssue: String?
            while let row = try groups.next() {
                let key = "\(row[0] as String)|\(row[1] as String)|\(row[2] as String)"
                let count: Int = row[3]
                let expected = issued.removeValue(forKey: key) ?? 0
                guard firstIssue == nil, count != expected else { continue }
                firstIssue = expected == 0
                    ? "certificate \(row[4] as String) has no issue event (program \(row[0] as String), issued \(row[1] as String)): added outside Bridges"
                    : "program \(row[0] as String)'s certificates issued at \(row[1] as String) are \(count), and the trail issued \(expected): \(count > expected ? "added" : "removed") outside Bridges"
            }
            // Issues whose every certificate is gone.
            if firstIssue == nil, let (key, count) = issued.filter({ $0.value > 0 }).min(by: { $0.key < $1.key }) {
                let parts = key.split(separator: "|", omittingEmptySubsequences: false)
                firstIssue = "program \(parts[0])'s \(count) certificate\(count == 1 ? "" : "s") issued at \(parts.count > 1 ? parts[1] : "") are missing: removed outside Bridges"
            }
            if let firstIssue { problems.append(Message(firstIssue)) }
            return problems
        }
    }
}

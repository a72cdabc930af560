import BridgesCore
import Foundation

// The audit checks of `doctor` as pure steps, shared by every store: each store reads its rows
// (in the order named) and feeds them here, so that SQLite and PostgreSQL find the same things
// and say them in the same words. Memory is what each step keeps, never the rows.

/// The hash chain walked once, in id order, stopping at the first event that does not fit: a
/// number missing (an event removed), no hash (written outside Bridges), or a hash that is not
/// its own (rewritten, or put in the place of another). One event at a time.
package struct AuditChainWalk: Sendable {
    private var previous = AuditChain.genesis
    private var expectedID: Int64 = 1
    private var count: Int64 = 0

    package init() {}

    /// Takes the next event; the finding when it breaks the chain (the walk stops there).
    package mutating func take(
        id: Int64, at: String, actor: String, action: String, entity: String, entityId: String, field: String?,
        oldValue: String?, newValue: String?, reason: String?, detail: String?, chainHash: String?, erased: String?
    ) -> AuditChainFinding? {
        if id != expectedID {
            let missing = id > expectedID
                ? "event \(expectedID)\(id - expectedID > 1 ? "–\(id - 1)" : "") \(id - expectedID > 1 ? "are" : "is") missing (removed from the trail); the chain breaks before event \(id)"
                : "event \(id) is out of place"
            return AuditChainFinding(events: count, head: previous, firstProblem: Message(missing))
        }
        let what = "event \(id) (\(action) \(entity) \(entityId), \(at))"
        guard let chainHash else {
            return AuditChainFinding(events: count, head: previous, firstProblem: "\(what) has no chain hash: it was written outside Bridges")
        }
        let computed = AuditChain.hash(
            previous: previous, id: id, at: at, actor: actor, action: action, entity: entity, entityId: entityId, field: field,
            oldValue: oldValue, newValue: newValue, reason: reason, detail: detail, erased: erased)
        if computed != chainHash {
            return AuditChainFinding(
                events: count, head: previous,
                firstProblem: "\(what) does not match its chain hash: it was rewritten, or written in place of another, outside Bridges")
        }
        previous = chainHash
        expectedID += 1
        count += 1
        return nil
    }

    /// What the walk found when every event fitted.
    package var finding: AuditChainFinding {
        AuditChainFinding(events: count, head: count == 0 ? nil : previous, firstProblem: nil)
    }
}

/// The audit trail check's findings, said the same way by every store.
package enum AuditTrailFindings {
    /// `missing` events absent below the highest number; `first` the first missing numbers.
    package static func missing(_ missing: Int64, first: [Int64]) -> Message {
        "\(missing) event\(missing == 1 ? " is" : "s are") missing from the trail (removed: the first missing number\(first.count == 1 ? " is" : "s are") \(sample(first)))"
    }

    package static func outOfOrder(_ ids: [Int64]) -> Message? {
        ids.isEmpty ? nil
            : "\(ids.count) event\(ids.count == 1 ? " is" : "s are") dated more than a day before an earlier event (\(sample(ids))): written in later or rewritten"
    }

    package static func future(_ count: Int, now: String) -> Message? {
        count == 0 ? nil : "\(count) event\(count == 1 ? " is" : "s are") dated in the future (after \(now))"
    }

    package static func unlogged(_ sessions: [Int64]) -> Message? {
        sessions.isEmpty ? nil : "\(sessions.count) session\(sessions.count == 1 ? " has" : "s have") no log or import event (\(sample(sessions)))"
    }

    package static func voidedWithoutEvent(_ sessions: [Int64]) -> Message? {
        sessions.isEmpty ? nil : "\(sessions.count) voided session\(sessions.count == 1 ? " has" : "s have") no void event (\(sample(sessions)))"
    }

    package static func revokedWithoutEvent(_ codes: [String]) -> Message? {
        codes.isEmpty ? nil : "\(codes.count) revoked certificate\(codes.count == 1 ? " has" : "s have") no revoke event (\(sample(codes)))"
    }

    /// The first five, then "…".
    package static func sample<T>(_ items: [T]) -> String {
        items.prefix(5).map { "\($0)" }.joined(separator: ", ") + (items.count > 5 ? ", …" : "")
    }
}

/// Sessions whose marks are not what their trail says: the counts a `log` event recorded (or the
/// marks an `import` added), changed only by `amend` events and taken away by a retention purge,
/// must give the marks stored now, and a student whose status was amended must have the status
/// the last amendment gave. A mark changed, added or removed with SQL is found here.
///
/// Fed in three passes: the sessions' events in id order (`event`), the marks counted by session
/// (`marks`), then the stored status of each student in `amendmentsToCheck` (`amendment`).
/// Memory is a few bytes per session (ids are dense: a flat array), plus the amended students.
package struct MarksReplay: Sendable {
    /// What the trail says one session holds. `counts` are present, late, absent, excused;
    /// meaningful only when `countsKnown` (a log event gave them; an import gives a total).
    struct Expected: Sendable {
        var counts: (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
        var total: Int32 = 0
        var countsKnown = false
        var hasTrail = false
        var purged = false
        var seen = false

        mutating func add(_ status: Int, _ number: Int32) {
            switch status {
            case 0: counts.0 += number
            case 1: counts.1 += number
            case 2: counts.2 += number
            default: counts.3 += number
            }
        }
    }

    /// The actions of the session events this replay reads.
    package static let actions = ["log", "import", "import marks", "amend", "purge marks"]
    static let statuses = ["present", "late", "absent", "excused"]

    private let highest: Int64
    private var expected: [Expected]
    private var amended: [Int64: [String: String]] = [:]
    private var found: Set<Int64> = []

    /// `highestSession`: the highest session id stored (0 when there is none).
    package init(highestSession: Int64) {
        highest = max(highestSession, 0)
        expected = [Expected](repeating: Expected(), count: Int(highest) + 1)
    }

    static func statusIndex<S: StringProtocol>(_ word: S) -> Int? { statuses.firstIndex { $0 == word } }

    /// "…; 3 present, 1 late, 0 absent, 0 excused" → (status, number) pairs.
    static func counts(in detail: String) -> [(Int, Int32)] {
        guard let tail = detail.split(separator: ";").last else { return [] }
        return tail.split(separator: ",").compactMap { part in
            let words = part.split(separator: " ")
            guard words.count == 2, let number = Int32(words[0]), let status = statusIndex(words[1]) else { return nil }
            return (status, number)
        }
    }

    /// One session event (of `actions`), in id order; `session` is its entity id as a number.
    package mutating func event(session: Int64, action: String, field: String?, oldValue: String?, newValue: String?, detail: String?) {
        guard session >= 0, session <= highest else {
            found.insert(session)  // an event of a session that is not stored
            return
        }
        var entry = expected[Int(session)]
        entry.hasTrail = true
        switch action {
        case "log":
            entry.counts = (0, 0, 0, 0)
            entry.total = 0
            for (status, number) in Self.counts(in: detail ?? "") {
                entry.add(status, number)
                entry.total += number
            }
            entry.countsKnown = true
        case "import", "import marks":
            // An import records how many marks it added, not their statuses.
            entry.total += Int32((detail ?? "").prefix { $0.isNumber }) ?? 0
            entry.countsKnown = false
        case "purge marks":
            for (status, number) in Self.counts(in: detail ?? "") {
                entry.add(status, -number)
                entry.total -= number
            }
            entry.purged = true
        default:
            guard let field, field.hasPrefix("status of ") else { break }
            let student = String(field.dropFirst("status of ".count))
            let old = oldValue ?? "(none)"
            let new = newValue ?? ""
            if old == "(none)" {
                entry.total += 1
            } else if let index = Self.statusIndex(old) {
                entry.add(index, -1)
            }
            if let index = Self.statusIndex(new) { entry.add(index, 1) }
            amended[session, default: [:]][student] = new
        }
        expected[Int(session)] = entry
    }

    /// One session's stored marks: how many, and how many of each status.
    package mutating func marks(session: Int64, total: Int32, present: Int32, late: Int32, absent: Int32, excused: Int32) {
        guard session >= 0, session <= highest, expected[Int(session)].hasTrail else {
            found.insert(session)
            return
        }
        let entry = expected[Int(session)]
        if entry.total != total || (entry.countsKnown && entry.counts != (present, late, absent, excused)) { found.insert(session) }
        expected[Int(session)].seen = true
    }

    /// After `marks`: the students whose last amendment must still hold, in sessions not yet
    /// found wanting, with the status it gave.
    package var amendmentsToCheck: [(session: Int64, student: String, wanted: String)] {
        amended.filter { !found.contains($0.key) }.sorted { $0.key < $1.key }.flatMap { session, students in
            students.sorted { $0.key < $1.key }.map { (session, $0.key, $0.value) }
        }
    }

    /// One amended student's stored status (nil: no mark).
    package mutating func amendment(session: Int64, wanted: String, stored: String?) {
        if stored == wanted || (stored == nil && expected[Int(session)].purged) { return }
        found.insert(session)
    }

    /// The finding, if any session does not fit.
    package var problems: [Message] {
        var found = found
        // Sessions whose trail records marks and that have none left.
        for (session, entry) in expected.enumerated() where !entry.seen && entry.total > 0 { found.insert(Int64(session)) }
        guard !found.isEmpty else { return [] }
        let sessions = found.sorted()
        return [
            "\(sessions.count) session\(found.count == 1 ? "'s" : "s'") marks are not what the trail says (\(AuditTrailFindings.sample(sessions))): a status was changed, added or removed outside Bridges; `\(.sessionShow) ID` shows the trail"
        ]
    }
}

/// The trail replayed against the records it explains, naming the first that does not fit: a
/// session voided or un-voided, a certificate revoked, reinstated, added or removed, or an
/// event's personal data blanked, outside Bridges. (Marks are `MarksReplay`'s.)
///
/// Fed: the events of `entities` (and every event with `erased`) in id order (`event`); then
/// `erasureProblem`; the sessions not voided (`unvoided`, stop at the first finding); the
/// certificates by code (`certificate`, stop at the first finding); the certificates grouped by
/// program, issue time and issuer, ordered by their smallest code (`issueGroup`, every group);
/// then `missingIssue` if no group was found wanting.
package struct AuditReplay: Sendable {
    package static let entities = ["session", "certificate", "program", "student"]

    private var voided: [Int64: Bool] = [:]  // session → whether its last void-like event voided it
    private var revoked: [String: String?] = [:]  // code → revokedAt expected (nil: reinstated)
    private var issued: [String: Int] = [:]  // "program|at|actor" → certificates
    private var erasedStudents: Set<String> = []
    private var erasedRows: [(Int64, String, String)] = []
    private var issueFound = false

    package init() {}

    package mutating func event(
        id: Int64, action: String, entity: String, entityId: String, at: String, actor: String, detail: String?, erased: Bool, oldValue: String?
    ) {
        if erased { erasedRows.append((id, entity, entityId)) }
        switch (entity, action) {
        case ("session", "void"):
            if let session = Int64(entityId) { voided[session] = true }
        case ("certificate", "revoke"):
            revoked[entityId] = .some(at)
        case ("certificate", "reinstate"):
            revoked[entityId] = .some(nil)
        case ("certificate", "purge"):
            // Retention took it: its issue counts one fewer (`oldValue` names the issue).
            revoked[entityId] = nil
            if let oldValue { issued[oldValue, default: 0] -= 1 }
        case ("program", "issue"):
            issued["\(entityId)|\(at)|\(actor)", default: 0] += Int((detail ?? "").prefix { $0.isNumber }) ?? 0
        case ("student", "erase"):
            erasedStudents.insert(entityId)
        default:
            break
        }
    }

    /// Personal data blanked in an event whose student was never erased.
    package var erasureProblem: Message? {
        guard let (id, entity, entityId) = erasedRows.first(where: { !($0.1 == "student" && erasedStudents.contains($0.2)) }) else { return nil }
        return "event \(id) (\(entity) \(entityId)) had its personal data blanked, and no erasure of that student is recorded"
    }

    /// A session that is not voided, by id: the finding when its trail says it was.
    package func unvoided(session id: Int64) -> Message? {
        voided[id] == true ? "session \(id) is not voided, but its trail records that it was: changed outside Bridges" : nil
    }

    /// A certificate, by code: the finding when its revocation is not what its trail says.
    package func certificate(code: String, revokedAt: String?) -> Message? {
        let fits: Bool
        switch revoked[code] {
        case .none: fits = revokedAt == nil
        case .some(let at): fits = revokedAt == at
        }
        if fits { return nil }
        return revokedAt == nil
            ? "certificate \(code) is not revoked, but its trail says it was: changed outside Bridges"
            : "certificate \(code) is revoked, but its trail does not say so (or says another time): changed outside Bridges"
    }

    /// One group of certificates issued together: the first group found wanting (nil for every
    /// later one, which is still taken off what the trail issued).
    package mutating func issueGroup(programId: String, issuedAt: String, issuedBy: String, count: Int, firstCode: String) -> Message? {
        let expected = issued.removeValue(forKey: "\(programId)|\(issuedAt)|\(issuedBy)") ?? 0
        guard !issueFound, count != expected else { return nil }
        issueFound = true
        return expected == 0
            ? "certificate \(firstCode) has no issue event (program \(programId), issued \(issuedAt)): added outside Bridges"
            : "program \(programId)'s certificates issued at \(issuedAt) are \(count), and the trail issued \(expected): \(count > expected ? "added" : "removed") outside Bridges"
    }

    /// After every group, when none was found wanting: an issue whose every certificate is gone.
    package var missingIssue: Message? {
        guard !issueFound, let (key, count) = issued.filter({ $0.value > 0 }).min(by: { $0.key < $1.key }) else { return nil }
        let parts = key.split(separator: "|", omittingEmptySubsequences: false)
        return "program \(parts[0])'s \(count) certificate\(count == 1 ? "" : "s") issued at \(parts.count > 1 ? parts[1] : "") are missing: removed outside Bridges"
    }
}

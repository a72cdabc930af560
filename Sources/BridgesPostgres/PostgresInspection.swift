import BridgesCore
import BridgesStore
import BridgesSystem
import Foundation
import PostgresNIO

/// A read-only look at a Bridges database on PostgreSQL, for `doctor`, `backup` and the tests.
struct PostgresInspection: StoreInspection {
    let store: PostgresStore
    /// The environment pg_dump runs in, and whose PATH finds it (handed in by the front door).
    let programEnvironment: [String: String]
    var engine: String { "PostgreSQL" }
    var storage: String { "the database" }

    /// PostgreSQL checks its own pages (with data checksums on, each read); what it counted as
    /// failed for this database is reported.
    func integrityProblems() async throws(StoreError) -> [String] {
        try await store.read { connection in
            let failures = try await connection.value("""
                SELECT coalesce(checksum_failures, 0) FROM pg_stat_database WHERE datname = current_database()
                """, as: Int64.self) ?? 0
            return failures == 0 ? [] : ["PostgreSQL counted \(failures) page\(failures == 1 ? "" : "s") whose checksum failed in this database; see the server's log"]
        }
    }

    /// PostgreSQL enforces every foreign key as it is written; one can only be broken by a
    /// constraint someone marked NOT VALID or a trigger someone disabled, and those are reported.
    func foreignKeyProblems() async throws(StoreError) -> [String] {
        try await store.read { connection in
            let schema = store.url.schema
            var problems = try await connection.values("""
                SELECT c.conrelid::regclass::text || ': the constraint ' || c.conname || ' is not checked (NOT VALID)'
                FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                WHERE n.nspname = \(schema) AND NOT c.convalidated ORDER BY 1
                """, as: String.self)
            problems += try await connection.values("""
                SELECT t.tgrelid::regclass::text || ': the trigger ' || t.tgname || ' is disabled'
                FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid JOIN pg_namespace n ON n.oid = r.relnamespace
                WHERE n.nspname = \(schema) AND t.tgenabled = 'D' ORDER BY 1
                """, as: String.self)
            return problems
        }
    }

    func migrationState() async throws(StoreError) -> (known: [String], applied: [String]) {
        try await store.read { connection in
            let applied = try await connection.values("SELECT name FROM bridges_migrations ORDER BY appliedAt, name", as: String.self)
            return (PostgresSchema.known, applied)
        }
    }

    /// Ways the audit trail disagrees with the records it should explain (as SQLite's store
    /// checks them, in the same words), and its append-only triggers gone, disabled or replaced.
    func auditTrailProblems(now: String) async throws(StoreError) -> [Message] {
        try await store.read { connection in
            var problems: [Message] = []
            guard try await connection.value("SELECT to_regclass('auditevent') IS NOT NULL", as: Bool.self) == true else {
                return ["the audit trail's table is missing"]
            }
            problems += try await Self.triggerProblems(connection, schema: store.url.schema)
            // Events are numbered 1, 2, 3 … as they are appended (the last plus one, under the
            // writers' lock: a rolled-back write leaves no hole), so a missing number is an event
            // that was removed.
            if let (count, low, high) = try await connection.first(
                "SELECT count(*), min(id), max(id) FROM auditEvent", as: (Int64, Int64?, Int64?).self), let low, let high {
                let missing = high - count
                if low != 1 || missing > 0 {
                    let gaps = try await connection.values("""
                        SELECT id + 1 FROM auditEvent e WHERE id < \(high) AND NOT EXISTS (SELECT 1 FROM auditEvent n WHERE n.id = e.id + 1) ORDER BY id LIMIT 5
                        """, as: Int64.self)
                    problems.append(AuditTrailFindings.missing(missing, first: (low != 1 ? [1] : []) + gaps))
                }
            }
            // Each event is dated when it is appended, so dates rise with the numbers (a clock set
            // back a little is allowed a day). A date that is no timestamp compares as unknown,
            // as SQLite's julianday makes it.
            let outOfOrder = try await connection.values("""
                SELECT id FROM (
                    SELECT id, at, max(at) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS latest FROM auditEvent
                ) w
                WHERE latest IS NOT NULL AND \(unescaped: Self.timestamp("at")) < \(unescaped: Self.timestamp("latest")) - interval '1 day'
                ORDER BY id
                """, as: Int64.self)
            if let finding = AuditTrailFindings.outOfOrder(outOfOrder) { problems.append(finding) }
            let future = try await connection.value("SELECT count(*) FROM auditEvent WHERE at > \(now)", as: Int64.self) ?? 0
            if let finding = AuditTrailFindings.future(Int(future), now: now) { problems.append(finding) }
            let unlogged = try await connection.values("""
                SELECT id FROM session s WHERE NOT EXISTS (
                    SELECT 1 FROM auditEvent e WHERE e.entity = 'session' AND e.entityId = s.id::text AND e.action IN ('log', 'import'))
                ORDER BY id
                """, as: Int64.self)
            if let finding = AuditTrailFindings.unlogged(unlogged) { problems.append(finding) }
            let voided = try await connection.values("""
                SELECT id FROM session s WHERE voidedAt IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM auditEvent e WHERE e.entity = 'session' AND e.entityId = s.id::text AND e.action = 'void')
                ORDER BY id
                """, as: Int64.self)
            if let finding = AuditTrailFindings.voidedWithoutEvent(voided) { problems.append(finding) }
            problems += try await Self.unexplainedMarks(connection)
            let revoked = try await connection.values("""
                SELECT code FROM certificate c WHERE revokedAt IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM auditEvent e WHERE e.entity = 'certificate' AND e.entityId = c.code AND e.action = 'revoke')
                ORDER BY code
                """, as: String.self)
            if let finding = AuditTrailFindings.revokedWithoutEvent(revoked) { problems.append(finding) }
            return problems
        }
    }

    /// `column` (ISO 8601 text) as a timestamp, NULL when it is not one.
    static func timestamp(_ column: String) -> String {
        "(CASE WHEN \(column) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?Z?)?$' THEN \(column)::timestamp END)"
    }

    /// The trail's triggers: each there, enabled, and calling the function as shipped (someone
    /// with the owner's role could replace its body with one that lets every change through).
    static func triggerProblems(_ connection: PostgresConnection, schema: String) async throws -> [Message] {
        var problems: [Message] = []
        var found: [String: String] = [:]
        for try await (name, enabled) in try await connection.rows("""
            SELECT t.tgname::text, t.tgenabled::text FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = \(schema) AND r.relname = 'auditevent' AND NOT t.tgisinternal
            """).decode((String, String).self) {
            found[name] = enabled
        }
        for trigger in ["auditEvent_noChange", "auditEvent_noTruncate"] {
            switch found[trigger.lowercased()] {
            case nil: problems.append("the trigger \(trigger) that keeps the trail append-only is missing")
            case "D": problems.append("the trigger \(trigger) that keeps the trail append-only is disabled")
            default: break
            }
        }
        let body = try await connection.value("""
            SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = \(schema) AND p.proname = 'auditevent_appendonly'
            """, as: String.self)
        if let body, body != Self.appendOnlyBody {
            problems.append("the function auditEvent_appendOnly that keeps the trail append-only was replaced: it is not the one Bridges made")
        } else if body == nil {
            problems.append("the function auditEvent_appendOnly that keeps the trail append-only is missing")
        }
        return problems
    }

    /// The body of the trail's trigger function as the schema's migration makes it.
    static let appendOnlyBody: String = {
        let sql = PostgresSchema.v1
        guard let head = sql.range(of: "CREATE FUNCTION auditEvent_appendOnly() RETURNS trigger LANGUAGE plpgsql AS $$"),
            let tail = sql.range(of: "$$", range: head.upperBound..<sql.endIndex)
        else { return "" }
        return String(sql[head.upperBound..<tail.lowerBound])
    }()

    /// Sessions whose marks are not what their trail says (`MarksReplay`): the sessions' events
    /// and the marks counted by session each read once as a stream, then the amended students'
    /// statuses a batch at a time.
    static func unexplainedMarks(_ connection: PostgresConnection) async throws -> [Message] {
        var replay = MarksReplay(highestSession: try await connection.value("SELECT max(id) FROM session", as: Int64?.self).flatMap { $0 } ?? 0)
        for try await (entityId, action, field, oldValue, newValue, detail) in try await connection.rows("""
            SELECT entityId, action, field, oldValue, newValue, detail FROM auditEvent
            WHERE entity = 'session' AND action IN ('log', 'import', 'import marks', 'amend', 'purge marks') ORDER BY id
            """).decode((String, String, String?, String?, String?, String?).self) {
            replay.event(session: sqliteInteger(entityId), action: action, field: field, oldValue: oldValue, newValue: newValue, detail: detail)
        }
        for try await (session, total, present, late, absent, excused) in try await connection.rows("""
            SELECT sessionId, count(*), count(*) FILTER (WHERE status = 'present'), count(*) FILTER (WHERE status = 'late'),
                   count(*) FILTER (WHERE status = 'absent'), count(*) FILTER (WHERE status = 'excused')
            FROM mark GROUP BY sessionId
            """).decode((Int64, Int64, Int64, Int64, Int64, Int64).self) {
            replay.marks(
                session: session, total: Int32(clamping: total), present: Int32(clamping: present), late: Int32(clamping: late),
                absent: Int32(clamping: absent), excused: Int32(clamping: excused))
        }
        let amendments = replay.amendmentsToCheck
        var start = 0
        while start < amendments.count {
            let batch = amendments[start..<min(start + 1000, amendments.count)]
            var stored: [Int64: [String: String]] = [:]
            for try await (session, student, status) in try await connection.rows("""
                SELECT m.sessionId, m.studentId, m.status FROM mark m
                JOIN unnest(\(batch.map(\.session))::bigint[], \(batch.map(\.student))::text[]) AS a(sessionId, studentId)
                  ON m.sessionId = a.sessionId AND m.studentId = a.studentId
                """).decode((Int64, String, String).self) {
                stored[session, default: [:]][student] = status
            }
            for (session, student, wanted) in batch {
                replay.amendment(session: session, wanted: wanted, stored: stored[session]?[student])
            }
            start += batch.count
        }
        return replay.problems
    }

    /// Text as SQLite's CAST(… AS INTEGER) reads it: the leading integer, 0 when there is none.
    static func sqliteInteger(_ text: String) -> Int64 {
        let trimmed = text.drop { $0 == " " }
        var digits = trimmed.first == "-" || trimmed.first == "+" ? String(trimmed.first!) : ""
        digits += trimmed.dropFirst(digits.count).prefix { $0.isASCII && $0.isNumber }
        return Int64(digits) ?? 0
    }

    /// Walks the trail's hash chain once, in order (`AuditChainWalk`), a batch of events at a
    /// time (memory stays flat), stopping at the first event that does not fit.
    func auditChain() async throws(StoreError) -> AuditChainFinding {
        try await store.read { connection in
            var walk = AuditChainWalk()
            var after = Int64.min
            while true {
                typealias Event = (Int64, String, String, String, String, String, String?, String?, String?, String?, String?, String?, String?)
                var batch: [Event] = []
                for try await event in try await connection.rows("""
                    SELECT id, at, actor, action, entity, entityId, field, oldValue, newValue, reason, detail, chainHash, erased
                    FROM auditEvent WHERE id > \(after) ORDER BY id LIMIT \(Int64(Self.chainBatch))
                    """).decode(Event.self) {
                    batch.append(event)
                }
                guard let last = batch.last else { return walk.finding }
                for e in batch {
                    if let finding = walk.take(
                        id: e.0, at: e.1, actor: e.2, action: e.3, entity: e.4, entityId: e.5, field: e.6,
                        oldValue: e.7, newValue: e.8, reason: e.9, detail: e.10, chainHash: e.11, erased: e.12) {
                        return finding
                    }
                }
                after = last.0
            }
        }
    }

    /// Events read at once by the chain walk.
    static let chainBatch = 2000

    /// Replays the trail against the records it explains (`AuditReplay`): one pass over the
    /// events, one over the sessions not voided, the certificates, and their issues.
    func auditReplayProblems() async throws(StoreError) -> [Message] {
        try await store.read { connection in
            var replay = AuditReplay()
            for try await (id, action, entity, entityId, at, actor, detail, erased, oldValue) in try await connection.rows("""
                SELECT id, action, entity, entityId, at, actor, detail, erased IS NOT NULL, oldValue FROM auditEvent
                WHERE entity IN ('session', 'certificate', 'program', 'student') OR erased IS NOT NULL
                ORDER BY id
                """).decode((Int64, String, String, String, String, String, String?, Bool, String?).self) {
                replay.event(id: id, action: action, entity: entity, entityId: entityId, at: at, actor: actor, detail: detail, erased: erased, oldValue: oldValue)
            }
            var problems: [Message] = []
            if let finding = replay.erasureProblem { problems.append(finding) }
            // Every row is read even after a finding: an error after it must not be lost.
            var unvoided: Message?
            for try await id in try await connection.rows("SELECT id FROM session WHERE voidedAt IS NULL ORDER BY id").decode(Int64.self) where unvoided == nil {
                unvoided = replay.unvoided(session: id)
            }
            if let unvoided { problems.append(unvoided) }
            var revocation: Message?
            for try await (code, revokedAt) in try await connection.rows(
                "SELECT code, revokedAt FROM certificate ORDER BY code").decode((String, String?).self) where revocation == nil {
                revocation = replay.certificate(code: code, revokedAt: revokedAt)
            }
            if let revocation { problems.append(revocation) }
            for try await (program, issuedAt, issuedBy, count, firstCode) in try await connection.rows("""
                SELECT programId, issuedAt, issuedBy, count(*), min(code) FROM certificate GROUP BY programId, issuedAt, issuedBy ORDER BY min(code)
                """).decode((String, String, String, Int64, String).self) {
                if let finding = replay.issueGroup(programId: program, issuedAt: issuedAt, issuedBy: issuedBy, count: Int(count), firstCode: firstCode) {
                    problems.append(finding)
                }
            }
            if let finding = replay.missingIssue { problems.append(finding) }
            return problems
        }
    }

    func counts() async throws(StoreError) -> [(table: String, rows: Int)] {
        try await store.read { connection in
            // Every table a Bridges database holds (the same list on every store).
            var counts: [(table: String, rows: Int)] = []
            for table in StoreTables.all.map(\.name) {
                let rows = try await connection.value("SELECT count(*) FROM \(unescaped: table)", as: Int.self) ?? 0
                counts.append((table, rows))
            }
            return counts
        }
    }

    /// The roles other than the tables' owner that may read a table, as (table, who may).
    func readableByOthers() async -> [(file: String, mode: String)] {
        let found = try? await store.read { connection in
            var found: [(file: String, mode: String)] = []
            for try await (table, grantee) in try await connection.rows("""
                SELECT g.table_name::text, g.grantee::text FROM information_schema.role_table_grants g
                JOIN pg_class c ON c.relname = g.table_name JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = g.table_schema
                WHERE g.table_schema = \(store.url.schema) AND g.privilege_type = 'SELECT' AND g.grantee <> pg_get_userbyid(c.relowner)
                ORDER BY 1, 2
                """).decode((String, String).self) {
                found.append((PostgresSchema.tableNames[table] ?? table, "SELECT granted to \(grantee)"))
            }
            return found
        }
        return found ?? []
    }

    var ownerOnlyAccess: String { "no role but the tables' owner (and superusers) is granted SELECT" }

    /// Backs up the store's schema with PostgreSQL's own `pg_dump` (found on PATH, or in
    /// /usr/lib/postgresql/*/bin, the newest first), in its custom format (`pg_restore` reads it),
    /// as one consistent snapshot while others keep writing. The address's settings go on its
    /// command line, its password only through `PGPASSWORD` in its environment. The dump is
    /// written into a new owner-only file under a hidden name beside `destination` and moved there
    /// when complete (`PrivateFile`): a failure leaves nothing, and nothing is ever replaced.
    /// Returns the backup's size in bytes.
    func backUp(to destination: String) async throws(StoreError) -> Int64 {
        guard let program = Self.pgDump(path: programEnvironment["PATH"]) else {
            throw .io(
                path: destination,
                why: "pg_dump, PostgreSQL's backup program, is not installed (looked on PATH and in /usr/lib/postgresql/*/bin); install PostgreSQL's client programs (on Debian: postgresql-client) and try again. Nothing was written")
        }
        let file: PrivateFile
        do {
            file = try PrivateFile(beside: destination, tag: "backup")
        } catch {
            throw .io(path: destination, why: error.description)
        }
        do {
            let (status, errors) = try await OwnThread.run { try Self.dump(program: program, url: store.url, environment: programEnvironment, into: file.descriptor) }
            guard status == 0 else {
                file.discard()
                let said = errors.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " ")
                if said.contains("No space left") || said.contains("File too large") { throw StoreError.full(path: destination) }
                throw StoreError.io(path: destination, why: "pg_dump stopped (exit \(status)): \(said.isEmpty ? "it said nothing" : said); nothing was written")
            }
            try file.sync()
            try file.publish(replacing: false)
        } catch let error as StoreError {
            throw error
        } catch {
            file.discard()
            if let error = error as? PrivateFileError {
                if error.kind == .exists { throw .io(path: destination, why: "something is already there; nothing was replaced") }
                if error.isDiskFull { throw .full(path: destination) }
                throw .io(path: destination, why: error.reason)
            }
            throw .io(path: destination, why: "\(error)")
        }
        return (try? SystemCall.status(of: destination))?.size ?? 0
    }

    /// Where pg_dump is: the first on `path` (a PATH), else the newest of Debian's versioned installs.
    static func pgDump(path: String?) -> String? {
        let manager = FileManager.default
        let path = path ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/pg_dump"
            if manager.isExecutableFile(atPath: candidate) { return candidate }
        }
        let versions = ((try? manager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap { name in Int(name).map { ($0, name) } }
            .sorted { $0.0 > $1.0 }
        for (_, name) in versions {
            let candidate = "/usr/lib/postgresql/\(name)/bin/pg_dump"
            if manager.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs pg_dump on the store's schema, its output into `descriptor`; its exit status and
    /// what it said on standard error. Blocks (run it on a thread of its own).
    static func dump(program: String, url: PostgresURL, environment: [String: String], into descriptor: Int32) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["--format=custom", "--schema=\(url.schema)", "--no-password", "--dbname=\(connectionSettings(url))"]
        var environment = environment
        environment["PGPASSWORD"] = url.password
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: said, as: UTF8.self))
    }

    /// The address as libpq's `key=value` settings, without the password.
    static func connectionSettings(_ url: PostgresURL) -> String {
        func quoted(_ value: String) -> String {
            "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
        var settings: [(String, String)] = []
        switch url.endpoint {
        case .tcp(let host, let port): settings += [("host", host), ("port", String(port))]
        case .socket(let folder, let port): settings += [("host", folder), ("port", String(port))]
        }
        settings += [("user", url.user), ("dbname", url.database), ("sslmode", url.tls.rawValue)]
        return settings.map { "\($0.0)=\(quoted($0.1))" }.joined(separator: " ")
    }
}

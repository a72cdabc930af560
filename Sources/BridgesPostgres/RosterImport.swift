import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Imports a roster in one transaction, as SQLite's store does (same counts, findings, audit
    /// events in the same order, same refusals), with the rows sent to PostgreSQL in batches.
    ///
    /// `body` reads the file on a thread of its own (`OwnThread`) and hands each row to the sink,
    /// which buffers students, opt-outs and enrolments and sends them a batch at a time (a few
    /// statements per batch, never one round trip per row); schools and classes (thousands, not
    /// millions) are stored as they come. When no finding is an error, each class stored before
    /// the import gets exactly the file's enrolments and the import is summarised in the trail.
    /// An error finding or a dry run rolls everything back; the counts still say what would change.
    package func importRoster(
        source: String, context: WriteContext, dryRun: Bool, _ body: (any RosterImportSink) throws -> [Diagnostic]
    ) async throws -> RosterImportOutcome {
        // What `body` throws of its own (an I/O error reading the file) is thrown unchanged, not
        // as a database failure; the transaction is rolled back all the same.
        let own = OwnFailure()
        do {
            return try await importRoster(source: source, context: context, dryRun: dryRun, own: own, body)
        } catch {
            if let failure = own.error { throw failure }
            throw error
        }
    }

    private func importRoster(
        source: String, context: WriteContext, dryRun: Bool, own: OwnFailure, _ body: (any RosterImportSink) throws -> [Diagnostic]
    ) async throws(StoreError) -> RosterImportOutcome {
        try await write(keepingIf: { $0.written }) { connection in
            let importer = try await PostgresRosterImporter.begin(connection: connection, context: context, source: source)
            let read: [Diagnostic]
            do {
                read = try await OwnThread.run { try body(importer) }
            } catch {
                if !(error is PSQLError || error is StoreError || error is ConnectionLost) { own.error = error }
                throw error
            }
            try await importer.flush()
            try await importer.storeEnrollments()
            let findings = read + importer.findings
            let keep = !dryRun && !findings.hasErrors
            if !findings.hasErrors {
                try await importer.finish(recordingSummary: keep)
            }
            if keep { try await importer.dropWorkTables() }
            return RosterImportOutcome(counts: importer.counts, findings: findings, written: keep)
        }
    }

    /// Appends `events` to the trail in their order, chained (AuditChain), in as few statements as
    /// a batch allows: what `record` does for one, for many.
    static func record(_ events: [AuditEvent], on connection: PostgresConnection) async throws {
        guard !events.isEmpty else { return }
        let last = try await connection.first("SELECT id, chainHash FROM auditEvent ORDER BY id DESC LIMIT 1", as: (Int64, String?).self)
        var id = last?.0 ?? 0
        var previous = last?.1 ?? AuditChain.genesis
        var start = 0
        while start < events.count {
            let chunk = events[start..<min(start + 1000, events.count)]
            var binds = PostgresBindings(capacity: chunk.count * 12)
            var values: [String] = []
            for event in chunk {
                id += 1
                let hash = AuditChain.hash(
                    previous: previous, id: id, at: event.at, actor: event.actor, action: event.action,
                    entity: event.entity, entityId: event.entityId, field: event.field,
                    oldValue: event.oldValue, newValue: event.newValue, reason: event.reason, detail: event.detail)
                previous = hash
                let base = binds.count
                values.append("(" + (1...12).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
                binds.append(id)
                for value in [event.at, event.actor, event.action, event.entity, event.entityId] { binds.append(value) }
                for value in [event.field, event.oldValue, event.newValue, event.reason, event.detail] {
                    if let value { binds.append(value) } else { binds.appendNull() }
                }
                binds.append(hash)
            }
            try await connection.run(PostgresQuery(unsafeSQL: """
                INSERT INTO auditEvent (id, at, actor, action, entity, entityId, field, oldValue, newValue, reason, detail, chainHash)
                VALUES \(values.joined(separator: ", "))
                """, binds: binds))
            start += chunk.count
        }
    }
}

/// An error of a body's own, kept to be thrown as it was.
final class OwnFailure: @unchecked Sendable {
    var error: (any Error)?
}

/// The sink of one roster import inside its transaction; called on the body's own thread, it
/// waits there for PostgreSQL (`OwnThread.waitFor`).
///
/// Written for a district's million rows with memory that does not grow with them:
/// - students, opt-outs and enrolments wait in a buffer of `batchSize` and go as one batch: one
///   read of what is stored about the batch's students, then one statement each for the new
///   students, the students met, the updates, the opt-outs and the audit events, and the file's
///   enrolments copied (COPY) into a staging table, enrolled in one statement at the end;
/// - which students the import has met (and whether each was stored before it) is a temporary
///   table, not memory; schools and classes seen are kept in memory (thousands);
/// - whether an enrolment repeats one of the file's (the answer `enrollment` owes at once) is
///   told by a fixed-size Bloom filter (4 MiB): "never seen" is certain and needs no database;
///   only "perhaps seen" (a true repeat, or rarely a false alarm) asks the database.
final class PostgresRosterImporter: RosterImportSink, @unchecked Sendable {
    static let batchSize = 1000

    let connection: PostgresConnection
    let context: WriteContext
    let source: String
    private(set) var counts = RosterImportCounts()
    /// Conflicts between the file and the database that no reader could see.
    private(set) var findings: [Diagnostic] = []

    private var schoolsSeen: Set<String> = []
    private var lastSchoolID: String?
    /// Classes already handled in this import: true when the class was stored before it.
    private var classesSeen: [String: Bool] = [:]
    /// The schools and classes stored before the import (a district has thousands), read once.
    private var storedSchools: [String: String] = [:]
    private var storedClasses: [String: (schoolID: String, name: String)] = [:]
    /// Schools and classes to add, and stored classes the file lists, sent with the next batch.
    private var newSchools: [School] = []
    private var newClasses: [SchoolClass] = []
    private var notedClasses: [String] = []

    private enum Pending {
        case student(Student)
        case optOut(studentID: String, optedOut: Bool, file: String, line: Int)
        case enrollment(Enrollment, classStoredBefore: Bool)
    }
    private var pending: [Pending] = []
    private struct Pair: Hashable {
        let classID: String
        let studentID: String
    }
    /// The enrolments in `pending`.
    private var pendingPairs: Set<Pair> = []
    private var bloom: [UInt64] = []
    /// How many of the file's pairs are of classes stored before the import.
    private var storedClassPairs = 0
    private static let bloomWords = 1 << 19
    private static let bloomProbes = 7

    private init(connection: PostgresConnection, context: WriteContext, source: String) {
        self.connection = connection
        self.context = context
        self.source = source
    }

    /// Makes the work tables (private to this connection, gone with the transaction) and the importer.
    static func begin(connection: PostgresConnection, context: WriteContext, source: String) async throws -> PostgresRosterImporter {
        try await connection.run("DROP TABLE IF EXISTS rosterImportClass, rosterImportPair, rosterImportEnrolled, rosterImportStudent")
        try await connection.run("CREATE TEMP TABLE rosterImportClass (id TEXT COLLATE \"C\" PRIMARY KEY) ON COMMIT DROP")
        try await connection.run("""
            CREATE TEMP TABLE rosterImportPair (
                classId TEXT COLLATE "C" NOT NULL, studentId TEXT COLLATE "C" NOT NULL,
                classStoredBefore BOOLEAN NOT NULL, studentStoredBefore BOOLEAN NOT NULL, PRIMARY KEY (classId, studentId)) ON COMMIT DROP
            """)
        try await connection.run("""
            CREATE TEMP TABLE rosterImportEnrolled (
                classId TEXT COLLATE "C" NOT NULL, studentId TEXT COLLATE "C" NOT NULL, PRIMARY KEY (classId, studentId)) ON COMMIT DROP
            """)
        // Every student the import met, and whether it was stored before the import.
        try await connection.run("""
            CREATE TEMP TABLE rosterImportStudent (id TEXT COLLATE "C" PRIMARY KEY, storedBefore BOOLEAN NOT NULL) ON COMMIT DROP
            """)
        // Batches planned against tables this transaction grows: PostgreSQL's JIT, misled by the
        // estimates, would spend more compiling each statement than running it.
        try await connection.run("SET LOCAL jit = off")
        let importer = PostgresRosterImporter(connection: connection, context: context, source: source)
        for try await (id, name) in try await connection.rows("SELECT id, name FROM school").decode((String, String).self) {
            importer.storedSchools[id] = name
        }
        for try await (id, school, name) in try await connection.rows("SELECT id, schoolId, name FROM schoolClass").decode((String, String, String).self) {
            importer.storedClasses[id] = (school, name)
        }
        return importer
    }

    private func wait<T>(_ work: @escaping @Sendable (PostgresRosterImporter) async throws -> T) throws -> T {
        try OwnThread.waitFor { [self] in try await work(self) }
    }

    // MARK: Rows, as the reader passes them

    /// Adds the school (with the next batch), or renames the stored one; a repeat within the
    /// import is a no-op.
    func school(_ school: School) throws {
        guard school.id != lastSchoolID else { return }
        lastSchoolID = school.id
        guard schoolsSeen.insert(school.id).inserted else { return }
        guard let stored = storedSchools[school.id] else {
            newSchools.append(school)
            counts.schoolsAdded += 1
            return
        }
        guard stored != school.name else {
            counts.schoolsUnchanged += 1
            return
        }
        try wait { importer in try await importer.rename(school, from: stored) }
        counts.schoolsRenamed += 1
    }

    private func rename(_ school: School, from stored: String) async throws {
        // The rename's event comes after those of the rows before it.
        try await flush()
        try await connection.run("UPDATE school SET name = \(school.name) WHERE id = \(school.id)")
        try await PostgresStore.record([event("rename", entity: "school", id: school.id, field: "name", old: stored, new: school.name)], on: connection)
    }

    /// Adds the class (with the next batch), or renames the stored one, and marks a stored one as
    /// a class whose enrolment the file decides. A class id stored at another school is a finding.
    func schoolClass(_ schoolClass: SchoolClass, file: String, line: Int) throws {
        if classesSeen[schoolClass.id] != nil { return }
        guard let stored = storedClasses[schoolClass.id] else {
            newClasses.append(schoolClass)
            classesSeen[schoolClass.id] = false
            counts.classesAdded += 1
            return
        }
        classesSeen[schoolClass.id] = true
        guard stored.schoolID == schoolClass.schoolID else {
            findings.append(
                .error(code: "roster.class-stored-at-another-school",
                    "class \(schoolClass.id) is already stored at school \(stored.schoolID), not \(schoolClass.schoolID); "
                        + "a class id belongs to one school, so give this class an id of its own "
                        + "(for example, prefixed with its school's id)",
                    file: file, line: line))
            return
        }
        notedClasses.append(schoolClass.id)
        guard stored.name != schoolClass.name else {
            counts.classesUnchanged += 1
            return
        }
        try wait { importer in try await importer.rename(schoolClass, from: stored.name) }
        counts.classesRenamed += 1
    }

    private func rename(_ schoolClass: SchoolClass, from stored: String) async throws {
        try await flush()
        try await connection.run("UPDATE schoolClass SET name = \(schoolClass.name) WHERE id = \(schoolClass.id)")
        try await PostgresStore.record(
            [event("rename", entity: "schoolClass", id: schoolClass.id, field: "name", old: stored, new: schoolClass.name)],
            on: connection)
    }

    /// Inserts `rows` of `columns` into `table`, a thousand rows a statement.
    private func insert(_ table: String, _ columns: [String], _ rows: [[String]]) async throws {
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + 1000, rows.count)]
            var binds = PostgresBindings(capacity: chunk.count * columns.count)
            var values: [String] = []
            for row in chunk {
                let base = binds.count
                values.append("(" + row.indices.map { "$\(base + $0 + 1)" }.joined(separator: ", ") + ")")
                for value in row { binds.append(value) }
            }
            try await connection.run(PostgresQuery(unsafeSQL: """
                INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(values.joined(separator: ", ")) ON CONFLICT DO NOTHING
                """, binds: binds))
            start += chunk.count
        }
    }

    func student(_ student: Student) throws {
        try add(.student(student))
    }

    func directoryOptOut(studentID: String, optedOut: Bool, file: String, line: Int) throws {
        try add(.optOut(studentID: studentID, optedOut: optedOut, file: file, line: line))
    }

    /// Enrols the student in the class (when the batch goes). Returns false when the file listed
    /// this student in this class before (the repeat is ignored; the caller may warn).
    @discardableResult
    func enrollment(_ enrollment: Enrollment) throws -> Bool {
        let classStoredBefore = classesSeen[enrollment.classID] ?? false
        let pair = Pair(classID: enrollment.classID, studentID: enrollment.studentID)
        if !bloomInsert(pair) {
            if pendingPairs.contains(pair) { return false }
            let seen = try wait { importer in
                try await importer.connection.value("""
                    SELECT 1::bigint FROM rosterImportPair WHERE classId = \(pair.classID) AND studentId = \(pair.studentID)
                    """, as: Int64.self) != nil
            }
            if seen { return false }
        }
        pendingPairs.insert(pair)
        try add(.enrollment(enrollment, classStoredBefore: classStoredBefore))
        return true
    }

    /// Sets the pair's bits; false when they all were set already (perhaps seen before).
    private func bloomInsert(_ pair: Pair) -> Bool {
        if bloom.isEmpty { bloom = Array(repeating: 0, count: Self.bloomWords) }
        var first = Hasher()
        first.combine(pair)
        var second = Hasher()
        second.combine(0x9E37_79B9)
        second.combine(pair)
        let a = UInt64(bitPattern: Int64(first.finalize()))
        let b = UInt64(bitPattern: Int64(second.finalize())) | 1
        let bits = UInt64(Self.bloomWords * 64)
        var fresh = false
        for probe in 0..<UInt64(Self.bloomProbes) {
            let bit = (a &+ probe &* b) % bits
            let (word, mask) = (Int(bit / 64), UInt64(1) << (bit % 64))
            if bloom[word] & mask == 0 {
                fresh = true
                bloom[word] |= mask
            }
        }
        return fresh
    }

    private func add(_ row: Pending) throws {
        pending.append(row)
        if pending.count >= Self.batchSize {
            try wait { importer in try await importer.flush() }
        }
    }

    // MARK: A batch

    private struct Stored {
        var givenName, familyName, gradeCode: String
        var identifier: String?
        var erased: Bool
    }
    private struct Known {
        /// Met in this import: whether it was stored before it. nil: not met yet.
        var met: Bool?
        var stored: Stored?
        /// The opt-out as stored now (nil: no such student).
        var optOut: Bool?
    }

    /// Sends the buffered rows, in their order's effect: students, opt-outs, enrolments.
    func flush() async throws {
        if !newSchools.isEmpty {
            try await insert("school", ["id", "name"], newSchools.map { [$0.id, $0.name] })
            newSchools.removeAll()
        }
        if !newClasses.isEmpty {
            try await insert("schoolClass", ["id", "schoolId", "name"], newClasses.map { [$0.id, $0.schoolID, $0.name] })
            newClasses.removeAll()
        }
        if !notedClasses.isEmpty {
            try await insert("rosterImportClass", ["id"], notedClasses.map { [$0] })
            notedClasses.removeAll()
        }
        guard !pending.isEmpty else { return }
        let rows = pending
        pending.removeAll(keepingCapacity: true)
        pendingPairs.removeAll(keepingCapacity: true)

        var ids: [String] = []
        var wanted: Set<String> = []
        for row in rows {
            let id: String = switch row {
            case .student(let s): s.id
            case .optOut(let studentID, _, _, _): studentID
            case .enrollment(let e, _): e.studentID
            }
            if wanted.insert(id).inserted { ids.append(id) }
        }
        var known: [String: Known] = [:]
        // Each id looked up by its index (the OFFSET 0 keeps each lateral lookup from being
        // flattened into a join): with a plain join the planner hashes the whole of `student` and
        // the work table for every batch, 40 ms a batch at 100,000 students and growing with them.
        for try await (id, met, given, family, grade, identifier, erased, optOut) in try await connection.rows("""
            SELECT b.id, r.storedBefore, s.givenName, s.familyName, s.gradeCode, s.identifier, s.erasedAt IS NOT NULL, s.directoryOptOut
            FROM unnest(\(ids)::text[]) AS b(id)
            LEFT JOIN LATERAL (SELECT storedBefore FROM rosterImportStudent r WHERE r.id = b.id OFFSET 0) r ON true
            LEFT JOIN LATERAL (SELECT * FROM student s WHERE s.id = b.id OFFSET 0) s ON true
            """).decode((String, Bool?, String?, String?, String?, String?, Bool?, Int64?).self) {
            var entry = Known(met: met, stored: nil, optOut: optOut.map { $0 != 0 })
            if let given, let family, let grade, let erased {
                entry.stored = Stored(givenName: given, familyName: family, gradeCode: grade, identifier: identifier, erased: erased)
            }
            known[id] = entry
        }

        var added: [Student] = []
        var met: [(String, Bool)] = []
        var updated: [Student] = []
        var optOuts: [String: Bool] = [:]
        var events: [AuditEvent] = []
        var pairs: [(Enrollment, classStoredBefore: Bool, studentStoredBefore: Bool)] = []
        for row in rows {
            switch row {
            case .student(let student):
                var entry = known[student.id] ?? Known()
                guard entry.met == nil else { continue }
                guard let stored = entry.stored else {
                    entry.met = false
                    entry.optOut = false
                    known[student.id] = entry
                    added.append(student)
                    met.append((student.id, false))
                    counts.studentsAdded += 1
                    continue
                }
                entry.met = true
                known[student.id] = entry
                met.append((student.id, true))
                // An erased student keeps the pseudonym: a roster import never brings the names back.
                if stored.erased {
                    counts.studentsUnchanged += 1
                    continue
                }
                let before = events.count
                if stored.givenName != student.givenName {
                    events.append(event("update", entity: "student", id: student.id, field: "givenName", old: stored.givenName, new: student.givenName))
                }
                if stored.familyName != student.familyName {
                    events.append(event("update", entity: "student", id: student.id, field: "familyName", old: stored.familyName, new: student.familyName))
                }
                if stored.gradeCode != student.gradeCode {
                    events.append(event("update", entity: "student", id: student.id, field: "grade", old: stored.gradeCode, new: student.gradeCode))
                }
                if stored.identifier != student.identifier {
                    events.append(event(
                        "update", entity: "student", id: student.id, field: "identifier", old: stored.identifier ?? "",
                        new: student.identifier ?? ""))
                }
                if events.count == before {
                    counts.studentsUnchanged += 1
                } else {
                    updated.append(student)
                    counts.studentsUpdated += 1
                }
            case .optOut(let studentID, let optedOut, let file, let line):
                guard var entry = known[studentID], let current = entry.optOut, current != optedOut else { continue }
                entry.optOut = optedOut
                known[studentID] = entry
                optOuts[studentID] = optedOut
                var change = event(
                    optedOut ? "opt-out" : "opt-in", entity: "student", id: studentID, field: "directoryOptOut",
                    old: current ? "yes" : "no", new: optedOut ? "yes" : "no")
                change.reason = "the roster's directory_opt_out column, \(file) line \(line)"
                events.append(change)
                if optedOut { counts.directoryOptOutsRecorded += 1 } else { counts.directoryOptOutsWithdrawn += 1 }
            case .enrollment(let enrollment, let classStoredBefore):
                let entry = known[enrollment.studentID]
                // Met in this import, or else stored (and so stored before it).
                let storedBefore = entry?.met ?? (entry?.stored != nil)
                pairs.append((enrollment, classStoredBefore, storedBefore))
            }
        }

        if !added.isEmpty {
            let (values, binds) = Self.studentRows(added)
            try await connection.run(PostgresQuery(unsafeSQL: """
                INSERT INTO student (id, givenName, familyName, grade, gradeCode, identifier) VALUES \(values.joined(separator: ", "))
                """, binds: binds))
        }
        if !met.isEmpty {
            try await connection.run("""
                INSERT INTO rosterImportStudent (id, storedBefore)
                SELECT * FROM unnest(\(met.map(\.0))::text[], \(met.map(\.1))::boolean[])
                """)
        }
        if !updated.isEmpty {
            let (values, binds) = Self.studentRows(updated)
            try await connection.run(PostgresQuery(unsafeSQL: """
                UPDATE student SET givenName = u.givenName, familyName = u.familyName, grade = u.grade, gradeCode = u.gradeCode,
                    identifier = u.identifier
                FROM (VALUES \(values.joined(separator: ", "))) AS u(id, givenName, familyName, grade, gradeCode, identifier)
                WHERE student.id = u.id
                """, binds: binds))
        }
        if !optOuts.isEmpty {
            let changes = optOuts.sorted { $0.key < $1.key }
            try await connection.run("""
                UPDATE student SET directoryOptOut = u.value
                FROM unnest(\(changes.map(\.key))::text[], \(changes.map { $0.value ? Int64(1) : 0 })::bigint[]) AS u(id, value)
                WHERE student.id = u.id
                """)
        }
        try await PostgresStore.record(events, on: connection)
        if !pairs.isEmpty {
            // The file's pairs go to the staging table (COPY); `storeEnrollments` enrols them all
            // in one statement once the file is read.
            var copy = ByteBuffer()
            for (enrollment, classStoredBefore, studentStoredBefore) in pairs {
                PostgresStore.writeCopyText(enrollment.classID, into: &copy)
                copy.writeInteger(UInt8(ascii: "\t"))
                PostgresStore.writeCopyText(enrollment.studentID, into: &copy)
                copy.writeString(classStoredBefore ? "\tt" : "\tf")
                copy.writeString(studentStoredBefore ? "\tt\n" : "\tf\n")
                if classStoredBefore { storedClassPairs += 1 }
            }
            try await connection.copy(into: "rosterimportpair", columns: ["classid", "studentid", "classstoredbefore", "studentstoredbefore"], copy)
        }
    }

    /// Enrols the file's pairs not enrolled yet, in one statement, and notes which of them are
    /// of students stored before (for the trail): set work for the server, not a statement a batch.
    func storeEnrollments() async throws {
        guard let (added, addedToStoredClasses) = try await connection.first("""
            WITH added AS (
                INSERT INTO enrollment (classId, studentId) SELECT classId, studentId FROM rosterImportPair
                ON CONFLICT DO NOTHING RETURNING classId, studentId
            ),
            enrolled AS (
                INSERT INTO rosterImportEnrolled (classId, studentId)
                SELECT a.classId, a.studentId FROM added a JOIN rosterImportPair p ON p.classId = a.classId AND p.studentId = a.studentId
                WHERE p.studentStoredBefore
            )
            SELECT count(*), count(*) FILTER (WHERE p.classStoredBefore)
            FROM added a JOIN rosterImportPair p ON p.classId = a.classId AND p.studentId = a.studentId
            """, as: (Int64, Int64).self) else { return }
        counts.enrollmentsAdded = Int(added)
        counts.enrollmentsUnchanged = storedClassPairs - Int(addedToStoredClasses)
    }

    // MARK: The end of the file

    /// Takes off each class stored before the students the file no longer lists in it, audits
    /// the enrolment changes of students stored before, and records the summary event (unless
    /// rolling back anyway).
    func finish(recordingSummary: Bool) async throws {
        let removals = try await auditEnrollmentChanges()
        if removals > 0 {
            let removed = try await connection.value("""
                WITH gone AS (
                    DELETE FROM enrollment
                    WHERE classId IN (SELECT id FROM rosterImportClass)
                      AND NOT EXISTS (
                        SELECT 1 FROM rosterImportPair f WHERE f.classId = enrollment.classId AND f.studentId = enrollment.studentId)
                    RETURNING 1
                )
                SELECT count(*) FROM gone
                """, as: Int64.self) ?? 0
            counts.enrollmentsRemoved = Int(removed)
        }
        if recordingSummary {
            try await PostgresStore.record([event("import roster", entity: "roster", id: source, field: nil, old: nil, new: nil, detail: summary)], on: connection)
        }
    }

    /// One event per student stored before whose classes the file changes: a move when one
    /// class was swapped for another, otherwise each class taken off or put on. Read through a
    /// cursor a slice at a time, events sent a batch at a time. Returns how many enrolments are
    /// to be taken off.
    private func auditEnrollmentChanges() async throws -> Int {
        try await connection.run("""
            DECLARE rosterImportChanges NO SCROLL CURSOR FOR
            SELECT e.studentId, e.classId, false AS added
            FROM enrollment e
            WHERE e.classId IN (SELECT id FROM rosterImportClass)
              AND NOT EXISTS (
                SELECT 1 FROM rosterImportPair f WHERE f.classId = e.classId AND f.studentId = e.studentId)
            UNION ALL
            SELECT studentId, classId, true AS added FROM rosterImportEnrolled
            ORDER BY 1, 3, 2
            """)
        var student: String?
        var removals = 0
        var removed: [String] = []
        var added: [String] = []
        var events: [AuditEvent] = []
        func flushStudent() {
            guard let student else { return }
            if removed.count == 1 && added.count == 1 {
                events.append(event("move", entity: "student", id: student, field: "class", old: removed[0], new: added[0]))
            } else {
                for classID in removed {
                    events.append(event("unenroll", entity: "student", id: student, field: "class", old: classID, new: nil))
                }
                for classID in added {
                    events.append(event("enroll", entity: "student", id: student, field: "class", old: nil, new: classID))
                }
            }
            removed.removeAll(keepingCapacity: true)
            added.removeAll(keepingCapacity: true)
        }
        while true {
            var fetched = 0
            for try await (studentID, classID, isAdded) in try await connection.rows(
                "FETCH 2000 FROM rosterImportChanges").decode((String, String, Bool).self) {
                fetched += 1
                if studentID != student {
                    flushStudent()
                    student = studentID
                }
                if isAdded {
                    added.append(classID)
                } else {
                    removed.append(classID)
                    removals += 1
                }
            }
            if fetched == 0 { break }
            try await PostgresStore.record(events, on: connection)
            events.removeAll(keepingCapacity: true)
        }
        flushStudent()
        try await PostgresStore.record(events, on: connection)
        try await connection.run("CLOSE rosterImportChanges")
        return removals
    }

    func dropWorkTables() async throws {
        try await connection.run("DROP TABLE rosterImportClass, rosterImportPair, rosterImportEnrolled, rosterImportStudent")
    }

    /// `schools 3 (2 new, 1 renamed), …`, as the summary event's detail.
    private var summary: String {
        let c = counts
        return "schools \(c.schoolsAdded + c.schoolsRenamed + c.schoolsUnchanged) (\(c.schoolsAdded) new, \(c.schoolsRenamed) renamed), "
            + "classes \(c.classesAdded + c.classesRenamed + c.classesUnchanged) (\(c.classesAdded) new, \(c.classesRenamed) renamed), "
            + "students \(c.studentsAdded + c.studentsUpdated + c.studentsUnchanged) (\(c.studentsAdded) new, \(c.studentsUpdated) updated), "
            + "enrolments \(c.enrollmentsAdded) added, \(c.enrollmentsRemoved) removed"
    }

    private func event(
        _ action: String, entity: String, id: String, field: String?, old: String?, new: String?, detail: String? = nil
    ) -> AuditEvent {
        AuditEvent(
            at: context.at, actor: context.actor, action: action, entity: entity, entityId: id, field: field,
            oldValue: old, newValue: new, detail: detail ?? "roster import from \(source)")
    }
}

extension PostgresRosterImporter {
    /// Students as rows of a VALUES list: `($1::text, …, $4::bigint, …)` a student, with their binds
    /// (typed, so that the same rows serve an INSERT and an UPDATE … FROM (VALUES …)).
    static func studentRows(_ students: [Student]) -> (values: [String], binds: PostgresBindings) {
        var binds = PostgresBindings(capacity: students.count * 6)
        var values: [String] = []
        values.reserveCapacity(students.count)
        for student in students {
            let base = binds.count
            values.append("($\(base + 1)::text, $\(base + 2)::text, $\(base + 3)::text, $\(base + 4)::bigint, $\(base + 5)::text, $\(base + 6)::text)")
            binds.append(student.id)
            binds.append(student.givenName)
            binds.append(student.familyName)
            if let grade = student.grade { binds.append(Int64(grade.number)) } else { binds.appendNull() }
            binds.append(student.gradeCode)
            if let identifier = student.identifier { binds.append(identifier) } else { binds.appendNull() }
        }
        return (values, binds)
    }
}

import BridgesCore
import BridgesStore
import Foundation

/// A student of a class, as an officer's attendance page needs them.
public struct ClassStudent: Sendable, Hashable {
    public let id: String
    public let givenName: String
    public let familyName: String
    /// As the roster gave it: `K`, `1`…`12`, a CEDS code, or `""`.
    public let grade: String
}

/// What logging a session under an idempotency key came to.
/// Not the store's `IdempotentSession` (the key's stored record): what a request under the key came to.
public enum IdempotentSessionLog: Sendable {
    /// Logged now.
    case logged(LoggedSessionResult)
    /// The same key and the same body came before: the session then logged, nothing written now.
    case replayed(sessionID: Int64)
    /// The key came before with another body: nothing written.
    case keyReused(sessionID: Int64)
    /// The same lesson, class and date are logged already as `existing`: nothing written.
    case duplicate(existing: Int64)
}

/// The operations a server asks for on behalf of a signed-in caller, each limited to the
/// caller's role and schools: something outside its schools is `.notFound`, worded exactly as a
/// thing that does not exist.
extension Registrar {
    /// The classes the caller may see, by school and id, with their enrolment.
    public func classes(caller: Caller) async throws(BridgesError) -> [ClassListing] {
        try caller.require(.readRosters)
        // One query that counts in the database: a district's roster is not walked for a page.
        let summaries = try await store { () async throws(StoreError) in try await database.classSummaries() }
        return summaries.filter { caller.sees(school: $0.schoolID) }
            .sorted { ($0.schoolID, $0.id) < ($1.schoolID, $1.id) }
    }

    /// The class with this id when the caller may see it; `.notFound` otherwise, the same words
    /// whether it is missing or another school's.
    func visibleClass(_ id: String, caller: Caller) async throws(BridgesError) -> SchoolClass {
        guard let found = try await schoolClass(id: id), caller.sees(school: found.schoolID) else {
            throw .notFound(.class(id), "no class \'\(id)\'")
        }
        return found
    }

    /// One class the caller may see (its name and school), for a page about it.
    public func schoolClass(id: String, caller: Caller) async throws(BridgesError) -> SchoolClass? {
        try caller.require(.readRosters)
        guard let found = try await schoolClass(id: id), caller.sees(school: found.schoolID) else { return nil }
        return found
    }

    /// A class's enrolled students, by family name, given name and id.
    public func students(classID: String, caller: Caller) async throws(BridgesError) -> [ClassStudent] {
        try caller.require(.readRosters)
        let found = try await visibleClass(classID, caller: caller)
        var students: [ClassStudent] = []
        try await listRoster(schoolID: found.schoolID, classID: found.id, shape: { _ in }, row: { row in
            students.append(ClassStudent(id: row.studentID, givenName: row.givenName, familyName: row.familyName, grade: row.grade))
        })
        return students
    }

    /// The lessons stored, as `lesson list` shows them.
    public func lessons(programID: String?, caller: Caller) async throws(BridgesError) -> [LessonListing] {
        try caller.require(.readLessonPlans)
        return try await lessonListing(programID: programID)
    }

    /// Logs a session for the caller under the client's `Idempotency-Key`, all in one
    /// transaction: the same key with the same body (`bodyHash`) names the session logged then,
    /// another body is refused. An officer logs as its own officer; another role that may log
    /// names the officer. `marks` gives each enrolled student's status.
    public func logSession(
        lessonID: String, classID: String, date: String, minutes: Int?, marks: [String: AttendanceStatus], note: String?,
        officerID: String?, idempotencyKey: String, bodyHash: String, caller: Caller
    ) async throws(BridgesError) -> IdempotentSessionLog {
        let today = clock.today
        try caller.require(.logSession)
        let found = try await visibleClass(classID, caller: caller)
        guard let officer = caller.role == .officer ? caller.officerID : officerID, !officer.isEmpty else {
            throw .usage("name the officer who taught the session (\(field: .officer))")
        }
        guard caller.mayLog(in: found.schoolID, as: officer) else { throw .forbidden(role: caller.role, permission: .logSession) }
        let day = try Self.date(date, field: .date)
        if day > today {
            throw .rejected("\(field: .date) \(day) is in the future (today is \(today)); log a session on or after the day it was taught")
        }
        if let minutes, !(1...600).contains(minutes) {
            throw .usage("\(field: .minutes) \(minutes) is not a length of a session; give the minutes taught, 1 to 600")
        }
        if let note, let problem = RecordText.problem(note, as: .name) { throw .usage("note \(problem)") }
        let key = idempotencyKey.trimmingWhitespace()
        guard !key.isEmpty, key.utf8.count <= 200, RecordText.problem(key, as: .id) == nil else {
            throw .usage("the Idempotency-Key header must be 1 to 200 printable characters (a random id the client keeps for this session)")
        }
        let request = SessionRequest(
            lessonID: lessonID, classID: found.id, officerID: officer, date: day.description, minutes: minutes,
            note: note.flatMap { $0.isBlank ? nil : $0 }, named: marks.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, others: nil)
        let outcome = try await store { () async throws(StoreError) in
            try await database.logSession(request, idempotencyKey: key, bodyHash: bodyHash, context: WriteContext(actor: caller.name, at: clock.now))
        }
        switch outcome {
        case .failure(let earlier):
            return earlier.bodyHash == bodyHash ? .replayed(sessionID: earlier.sessionID) : .keyReused(sessionID: earlier.sessionID)
        case .success(.failure(.duplicate(let existing))):
            return .duplicate(existing: existing)
        case .success(.failure(let refusal)):
            throw Self.error(for: refusal, date: day.description, lessonID: lessonID, classID: classID)
        case .success(.success(let logged)):
            return .logged(LoggedSessionResult(id: logged.id, lessonVersion: logged.lessonVersion, minutes: logged.minutes, counts: logged.counts, warnings: []))
        }
    }

    /// A session when the caller may read it (its class in the caller's schools).
    public func session(id: Int64, caller: Caller) async throws(BridgesError) -> SessionDetail {
        try caller.require(.readSessions)
        let detail: SessionDetail
        do {
            detail = try await session(id: id)
        } catch {
            if case .notFound = error { throw .notFound(.session(id), "no session \(id)") }
            throw error
        }
        guard caller.sees(school: detail.session.schoolID) else { throw .notFound(.session(id), "no session \(id)") }
        return detail
    }

    /// The sessions the caller may read, as `session list` with its filters.
    public func sessions(classID: String?, programID: String?, from: String?, to: String?, caller: Caller) async throws(BridgesError) -> [SessionInfo] {
        try caller.require(.readSessions)
        // A caller limited to some schools is told "no class" for another school's as for a
        // missing one; one who sees every school gets the sessions of a missing class: none.
        if let classID, !caller.seesEverySchool { _ = try await visibleClass(classID, caller: caller) }
        return try await sessions(classID: classID, programID: programID, from: from, to: to).filter { caller.sees(school: $0.schoolID) }
    }
}

extension Registrar {
    /// Reads one row of the database: whether it answers (a server's health check).
    public func checkDatabase() async throws(BridgesError) {
        _ = try await holdsRecords()
    }
}

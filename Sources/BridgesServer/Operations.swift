import BridgesCore
import BridgesKit
import Dispatch
import Foundation

/// Every call the server makes into Kit, in one place: the role rule is Kit's (`Caller`), and
/// when Kit's operations change shape (async, a `caller:` in place of `actor:`) this is the one
/// file to follow them.
///
/// Kit's operations block (SQLite, bcrypt's deliberate slowness); they run on a queue of their
/// own, never on the threads that serve connections.
final class Operations: Sendable {
    private let records: Registrar
    /// Kit's calls run on this queue's threads (it adds threads while calls block), never on the
    /// threads of Swift's cooperative pool or the connections' event loops.
    private let executor = QueueExecutor(DispatchQueue(label: "bridges.operations", attributes: .concurrent))

    init(records: Registrar) {
        self.records = records
    }

    /// Today on the clock Kit was handed (the front door's).
    var today: SchoolDate { records.clock.today }

    /// Runs a Kit call off the connection threads; a `BridgesError` comes back as its problem.
    private func run<T: Sendable>(_ body: @Sendable (Registrar) async throws(BridgesError) -> T) async throws -> T {
        let records = self.records
        do {
            return try await withTaskExecutorPreference(executor) { () async throws(BridgesError) -> T in try await body(records) }
        } catch {
            throw Problem(error)
        }
    }

    // MARK: Health and who is asking

    /// Whether the database answers.
    func databaseAnswers() async -> Bool {
        (try? await run { records async throws(BridgesError) in try await records.checkDatabase() }) != nil
    }

    func signIn(username: String, password: String) async throws -> SignInOutcome {
        try await run { records async throws(BridgesError) in try await records.signIn(username: username, password: password) }
    }

    func signedIn(secret: String) async throws -> (caller: Caller, csrfToken: String)? {
        let found = try await run { records async throws(BridgesError) in try await records.signedIn(secret: secret).map { SignInFound(caller: $0.caller, csrfToken: $0.csrfToken) } }
        return found.map { ($0.caller, $0.csrfToken) }
    }

    func apiTokenCaller(secret: String) async throws -> Caller? {
        try await run { records async throws(BridgesError) in try await records.apiTokenCaller(secret: secret) }
    }

    func signOut(secret: String, caller: Caller) async throws {
        _ = try await run { records async throws(BridgesError) in try await records.signOut(secret: secret, caller: caller) }
    }

    // MARK: Rosters, lessons, sessions (each limited to the caller's role and schools in Kit)

    func classes(caller: Caller) async throws -> [ClassListing] {
        try await run { records async throws(BridgesError) in try await records.classes(caller: caller) }
    }

    /// A class the caller may see; 404 for one that is missing or another school's.
    func schoolClass(id: String, caller: Caller) async throws -> SchoolClass {
        let found = try await run { records async throws(BridgesError) in try await records.schoolClass(id: id, caller: caller) }
        guard let found else { throw Problem(BridgesError.notFound(.class(id), "no class '\(id)'")) }
        return found
    }

    func students(classID: String, caller: Caller) async throws -> [ClassStudent] {
        try await run { records async throws(BridgesError) in try await records.students(classID: classID, caller: caller) }
    }

    func lessons(programID: String?, caller: Caller) async throws -> [LessonListing] {
        try await run { records async throws(BridgesError) in try await records.lessons(programID: programID, caller: caller) }
    }

    func logSession(_ body: SessionBody, idempotencyKey: String, bodyHash: String, caller: Caller) async throws -> IdempotentSessionLog {
        try await run { records async throws(BridgesError) in
            try await records.logSession(
                lessonID: body.lesson, classID: body.class, date: body.date, minutes: body.minutes, marks: body.statuses,
                note: body.note, officerID: body.officer, idempotencyKey: idempotencyKey, bodyHash: bodyHash, caller: caller)
        }
    }

    func sessions(classID: String?, programID: String?, from: String?, to: String?, caller: Caller) async throws -> [SessionInfo] {
        try await run { records async throws(BridgesError) in try await records.sessions(classID: classID, programID: programID, from: from, to: to, caller: caller) }
    }

    /// What a member of the public may learn of a certificate (nil: no such code).
    func publicVerification(code: String, name: String?) async throws -> CertificateVerification? {
        try await run { records async throws(BridgesError) in try await records.publicVerification(code, name: name) }
    }

    func session(id: Int64, caller: Caller) async throws -> SessionDetail {
        try await run { records async throws(BridgesError) in try await records.session(id: id, caller: caller) }
    }

    // MARK: Corrections, quizzes, reports (issue 12, second part)

    func amendSession(id: Int64, student: String, status: AttendanceStatus, reason: String, caller: Caller) async throws -> AttendanceStatus? {
        try await run { records async throws(BridgesError) in
            try await records.amendSession(id: id, student: student, status: status, reason: reason, scopedTo: caller)
        }
    }

    func voidSession(id: Int64, reason: String, caller: Caller) async throws {
        try await run { records async throws(BridgesError) in try await records.voidSession(id: id, reason: reason, scopedTo: caller) }
    }

    func recordQuiz(session: Int64, student: String, answers: [String: String], caller: Caller) async throws -> QuizAttemptResult {
        try await run { records async throws(BridgesError) in
            try await records.recordQuiz(session: session, student: student, answers: answers, scopedTo: caller)
        }
    }

    /// A report, written and its disclosure recorded before this returns; its bytes are sent after.
    func streamReport(_ report: Report, programID: String?, schoolID: String?, from: String?, to: String?, excel: Bool, purpose: String?, caller: Caller) async throws -> ReportStream {
        try await run { records async throws(BridgesError) in
            try await records.streamReport(
                report, programID: programID, schoolID: schoolID, from: from, to: to, excel: excel, purpose: purpose,
                recipient: "a download from bridges serve", caller: caller
            ).stream
        }
    }

    func sessionQuiz(id: Int64, caller: Caller) async throws -> Quiz? {
        try await run { records async throws(BridgesError) in try await records.sessionQuiz(id: id, caller: caller) }
    }

    func issueCertificates(programID: String?, asOf: String?, caller: Caller) async throws -> [CertificateIssue] {
        try await run { records async throws(BridgesError) in try await records.issueCertificates(programID: programID, asOf: asOf, caller: caller) }
    }

    /// Where uploads are written (in a private folder of their own) before Kit reads them.
    var scratchFolder: String { records.scratchFolder }

    func importRoster(path: String, dryRun: Bool, caller: Caller) async throws -> RosterImport {
        try await run { records async throws(BridgesError) in try await records.importRoster(path: path, caller: caller, dryRun: dryRun) }
    }

    func loadLessonPlans(path: String, zip: Bool, name: String, caller: Caller) async throws -> LessonPlanLoad {
        try await run { records async throws(BridgesError) in
            zip ? try await records.loadLessonPlanArchive(zip: path, name: name, caller: caller, processors: 2)
                : try await records.loadLessonPlans(paths: [path], caller: caller, processors: 1)
        }
    }

    /// Reads a chunk of a finished report off the connection threads.
    func read(_ stream: ReportStream, at offset: Int, upTo count: Int) async throws -> [UInt8] {
        try await run { _ async throws(BridgesError) in try stream.read(at: offset, upTo: count) }
    }
}

/// A sign-in found by its cookie (a tuple is not `Sendable` across the queue).
private struct SignInFound: Sendable {
    var caller: Caller
    var csrfToken: String
}

/// A task executor on a dispatch queue: the async Kit operations a request awaits run there, where
/// a blocking database call or bcrypt's deliberate slowness holds one of the queue's threads and
/// none of the cooperative pool's.
final class QueueExecutor: TaskExecutor {
    private let queue: DispatchQueue

    init(_ queue: DispatchQueue) {
        self.queue = queue
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

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
    private let records: Records
    private let queue = DispatchQueue(label: "bridges.operations", attributes: .concurrent)

    init(records: Records) {
        self.records = records
    }

    /// Runs a Kit call off the connection threads; a `BridgesError` comes back as its problem.
    private func run<T: Sendable>(_ body: @escaping @Sendable (Records) throws(BridgesError) -> T) async throws -> T {
        let records = self.records
        let result: Result<T, BridgesError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(BridgesError) {
                    continuation.resume(returning: .success(try body(records)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        switch result {
        case .success(let value): return value
        case .failure(let error): throw Problem(error)
        }
    }

    // MARK: Health and who is asking

    /// Whether the database answers.
    func databaseAnswers() async -> Bool {
        (try? await run { records throws(BridgesError) in try records.checkDatabase() }) != nil
    }

    func signIn(username: String, password: String) async throws -> SignInOutcome {
        try await run { records throws(BridgesError) in try records.signIn(username: username, password: password) }
    }

    func signedIn(secret: String) async throws -> (caller: Caller, csrfToken: String)? {
        let found = try await run { records throws(BridgesError) in try records.signedIn(secret: secret).map { SignInFound(caller: $0.caller, csrfToken: $0.csrfToken) } }
        return found.map { ($0.caller, $0.csrfToken) }
    }

    func apiTokenCaller(secret: String) async throws -> Caller? {
        try await run { records throws(BridgesError) in try records.apiTokenCaller(secret: secret) }
    }

    func signOut(secret: String, caller: Caller) async throws {
        _ = try await run { records throws(BridgesError) in try records.signOut(secret: secret, caller: caller) }
    }

    // MARK: Rosters, lessons, sessions (each limited to the caller's role and schools in Kit)

    func classes(caller: Caller) async throws -> [ClassListing] {
        try await run { records throws(BridgesError) in try records.classes(caller: caller) }
    }

    func students(classID: String, caller: Caller) async throws -> [ClassStudent] {
        try await run { records throws(BridgesError) in try records.students(classID: classID, caller: caller) }
    }

    func lessons(programID: String?, caller: Caller) async throws -> [LessonListing] {
        try await run { records throws(BridgesError) in try records.lessons(programID: programID, caller: caller) }
    }

    func logSession(_ body: SessionBody, idempotencyKey: String, bodyHash: String, caller: Caller) async throws -> IdempotentSessionLog {
        try await run { records throws(BridgesError) in
            try records.logSession(
                lessonID: body.lesson, classID: body.class, date: body.date, minutes: body.minutes, marks: body.statuses,
                note: body.note, officerID: body.officer, idempotencyKey: idempotencyKey, bodyHash: bodyHash, caller: caller)
        }
    }

    func sessions(classID: String?, programID: String?, from: String?, to: String?, caller: Caller) async throws -> [SessionInfo] {
        try await run { records throws(BridgesError) in try records.sessions(classID: classID, programID: programID, from: from, to: to, caller: caller) }
    }

    /// What a member of the public may learn of a certificate (nil: no such code).
    func publicVerification(code: String, name: String?) async throws -> CertificateVerification? {
        try await run { records throws(BridgesError) in try records.publicVerification(code, name: name) }
    }

    func session(id: Int64, caller: Caller) async throws -> SessionDetail {
        try await run { records throws(BridgesError) in try records.session(id: id, caller: caller) }
    }
}

/// A sign-in found by its cookie (a tuple is not `Sendable` across the queue).
private struct SignInFound: Sendable {
    var caller: Caller
    var csrfToken: String
}

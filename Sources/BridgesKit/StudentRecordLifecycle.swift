import BridgesCore
import BridgesStore
import Foundation

/// Erasure, legal holds and retention (issue 15, part 3): the end of a minor's records.
extension Registrar {
    /// Replaces a student's personal data by a random pseudonym (`ERASED-` and 10 letters and
    /// digits, drawn from the system's secure generator, never from the student's data), in the
    /// student row and in the audit trail, keeping every mark, attempt and certificate as counts
    /// under the pseudonym. Audited with `reason`; refused under a legal hold or when done before.
    public func eraseStudent(_ id: String, reason: String, caller: Caller) async throws(BridgesError) -> ErasedStudent {
        try caller.require(.manageStudentRecords)
        let actor = caller.name
        try Self.checkReason(reason, "why the student's personal data is erased and at whose request")
        let pseudonym = "ERASED-" + Self.randomLetters(10)
        let outcome = try await store { () async throws(StoreError) in
            try await database.eraseStudent(id: id, pseudonym: pseudonym, reason: reason, context: WriteContext(actor: actor, at: clock.now))
        }
        switch outcome {
        case .success(let erased):
            return erased
        case .failure(let refusal):
            throw Self.error(refusal, id)
        }
    }

    /// Puts the student's records under a legal hold (`hold`), or releases it: while held,
    /// neither erasure nor a retention purge touches them.
    public func setLegalHold(_ id: String, hold: Bool, reason: String, caller: Caller) async throws(BridgesError) {
        try caller.require(.manageStudentRecords)
        let actor = caller.name
        try Self.checkReason(reason, hold ? "the legal matter the records are held for" : "why the hold ends")
        let outcome = try await store { () async throws(StoreError) in
            try await database.setLegalHold(id: id, hold: hold, reason: reason, context: WriteContext(actor: actor, at: clock.now))
        }
        if case .failure(let refusal) = outcome { throw Self.error(refusal, id) }
    }

    /// Removes (or with `dryRun` only lists) the records past their time: marks and quiz
    /// attempts of sessions dated before `before`, and certificates that expired or were revoked
    /// before it, except those of students under a legal hold. One transaction, audited.
    public func purgeRetention(before text: String, dryRun: Bool, caller: Caller) async throws(BridgesError) -> RetentionPurgePlan {
        let today = clock.today
        try caller.require(.manageStudentRecords)
        let actor = caller.name
        guard let before = SchoolDate(text) else { throw .usage("\(field: .before) '\(text)' is not a date: \(SchoolDate.formatHelp)") }
        guard before <= today else {
            throw .usage("\(field: .before) \(before) is after today (\(today)): a purge takes only what is past; give a date no later than today")
        }
        return try await store { () async throws(StoreError) in
            try await database.purgeRetention(before: before.description, dryRun: dryRun, context: WriteContext(actor: actor, at: clock.now))
        }
    }

    private static func checkReason(_ reason: String, _ what: String) throws(BridgesError) {
        guard !reason.isBlank else { throw .usage("\(field: .reason) is needed: say \(what) (it is kept in the audit trail; name no student)") }
        if let problem = RecordText.problem(reason.trimmingWhitespace(), as: .name) { throw .usage("\(field: .reason) \(problem)") }
    }

    private static func error(_ refusal: StudentRecordRefusal, _ id: String) -> BridgesError {
        switch refusal {
        case .noSuchStudent: .notFound(.student(id), "no student has the id \'\(id)\'; see: \(.rosterList)")
        case .alreadyErased(let at): .rejected("student \(id)'s personal data was already erased (\(at)); nothing changed")
        case .underHold(let reason): .rejected("student \(id)'s records are under a legal hold (\(reason)); release it first with: \(.studentRelease) \(id) \(field: .reason) TEXT. Nothing changed")
        case .alreadyHeld(let reason): .rejected("student \(id)'s records are already under a legal hold (\(reason)); nothing changed")
        case .notHeld: .rejected("student \(id)'s records are not under a legal hold; nothing changed")
        }
    }

    /// Letters and digits people can read back (no I, L, O, U), from the secure generator.
    static func randomLetters(_ count: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}

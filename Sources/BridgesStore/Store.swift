import BridgesCore
import Foundation

/// What Kit asks of a database, in the school's words: the store contract.
///
/// One open store serves one process (the command line opens it once per command; a server once).
/// Every method that changes something is one transaction: all of it lands, or none of it, and a
/// refusal comes back as a value (`Result`'s failure) with nothing written. Every failure of the
/// database itself is a `StoreError`, the same for every store.
///
/// The methods are `async` so that a store on a network (PostgreSQL) waits without blocking a
/// thread, and so a server calls them from its event loops; the embedded SQLite store answers
/// them synchronously. The bulk paths (lesson plans, roster and session imports, reports) hand
/// Kit a sink or call it back row by row inside their one transaction or read; those callbacks
/// run on the caller's thread and may block on reading a file.
package protocol Store: AnyObject, Sendable {
    /// The schema changes this open applied to a database an earlier Bridges wrote.
    var upgradedOnOpen: [String] { get }
    /// Closes the connection; nothing may be asked of the store afterwards.
    func close() async throws(StoreError)

    // MARK: The audit trail and the database as a whole

    /// The audit events about one record, oldest first.
    func auditTrail(entity: String, id: String) async throws(StoreError) -> [AuditEvent]
    /// Appends an event that marks the database itself (the demo's markers).
    func recordMarker(_ action: String, context: WriteContext) async throws(StoreError)
    /// Whether anything has been recorded: lesson plans, a roster, officers, sessions, certificates.
    func holdsRecords() async throws(StoreError) -> Bool
    /// Whether the newest audit event is the marker `action`.
    func lastEventIsMarker(_ action: String) async throws(StoreError) -> Bool

    // MARK: Lesson plans

    /// The stored programs and lessons, as the rules across lesson-plan files ask about them.
    func catalog() async throws(StoreError) -> StoredCatalog
    /// Stores `items` (or, `dryRun`, says what storing them would do and rolls back).
    func storeLessonPlans(_ items: [LessonPlanItem], context: WriteContext, dryRun: Bool) async throws(StoreError) -> LessonPlanStoreOutcome
    /// Stores lesson plans as `body` hands them to the sink, in one transaction that commits when
    /// `body` returns true; `body` gets the catalog as stored when the transaction began.
    func storeLessonPlansStreaming(context: WriteContext, _ body: (StoredCatalog, any LessonPlanSink) throws -> Bool) async throws(StoreError) -> LessonPlanStoreOutcome
    func programs() async throws(StoreError) -> [Program]
    func lessonSummaries(programID: String?) async throws(StoreError) -> [StoredLessonSummary]
    /// A lesson at `version` (nil: the latest), with who loaded it.
    func lesson(id: String, version: Int?) async throws(StoreError) -> StoredVersion<Lesson>?
    func program(id: String, version: Int?) async throws(StoreError) -> StoredVersion<Program>?
    func lessonVersions(id: String) async throws(StoreError) -> [Int]

    // MARK: Rosters

    /// Imports a roster in one transaction: `body` reads the source and hands each row to the
    /// sink, and returns its own findings. Nothing is kept when `dryRun`, when any finding is an
    /// error, or when `body` throws (its error comes back unchanged).
    func importRoster(source: String, context: WriteContext, dryRun: Bool, _ body: (any RosterImportSink) throws -> [Diagnostic]) async throws -> RosterImportOutcome
    func school(id: String) async throws(StoreError) -> School?
    func schoolClass(id: String) async throws(StoreError) -> SchoolClass?
    /// Streams the enrolled students, by school, class, family name, given name and id, in one
    /// read: `shape` first, then each row.
    func rosterListing(schoolID: String?, classID: String?, student: String?, shape: (RosterListingShape) -> Void, row: (RosterListingRow) -> Void) async throws(StoreError)
    /// Every class with at least one student enrolled, by school and id, with its name and how
    /// many are enrolled: one query, however big the roster (the server's class pages ask it).
    func classSummaries() async throws(StoreError) -> [ClassListing]
    /// Whether the student's family opted out of directory information (nil: no such student).
    func directoryOptOut(studentID: String) async throws(StoreError) -> Bool?
    /// Sets the opt-out, audited; nil when there is no such student.
    func setDirectoryOptOut(studentID: String, optedOut: Bool, reason: String, context: WriteContext) async throws(StoreError) -> Bool?
    /// The district's student number (OneRoster `identifier`) the roster gave, if any.
    func studentIdentifier(studentID: String) async throws(StoreError) -> String?

    // MARK: A student's record over its life

    /// Replaces a student's personal data with `pseudonym`, keeping the counts, audited.
    func eraseStudent(id: String, pseudonym: String, reason: String, context: WriteContext) async throws(StoreError) -> Result<ErasedStudent, StudentRecordRefusal>
    /// Puts a student under a legal hold (`hold`) or releases one, audited.
    func setLegalHold(id: String, hold: Bool, reason: String, context: WriteContext) async throws(StoreError) -> Result<Void, StudentRecordRefusal>
    /// When a student was erased: nil for no such student, `.some(nil)` when never erased.
    func erasedAt(studentID: String) async throws(StoreError) -> String??
    /// Removes what is past its time before `before` (not of students under hold), audited; or,
    /// `dryRun`, says what would go.
    func purgeRetention(before: String, dryRun: Bool, context: WriteContext) async throws(StoreError) -> RetentionPurgePlan

    /// Records a disclosure and the students it names in one transaction, with `publish` (which
    /// puts the output where it goes and says where) run inside it: nothing is disclosed unlogged.
    /// `students` hands over each student named, in any order, repeats allowed (each is kept
    /// once), without the store or the caller holding them all in memory.
    func recordDisclosure(
        _ entry: DisclosureEntry, students: (_ each: (String) throws -> Void) throws -> Void, publish: () throws -> String
    ) async throws(StoreError) -> Int64
    /// The disclosures, oldest first: all, or those that named `studentID`; `from`/`to` are UTC days.
    func disclosures(studentID: String?, from: String?, to: String?) async throws(StoreError) -> [DisclosureEntry]
    func studentExists(_ id: String) async throws(StoreError) -> Bool
    /// Everything stored about one student; nil when there is no such student.
    func studentRecord(_ studentID: String) async throws(StoreError) -> StoredStudentRecord?

    // MARK: Officers

    /// Adds or updates an officer. `agency` and `certifiedUntil`: nil keeps what is stored,
    /// `.some(nil)` clears it.
    func saveOfficer(id: String, name: String, agency: String??, certifiedUntil: String??, context: WriteContext) async throws(StoreError) -> OfficerSave
    func officer(id: String) async throws(StoreError) -> Officer?
    func officers() async throws(StoreError) -> [Officer]

    // MARK: Sessions and quizzes

    func logSession(_ request: SessionRequest, context: WriteContext) async throws(StoreError) -> Result<LoggedSession, SessionRefusal>
    func sessions(_ filter: SessionFilter) async throws(StoreError) -> [SessionInfo]
    func session(id: Int64) async throws(StoreError) -> SessionInfo?
    func marks(session id: Int64) async throws(StoreError) -> [SessionMark]
    func quizAttempts(session id: Int64) async throws(StoreError) -> [StoredQuizAttempt]
    /// Corrects a session's date, officer, minutes, lesson version and one student's status, all
    /// or nothing.
    func amendSession(_ id: Int64, _ amendment: SessionAmendment, reason: String, context: WriteContext) async throws(StoreError) -> Result<[SessionChange], SessionRefusal>
    /// Corrects one student's status; the previous status (nil: there was none).
    func amendSession(_ id: Int64, student: String, status: AttendanceStatus, reason: String, context: WriteContext) async throws(StoreError) -> Result<AttendanceStatus?, SessionRefusal>
    func voidSession(_ id: Int64, reason: String, context: WriteContext) async throws(StoreError) -> Result<Void, SessionRefusal>
    /// Imports attendance rows in one transaction as `feed` hands them to the sink.
    func importSessions(source: String, context: WriteContext, dryRun: Bool, feed: (any SessionImportSink) throws -> Void) async throws(StoreError) -> (summary: SessionImportSummary, failed: Bool, partlyMarked: [PartlyMarkedSession])
    /// The quiz of the lesson version a session records.
    func quiz(session id: Int64) async throws(StoreError) -> Result<Quiz, SessionRefusal>
    func recordQuizAttempts(session id: Int64, attempts: [QuizAttemptRequest], context: WriteContext) async throws(StoreError) -> Result<[RecordedQuizAttempt], SessionRefusals>
    func voidQuizAttempt(session id: Int64, student: String, attempt: Int, reason: String, context: WriteContext) async throws(StoreError) -> Result<VoidedAttempt, QuizVoidRefusal>

    // MARK: Certificates and the issuer

    /// Issues a certificate to every student who meets a program's rule on `asOf` and holds no
    /// current one for it; with `schools`, only to students whose latest session was at one of
    /// them (the school the certificate records), the others neither issued nor counted.
    func issueCertificates(programID: String?, asOf: SchoolDate, schools: Set<String>?, context: WriteContext, listingCodes: Bool) async throws(StoreError) -> [CertificateIssue]
    func certificates(programID: String?) async throws(StoreError) -> [StoredCertificate]
    func certificate(code: String) async throws(StoreError) -> StoredCertificate?
    /// Revokes a certificate; nil when there is none with that code.
    func revokeCertificate(code: String, reason: String, on day: SchoolDate, context: WriteContext) async throws(StoreError) -> StoredCertificate?
    /// Reinstates a revoked certificate; nil when there is none, false when it was not revoked.
    func reinstateCertificate(code: String, reason: String, context: WriteContext) async throws(StoreError) -> Bool?
    func certificatePrintDetails(code: String) async throws(StoreError) -> CertificatePrintDetails?
    /// Streams the current certificates of a program (issued by `day`, not revoked, not past
    /// their last valid day) in `scope`, by family name, given name and student id, each with what
    /// its printed page says; `each` returns false to stop. How many were passed.
    func currentCertificates(programID: String, in scope: CertificatePagesScope, on day: String,
                             _ each: (StoredCertificate, CertificatePrintDetails) -> Bool) async throws(StoreError) -> Int
    func issuer() async throws(StoreError) -> StoredIssuer?
    /// Records the issuer; false when there is one already.
    func createIssuer(name: String, url: String, keyID: String, publicJWK: String, keyPath: String, context: WriteContext) async throws(StoreError) -> Bool
    /// A certificate's recipient salt and status-list index, assigned on first use from `fresh`.
    func badgeEntry(code: String, fresh: String) async throws(StoreError) -> (salt: String, statusIndex: Int)?
    func assignBadgeEntries(programID: String?, schoolID: String?, fresh: () -> String) async throws(StoreError) -> [String: (salt: String, statusIndex: Int)]
    /// The status-list indexes of revoked certificates, and how many indexes are assigned.
    func revocationStatus() async throws(StoreError) -> (revoked: [Int], assigned: Int)

    // MARK: Reports (each one read, streamed row by row)

    func programExists(_ id: String) async throws(StoreError) -> Bool
    func schoolExists(_ id: String) async throws(StoreError) -> Bool
    func attendanceReport(_ filter: ReportFilter, row: (AttendanceReportRow) throws -> Void) async throws
    func summaryReport(_ filter: ReportFilter, asOf: String, program: (SummaryReportProgram) throws -> Void, row: (SummaryReportRow) throws -> Void) async throws
    func certificateReport(_ filter: ReportFilter, row: (CertificateReportRow) throws -> Void) async throws
    func programReport(_ filter: ReportFilter, row: (ProgramReportRow) throws -> Void) async throws

    // MARK: Copying a whole database from one store to another (`bridges db copy`)

    /// A page of `table`'s rows, each value as text (NULL as nil) in `table.columns`' order, by the
    /// table's key, starting after the row whose key values are `after` (nil: from the first).
    func tableRows(_ table: StoreTable, after: [String?]?, limit: Int) async throws(StoreError) -> [[String?]]
    /// Adds rows exactly as they were read from another store (ids and all), into a store that
    /// `StoreLocation.createInBulk` is making.
    func appendRows(_ table: StoreTable, _ rows: [[String?]]) async throws(StoreError)
    /// After a copy: the store's own counters (of new ids) set past the rows copied.
    func finishCopy() async throws(StoreError)

    // MARK: Accounts of `bridges serve`, their API tokens, sign-ins and idempotency keys
    // (Accounts.swift; every change audited)

    /// Adds an account; false when the name is taken.
    func addAccount(_ account: StoredAccount, context: WriteContext) async throws(StoreError) -> Bool
    func account(name: String) async throws(StoreError) -> StoredAccount?
    /// Every account, by name.
    func accounts() async throws(StoreError) -> [StoredAccount]
    /// Disables an account and ends its sign-ins and tokens; nil when there is none, false when
    /// it was disabled already.
    func disableAccount(name: String, context: WriteContext) async throws(StoreError) -> Bool?
    /// Counts a wrong password; the `limit`-th in a row locks the account until `lockUntil`.
    func recordFailedSignIn(name: String, limit: Int, lockUntil: String, context: WriteContext) async throws(StoreError) -> FailedSignIn?
    /// A good password: clears the count of wrong ones and stores the sign-in under the SHA-256
    /// of its cookie's secret.
    func recordSignIn(name: String, secretHash: String, signIn: StoredSignIn, context: WriteContext) async throws(StoreError)
    /// The unexpired sign-in with this secret's hash (`now`: ISO 8601 UTC), and its account.
    func signIn(secretHash: String, now: String) async throws(StoreError) -> (StoredSignIn, StoredAccount)?
    /// Ends a sign-in; false when there was none.
    func endSignIn(secretHash: String, context: WriteContext) async throws(StoreError) -> Bool
    /// Stores a new API token's hash; its id.
    func createAPIToken(account: String, secretHash: String, expires: String?, context: WriteContext) async throws(StoreError) -> Int64
    /// The account of an unrevoked, unexpired token (`today`: `YYYY-MM-DD` UTC).
    func apiTokenAccount(secretHash: String, today: String) async throws(StoreError) -> (APITokenInfo, StoredAccount)?
    func apiTokens(account: String?) async throws(StoreError) -> [APITokenInfo]
    /// Revokes a token; nil when there is none, false when it was revoked already.
    func revokeAPIToken(id: Int64, context: WriteContext) async throws(StoreError) -> Bool?
    /// Logs a session under an idempotency key in one transaction: when `key` was used by the
    /// same caller before, nothing is written and the earlier entry comes back (`.failure`).
    func logSession(_ request: SessionRequest, idempotencyKey key: String, bodyHash: String, context: WriteContext) async throws(StoreError)
        -> Result<Result<LoggedSession, SessionRefusal>, IdempotentSession>
}

/// Stores one lesson plan at a time inside `Store.storeLessonPlansStreaming`'s transaction.
package protocol LessonPlanSink: AnyObject {
    /// Stores one program or lesson (or notes how it conflicts with what is stored).
    func store(_ item: LessonPlanItem) throws
    /// What each stored item did; items are kept without their content.
    var outcome: LessonPlanStoreOutcome { get }
}

/// Takes a roster's rows inside `Store.importRoster`'s transaction, parents before children.
package protocol RosterImportSink: AnyObject {
    func school(_ school: School) throws
    func schoolClass(_ schoolClass: SchoolClass, file: String, line: Int) throws
    func student(_ student: Student) throws
    /// False when the enrolment names a class or student the import has not had.
    func enrollment(_ enrollment: Enrollment) throws -> Bool
    /// Records (or withdraws) a family's directory-information opt-out as the roster's
    /// `directory_opt_out` column says, audited with the file and line.
    func directoryOptOut(studentID: String, optedOut: Bool, file: String, line: Int) throws
}

/// Takes attendance rows inside `Store.importSessions`'s transaction.
package protocol SessionImportSink: AnyObject {
    /// Adds one row; problems found so far with earlier rows of its batch.
    func add(_ row: ImportedMark) throws -> [SessionImportProblem]
    /// Writes what is buffered; the problems found.
    func flush() throws -> [SessionImportProblem]
    /// Says the source failed to read: nothing will be kept.
    func markFailed() throws -> [SessionImportProblem]
}

/// Where a store is, and what only the store's engine can do about that place: open it, build a
/// new one in bulk, stand in a scratch one for a dry run, check it and copy it. A front door (the
/// command line, a server) makes one from what a person named (`--db`); Kit never sees a path.
package protocol StoreLocation: Sendable {
    /// How the location is named to people (a file path, or a URL without its password).
    var displayName: String { get }
    /// Opens the store; with `.write`, creating and migrating it on first use.
    func open(_ access: StoreAccess) async throws(StoreError) -> any Store
    /// Opens the store if there is one; nil when there is none (nothing is created).
    func openIfPresent(_ access: StoreAccess) async throws(StoreError) -> (any Store)?
    /// When no store exists yet here: builds one in bulk with `body` and puts it in place only if
    /// `body` succeeds (nothing is left behind otherwise). nil when a store already exists (or
    /// appeared meanwhile): then use `open`. Errors of `body` come back unchanged.
    func createInBulk<T>(_ body: (any Store) async throws -> T) async throws -> T?
    /// Runs `body` on an empty, private store that is thrown away afterwards: a dry run of an
    /// import when there is no store yet.
    func withScratchStore<T>(_ body: (any Store) async throws -> T) async throws -> T
    /// Checks the store without changing it.
    func inspect() async throws(StoreError) -> any StoreInspection
    /// Removes the whole store and everything in it. Only `bridges demo` does this, to replace a
    /// demonstration database it made itself and nobody has written to since; the store is closed.
    func discard() async throws(StoreError)
}

/// What a command needs of the store: to read it, or to write it.
package enum StoreAccess: Sendable {
    /// Never creates, migrates or otherwise changes anything; a missing store is `.missing`.
    case read
    /// Creates a missing store and brings an earlier Bridges' one up to date.
    case write
}

/// A read-only look at a store for `doctor`, `backup` and the tests' counts.
package protocol StoreInspection: Sendable {
    /// The database engine, as its checks are credited to it ("SQLite", "PostgreSQL").
    var engine: String { get }
    /// What the engine checks, as a person would say it ("the file", "the database").
    var storage: String { get }
    /// Damage the engine finds in its own storage.
    func integrityProblems() async throws(StoreError) -> [String]
    func foreignKeyProblems() async throws(StoreError) -> [String]
    /// The migrations this Bridges knows, and those the store has had.
    func migrationState() async throws(StoreError) -> (known: [String], applied: [String])
    /// Holes, rewrites and unexplained records in the audit trail; `now` is ISO 8601 UTC.
    func auditTrailProblems(now: String) async throws(StoreError) -> [Message]
    /// The audit trail's hash chain walked once: its head, or the first event that breaks it.
    func auditChain() async throws(StoreError) -> AuditChainFinding
    /// The trail replayed against the current records: what does not fit.
    func auditReplayProblems() async throws(StoreError) -> [Message]
    /// Rows by table.
    func counts() async throws(StoreError) -> [(table: String, rows: Int)]
    /// The store's files that people other than the owner may read, with their modes (octal).
    func readableByOthers() async -> [(file: String, mode: String)]
    /// A description of who may read the store when nobody else may (such as the file's mode).
    var ownerOnlyAccess: String { get }
    /// Copies the whole store, consistently, to a new owner-only file at `destination`; its size.
    func backUp(to destination: String) async throws(StoreError) -> Int64
}

import BridgesCore
import BridgesStore
import Foundation

// The operations of the store contract not yet written for PostgreSQL (issue 13 ports them group by
// group). Each refuses before reading or writing anything, naming what it is, so a command that
// needs one stops with a clear message (exit 64) and the database is as it was; the README lists
// the commands that run on PostgreSQL. Delete an operation here when its group is ported.
extension PostgresStore: Store {
    package func logSession(_ request: SessionRequest, context: WriteContext) async throws(StoreError) -> Result<LoggedSession, SessionRefusal> {
        throw StoreError.notOnThisStore(path: displayName, what: "Logging a session")
    }

    package func sessions(_ filter: SessionFilter) async throws(StoreError) -> [SessionSummary] {
        throw StoreError.notOnThisStore(path: displayName, what: "Listing sessions")
    }

    package func session(id: Int64) async throws(StoreError) -> SessionSummary? {
        throw StoreError.notOnThisStore(path: displayName, what: "Showing a session")
    }

    package func marks(session id: Int64) async throws(StoreError) -> [SessionMark] {
        throw StoreError.notOnThisStore(path: displayName, what: "A session's marks")
    }

    package func quizAttempts(session id: Int64) async throws(StoreError) -> [StoredQuizAttempt] {
        throw StoreError.notOnThisStore(path: displayName, what: "A session's quiz attempts")
    }

    package func amendSession(_ id: Int64, _ amendment: SessionAmendment, reason: String, context: WriteContext) async throws(StoreError) -> Result<[SessionChange], SessionRefusal> {
        throw StoreError.notOnThisStore(path: displayName, what: "Amending a session")
    }

    package func amendSession(_ id: Int64, student: String, status: AttendanceStatus, reason: String, context: WriteContext) async throws(StoreError) -> Result<AttendanceStatus?, SessionRefusal> {
        throw StoreError.notOnThisStore(path: displayName, what: "Amending a session")
    }

    package func voidSession(_ id: Int64, reason: String, context: WriteContext) async throws(StoreError) -> Result<Void, SessionRefusal> {
        throw StoreError.notOnThisStore(path: displayName, what: "Voiding a session")
    }

    package func importSessions(source: String, context: WriteContext, dryRun: Bool, feed: (any SessionImportSink) throws -> Void) async throws(StoreError) -> (summary: SessionImportSummary, failed: Bool, partlyMarked: [PartlyMarkedSession]) {
        throw StoreError.notOnThisStore(path: displayName, what: "Importing sessions")
    }

    package func quiz(session id: Int64) async throws(StoreError) -> Result<Quiz, SessionRefusal> {
        throw StoreError.notOnThisStore(path: displayName, what: "A session's quiz")
    }

    package func recordQuizAttempts(session id: Int64, attempts: [QuizAttemptRequest], context: WriteContext) async throws(StoreError) -> Result<[RecordedQuizAttempt], SessionRefusals> {
        throw StoreError.notOnThisStore(path: displayName, what: "Recording quiz answers")
    }

    package func voidQuizAttempt(session id: Int64, student: String, attempt: Int, reason: String, context: WriteContext) async throws(StoreError) -> Result<VoidedQuizAttempt, QuizVoidRefusal> {
        throw StoreError.notOnThisStore(path: displayName, what: "Voiding a quiz attempt")
    }

    package func issueCertificates(programID: String?, asOf: SchoolDate, schools: Set<String>?, context: WriteContext, listingCodes: Bool) async throws(StoreError) -> [CertificateIssueOutcome] {
        throw StoreError.notOnThisStore(path: displayName, what: "Issuing certificates")
    }

    package func certificates(programID: String?) async throws(StoreError) -> [StoredCertificate] {
        throw StoreError.notOnThisStore(path: displayName, what: "Listing certificates")
    }

    package func certificate(code: String) async throws(StoreError) -> StoredCertificate? {
        throw StoreError.notOnThisStore(path: displayName, what: "Looking up a certificate")
    }

    package func revokeCertificate(code: String, reason: String, on day: SchoolDate, context: WriteContext) async throws(StoreError) -> StoredCertificate? {
        throw StoreError.notOnThisStore(path: displayName, what: "Revoking a certificate")
    }

    package func reinstateCertificate(code: String, reason: String, context: WriteContext) async throws(StoreError) -> Bool? {
        throw StoreError.notOnThisStore(path: displayName, what: "Reinstating a certificate")
    }

    package func certificatePrintDetails(code: String) async throws(StoreError) -> CertificatePrintDetails? {
        throw StoreError.notOnThisStore(path: displayName, what: "Printing a certificate")
    }

    package func currentCertificates(programID: String, in scope: CertificatePagesScope, on day: String, _ each: (StoredCertificate, CertificatePrintDetails) -> Bool) async throws(StoreError) -> Int {
        throw StoreError.notOnThisStore(path: displayName, what: "Printing certificates")
    }

    package func issuer() async throws(StoreError) -> StoredIssuer? {
        throw StoreError.notOnThisStore(path: displayName, what: "The Open Badges issuer")
    }

    package func createIssuer(name: String, url: String, keyID: String, publicJWK: String, keyPath: String, context: WriteContext) async throws(StoreError) -> Bool {
        throw StoreError.notOnThisStore(path: displayName, what: "Creating the Open Badges issuer")
    }

    package func badgeEntry(code: String, fresh: String) async throws(StoreError) -> (salt: String, statusIndex: Int)? {
        throw StoreError.notOnThisStore(path: displayName, what: "An Open Badge")
    }

    package func assignBadgeEntries(programID: String?, schoolID: String?, fresh: () -> String) async throws(StoreError) -> [String: (salt: String, statusIndex: Int)] {
        throw StoreError.notOnThisStore(path: displayName, what: "Exporting Open Badges")
    }

    package func revocationStatus() async throws(StoreError) -> (revoked: [Int], assigned: Int) {
        throw StoreError.notOnThisStore(path: displayName, what: "The badge status list")
    }

    package func programExists(_ id: String) async throws(StoreError) -> Bool {
        throw StoreError.notOnThisStore(path: displayName, what: "Checking a program")
    }

    package func schoolExists(_ id: String) async throws(StoreError) -> Bool {
        throw StoreError.notOnThisStore(path: displayName, what: "Checking a school")
    }

    package func attendanceReport(_ filter: ReportFilter, row: (AttendanceReportRow) throws -> Void) async throws {
        throw StoreError.notOnThisStore(path: displayName, what: "The attendance report")
    }

    package func summaryReport(_ filter: ReportFilter, asOf: String, program: (SummaryReportProgram) throws -> Void, row: (SummaryReportRow) throws -> Void) async throws {
        throw StoreError.notOnThisStore(path: displayName, what: "The summary report")
    }

    package func certificateReport(_ filter: ReportFilter, row: (CertificateReportRow) throws -> Void) async throws {
        throw StoreError.notOnThisStore(path: displayName, what: "The certificate report")
    }

    package func programReport(_ filter: ReportFilter, row: (ProgramReportRow) throws -> Void) async throws {
        throw StoreError.notOnThisStore(path: displayName, what: "The program report")
    }

    package func addAccount(_ account: StoredAccount, context: WriteContext) async throws(StoreError) -> Bool {
        throw StoreError.notOnThisStore(path: displayName, what: "Adding an account")
    }

    package func account(name: String) async throws(StoreError) -> StoredAccount? {
        throw StoreError.notOnThisStore(path: displayName, what: "Looking up an account")
    }

    package func accounts() async throws(StoreError) -> [StoredAccount] {
        throw StoreError.notOnThisStore(path: displayName, what: "Listing accounts")
    }

    package func disableAccount(name: String, context: WriteContext) async throws(StoreError) -> Bool? {
        throw StoreError.notOnThisStore(path: displayName, what: "Disabling an account")
    }

    package func recordFailedSignIn(name: String, limit: Int, lockUntil: String, context: WriteContext) async throws(StoreError) -> FailedSignIn? {
        throw StoreError.notOnThisStore(path: displayName, what: "Signing in")
    }

    package func recordSignIn(name: String, secretHash: String, signIn: StoredSignIn, context: WriteContext) async throws(StoreError) {
        throw StoreError.notOnThisStore(path: displayName, what: "Signing in")
    }

    package func signIn(secretHash: String, now: String) async throws(StoreError) -> (StoredSignIn, StoredAccount)? {
        throw StoreError.notOnThisStore(path: displayName, what: "Signing in")
    }

    package func endSignIn(secretHash: String, context: WriteContext) async throws(StoreError) -> Bool {
        throw StoreError.notOnThisStore(path: displayName, what: "Signing out")
    }

    package func createAPIToken(account: String, secretHash: String, expires: String?, context: WriteContext) async throws(StoreError) -> Int64 {
        throw StoreError.notOnThisStore(path: displayName, what: "Making an API token")
    }

    package func apiTokenAccount(secretHash: String, today: String) async throws(StoreError) -> (StoredAPIToken, StoredAccount)? {
        throw StoreError.notOnThisStore(path: displayName, what: "An API token")
    }

    package func apiTokens(account: String?) async throws(StoreError) -> [StoredAPIToken] {
        throw StoreError.notOnThisStore(path: displayName, what: "Listing API tokens")
    }

    package func revokeAPIToken(id: Int64, context: WriteContext) async throws(StoreError) -> Bool? {
        throw StoreError.notOnThisStore(path: displayName, what: "Revoking an API token")
    }

    package func logSession(_ request: SessionRequest, idempotencyKey key: String, bodyHash: String, context: WriteContext) async throws(StoreError)
        -> Result<Result<LoggedSession, SessionRefusal>, IdempotentSession> {
        throw StoreError.notOnThisStore(path: displayName, what: "Logging a session")
    }
}

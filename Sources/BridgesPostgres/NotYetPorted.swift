import BridgesCore
import BridgesStore
import Foundation

// The operations of the store contract not yet written for PostgreSQL (issue 13 ports them group by
// group). Each refuses before reading or writing anything, naming what it is, so a command that
// needs one stops with a clear message (exit 64) and the database is as it was; the README lists
// the commands that run on PostgreSQL. Delete an operation here when its group is ported.
extension PostgresStore: Store {
    package func importRoster(source: String, context: WriteContext, dryRun: Bool, _ body: (any RosterImportSink) throws -> [Diagnostic]) async throws -> RosterImportOutcome {
        throw StoreError.notOnThisStore(path: displayName, what: "Importing a roster")
    }

    package func school(id: String) async throws(StoreError) -> School? {
        throw StoreError.notOnThisStore(path: displayName, what: "Looking up a school")
    }

    package func schoolClass(id: String) async throws(StoreError) -> SchoolClass? {
        throw StoreError.notOnThisStore(path: displayName, what: "Looking up a class")
    }

    package func rosterListing(schoolID: String?, classID: String?, student: String?, shape: (StoredRosterShape) -> Void, row: (StoredRosterRow) -> Void) async throws(StoreError) {
        throw StoreError.notOnThisStore(path: displayName, what: "Listing the roster")
    }

    package func directoryOptOut(studentID: String) async throws(StoreError) -> Bool? {
        throw StoreError.notOnThisStore(path: displayName, what: "Reading a directory opt-out")
    }

    package func setDirectoryOptOut(studentID: String, optedOut: Bool, reason: String, context: WriteContext) async throws(StoreError) -> Bool? {
        throw StoreError.notOnThisStore(path: displayName, what: "Recording a directory opt-out")
    }

    package func studentIdentifier(studentID: String) async throws(StoreError) -> String? {
        throw StoreError.notOnThisStore(path: displayName, what: "Reading a student's district number")
    }

    package func eraseStudent(id: String, pseudonym: String, reason: String, context: WriteContext) async throws(StoreError) -> Result<StudentErasure, StudentRecordRefusal> {
        throw StoreError.notOnThisStore(path: displayName, what: "Erasing a student")
    }

    package func setLegalHold(id: String, hold: Bool, reason: String, context: WriteContext) async throws(StoreError) -> Result<Void, StudentRecordRefusal> {
        throw StoreError.notOnThisStore(path: displayName, what: "A legal hold")
    }

    package func erasedAt(studentID: String) async throws(StoreError) -> String?? {
        throw StoreError.notOnThisStore(path: displayName, what: "Reading a student's erasure")
    }

    package func purgeRetention(before: String, dryRun: Bool, context: WriteContext) async throws(StoreError) -> RetentionPurge {
        throw StoreError.notOnThisStore(path: displayName, what: "The retention purge")
    }

    package func recordDisclosure( _ entry: DisclosureEntry, students: (_ each: (String) throws -> Void) throws -> Void, publish: () throws -> String ) async throws(StoreError) -> Int64 {
        throw StoreError.notOnThisStore(path: displayName, what: "Recording a disclosure")
    }

    package func disclosures(studentID: String?, from: String?, to: String?) async throws(StoreError) -> [DisclosureEntry] {
        throw StoreError.notOnThisStore(path: displayName, what: "The disclosure log")
    }

    package func studentExists(_ id: String) async throws(StoreError) -> Bool {
        throw StoreError.notOnThisStore(path: displayName, what: "Looking up a student")
    }

    package func studentRecord(_ studentID: String) async throws(StoreError) -> StoredStudentRecord? {
        throw StoreError.notOnThisStore(path: displayName, what: "A student's record")
    }

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

    package func logSession(_ request: SessionRequest, idempotencyKey key: String, bodyHash: String, context: WriteContext) async throws(StoreError)
        -> Result<Result<LoggedSession, SessionRefusal>, IdempotentSession> {
        throw StoreError.notOnThisStore(path: displayName, what: "Logging a session")
    }
}

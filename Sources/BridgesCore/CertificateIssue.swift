/// What one `certificate issue` run did for one program.
public struct CertificateIssue: Sendable {
    public var programID: String
    /// How many were issued.
    public var issuedCount: Int
    /// Who got which code, when asked for (`listingCodes`); a run over a state's students would
    /// otherwise hold a million pairs no one reads.
    public var issued: [(studentID: String, code: CertificateCode)]
    /// Students who met the rule but already hold a current certificate.
    public var alreadyHeld: Int
    /// Students who met the rule but hold a revoked one still inside its validity window.
    public var revokedSkipped: Int
    /// Students with any record in the program who did not meet the rule.
    public var notEligible: Int

    public init(programID: String, issuedCount: Int, issued: [(studentID: String, code: CertificateCode)], alreadyHeld: Int, revokedSkipped: Int, notEligible: Int) {
        self.programID = programID
        self.issuedCount = issuedCount
        self.issued = issued
        self.alreadyHeld = alreadyHeld
        self.revokedSkipped = revokedSkipped
        self.notEligible = notEligible
    }
}

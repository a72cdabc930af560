import BridgesCore
import BridgesStore

/// A certificate as people read it.
/// Not the store's `StoredCertificate`: Kit adds its status on a given day and types the code.
public struct CertificateInfo: Sendable, Hashable {
    public enum Status: String, Sendable {
        case valid, expired, revoked
        /// Dated after the day asked about (issued with a later --as-of).
        case notYetValid = "not yet valid"
    }

    public var code: CertificateCode
    public var studentID: String
    public var givenName: String
    public var familyName: String
    public var programID: String
    public var title: String
    public var schoolID: String?
    public var issuedOn: String
    public var validUntil: String?
    public var issuedBy: String
    public var revokedOn: String?
    public var revokedBy: String?
    public var revocationReason: String?
    public var status: Status

}

extension CertificateInfo {
    init(_ stored: StoredCertificate, on day: SchoolDate) {
        code = CertificateCode(stored: stored.code)
        studentID = stored.studentID
        givenName = stored.givenName
        familyName = stored.familyName
        programID = stored.programID
        title = stored.title
        schoolID = stored.schoolID
        issuedOn = stored.issuedOn
        validUntil = stored.validUntil
        issuedBy = stored.issuedBy
        revokedOn = stored.revokedOn
        revokedBy = stored.revokedBy
        revocationReason = stored.revocationReason
        if stored.revokedOn != nil {
            status = .revoked
        } else if let issued = SchoolDate(stored.issuedOn), issued > day {
            status = .notYetValid
        } else if let until = stored.validUntil.flatMap(SchoolDate.init), until < day {
            status = .expired
        } else {
            status = .valid
        }
    }
}

extension Registrar {
    /// Issues certificates dated `asOf` (default today) to every student who meets a program's
    /// rule on that date and holds no current certificate for it.
    ///
    /// With `listingCodes`, each result also lists who got which code; without, memory stays flat
    /// however many students there are.
    public func issueCertificates(programID: String?, asOf: String?, caller: Caller, listingCodes: Bool = false) async throws(BridgesError) -> [CertificateIssue] {
        let today = clock.today
        try caller.require(.issueCertificates)
        let actor = caller.name
        let day = try asOf.map { (text) throws(BridgesError) in try Self.date(text, field: .asOf) } ?? today
        if day > today {
            throw .rejected("\(field: .asOf) \(day) is in the future (today is \(today)); certificates are issued for what has happened")
        }
        if let programID {
            let known = try await programs().map(\.id)
            guard known.contains(programID) else {
                throw .notFound(.program(programID), "no program \'\(programID)\' is stored; stored programs: \(known.joined(separator: ", "))")
            }
        }
        return try await store { () async throws(StoreError) in try await database.issueCertificates(programID: programID, asOf: day, schools: caller.schools, context: WriteContext(actor: actor, at: clock.now), listingCodes: listingCodes) }
    }

    public func certificates(programID: String?, caller: Caller) async throws(BridgesError) -> [CertificateInfo] {
        try caller.require(.readCertificates)
        let all = try await certificates(programID: programID)
        return caller.seesEverySchool ? all : all.filter { $0.schoolID.map(caller.sees(school:)) ?? false }
    }

    func certificates(programID: String?) async throws(BridgesError) -> [CertificateInfo] {
        try await certificates(programID: programID, on: clock.today)
    }

    /// The certificates with their status on `today` (an operation's one reading of the clock).
    func certificates(programID: String?, on today: SchoolDate) async throws(BridgesError) -> [CertificateInfo] {
        try await store { () async throws(StoreError) in try await database.certificates(programID: programID) }.map { CertificateInfo($0, on: today) }
    }

    /// Looks a code up as a person typed it; nil when no certificate has that code.
    public func verifyCertificate(_ text: String) async throws(BridgesError) -> CertificateInfo? {
        try await verifyCertificate(text, on: clock.today)
    }

    /// A code looked up with its status on `today`.
    func verifyCertificate(_ text: String, on today: SchoolDate) async throws(BridgesError) -> CertificateInfo? {
        guard let code = CertificateCode(text) else {
            throw .usage("'\(text)' is not a certificate code: a code is 16 letters and digits, like 7K3Q-M9XD-2HFA-8PQR")
        }
        return try await store { () async throws(StoreError) in try await database.certificate(code: code.normalized) }.map { CertificateInfo($0, on: today) }
    }

    /// Revokes a certificate; it stays on record with the reason. Revoking twice changes nothing.
    public func revokeCertificate(_ text: String, reason: String, caller: Caller) async throws(BridgesError) -> (certificate: CertificateInfo, alreadyRevoked: Bool) {
        let today = clock.today
        try caller.require(.issueCertificates)
        let actor = caller.name
        guard !reason.isBlank else { throw .usage("\(field: .reason) is needed: say why the certificate is revoked (it is kept with it)") }
        guard let code = CertificateCode(text) else {
            throw .usage("'\(text)' is not a certificate code: a code is 16 letters and digits, like 7K3Q-M9XD-2HFA-8PQR")
        }
        let before = try await store { () async throws(StoreError) in try await database.certificate(code: code.normalized) }
        guard let before else { throw .notFound(.certificate(code: "\(code)"), "no certificate has the code \(code)") }
        if before.revokedOn != nil { return (CertificateInfo(before, on: today), true) }
        guard let revoked = try await store({ () async throws(StoreError) in
            try await database.revokeCertificate(code: code.normalized, reason: reason, on: today, context: WriteContext(actor: actor, at: clock.now))
        }) else { throw .notFound(.certificate(code: "\(code)"), "no certificate has the code \(code)") }
        return (CertificateInfo(revoked, on: today), false)
    }
}

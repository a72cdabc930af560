import BridgesCore
import BridgesStore
import Foundation

/// What anyone holding a certificate code may learn (issue 14): the status, the program, the dates
/// and the holder's initials; the holder's name only as a yes or no to a name the verifier typed.
/// For a student whose family opted out of directory information: the status alone ("valid", as
/// server.md says), not even the program, and a name typed is neither confirmed nor denied.
/// Never the revocation reason, the student id or the name. The command line's `verify` and the
/// server's public page both show this value and nothing else.
public struct CertificateVerification: Sendable, Hashable {
    public var code: CertificateCode
    public var status: CertificateInfo.Status
    /// Nil when the family opted out of directory information.
    public var programID: String?
    /// The certificate's title; nil when the family opted out.
    public var title: String?
    /// Nil when the family opted out of directory information.
    public var issuedOn: String?
    /// Nil when it does not expire, or when the family opted out.
    public var validUntil: String?
    /// Nil when it was not revoked, or when the family opted out.
    public var revokedOn: String?
    /// Like "J. G."; nil when the family opted out.
    public var initials: String?
    /// True when the family opted out of directory information: only the status is given.
    public var directoryOptOut: Bool
    /// Whether the name the verifier typed is the holder's; nil when none was typed, and when the
    /// family opted out (a yes or no would confirm who holds it: the record cannot be confirmed).
    public var nameMatches: Bool?

    /// The holder's initials: the first letter of the given name and of the family name, in capitals.
    public static func initials(givenName: String, familyName: String) -> String {
        [givenName, familyName]
            .compactMap { $0.first { $0.isLetter || $0.isNumber } }
            .map { "\(String($0).uppercased())." }
            .joined(separator: " ")
    }

    /// A name folded for comparison: trimmed, inner runs of spaces as one, letter case and accents
    /// ignored ("  josé   GARCÍA " is "jose garcia").
    public static func folded(_ name: String) -> String {
        name.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .split(whereSeparator: \.isWhitespace)
            .joined(separator: " ")
    }

    /// Whether `typed` ("Given Family") names the holder.
    public static func nameMatches(_ typed: String, givenName: String, familyName: String) -> Bool {
        let typed = folded(typed)
        return !typed.isEmpty && typed == folded(givenName + " " + familyName)
    }
}

extension Registrar {
    /// Verifies a code as a member of the public may: see `CertificateVerification`. nil when no
    /// certificate has the code. `name`, when given, is confirmed or denied, never shown; for a
    /// student whose family opted out it is neither.
    public func publicVerification(_ text: String, name: String? = nil) async throws(BridgesError) -> CertificateVerification? {
        let today = clock.today
        if let name, CertificateVerification.folded(name).isEmpty {
            throw .usage("\(field: .name) is empty: give the holder's name as written on the certificate, like \"José García\"")
        }
        guard let certificate = try await verifyCertificate(text, on: today) else { return nil }
        let optedOut = try await store { () async throws(StoreError) in try await database.directoryOptOut(studentID: certificate.studentID) } ?? false
        return CertificateVerification(
            code: certificate.code,
            status: certificate.status,
            programID: optedOut ? nil : certificate.programID,
            title: optedOut ? nil : certificate.title,
            issuedOn: optedOut ? nil : certificate.issuedOn,
            validUntil: optedOut ? nil : certificate.validUntil,
            revokedOn: optedOut ? nil : certificate.revokedOn,
            initials: optedOut ? nil : CertificateVerification.initials(givenName: certificate.givenName, familyName: certificate.familyName),
            directoryOptOut: optedOut,
            nameMatches: optedOut ? nil : name.map { CertificateVerification.nameMatches($0, givenName: certificate.givenName, familyName: certificate.familyName) })
    }

    /// Reinstates a revoked certificate (revoked by mistake), audited with the reason. Refuses one
    /// that is not revoked.
    public func reinstateCertificate(_ text: String, reason: String, caller: Caller) async throws(BridgesError) -> CertificateInfo {
        let today = clock.today
        try caller.require(.issueCertificates)
        let actor = caller.name
        guard !reason.isBlank else { throw .usage("\(field: .reason) is needed: say why the certificate is reinstated (it is kept in the audit trail)") }
        guard let code = CertificateCode(text) else {
            throw .usage("'\(text)' is not a certificate code: a code is 16 letters and digits, like 7K3Q-M9XD-2HFA-8PQR")
        }
        let changed = try await store { () async throws(StoreError) in
            try await database.reinstateCertificate(code: code.normalized, reason: reason, context: WriteContext(actor: actor, at: clock.now))
        }
        switch changed {
        case nil: throw .notFound(.certificate(code: "\(code)"), "no certificate has the code \(code)")
        case false?: throw .rejected("\(code) is not revoked; only a revoked certificate can be reinstated (nothing changed)")
        case true?:
            guard let after = try await verifyCertificate(code.normalized, on: today) else { throw .notFound(.certificate(code: "\(code)"), "no certificate has the code \(code)") }
            return after
        }
    }

    /// Records that a student's family opted out of directory information (or, `optedOut` false,
    /// withdrew the opt-out), audited with the reason. Returns whether anything changed.
    public func setDirectoryOptOut(studentID: String, optedOut: Bool, reason: String, caller: Caller) async throws(BridgesError) -> Bool {
        try caller.require(.manageStudentRecords)
        let actor = caller.name
        guard !reason.isBlank else { throw .usage("\(field: .reason) is needed: say who asked and how (it is kept in the audit trail)") }
        let changed = try await store { () async throws(StoreError) in
            try await database.setDirectoryOptOut(studentID: studentID, optedOut: optedOut, reason: reason, context: WriteContext(actor: actor, at: clock.now))
        }
        guard let changed else { throw .notFound(.student(studentID), "no student has the id \'\(studentID)\'; see: \(.rosterList)") }
        return changed
    }
}

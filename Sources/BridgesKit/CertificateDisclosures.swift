import BridgesCore
import BridgesStore
import BridgesSystem
import Foundation

extension Registrar {
    /// Writes a certificate's printable page (`certificate print`) to `destination` (a file
    /// replacing one there; in a default folder `certificate-CODE.html`; a sink the caller owns,
    /// such as standard output) and records the disclosure of the holder's certificate: a file
    /// is published in the transaction that records it, a sink written once it is recorded.
    /// Returns the path people are told; nil for a sink.
    @discardableResult
    public func discloseCertificatePage(
        _ html: String, certificate: CertificateInfo, to destination: ReportDestination, purpose: String?, caller: Caller
    ) async throws(BridgesError) -> String? {
        try caller.require(.readCertificates)
        let actor = caller.name
        let purpose = try Self.checkedPurpose(purpose)
        let filters: [(String, String?)] = [("certificate", certificate.code.description)]
        return try await writeDisclosed(
            html, to: destination, name: "certificate-\(certificate.code).html", naming: .replacing, inFolder: .replacing,
            kind: "certificate print", filters: filters, rows: 1, purpose: purpose, actor: actor, students: [certificate.studentID])
    }

    /// Writes one badge (`certificate badge CODE`, the token and a newline) to `destination` (a
    /// file replacing one there; in a default folder `badge-CODE.jwt`; a sink the caller owns),
    /// recorded as a disclosure of its holder's certificate as `discloseCertificatePage` is.
    /// Returns the path people are told; nil for a sink.
    @discardableResult
    public func discloseBadge(
        _ badge: Badge, withName: Bool, to destination: ReportDestination, purpose: String?, caller: Caller
    ) async throws(BridgesError) -> String? {
        try caller.require(.readCertificates)
        let actor = caller.name
        let purpose = try Self.checkedPurpose(purpose)
        guard let holder = try await verifyCertificate(badge.certificate.description) else {
            throw .notFound(.certificate(code: "\(badge.certificate)"), "no certificate has the code \(badge.certificate)")
        }
        let filters: [(String, String?)] = [("certificate", badge.certificate.description), ("with-name", withName ? "yes" : nil)]
        return try await writeDisclosed(
            badge.token + "\n", to: destination, name: "badge-\(badge.certificate).jwt", naming: .replacing, inFolder: .replacing,
            kind: "certificate badge", filters: filters, rows: 1, purpose: purpose, actor: actor, students: [holder.studentID])
    }
}

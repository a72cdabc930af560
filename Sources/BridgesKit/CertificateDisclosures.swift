import BridgesCore
import BridgesStore
import BridgesSystem
import Foundation

extension Registrar {
    /// Writes a certificate's printable page (`certificate print`) to `path` (replacing one
    /// there) and records the disclosure of the holder's certificate in the same transaction; a
    /// nil `path` records it for standard output, which the caller then writes.
    public func discloseCertificatePage(
        _ html: String, certificate: CertificateInfo, to path: String?, purpose: String?, caller: Caller
    ) async throws(BridgesError) {
        try caller.require(.readCertificates)
        let actor = caller.name
        let purpose = try Self.checkedPurpose(purpose)
        let filters: [(String, String?)] = [("certificate", certificate.code.description)]
        guard let path else {
            try await recordDisclosureToStandardOutput(
                kind: "certificate print", filters: filters, rows: 1, purpose: purpose, actor: actor, students: [certificate.studentID])
            return
        }
        try await writeDisclosed(
            html, to: path, kind: "certificate print", filters: filters, rows: 1, purpose: purpose, actor: actor,
            students: [certificate.studentID])
    }

    /// Writes one badge (`certificate badge CODE`) to `path` (replacing one there), recorded as a
    /// disclosure of its holder's certificate; a nil `path` records it for standard output,
    /// which the caller then writes.
    public func discloseBadge(_ badge: Badge, withName: Bool, to path: String?, purpose: String?, caller: Caller) async throws(BridgesError) {
        try caller.require(.readCertificates)
        let actor = caller.name
        let purpose = try Self.checkedPurpose(purpose)
        guard let holder = try await verifyCertificate(badge.certificate.description) else {
            throw .notFound(.certificate(code: "\(badge.certificate)"), "no certificate has the code \(badge.certificate)")
        }
        let filters: [(String, String?)] = [("certificate", badge.certificate.description), ("with-name", withName ? "yes" : nil)]
        guard let path else {
            try await recordDisclosureToStandardOutput(
                kind: "certificate badge", filters: filters, rows: 1, purpose: purpose, actor: actor, students: [holder.studentID])
            return
        }
        try await writeDisclosed(
            badge.token + "\n", to: path, kind: "certificate badge", filters: filters, rows: 1, purpose: purpose, actor: actor,
            students: [holder.studentID])
    }
}

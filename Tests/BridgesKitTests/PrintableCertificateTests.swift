@testable import BridgesKit
import Testing

@Suite("A printable certificate")
struct PrintableCertificateTests {
    static func certificate(given: String, family: String, status: CertificateInfo.Status = .valid) -> CertificateInfo {
        var info = CertificateInfo(
            code: CertificateCode("7K3Q-M9XD-2HFA-8PQR")!, studentID: "0042", givenName: given, familyName: family,
            programID: "first-aid", title: "First Aid Basics", schoolID: "0101", issuedOn: "2026-06-12", validUntil: "2028-06-11",
            issuedBy: "coordinator", revokedOn: nil, revokedBy: nil, revocationReason: nil, status: status)
        if status == .revoked { info.revocationReason = "issued in error" }
        return info
    }

    @Test("shows the holder, the program, the dates and the code people type to verify it")
    func showsWhatASchoolPrints() {
        let html = PrintableCertificate.html(Self.certificate(given: "Amara", family: "Okafor"), programTitle: "First Aid")
        #expect(html.contains("<p class=\"name\">Amara Okafor</p>"))
        #expect(html.contains("First Aid Basics") && html.contains("the program <em>First Aid</em>"))
        #expect(html.contains("Issued on <strong>12 June 2026</strong>") && html.contains("Valid until <strong>11 June 2028</strong>"))
        #expect(html.contains("7K3Q-M9XD-2HFA-8PQR"))
        #expect(!html.contains("EXPIRED") && !html.contains("REVOKED"))
    }

    @Test("escapes names, so a roster entry can never become markup or a script")
    func escapesHostileNames() {
        let html = PrintableCertificate.html(Self.certificate(given: "<script>alert(1)</script>", family: "=HYPERLINK(\"http://x\",\"y\") & O'Brien"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; =HYPERLINK(&quot;http://x&quot;,&quot;y&quot;) &amp; O&#39;Brien"))
    }

    @Test("fetches nothing from anywhere: no scripts, links or remote resources")
    func selfContained() {
        let html = PrintableCertificate.html(Self.certificate(given: "Li", family: "Wei"))
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://") && !html.contains("<link"))
        #expect(html.contains("default-src 'none'"))
    }

    @Test("says so on the page when the certificate is revoked")
    func revokedSaysSo() {
        let html = PrintableCertificate.html(Self.certificate(given: "Li", family: "Wei", status: .revoked))
        #expect(html.contains("REVOKED — issued in error"))
    }
}

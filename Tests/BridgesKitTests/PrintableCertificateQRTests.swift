@testable import BridgesKit
import Testing

@Suite("A printable certificate's QR code, dates and issuer")
struct PrintableCertificateQRTests {
    @Test("dates are written in words; anything that is not a date is left as it is")
    func datesInWords() {
        #expect(PrintableCertificate.dateInWords("2026-11-27") == "27 November 2026")
        #expect(PrintableCertificate.dateInWords("2028-01-05") == "5 January 2028")
        #expect(PrintableCertificate.dateInWords("2026-13-01") == "2026-13-01")
        #expect(PrintableCertificate.dateInWords("soon") == "soon")
    }

    @Test("the verification address is the base, /verify/ and the code without dashes")
    func verifyURL() throws {
        let code = try #require(CertificateCode("pd79-w9c7-jspy-8q0x"))
        #expect(PrintableCertificate.verifyURL(base: "https://schools.example.org", code: code) == "https://schools.example.org/verify/PD79W9C7JSPY8Q0X")
        #expect(PrintableCertificate.verifyURL(base: "https://schools.example.org//", code: code) == "https://schools.example.org/verify/PD79W9C7JSPY8Q0X")
    }

    @Test("with an address the page draws its QR code, prints it, and escapes the names it shows")
    func pageWithQRCode() throws {
        let url = "https://schools.example.org/verify/7K3QM9XD2HFA8PQR"
        let html = PrintableCertificate.html(PrintableCertificateTests.certificate(given: "Amara", family: "Okafor"),
                                             programTitle: "First Aid", school: "Lake <View> & Co", agency: "O'Hare PD", verifyURL: url)
        let qr = try #require(QRCode(url))
        #expect(html.contains(qr.svg(side: "3.6cm", xmlns: false, title: "QR code: \(url)")))
        #expect(html.contains("<p class=\"school\">Lake &lt;View&gt; &amp; Co</p>"))
        #expect(html.contains("taught with O&#39;Hare PD."))
        #expect(!html.contains("verify with:") && !html.contains("<script"))
    }
}

import BridgesKit
import Foundation
import Testing

/// `bridges certificate print` with a QR code of the verification address (issue 14, item 3):
/// the issuer's address, else --verify-url's, else no QR code and no invented address.
@Suite("bridges certificate print, with a QR code", .timeLimit(.minutes(2)))
struct CertificatePrintQRTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try CLITerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    /// The `d` of the one path of the QR code of `text`, as the encoder draws it.
    func qrPath(_ text: String) throws -> String {
        let svg = try #require(QRCode(text)).svg()
        let start = try #require(svg.range(of: " d=\""))
        return String(svg[start.upperBound...].prefix { $0 != "\"" })
    }

    @Test func withoutAnIssuerOrVerifyURLThePageSaysHowToVerifyAndHasNoQRCode() async throws {
        let (folder, code) = try await BadgeVerificationTests().certifiedTerm()
        defer { folder.remove() }
        let outcome = try bridges("certificate", "print", code, "--out", "page.html", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardError.contains("no QR code"), "\(outcome)")
        let html = try String(contentsOfFile: folder.path("page.html"), encoding: .utf8)
        #expect(html.contains("verify with: <code>bridges certificate verify \(code)</code>"))
        #expect(!html.contains("<svg") && !html.contains("/verify/") && !html.contains("https://"))
        // The school from the roster, the officer's agency, the dates in words
        #expect(html.contains("<p class=\"school\">Riverside Middle School</p>"))
        #expect(html.contains("taught with Riverside Police Department."))
        #expect(html.contains("Issued on <strong>10 October 2025</strong>") && html.contains("Valid until <strong>9 October 2027</strong>"))
        #expect(html.contains("<p class=\"name\">José García</p>"))
    }

    @Test func verifyURLGivesAQRCodeOfBaseSlashVerifySlashTheCodeWithoutDashes() async throws {
        let (folder, code) = try await BadgeVerificationTests().certifiedTerm()
        defer { folder.remove() }
        let outcome = try bridges("certificate", "print", code, "--verify-url", "https://schools.example.org/", "--out", "-", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        let url = "https://schools.example.org/verify/" + code.replacingOccurrences(of: "-", with: "")
        #expect(outcome.standardOutput.contains("<span class=\"url\">\(url)</span>"))
        #expect(outcome.standardOutput.contains(try qrPath(url)))
        #expect(outcome.standardOutput.components(separatedBy: "<svg").count == 2)
        #expect(!outcome.standardOutput.contains("verify with:"))
    }

    @Test func theIssuersAddressAndNameWinOverVerifyURLAndTheSchool() async throws {
        let (folder, code) = try await BadgeVerificationTests().certifiedTerm()
        defer { folder.remove() }
        let issuer = try bridges("issuer", "init", "--name", "Riverside <Unified> & Co", "--url", "https://riverside.example.org", in: folder)
        try #require(issuer.status == 0, "\(issuer)")
        let outcome = try bridges("certificate", "print", code, "--verify-url", "https://elsewhere.example.org", "--out", "-", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardError.contains("the issuer's address is used"), "\(outcome)")
        let url = "https://riverside.example.org/verify/" + code.replacingOccurrences(of: "-", with: "")
        #expect(outcome.standardOutput.contains(try qrPath(url)))
        #expect(!outcome.standardOutput.contains("elsewhere"))
        #expect(outcome.standardOutput.contains("<p class=\"school\">Riverside &lt;Unified&gt; &amp; Co</p>"))
    }

    @Test func aVerifyURLThatIsNotHTTPSIsRefusedAndNothingIsWritten() async throws {
        let (folder, code) = try await BadgeVerificationTests().certifiedTerm()
        defer { folder.remove() }
        for bad in ["javascript:alert(1)", "http://schools.example.org", "https://", "https://a b.org", "https://x@evil.example"] {
            let outcome = try bridges("certificate", "print", code, "--verify-url", bad, "--out", "page.html", in: folder)
            #expect(outcome.status == 64, "\(bad): \(outcome)")
            #expect(outcome.standardError.contains("not an https address"), "\(outcome)")
            #expect(!FileManager.default.fileExists(atPath: folder.path("page.html")))
        }
        let long = "https://schools.example.org/" + String(repeating: "a", count: 200)
        let tooLong = try bridges("certificate", "print", code, "--verify-url", long, "--out", "page.html", in: folder)
        #expect(tooLong.status == 64, "\(tooLong)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("page.html")))
    }
}

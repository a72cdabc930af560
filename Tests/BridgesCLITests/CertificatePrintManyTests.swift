import BridgesKit
import Foundation
import Testing

/// `bridges certificate print --program ID --class ID` (or `--school ID`), issue 14 item 3: a
/// class's current certificates in ONE printable file, one per sheet, each the page that
/// `certificate print CODE` makes; named with its filters, never replacing a file unless told.
@Suite("certificate print for a class or a school", .timeLimit(.minutes(2)))
struct CertificatePrintManyTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try CLITerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    /// 8A (1001 Amara Okafor, 1002 Li Wei, 1003 José García, 1004 Sam Lee) certified in first aid
    /// as of 10 October 2025; 8B never taught. The codes by student id.
    func certifiedTerm() async throws -> (folder: TemporaryFolder, codes: [String: String]) {
        let (folder, _) = try await BadgeVerificationTests().certifiedTerm()
        let list = try bridges("certificate", "list", "--program", "first-aid", in: folder)
        var codes: [String: String] = [:]
        for row in CLITerm.table(list.standardOutput).dropFirst() where row.count > 3 { codes[row[3]] = row[0] }
        try #require(codes.count == 4, "\(list)")
        return (folder, codes)
    }

    func pages(_ html: String) -> Int { html.components(separatedBy: "<div class=\"page\">").count - 1 }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : 0
    }

    @Test func aClassPrintsIntoOneFileOneCertificatePerSheetEachAsItsOwnPage() async throws {
        let (folder, codes) = try await certifiedTerm()
        defer { folder.remove() }
        let outcome = try bridges("certificate", "print", "--program", "first-aid", "--class", "8A",
                                  "--verify-url", "https://riverside.example.org", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        let name = "certificates-program-first-aid-class-8A-\(SchoolDate.today()).html"
        #expect(outcome.standardError.contains("wrote 4 certificates into \(name)"), "\(outcome)")
        #expect(outcome.standardOutput.isEmpty, "\(outcome)")
        #expect(mode(folder.path(name)) == 0o600)
        let html = try String(contentsOfFile: folder.path(name), encoding: .utf8)
        // One document, four sheets, a page break between them
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</body>\n</html>\n"))
        #expect(html.components(separatedBy: "<!DOCTYPE").count == 2 && html.components(separatedBy: "</html>").count == 2)
        #expect(pages(html) == 4)
        #expect(html.contains(".page + .page { break-before: page; page-break-before: always; }"))
        #expect(!html.contains("<script") && html.contains("default-src 'none'"))
        // In the order a teacher hands them out: by family name
        let order = ["José García", "Sam Lee", "Amara Okafor", "Li Wei"].map { html.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order.map { $0! } == order.map { $0! }.sorted(), "\(order)")
        // Each sheet is exactly the single certificate's page, QR code and all
        for (student, code) in codes {
            let single = try bridges("certificate", "print", code, "--out", "-", "--verify-url", "https://riverside.example.org", in: folder)
            try #require(single.status == 0, "\(single)")
            let start = try #require(single.standardOutput.range(of: "<div class=\"page\">"))
            let end = try #require(single.standardOutput.range(of: "</body>", options: .backwards))
            let sheet = single.standardOutput[start.lowerBound..<end.lowerBound]
            #expect(sheet.contains("<svg") && sheet.contains("https://riverside.example.org/verify/\(code.replacingOccurrences(of: "-", with: ""))"))
            #expect(html.contains(sheet), "the sheet of \(student) differs from its own page")
            // And the same style sheet
            let style = try #require(single.standardOutput.range(of: "<style>")).lowerBound
            let styleEnd = try #require(single.standardOutput.range(of: "</style>")).upperBound
            #expect(html.contains(single.standardOutput[style..<styleEnd]))
        }
    }

    @Test func aTakenNameGetsANumberAndAnOutFileIsReplacedOnlyWithForce() async throws {
        let (folder, _) = try await certifiedTerm()
        defer { folder.remove() }
        let day = SchoolDate.today()
        #expect(try bridges("certificate", "print", "--program", "first-aid", "--class", "8A", in: folder).status == 0)
        let again = try bridges("certificate", "print", "--program", "first-aid", "--class", "8A", in: folder)
        #expect(again.status == 0 && again.standardError.contains("into certificates-program-first-aid-class-8A-\(day)-2.html"), "\(again)")
        #expect(pages(try String(contentsOfFile: folder.path("certificates-program-first-aid-class-8A-\(day)-2.html"), encoding: .utf8)) == 4)
        // --out a new file, then the same again: refused without --force, nothing changed
        #expect(try bridges("certificate", "print", "--program", "first-aid", "--class", "8A", "--out", "8A.html", in: folder).status == 0)
        try folder.write("8A.html", "kept")
        let refused = try bridges("certificate", "print", "--program", "first-aid", "--class", "8A", "--out", "8A.html", in: folder)
        #expect(refused.status == 64 && refused.standardError.contains("8A.html already exists; remove it, or pass --force"), "\(refused)")
        #expect(try String(contentsOfFile: folder.path("8A.html"), encoding: .utf8) == "kept")
        let forced = try bridges("certificate", "print", "--program", "first-aid", "--class", "8A", "--out", "8A.html", "--force", in: folder)
        #expect(forced.status == 0, "\(forced)")
        #expect(pages(try String(contentsOfFile: folder.path("8A.html"), encoding: .utf8)) == 4)
        #expect(mode(folder.path("8A.html")) == 0o600)
        // --out a folder: the usual name inside it
        try FileManager.default.createDirectory(atPath: folder.path("printing"), withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let intoFolder = try bridges("certificate", "print", "--program", "first-aid", "--class", "8A", "--out", "printing", in: folder)
        #expect(intoFolder.status == 0, "\(intoFolder)")
        #expect(FileManager.default.fileExists(atPath: folder.path("printing/certificates-program-first-aid-class-8A-\(day).html")))
        // --out -: standard output, no file
        let standardOutput = try bridges("certificate", "print", "--program", "first-aid", "--class", "8A", "--out", "-", in: folder)
        #expect(standardOutput.status == 0 && pages(standardOutput.standardOutput) == 4, "\(standardOutput)")
        #expect(standardOutput.standardOutput.hasSuffix("</html>\n"))
    }

    @Test func revokedCertificatesAreLeftOutAndASchoolPrintsItsOwn() async throws {
        let (folder, codes) = try await certifiedTerm()
        defer { folder.remove() }
        let revoked = try #require(codes["1002"])
        #expect(try bridges("certificate", "revoke", revoked, "--reason", "wrong student", in: folder).status == 0)
        let outcome = try bridges("certificate", "print", "--program", "first-aid", "--class", "8A", "--out", "-", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(pages(outcome.standardOutput) == 3)
        #expect(!outcome.standardOutput.contains(revoked) && !outcome.standardOutput.contains("Li Wei"))
        #expect(!outcome.standardOutput.contains("REVOKED"))
        let school = try bridges("certificate", "print", "--program", "first-aid", "--school", "0202", in: folder)
        #expect(school.status == 0, "\(school)")
        let name = "certificates-program-first-aid-school-0202-\(SchoolDate.today()).html"
        #expect(school.standardError.contains("wrote 3 certificates into \(name)"), "\(school)")
        let html = try String(contentsOfFile: folder.path(name), encoding: .utf8)
        #expect(pages(html) == 3 && html.contains("Riverside Middle School"))
    }

    @Test func nothingToPrintOrAMistypedFilterWritesNothing() async throws {
        let (folder, codes) = try await certifiedTerm()
        defer { folder.remove() }
        // 8B was never taught: no current certificate, no file
        let none = try bridges("certificate", "print", "--program", "first-aid", "--class", "8B", in: folder)
        #expect(none.status == 66 && none.standardError.contains("no current certificate of first-aid for class 8B"), "\(none)")
        #expect(try bridges("certificate", "print", "--program", "first-aid", "--class", "9Z", in: folder).status == 66)
        #expect(try bridges("certificate", "print", "--program", "first-aid", "--school", "9999", in: folder).status == 66)
        #expect(try bridges("certificate", "print", "--program", "no-such", "--class", "8A", in: folder).status == 66)
        // Usage
        #expect(try bridges("certificate", "print", "--program", "first-aid", in: folder).status == 64)
        #expect(try bridges("certificate", "print", "--program", "first-aid", "--class", "8A", "--school", "0202", in: folder).status == 64)
        #expect(try bridges("certificate", "print", try #require(codes["1001"]), "--program", "first-aid", in: folder).status == 64)
        #expect(try bridges("certificate", "print", "--class", "8A", in: folder).status == 64)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
        #expect(!left.contains { $0.contains("certificates-") }, "\(left)")
    }
}

import BridgesCore
import BridgesStore
import BridgesSystem

/// A certificate as a page to print: self-contained HTML (no scripts, no fonts or images fetched
/// from anywhere), with the verification code and how to check it.
///
/// Names come from rosters and may hold anything (`<script>`, `=HYPERLINK(…)`), so every text is
/// escaped for HTML.
public enum PrintableCertificate {
    /// The page. `school` heads it (the issuer's name, else the school's); `agency` is the teaching
    /// officer's; `verifyURL`, when known, is printed and drawn as a QR code. Without it the page
    /// says how to verify with the code and draws no QR code (an address is never invented).
    public static func html(_ certificate: CertificateInfo, programTitle: String? = nil, issuer: String? = nil,
                            school: String? = nil, agency: String? = nil, verifyURL: String? = nil) -> String {
        documentStart(title: "\(certificate.title) — \(certificate.givenName) \(certificate.familyName)")
            + page(certificate, programTitle: programTitle, issuer: issuer, school: school, agency: agency, verifyURL: verifyURL)
            + documentEnd
    }

    /// One certificate's sheet: the `<div class="page">` between `documentStart` and
    /// `documentEnd`. A file of many holds one after another; each prints on a sheet of its own.
    public static func page(_ certificate: CertificateInfo, programTitle: String? = nil, issuer: String? = nil,
                            school: String? = nil, agency: String? = nil, verifyURL: String? = nil) -> String {
        let name = escape("\(certificate.givenName) \(certificate.familyName)")
        let title = escape(certificate.title)
        let heading = (school ?? issuer).map { "<p class=\"school\">\(escape($0))</p>" } ?? ""
        let validity = certificate.validUntil.map { "Valid until <strong>\(escape(dateInWords($0)))</strong>" } ?? "Does not expire"
        let status: String
        switch certificate.status {
        case .valid: status = ""
        case .expired: status = "<p class=\"status\">EXPIRED</p>"
        case .revoked: status = "<p class=\"status\">REVOKED — \(escape(certificate.revocationReason ?? ""))</p>"
        case .notYetValid: status = "<p class=\"status\">NOT YET VALID</p>"
        }
        let code = escape(certificate.code.description)
        let taughtWith = [issuer.flatMap { $0 == school ? nil : $0 }, agency].compactMap { $0 }
        let program = "has completed the program <em>\(escape(programTitle ?? certificate.programID))</em>"
            + (taughtWith.isEmpty ? "" : ", taught with \(taughtWith.map(escape).joined(separator: " and "))") + "."
        let check: String
        if let verifyURL, let qr = QRCode(verifyURL) {
            check = """
                <div class="qr">\(qr.svg(side: "3.6cm", xmlns: false, title: "QR code: \(verifyURL)"))</div>
                <div class="check"><p class="code">\(code)</p><p class="verify">Scan the code, or visit<br><span class="url">\(escape(verifyURL))</span></p></div>
                """
        } else {
            check = """
                <div class="check"><p class="code">\(code)</p><p class="verify">verify with: <code>bridges certificate verify \(code)</code></p></div>
                """
        }
        return """
            <div class="page"><div class="frame">
            \(heading)
            \(status)
            <div class="middle">
            <p class="kind">Certificate</p>
            <h1>\(title)</h1>
            <p class="lead">This certifies that</p>
            <p class="name">\(name)</p>
            <p class="lead">\(program)</p>
            <p class="dates">Issued on <strong>\(escape(dateInWords(certificate.issuedOn)))</strong> · \(validity)</p>
            </div>
            <div class="foot">
            <div class="sign">Principal</div>
            <div class="checkbox">
            \(check)
            </div>
            <div class="sign">Instructor</div>
            </div>
            </div></div>

            """
    }

    /// The page's end, after the last sheet.
    public static let documentEnd = "</body>\n</html>\n"

    /// Everything before the first sheet: the head, its one style sheet (no scripts, nothing
    /// fetched: the Content-Security-Policy says so) and `<body>`. `title` is escaped here.
    public static func documentStart(title: String) -> String {
        """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>\(escape(title))</title>
            <style>
              @page { size: landscape; margin: 1cm; }
              * { box-sizing: border-box; }
              html, body { margin: 0; padding: 0; background: #fff; }
              @media screen { body { padding: 0.5cm 0; } }
              body { font-family: Georgia, 'Times New Roman', serif; color: #1d2a3a; }
              .page { width: 100%; max-width: 27cm; height: 18.5cm; margin: 0 auto; padding: 0.35cm; border: 3px solid #2f5d8a; page-break-inside: avoid; break-inside: avoid; }
              .frame { height: 100%; border: 1px solid #2f5d8a; outline: 5px double #b08d3c; outline-offset: -0.3cm; padding: 0.9cm 1.6cm 0.7cm; text-align: center; display: flex; flex-direction: column; }
              .school { font-size: 1.05em; letter-spacing: 0.28em; text-transform: uppercase; color: #2f5d8a; margin: 0.2cm 0 0; }
              .kind { font-size: 0.95em; letter-spacing: 0.5em; text-transform: uppercase; color: #b08d3c; margin: 0.5cm 0 0.1cm; }
              h1 { font-size: 2.5em; font-weight: normal; margin: 0 0 0.35cm; }
              .lead { font-size: 1.1em; margin: 0.15cm 0; }
              .name { font-size: 2.6em; font-style: italic; margin: 0.15cm auto 0.25cm; border-bottom: 1px solid #9db3c9; padding: 0 1.2em 0.05em; display: inline-block; }
              .dates { margin: 0.4cm 0 0; font-size: 1.02em; }
              .middle { margin: auto 0; }
              .foot { margin-top: auto; display: flex; align-items: flex-end; justify-content: space-between; text-align: left; }
              .sign { width: 6cm; border-top: 1px solid #1d2a3a; padding-top: 0.1cm; font-size: 0.85em; color: #4a5a6a; margin-bottom: 0.3cm; }
              .checkbox { display: flex; align-items: center; gap: 0.35cm; }
              .qr svg { display: block; }
              .code { font-family: 'DejaVu Sans Mono', 'Courier New', monospace; font-size: 1.15em; letter-spacing: 0.08em; margin: 0 0 0.15cm; }
              .verify { font-size: 0.8em; color: #4a5a6a; margin: 0; }
              .check { max-width: 9.5cm; }
              .url { font-family: 'DejaVu Sans Mono', 'Courier New', monospace; font-size: 0.9em; word-break: break-all; }
              .status { color: #a11; font-weight: bold; font-size: 1.4em; margin: 0.2cm 0 0; }
              /* A file of many certificates: each on a sheet of its own. */
              .page + .page { break-before: page; page-break-before: always; }
              @media screen { .page + .page { margin-top: 0.6cm; } }
            </style>
            </head>
            <body>

            """
    }

    /// "2026-11-27" → "27 November 2026"; anything else is returned as it is.
    public static func dateInWords(_ day: String) -> String {
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        let parts = day.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isASCII) }), let year = Int(parts[0]), let month = Int(parts[1]), let dayOfMonth = Int(parts[2]),
              parts[0].count == 4, (1...12).contains(month), (1...31).contains(dayOfMonth) else { return day }
        return "\(dayOfMonth) \(months[month - 1]) \(year)"
    }

    /// The address a phone opens to check a certificate: `base` + "/verify/" + the code without dashes.
    public static func verifyURL(base: String, code: CertificateCode) -> String {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/verify/" + code.normalized
    }

    /// Escapes text for HTML element content and attribute values (`MarkupText`).
    public static func escape(_ text: String) -> String { MarkupText.escaped(text) }
}

extension Registrar {
    /// The printable page of one certificate, looked up as a person typed its code. The QR code
    /// and printed address lead to the issuer's `/verify/CODE` (`issuer init --url`), else to
    /// `verifyBase`'s; with neither, the page has no QR code and says how to verify with the code.
    public func printableCertificate(_ code: String, verifyBase: String? = nil) async
        throws(BridgesError) -> (certificate: CertificateInfo, html: String, verifyURL: String?) {
        let today = clock.today
        guard let certificate = try await verifyCertificate(code, on: today) else {
            throw .notFound(.certificate(code: "\(code.uppercased())"), "no certificate has the code \(code.uppercased())")
        }
        let title = try await programs().first { $0.id == certificate.programID }?.title
        let issuer = try await issuer()
        let details = try await store { () async throws(StoreError) in try await database.certificatePrintDetails(code: certificate.code.normalized) }
        var verifyURL: String?
        if let base = issuer?.url ?? verifyBase {
            guard Self.isWebAddress(base) else {
                throw .usage("\(field: .verifyURL) '\(base)' is not an https address; give the public address of the verification page, like https://district.example.org")
            }
            let url = PrintableCertificate.verifyURL(base: base, code: certificate.code)
            guard url.utf8.count <= QRCode.maximumBytes else {
                throw .usage("the verification address \(url) is \(url.utf8.count) bytes, more than the \(QRCode.maximumBytes) a printed QR code here holds; use a shorter address")
            }
            verifyURL = url
        }
        let html = PrintableCertificate.html(certificate, programTitle: title, school: issuer?.name ?? details?.schoolName,
                                             agency: details?.officerAgency, verifyURL: verifyURL)
        return (certificate, html, verifyURL)
    }

    /// An https address with a host and nothing a printed page or a QR code would mangle.
    static func isWebAddress(_ text: String) -> Bool {
        guard text.hasPrefix("https://"), text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }) else { return false }
        let host = text.dropFirst("https://".count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return !host.isEmpty && !host.contains("@")
    }

    /// Writes a certificate's page to `path` as a new file only its owner can read (0600 from the
    /// first byte, see `PrivateFile`), replacing an earlier page there (a reprint); a folder
    /// others can write to is refused (`.io`).
    public static func writePrivateFile(_ html: String, to path: String) throws(BridgesError) {
        do {
            try PrivateFile.write(html, to: path, replacing: true)
        } catch {
            throw BridgesError(error)
        }
    }
}

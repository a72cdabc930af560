import BridgesCore

/// A certificate as a page to print: self-contained HTML (no scripts, no fonts or images fetched
/// from anywhere), with the verification code and how to check it.
///
/// Names come from rosters and may hold anything (`<script>`, `=HYPERLINK(…)`), so every text is
/// escaped for HTML.
public enum PrintableCertificate {
    public static func html(_ certificate: CertificateInfo, programTitle: String? = nil, issuer: String? = nil) -> String {
        let name = escape("\(certificate.givenName) \(certificate.familyName)")
        let title = escape(certificate.title)
        let validity = certificate.validUntil.map { "Valid until \(escape($0))" } ?? "Does not expire"
        let status: String
        switch certificate.status {
        case .valid: status = ""
        case .expired: status = "<p class=\"status\">EXPIRED</p>"
        case .revoked: status = "<p class=\"status\">REVOKED — \(escape(certificate.revocationReason ?? ""))</p>"
        case .notYetValid: status = "<p class=\"status\">NOT YET VALID</p>"
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>\(title) — \(name)</title>
            <style>
              @page { size: landscape; margin: 1.5cm; }
              body { font-family: Georgia, 'Times New Roman', serif; color: #1d2a3a; margin: 0; }
              .frame { border: 6px double #2f5d8a; padding: 2.5cm 2cm; text-align: center; min-height: 12cm; }
              h1 { font-size: 2.4em; margin: 0 0 0.4em; letter-spacing: 0.04em; }
              .lead { font-size: 1.2em; margin: 0.3em 0; }
              .name { font-size: 2.2em; font-style: italic; margin: 0.4em 0; border-bottom: 1px solid #9db3c9; display: inline-block; padding: 0 1em 0.1em; }
              .dates { margin-top: 1.5em; }
              .code { font-family: 'DejaVu Sans Mono', monospace; font-size: 1.4em; letter-spacing: 0.12em; margin-top: 1.5em; }
              .verify { font-size: 0.9em; color: #4a5a6a; }
              .status { color: #a11; font-weight: bold; font-size: 1.4em; }
            </style>
            </head>
            <body>
            <div class="frame">
            \(status)
            <h1>\(title)</h1>
            <p class="lead">This certifies that</p>
            <p class="name">\(name)</p>
            <p class="lead">has completed the program \(escape(programTitle ?? certificate.programID))\(issuer.map { " with \(escape($0))" } ?? "").</p>
            <p class="dates">Issued \(escape(certificate.issuedOn)) · \(validity)</p>
            <p class="code">\(escape(certificate.code.description))</p>
            <p class="verify">To check this certificate, give the code above to the school: <code>bridges certificate verify \(escape(certificate.code.description))</code></p>
            </div>
            </body>
            </html>

            """
    }

    /// Escapes text for HTML element content and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters have no place on a printed page.
                if scalar.properties.generalCategory == .control && scalar != "\t" { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}

extension Records {
    /// The printable page of one certificate, looked up as a person typed its code.
    public func printableCertificate(_ code: String, today: SchoolDate = .today()) throws(BridgesError) -> (certificate: CertificateInfo, html: String) {
        guard let certificate = try verifyCertificate(code, today: today) else {
            throw .notFound("no certificate has the code \(code.uppercased())")
        }
        let title = try programs().first { $0.id == certificate.programID }?.title
        return (certificate, PrintableCertificate.html(certificate, programTitle: title))
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

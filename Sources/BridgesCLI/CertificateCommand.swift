import ArgumentParser
import Foundation
import BridgesKit

/// `bridges certificate …`: what students earn, and what anyone can check.
struct CertificateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certificate",
        abstract: "Issue, list, verify, revoke and reinstate certificates.",
        subcommands: [Issue.self, List.self, Verify.self, Revoke.self, Reinstate.self, Print.self, BadgeExport.self]
    )
}

extension CertificateCommand {
    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue",
            abstract: "Issue certificates to every student who meets a program's rule and holds no current one.",
            discussion: """
                A required lesson counts as attended when the student was present or late at any session of it \
                (make-ups count); a quiz counts as passed on the best attempt. Certificates are dated --as-of \
                (default today) and valid for the program's validMonths.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @Option(parsing: .unconditional, help: ArgumentHelp("Only this program (default: every program).", valueName: "id")) var program: String?
        @Option(name: .customLong("as-of"), help: ArgumentHelp("The issue date (default: today).", valueName: "YYYY-MM-DD")) var asOf: String?

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location)
                let issues = try await records.issueCertificates(programID: program, asOf: asOf, caller: .local(actor.name))
                let total = issues.reduce(0) { $0 + $1.issuedCount }
                for issue in issues {
                    var line = "\(issue.programID): \(issue.issuedCount) issued, \(issue.alreadyHeld) already held a current one, \(issue.notEligible) not yet eligible"
                    if issue.revokedSkipped > 0 { line += ", \(issue.revokedSkipped) skipped because their certificate was revoked" }
                    Console.say(line)
                }
                Console.result("issued \(total) certificate\(total == 1 ? "" : "s")")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List certificates with their status today.")

        @OptionGroup var database: DatabaseOptions
        @Option(parsing: .unconditional, help: ArgumentHelp("Only this program.", valueName: "id")) var program: String?

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location, access: .read)
                let certificates = try await records.certificates(programID: program, caller: .commandLine)
                if certificates.isEmpty {
                    Console.say("No certificates yet; issue them with: bridges certificate issue")
                    return
                }
                let rows = certificates.map { c in
                    [c.code.description, c.status.rawValue, c.programID, c.studentID, "\(c.familyName), \(c.givenName)", c.issuedOn, c.validUntil ?? "never expires"]
                }
                Console.result(TextTable.render(header: ["CODE", "STATUS", "PROGRAM", "STUDENT", "NAME", "ISSUED", "VALID UNTIL"], rows: rows))
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check a certificate code: prints its status, program, dates and the holder's initials; exits 0 only when valid.",
            discussion: """
                The code may be typed in any case, with or without dashes. The holder's name is never printed: \
                --name "Given Family" is confirmed or denied (letter case and accents ignored). For a student \
                whose family opted out of directory information, only the status is printed (no program, dates or \
                initials), and a name given is neither confirmed nor denied: the record cannot be confirmed, and the \
                exit status follows the status alone. Exit status 1 when the certificate is not valid, not found, or \
                the name given is not the holder's.
                """)

        @OptionGroup var database: DatabaseOptions
        @Argument(help: ArgumentHelp("The code, e.g. 7K3Q-M9XD-2HFA-8PQR.", valueName: "code")) var code: String
        @Option(parsing: .unconditional, help: ArgumentHelp("The holder's name as the verifier knows it, to confirm.", valueName: "\"given family\"")) var name: String?

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location, access: .read)
                guard let certificate = try await records.publicVerification(code, name: name) else {
                    Console.result(lines: ["NOT FOUND: no certificate has the code \(code.uppercased())"])
                    throw ExitCode(1)
                }
                var lines = ["\(certificate.status == .valid ? "VALID" : certificate.status.rawValue.uppercased()): \(certificate.code)"]
                if let initials = certificate.initials {
                    lines.append("  holder:  \(initials) (initials; confirm a name with --name)")
                }
                if let matches = certificate.nameMatches {
                    lines.append(matches ? "  name:    matches the holder" : "  name:    DOES NOT match the holder")
                } else if name != nil, certificate.directoryOptOut {
                    lines.append("  name:    this record cannot be confirmed")
                }
                if let title = certificate.title, let programID = certificate.programID {
                    lines.append("  program: \(title) (\(programID))")
                }
                if let issuedOn = certificate.issuedOn {
                    lines.append("  issued:  \(issuedOn)")
                    lines.append("  valid until: \(certificate.validUntil ?? "does not expire")")
                }
                if let revokedOn = certificate.revokedOn {
                    lines.append("  revoked: \(revokedOn)")
                }
                Console.result(lines: lines)
                if certificate.status != .valid || certificate.nameMatches == false { throw ExitCode(1) }
            }
        }
    }

    struct Reinstate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reinstate",
            abstract: "Reinstate a revoked certificate (revoked by mistake); audited with the reason.",
            discussion: "A certificate that is not revoked is refused (exit 65). The revocation and its reason stay in the audit trail.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("The code.", valueName: "code")) var code: String
        @Option(parsing: .unconditional, help: ArgumentHelp("Why it is reinstated.", valueName: "text")) var reason: String

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location)
                let certificate = try await records.reinstateCertificate(code, reason: reason, caller: .local(actor.name))
                Console.result(lines: ["reinstated \(certificate.code) (\(certificate.title)); it is \(certificate.status.rawValue)"])
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a certificate; it stays on record with the reason.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("The code.", valueName: "code")) var code: String
        @Option(parsing: .unconditional, help: ArgumentHelp("Why it is revoked.", valueName: "text")) var reason: String

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location)
                let (certificate, already) = try await records.revokeCertificate(code, reason: reason, caller: .local(actor.name))
                if already {
                    Console.result(lines: ["\(certificate.code) was already revoked on \(certificate.revokedOn ?? "?") (\(certificate.revocationReason ?? "")); nothing changed"])
                } else {
                    Console.result(lines: ["revoked \(certificate.code) (\(certificate.title), \(certificate.givenName) \(certificate.familyName))"])
                }
            }
        }
    }

    struct Print: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "print",
            abstract: "Write a certificate as a page to print (self-contained HTML with its verification code and a QR code).",
            discussion: """
                Writes certificate-CODE.html in the current folder unless --out says otherwise (- is standard output). The file \
                is readable by its owner only; a folder other users can write to is refused. The QR code and printed address \
                are the issuer's URL/verify/CODE (bridges issuer init --url), else --verify-url's; with neither, the page has no \
                QR code and says how to verify with the code.

                With --program and --class (or --school) instead of a code: every current certificate (not revoked, not \
                expired) of that program held by the students of the class (or issued for the school), in one file, one \
                certificate per printed sheet: certificates-program-P-class-C-DATE.html in the current folder (a name already \
                taken gets -2, -3 …), or --out; an existing file named with --out is replaced only with --force.

                Recorded in the disclosure log (who, when, the certificates, where, --purpose).
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("The code (or give --program and --class or --school for many).", valueName: "code")) var code: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("Every current certificate of this program (with --class or --school).", valueName: "id"))
        var program: String?
        @Option(name: .customLong("class"), parsing: .unconditional, help: ArgumentHelp("The students of this class.", valueName: "id"))
        var schoolClass: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("The certificates issued for this school.", valueName: "id"))
        var school: String?
        @Flag(help: "Replace the file named with --out (many certificates).") var force = false
        @Option(help: ArgumentHelp("Where to write the page (for many: a file or a folder).", valueName: "path")) var out: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("Why, and for whom: kept in the disclosure log.", valueName: "text")) var purpose: String?
        @Option(name: .customLong("verify-url"), help: ArgumentHelp("The https address of the verification page, when no issuer is set (the QR code leads to URL/verify/CODE).", valueName: "url"))
        var verifyURL: String?

        func validate() throws {
            if code != nil, program != nil || schoolClass != nil || school != nil {
                throw ValidationError("give a code, or --program with --class or --school, not both")
            }
            if code == nil {
                guard program != nil else { throw ValidationError("give a certificate code, or --program with --class or --school") }
                guard (schoolClass == nil) != (school == nil) else { throw ValidationError("give --class or --school with --program (one of them)") }
            } else if force {
                throw ValidationError("--force is for a file of many certificates (--program); a single page is always rewritten")
            }
        }

        func run() async throws {
            try await Console.run {
                // The pages are recorded in the disclosure log: the database is opened to write.
                guard let records = try await Registrar.openIfPresent(database.location, access: .write) else {
                    throw BridgesError.notFound(.database(database.name), "there is no database at \(database.name); name it with --db PATH or $BRIDGES_DB")
                }
                guard let code else {
                    let destination: ReportDestination = out == "-" ? .standardOutput : try out.map { (text) throws(BridgesError) in try .typed(text, accepted: "a file, a folder") } ?? .workingFolder
                    let pages = try await records.printCertificates(programID: program ?? "", classID: schoolClass, schoolID: school,
                                                              to: destination, replacing: force, verifyBase: verifyURL,
                                                              caller: .local(actor.name), purpose: purpose)
                    if let given = verifyURL, pages.verifyBase != given {
                        Console.say("note: the issuer's address is used, not --verify-url")
                    }
                    if pages.verifyBase == nil {
                        Console.say("note: no QR codes (no issuer yet: bridges issuer init --url, or give --verify-url)")
                    }
                    let what = "\(pages.pages) certificate\(pages.pages == 1 ? "" : "s")"
                    Console.say(pages.path.map { "wrote \(what) into \($0)" } ?? "wrote \(what)")
                    return
                }
                let (certificate, html, url) = try await records.printableCertificate(code, verifyBase: verifyURL)
                if let base = verifyURL, url != PrintableCertificate.verifyURL(base: base, code: certificate.code) {
                    Console.say("note: the issuer's address is used, not --verify-url")
                }
                if out == "-" {
                    try await records.discloseCertificatePage(html, certificate: certificate, to: .standardOutput, purpose: purpose, caller: .local(actor.name))
                    return
                }
                // Without --out: certificate-CODE.html in the working folder.
                let written = try await records.discloseCertificatePage(
                    html, certificate: certificate, to: try out.map { (text) throws(BridgesError) in try .typed(text) } ?? .workingFolder, purpose: purpose, caller: .local(actor.name))
                if certificate.status != .valid {
                    Console.say("warning: this certificate is \(certificate.status.rawValue); the page says so")
                }
                if url == nil {
                    Console.say("note: no QR code (no issuer yet: bridges issuer init --url, or give --verify-url)")
                }
                Console.say("wrote \(written ?? "standard output")")
            }
        }
    }

    struct BadgeExport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "badge",
            abstract: "Write a certificate as a signed Open Badges 3.0 credential (a VC-JWT, ES256) that anyone can check with the issuer's public key.",
            discussion: """
                Writes badge-CODE.jwt in the current folder unless --out says otherwise (- is standard output); the file is \
                readable by its owner only. The holder is named by a salted hash of the district's student number \
                (the roster's OneRoster identifier, as roster list shows it) when the roster gave one, else of the \
                student id: the number the family presents to have it checked; the name is in the credential only with --with-name. Needs an issuer (bridges issuer init); a revoked \
                certificate gets no badge. With --program and/or --school instead of a code: every such certificate, \
                one badge-CODE.jwt each, into --folder or --out (default: badges, made readable by its owner only).
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("The code (or give --program and/or --school for many).", valueName: "code")) var code: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("Why, and for whom: kept in the disclosure log.", valueName: "text")) var purpose: String?
        @Option(help: ArgumentHelp("Where to write the token (for many: the folder).", valueName: "path")) var out: String?
        @Option(help: ArgumentHelp("Every certificate of this program, into --folder.", valueName: "id")) var program: String?
        @Option(help: ArgumentHelp("Every certificate of this school, into --folder.", valueName: "id")) var school: String?
        @Option(help: ArgumentHelp("The folder for many badges (default: badges).", valueName: "path")) var folder: String?
        @Option(help: ArgumentHelp("The issuer's private key (default: where issuer init wrote it).", valueName: "path")) var key: String?
        @Flag(name: .customLong("with-name"), help: "Put the holder's name in the credential in clear (the school chose to).") var withName = false

        func validate() throws {
            if code != nil, program != nil || school != nil { throw ValidationError("give a code, or --program/--school, not both") }
            if code == nil, program == nil, school == nil { throw ValidationError("give a certificate code, or --program and/or --school") }
            if code != nil, folder != nil { throw ValidationError("--folder is for --program/--school; use --out for one badge") }
            if code == nil, out != nil, folder != nil { throw ValidationError("give the folder for many badges once: --out or --folder") }
            if code == nil, out == "-" { throw ValidationError("many badges go into a folder, not standard output: give --out FOLDER") }
        }

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location)
                guard let code else {
                    let target = folder ?? out ?? "badges"
                    let (written, skipped) = try await records.badges(
                        programID: program, schoolID: school, withName: withName, keyPath: key, into: .typed(target), caller: .local(actor.name), purpose: purpose)
                    if skipped > 0 { Console.say("skipped \(skipped) revoked certificate\(skipped == 1 ? "" : "s")") }
                    Console.result("wrote \(written) badge\(written == 1 ? "" : "s") into \(target)")
                    return
                }
                let badge = try await records.badge(code, withName: withName, keyPath: key)
                if out == "-" {
                    try await records.discloseBadge(badge, withName: withName, to: .standardOutput, purpose: purpose, caller: .local(actor.name))
                    return
                }
                // Without --out: badge-CODE.jwt in the working folder.
                let written = try await records.discloseBadge(
                    badge, withName: withName, to: try out.map { (text) throws(BridgesError) in try .typed(text) } ?? .workingFolder, purpose: purpose, caller: .local(actor.name))
                if badge.status != .valid {
                    Console.say("warning: this certificate is \(badge.status.rawValue); the credential's dates say so")
                }
                Console.say("wrote \(written ?? "standard output")")
            }
        }
    }
}

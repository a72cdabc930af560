import BridgesCore
import BridgesKit
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// The pages for people (server.md, "The pages"): server-rendered, self-contained (one style
/// sheet and one script, both from this server), usable on a 360-pixel phone and with a keyboard
/// and a screen reader. Every value shown passes `MarkupText.escaped`.
enum Pages {
    /// Nothing from elsewhere, no inline script or style: the page's own files only.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static func add(to router: Router<BridgesRequestContext>, operations: Operations, settings: ServerSettings, verifyLimit: VerifyRateLimit) {
        router.get("/") { _, _ in redirect("/classes") }

        router.get("/assets/bridges.css") { _, _ in asset(PageAssets.styleSheet, type: "text/css; charset=utf-8") }
        router.get("/assets/bridges.js") { _, _ in asset(PageAssets.script, type: "text/javascript; charset=utf-8") }
        // The tab's icon, from here like everything else (a browser asks for one on every page).
        router.get("/assets/icon.svg") { _, _ in asset(PageAssets.icon, type: "image/svg+xml") }

        router.get("/sign-in") { _, context -> Response in
            if context.caller != nil, context.signIn != nil { return redirect("/classes") }
            return page(title: "Sign in", body: signInForm(message: nil))
        }

        router.post("/sign-in") { request, context -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: 16 * 1024)
            let form = formFields(String(decoding: buffer.readableBytesView, as: UTF8.self))
            let outcome = try await operations.signIn(username: form["username"] ?? "", password: form["password"] ?? "")
            switch outcome {
            case .refused:
                return page(title: "Sign in", body: signInForm(message: "The user name or password is wrong."), status: .unauthorized)
            case .locked(let until):
                return page(title: "Sign in", body: signInForm(message: "Too many wrong passwords in a row: this account is locked until \(until) (UTC)."), status: .unauthorized)
            case .signedIn(let signedIn):
                var response = redirect("/classes")
                response.setCookie(Cookie(
                    name: SignInCookie.name, value: signedIn.secret, maxAge: AccountRules.signInHours * 3600, path: "/",
                    secure: settings.secureCookies, httpOnly: true, sameSite: .strict))
                return response
            }
        }

        router.get("/classes") { _, context -> Response in
            guard let caller = context.caller else { return redirect("/sign-in") }
            let classes = try await operations.classes(caller: caller)
            var body = "<h1>Your classes</h1>\n"
            if classes.isEmpty {
                body += "<p>No class of your schools is in the roster yet.</p>\n"
            } else {
                body += "<ul class=\"classes\">\n"
                for item in classes {
                    body += "<li><a href=\"/classes/\(escapedPath(item.id))/attendance\">\(e(item.name))</a> <span class=\"muted\">\(e(item.id)), school \(e(item.schoolID)), \(item.students) student\(item.students == 1 ? "" : "s")</span></li>\n"
                }
                body += "</ul>\n"
            }
            return page(title: "Classes", body: body, caller: caller, csrf: context.signIn?.csrfToken)
        }

        router.get("/classes/{id}/attendance") { _, context -> Response in
            guard let caller = context.caller else { return redirect("/sign-in") }
            let classID = try context.parameters.require("id")
            let schoolClass = try await operations.schoolClass(id: classID, caller: caller)
            let students = try await operations.students(classID: classID, caller: caller)
            let lessons = try await operations.lessons(programID: nil, caller: caller)
            let sessions = try await operations.sessions(classID: classID, programID: nil, from: nil, to: nil, caller: caller).filter { $0.voidedAt == nil }
            let taught = Set(sessions.map(\.lessonID))
            // The next lesson of the programs this class is being taught (never another program's
            // first lesson because it is untaught here); a class with no sessions yet: any.
            let programs = Set(sessions.map(\.programID))
            let candidates = programs.isEmpty ? lessons : lessons.filter { programs.contains($0.programID) }
            let next = candidates.first { !taught.contains($0.lessonID) } ?? candidates.first ?? lessons.first
            return page(
                title: "Attendance: \(schoolClass.name)",
                body: attendanceForm(schoolClass: schoolClass, students: students, lessons: lessons, selected: next?.lessonID, today: operations.today.description),
                caller: caller, csrf: context.signIn?.csrfToken)
        }

        router.get("/verify") { request, context -> Response in
            try verifyLimit.check(settings.clientAddress(peer: context.clientAddress, forwardedFor: request.headers[HTTPField.Name("X-Forwarded-For")!]))
            if let code = request.uri.queryParameters["code"].map(String.init), !code.isEmpty {
                return try await verification(code: code, name: request.uri.queryParameters["name"].map(String.init), operations: operations)
            }
            return page(title: "Check a certificate", body: verifyForm(code: ""))
        }

        router.get("/verify/{code}") { request, context -> Response in
            try verifyLimit.check(settings.clientAddress(peer: context.clientAddress, forwardedFor: request.headers[HTTPField.Name("X-Forwarded-For")!]))
            return try await verification(
                code: try context.parameters.require("code"), name: request.uri.queryParameters["name"].map(String.init), operations: operations)
        }
    }

    // MARK: Pieces

    static func e(_ text: String) -> String { MarkupText.escaped(text) }

    static func escapedPath(_ text: String) -> String {
        e(text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? text)
    }

    static func page(title: String, body: String, caller: Caller? = nil, csrf: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        var header = ""
        if let caller {
            header = "<header><span>\(e(caller.name)) (\(e(caller.role.rawValue)))</span> <a href=\"/classes\">Classes</a>\(adminLinks(caller)) <button type=\"button\" data-sign-out>Sign out</button></header>\n"
        }
        let html = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            \(csrf.map { "<meta name=\"csrf-token\" content=\"\(e($0))\">" } ?? "")
            <title>\(e(title)) · Bridges</title>
            <link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/assets/bridges.css">
            <script src="/assets/bridges.js" defer></script>
            </head>
            <body>
            \(header)<main>
            \(body)</main>
            </body>
            </html>

            """
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: contentSecurityPolicy],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The admin pages the caller's role may use, for the header.
    static func adminLinks(_ caller: Caller) -> String {
        var links = ""
        if caller.may(.importRoster) { links += " <a href=\"/admin/rosters\">Rosters</a>" }
        if caller.may(.exportStudentReports) || caller.may(.exportCountReports) { links += " <a href=\"/admin/reports\">Reports</a>" }
        if caller.may(.issueCertificates) { links += " <a href=\"/admin/certificates\">Certificates</a>" }
        return links
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `application/x-www-form-urlencoded` fields; the last of a repeated name wins.
    static func formFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String { String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    static func signInForm(message: String?) -> String {
        """
        <h1>Sign in to Bridges</h1>
        \(message.map { "<p class=\"refused\" role=\"alert\">\(e($0))</p>" } ?? "")
        <form method="post" action="/sign-in">
        <label for="username">User name</label>
        <input id="username" name="username" autocomplete="username" autocapitalize="none" required>
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <button type="submit">Sign in</button>
        </form>

        """
    }

    static func attendanceForm(schoolClass: SchoolClass, students: [ClassStudent], lessons: [LessonListing], selected: String?, today: String) -> String {
        var html = """
            <h1>Attendance: \(e(schoolClass.name))</h1>
            <p class="muted">Class \(e(schoolClass.id)), school \(e(schoolClass.schoolID))</p>
            <form id="attendance" data-class="\(e(schoolClass.id))">
            <label for="lesson">Lesson</label>
            <select id="lesson" name="lesson" required>

            """
        for lesson in lessons {
            html += "<option value=\"\(e(lesson.lessonID))\"\(lesson.lessonID == selected ? " selected" : "")>\(e(lesson.title)) (\(e(lesson.lessonID)))</option>\n"
        }
        html += """
            </select>
            <div class="row">
            <span><label for="date">Date</label><input id="date" name="date" type="date" value="\(e(today))" max="\(e(today))" required></span>
            <span><label for="minutes">Minutes (blank: as planned)</label><input id="minutes" name="minutes" type="number" min="1" max="600" inputmode="numeric"></span>
            </div>

            """
        for (index, student) in students.enumerated() {
            let name = student.familyName.isEmpty ? student.givenName : "\(student.givenName) \(student.familyName)"
            html += "<fieldset class=\"student\" data-student=\"\(e(student.id))\"><legend>\(e(name))</legend>"
            for status in AttendanceStatus.allCases {
                let id = "s\(index)-\(status.rawValue)"
                html += "<input type=\"radio\" id=\"\(id)\" name=\"s\(index)\" value=\"\(status.rawValue)\"\(status == .present ? " checked" : "")><label for=\"\(id)\">\(status.rawValue)</label>"
            }
            html += "</fieldset>\n"
        }
        html += """
            <button type="submit">Save</button>
            </form>
            <section aria-labelledby="queue-title">
            <h2 id="queue-title">Sessions on this phone</h2>
            <p class="muted">A session saved with no network waits here and is sent when the network is back.</p>
            <ul id="queue" aria-live="polite"></ul>
            </section>

            """
        return html
    }

    static func verifyForm(code: String) -> String {
        """
        <h1>Check a certificate</h1>
        <form method="get" action="/verify">
        <label for="code">Certificate code</label>
        <input id="code" name="code" value="\(e(code))" autocapitalize="characters" required>
        <label for="name">Holder's name (optional: it is confirmed, never shown)</label>
        <input id="name" name="name" autocomplete="off">
        <button type="submit">Check</button>
        </form>

        """
    }

    /// The public answer for a code: the status, and unless the family opted out of directory
    /// information the program, the dates and the initials; never a name or a revocation reason.
    static func verification(code: String, name: String?, operations: Operations) async throws -> Response {
        let typedName = name.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let found: CertificateVerification?
        do {
            found = try await operations.publicVerification(code: code, name: typedName)
        } catch let problem as Problem where problem.status == .badRequest {
            return page(title: "Check a certificate", body: "<p class=\"refused\" role=\"alert\">\(e(problem.detail))</p>\n" + verifyForm(code: code), status: .badRequest)
        }
        guard let found else {
            return page(title: "Check a certificate", body: "<p class=\"refused\" role=\"alert\">No certificate has the code \(e(code)).</p>\n" + verifyForm(code: ""), status: .notFound)
        }
        var body = "<h1>Certificate \(e(found.code.description))</h1>\n<p class=\"status \(found.status == .valid ? "valid" : "invalid")\">\(e(found.status.rawValue))</p>\n"
        if !found.directoryOptOut {
            body += "<dl>\n"
            if let title = found.title { body += "<dt>Program</dt><dd>\(e(title))</dd>\n" }
            if let issued = found.issuedOn { body += "<dt>Issued</dt><dd>\(e(issued))</dd>\n" }
            if let until = found.validUntil { body += "<dt>Valid until</dt><dd>\(e(until))</dd>\n" }
            if let revoked = found.revokedOn { body += "<dt>Revoked</dt><dd>\(e(revoked))</dd>\n" }
            if let initials = found.initials { body += "<dt>Holder</dt><dd>\(e(initials))</dd>\n" }
            body += "</dl>\n"
            if let matches = found.nameMatches {
                body += "<p>\(matches ? "The name you typed is the holder's." : "The name you typed is not the holder's.")</p>\n"
            }
        }
        return page(title: "Certificate", body: body)
    }
}

/// At most `limit` verification pages a minute from one client address, so the codes cannot be
/// guessed at speed; past it, 429 with Retry-After. A bucket per address holds `limit` checks and
/// refills one every `60 / limit` seconds, so no burst across a minute's edge gets twice the limit.
final class VerifyRateLimit: Sendable {
    let limit: Int
    private let clock: @Sendable () -> Date
    private let buckets = Mutex<[String: (tokens: Double, at: Date)]>([:])

    init(limit: Int = 30, clock: @escaping @Sendable () -> Date) {
        self.limit = limit
        self.clock = clock
    }

    func check(_ client: String?) throws {
        try check(client, now: clock())
    }

    func check(_ client: String?, now: Date) throws {
        let perSecond = Double(limit) / 60
        let allowed = buckets.withLock { buckets -> Bool in
            if buckets.count > 10_000 {
                // Forget the addresses whose buckets are full again: they would start full anyway.
                buckets = buckets.filter { now.timeIntervalSince($0.value.at) * perSecond + $0.value.tokens < Double(limit) }
            }
            let key = client ?? "unknown"
            var bucket = buckets[key] ?? (Double(limit), now)
            bucket.tokens = min(Double(limit), bucket.tokens + max(0, now.timeIntervalSince(bucket.at)) * perSecond)
            bucket.at = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[key] = bucket
            return allowed
        }
        if !allowed {
            throw Problem(status: .tooManyRequests, detail: "too many certificates checked from this address; wait a minute", retryAfter: Int((60 / Double(limit)).rounded(.up)))
        }
    }
}

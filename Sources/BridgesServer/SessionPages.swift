import BridgesCore
import BridgesKit
import Foundation
import HTTPTypes
import Hummingbird

/// `/sessions/{id}` (what `session show` says, with quiz answers entered per student) and the
/// admins' `/admin/reports` (server.md, "The pages"). Same page frame, style and policy as
/// `Pages`; every value shown passes `MarkupText.escaped`.
enum SessionPages {
    static func add(to router: Router<BridgesRequestContext>, operations: Operations) {
        router.get("/sessions/{id}") { _, context -> Response in
            guard let caller = context.caller else { return Pages.redirect("/sign-in") }
            let text = try context.parameters.require("id")
            guard let id = Int64(text) else { throw Problem(status: .notFound, detail: "no session \(text)") }
            let detail = try await operations.session(id: id, caller: caller)
            let quiz = try await operations.sessionQuiz(id: id, caller: caller)
            let mayEnter = detail.session.voidedAt == nil
                && caller.mayRecordQuiz(sessionOf: detail.session.schoolID, loggedBy: detail.session.officerID)
            return Pages.page(
                title: "Session \(id)", body: sessionBody(detail, quiz: mayEnter ? quiz : nil),
                caller: caller, csrf: context.signIn?.csrfToken)
        }

        router.get("/admin/rosters") { _, context -> Response in
            guard let caller = context.caller else { return Pages.redirect("/sign-in") }
            guard caller.may(.importRoster) else {
                throw Problem(status: .forbidden, detail: "rosters are imported by school and district administrators")
            }
            var body = "<h1>Rosters</h1>\n<p>Choose a roster CSV or a OneRoster export (.zip). It is checked first (a dry run: nothing is written); import it once the check is clean.</p>\n"
            if let schools = caller.schools {
                body += "<p class=\"muted\">Only rows of your schools (\(e(schools.sorted().joined(separator: ", ")))) are accepted.</p>\n"
            }
            body += """
                <form id="roster">
                <label for="roster-file">Roster file</label>
                <input id="roster-file" name="file" type="file" accept=".csv,.zip,text/csv,application/zip" required>
                <button type="submit" data-dry-run="true">Check (dry run)</button>
                <button type="submit" data-dry-run="false" disabled>Import</button>
                <p class="result" role="status" aria-live="polite"></p>
                <ul class="diagnostics"></ul>
                </form>

                """
            return Pages.page(title: "Rosters", body: body, caller: caller, csrf: context.signIn?.csrfToken)
        }

        router.get("/admin/certificates") { _, context -> Response in
            guard let caller = context.caller else { return Pages.redirect("/sign-in") }
            guard caller.may(.issueCertificates) else {
                throw Problem(status: .forbidden, detail: "certificates are issued by school and district administrators")
            }
            return Pages.page(title: "Certificates", body: certificatesBody(caller), caller: caller, csrf: context.signIn?.csrfToken)
        }

        router.get("/admin/reports") { _, context -> Response in
            guard let caller = context.caller else { return Pages.redirect("/sign-in") }
            guard caller.may(.exportStudentReports) || caller.may(.exportCountReports) else {
                throw Problem(status: .forbidden, detail: "reports are for school and district administrators, coordinators (counts) and auditors")
            }
            return Pages.page(title: "Reports", body: reportsBody(caller), caller: caller, csrf: context.signIn?.csrfToken)
        }
    }

    static func e(_ text: String) -> String { MarkupText.escaped(text) }

    static func certificatesBody(_ caller: Caller) -> String {
        var html = "<h1>Certificates</h1>\n<p>Issues a certificate to every student who meets a program's rule on the day and holds no current one for it. Students who already hold one are left alone.</p>\n"
        if let schools = caller.schools {
            html += "<p class=\"muted\">Only students of your schools (\(e(schools.sorted().joined(separator: ", ")))) are issued certificates.</p>\n"
        }
        html += """
            <form id="issue" data-api="/api/v1/certificates/issue">
            <label for="program">Program (blank: every program)</label>
            <input id="program" name="program" autocapitalize="none">
            <label for="asOf">As of (blank: today)</label>
            <input id="asOf" name="asOf" type="date">
            <button type="submit">Issue certificates</button>
            <p class="result" role="status" aria-live="polite"></p>
            </form>

            """
        return html
    }

    static func sessionBody(_ detail: SessionDetail, quiz: Quiz?) -> String {
        let session = detail.session
        var html = "<h1>Session \(session.id): \(e(session.lessonTitle))</h1>\n"
        if let voided = session.voidedAt {
            html += "<p class=\"refused\" role=\"status\">Voided \(e(voided))\(session.voidReason.map { ": \(e($0))" } ?? ""). It no longer counts.</p>\n"
        }
        html += "<dl>\n"
        html += "<dt>Date</dt><dd>\(e(session.date))</dd>\n"
        html += "<dt>Class</dt><dd>\(e(session.classID)), school \(e(session.schoolID))</dd>\n"
        html += "<dt>Lesson</dt><dd>\(e(session.lessonID)) version \(session.lessonVersion), program \(e(session.programID))</dd>\n"
        html += "<dt>Officer</dt><dd>\(e(session.officerID))</dd>\n"
        html += "<dt>Minutes</dt><dd>\(session.minutes)</dd>\n"
        if let note = session.note { html += "<dt>Note</dt><dd>\(e(note))</dd>\n" }
        html += "<dt>Recorded</dt><dd>\(e(session.recordedAt)) by \(e(session.recordedBy))</dd>\n"
        let counts = AttendanceStatus.allCases.map { "\($0.rawValue) \(session.counts[$0] ?? 0)" }.joined(separator: ", ")
        html += "<dt>Attendance</dt><dd>\(e(counts))</dd>\n</dl>\n"
        html += "<h2>Students</h2>\n<table>\n<thead><tr><th scope=\"col\">Student</th><th scope=\"col\">Status</th><th scope=\"col\">Quiz</th></tr></thead>\n<tbody>\n"
        for student in detail.students {
            let name = student.familyName.isEmpty ? student.givenName : "\(student.givenName) \(student.familyName)"
            var score = student.quizAttempts == 0 ? "none" : "\(student.quizAttempts) attempt\(student.quizAttempts == 1 ? "" : "s")"
            if let earned = student.bestEarned, let possible = student.bestPossible { score += ", best \(earned) of \(possible)" }
            html += "<tr><td>\(e(name)) <span class=\"muted\">\(e(student.studentID))</span></td><td>\(e(student.status.rawValue))</td><td>\(e(score))</td></tr>\n"
        }
        html += "</tbody>\n</table>\n"
        if !detail.trail.isEmpty {
            html += "<h2>Corrections</h2>\n<ul>\n"
            for entry in detail.trail {
                var line = "\(entry.at) \(entry.actor): \(entry.action)"
                if let field = entry.field { line += " \(field)" }
                if let old = entry.oldValue, let new = entry.newValue { line += " \(old) → \(new)" }
                if let reason = entry.reason { line += " (\(reason))" }
                html += "<li>\(e(line))</li>\n"
            }
            html += "</ul>\n"
        }
        if let quiz, !quiz.questions.isEmpty {
            html += "<h2>Quiz answers</h2>\n<p class=\"muted\">Only students present or late take the quiz. Leave a question empty if it was not answered; several choices are written like a+c.</p>\n"
            for (index, student) in detail.students.enumerated() where student.status == .present || student.status == .late {
                let name = student.familyName.isEmpty ? student.givenName : "\(student.givenName) \(student.familyName)"
                html += "<form class=\"quiz\" data-session=\"\(session.id)\" data-student=\"\(e(student.studentID))\">\n<details><summary>\(e(name))</summary>\n"
                for question in quiz.questions {
                    let field = "q\(index)-\(question.id)"
                    let hint: String
                    switch question.kind {
                    case .single: hint = "one of " + question.choices.map(\.id).joined(separator: ", ")
                    case .multiple: hint = "any of " + question.choices.map(\.id).joined(separator: ", ") + ", joined with +"
                    case .trueFalse: hint = "true or false"
                    case .short: hint = "the answer in words"
                    }
                    html += "<label for=\"\(e(field))\">\(e(question.id)). \(e(question.prompt)) <span class=\"muted\">(\(e(hint)))</span></label>"
                    if question.kind.hasChoices {
                        html += "<ul class=\"muted\">" + question.choices.map { "<li>\(e($0.id)): \(e($0.text))</li>" }.joined() + "</ul>"
                    }
                    html += "<input id=\"\(e(field))\" name=\"\(e(question.id))\" autocomplete=\"off\" autocapitalize=\"none\">\n"
                }
                html += "<button type=\"submit\">Save the answers</button>\n<p class=\"result\" role=\"status\" aria-live=\"polite\"></p>\n</details>\n</form>\n"
            }
        }
        return html
    }

    static func reportsBody(_ caller: Caller) -> String {
        var html = "<h1>Reports</h1>\n<p>Each report downloads as a CSV file. Every download is recorded in the disclosure log with your account, the filters and the purpose.</p>\n"
        if let schools = caller.schools {
            html += "<p class=\"muted\">Your schools: \(e(schools.sorted().joined(separator: ", "))). A report holds only their rows.</p>\n"
        }
        for report in Report.allCases where caller.may(report.namesStudents ? .exportStudentReports : .exportCountReports) {
            let id = report.rawValue
            html += "<form method=\"get\" action=\"/api/v1/reports/\(id)\" class=\"report\">\n<h2>\(e(title(report)))</h2>\n"
            html += "<div class=\"row\"><span><label for=\"\(id)-school\">School (blank: all of yours)</label><input id=\"\(id)-school\" name=\"school\"></span>"
            html += "<span><label for=\"\(id)-program\">Program (blank: all)</label><input id=\"\(id)-program\" name=\"program\"></span></div>\n"
            html += "<div class=\"row\"><span><label for=\"\(id)-from\">From</label><input id=\"\(id)-from\" name=\"from\" type=\"date\"></span>"
            html += "<span><label for=\"\(id)-to\">To</label><input id=\"\(id)-to\" name=\"to\" type=\"date\"></span></div>\n"
            if report.namesStudents {
                html += "<label for=\"\(id)-purpose\">Purpose: why, and for whom (it names students)</label><input id=\"\(id)-purpose\" name=\"purpose\" required maxlength=\"500\">\n"
            }
            html += "<button type=\"submit\">Download \(e(id)).csv</button>\n</form>\n"
        }
        return html
    }

    static func title(_ report: Report) -> String {
        switch report {
        case .attendance: "Attendance: one row per student per session"
        case .summary: "Summary: one row per student per program"
        case .certificates: "Certificates: one row per certificate"
        case .programReport: "Program report: counts per program and school"
        }
    }
}

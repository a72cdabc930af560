import BridgesCore
import BridgesStore
import BridgesSystem
import Foundation

/// Everything Bridges holds about one student, for the student's family (FERPA 34 CFR 99.10,
/// GDPR art. 15): the roster entry, every mark with its session, every quiz attempt (voided ones
/// too), certificates, the corrections that touched them, and every disclosure that named them.
/// Encodes as the machine-readable JSON; `html` is the readable page.
/// Not the store's `StoredStudentRecord`: it adds the disclosures as read back and when it was made, and is the promised JSON.
public struct StudentRecord: Sendable, Hashable, Codable {
    public struct Enrollment: Sendable, Hashable, Codable {
        public var schoolID, schoolName, classID, className: String
    }
    public struct Mark: Sendable, Hashable, Codable {
        public var sessionID: Int64
        public var date, programID, lessonID: String
        public var lessonVersion: Int
        public var lessonTitle, classID, schoolID, officerID, officerName: String
        public var minutes: Int
        public var status: String
        public var recordedAt, recordedBy: String
        /// When the whole session was voided (it then counts nowhere), by whom and why.
        public var voidedAt, voidedBy, voidReason: String?
    }
    public struct QuizAttempt: Sendable, Hashable, Codable {
        public var sessionID: Int64
        public var date, lessonID: String
        public var attempt: Int
        /// The answers as recorded (`q1=a,q2=true`).
        public var answers: String
        public var earned, possible: Int
        public var passed: Bool
        public var recordedAt, recordedBy: String
        public var voidedAt, voidedBy, voidReason: String?
    }
    public struct Certificate: Sendable, Hashable, Codable {
        public var code, programID: String
        public var programVersion: Int
        public var title: String
        public var schoolID: String?
        public var issuedOn: String
        public var validUntil: String?
        public var issuedAt, issuedBy: String
        public var revokedOn, revokedBy, revocationReason: String?
    }
    /// One entry of the audit trail: a roster change, a correction, a revocation.
    public struct Event: Sendable, Hashable, Codable {
        public var at, actor, action, entity, entityID: String
        public var field, oldValue, newValue, reason, detail: String?
    }

    public var studentID, givenName, familyName, grade: String
    /// The district's own student number, when the roster gave one.
    public var identifier: String?
    /// The family opted out of directory information.
    public var directoryOptOut: Bool
    public var enrollments: [Enrollment]
    public var marks: [Mark]
    public var quizAttempts: [QuizAttempt]
    public var certificates: [Certificate]
    public var corrections: [Event]
    /// Earlier disclosures that named the student (this one is recorded as it is written).
    public var disclosures: [Disclosure]
    /// When this record was made (ISO 8601 UTC).
    public var producedAt: String
}

extension StudentRecord {
    /// The output formats of `student record`.
    public enum Format: String, Sendable, CaseIterable {
        case html, json

        public static func named(_ name: String) throws(BridgesError) -> Format {
            guard let format = Format(rawValue: name.trimmingWhitespace().lowercased()) else {
                throw .usage("there is no format '\(name)'; use html or json")
            }
            return format
        }
    }

    /// The record as JSON: keys sorted, dates as stored, readable by any program.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The record as one self-contained page (no scripts, nothing fetched), for a family to read
    /// or print.
    public var html: String {
        func e(_ text: String?) -> String { MarkupText.escaped(text ?? "") }
        func table(_ header: [String], _ rows: [[String?]], empty: String) -> String {
            guard !rows.isEmpty else { return "<p class=\"empty\">\(e(empty))</p>\n" }
            var out = "<table>\n<thead><tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
            for row in rows { out += "<tr>" + row.map { "<td>\(e($0))</td>" }.joined() + "</tr>\n" }
            return out + "</tbody>\n</table>\n"
        }
        let name = "\(givenName) \(familyName)"
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            <title>Student record: \(e(name))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; max-width: 70rem; }
            h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
            table { border-collapse: collapse; width: 100%; font-size: .9rem; } th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
            th { background: #f2f2f2; } .empty { color: #666; font-style: italic; } .note { color: #444; font-size: .9rem; }
            dl { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; } dt { font-weight: 600; }
            @media print { body { margin: 1cm; } }
            </style>
            </head>
            <body>
            <h1>Student record: \(e(name))</h1>
            <p class="note">Everything Bridges holds about this student, produced \(e(producedAt)). Confidential: an education record of a minor.</p>
            <dl>
            <dt>Student id</dt><dd>\(e(studentID))</dd>
            <dt>Given name</dt><dd>\(e(givenName))</dd>
            <dt>Family name</dt><dd>\(e(familyName))</dd>
            <dt>Grade</dt><dd>\(e(grade.isEmpty ? "not given" : grade))</dd>
            <dt>District number</dt><dd>\(e(identifier ?? "none"))</dd>
            <dt>Directory information</dt><dd>\(directoryOptOut ? "the family opted out" : "not opted out")</dd>
            </dl>

            """
        page += "<h2>Classes</h2>\n" + table(
            ["School", "Class"], enrollments.map { ["\($0.schoolName) (\($0.schoolID))", "\($0.className) (\($0.classID))"] },
            empty: "Not enrolled in any class now.")
        page += "<h2>Attendance: every mark (\(marks.count))</h2>\n" + table(
            ["Date", "Program", "Lesson", "Class", "Officer", "Minutes", "Status", "Recorded", "Session"],
            marks.map { m in
                [m.date, m.programID, "\(m.lessonTitle) (\(m.lessonID) v\(m.lessonVersion))", m.classID, "\(m.officerName) (\(m.officerID))",
                 String(m.minutes), m.status, "\(m.recordedAt) by \(m.recordedBy)",
                 m.voidedAt.map { "#\(m.sessionID), voided \($0) by \(m.voidedBy ?? "?"): \(m.voidReason ?? "")" } ?? "#\(m.sessionID)"]
            }, empty: "No attendance recorded.")
        page += "<h2>Quiz attempts (\(quizAttempts.count))</h2>\n" + table(
            ["Date", "Lesson", "Attempt", "Score", "Passed", "Answers", "Recorded", "Voided"],
            quizAttempts.map { q in
                [q.date, q.lessonID, String(q.attempt), "\(q.earned)/\(q.possible)", q.passed ? "yes" : "no", q.answers,
                 "\(q.recordedAt) by \(q.recordedBy)", q.voidedAt.map { "\($0) by \(q.voidedBy ?? "?"): \(q.voidReason ?? "")" } ?? ""]
            }, empty: "No quiz attempts.")
        page += "<h2>Certificates (\(certificates.count))</h2>\n" + table(
            ["Code", "Program", "Issued", "Valid until", "Issued by", "Revoked"],
            certificates.map { c in
                [CertificateCode(c.code)?.description ?? c.code, "\(c.title) (\(c.programID) v\(c.programVersion))", c.issuedOn,
                 c.validUntil ?? "does not expire", "\(c.issuedBy) at \(c.issuedAt)",
                 c.revokedOn.map { "\($0) by \(c.revokedBy ?? "?"): \(c.revocationReason ?? "")" } ?? ""]
            }, empty: "No certificates.")
        page += "<h2>Changes and corrections (\(corrections.count))</h2>\n" + table(
            ["When", "Who", "What", "Field", "Old", "New", "Reason"],
            corrections.map { c in
                [c.at, c.actor, "\(c.action) \(c.entity) \(c.entityID)", c.field, c.oldValue, c.newValue, c.reason ?? c.detail]
            }, empty: "No changes or corrections recorded.")
        page += "<h2>Disclosures of this student's records (\(disclosures.count))</h2>\n" + table(
            ["When", "Who", "What", "Filters", "Rows", "Where", "Purpose"],
            disclosures.map { d in
                [d.at, d.actor, d.kind, d.filters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
                 String(d.rows), d.destination, d.purpose ?? "not given"]
            }, empty: "No earlier disclosures recorded.")
        page += "<p class=\"note\">This record itself is recorded as a disclosure when it is produced.</p>\n</body>\n</html>\n"
        return page
    }
}

/// What `student record` produced.
public struct StudentRecordOutput: Sendable {
    public var record: StudentRecord
    /// The file written, as people are told it; nil for a sink.
    public var path: String?
}

extension Registrar {
    /// A student's whole record (`bridges student record`), as HTML or JSON, written to
    /// `destination` (a file, an existing one replaced only with `replacing`; in a default
    /// folder `student-SID-record.FORMAT`, a taken name numbered; a sink the caller owns, such as
    /// standard output, written once recorded) and recorded as a disclosure naming the student.
    /// `purpose` is required: the record names the student and holds all their data.
    public func studentRecord(
        _ studentID: String, format: StudentRecord.Format, to destination: ReportDestination, replacing: Bool = false, purpose: String?,
        caller: Caller
    ) async throws(BridgesError) -> StudentRecordOutput {
        try caller.require(.readStudentRecords)
        let actor = caller.name
        guard let purpose = try Self.checkedPurpose(purpose) else {
            throw .usage("\(field: .purpose) is needed: say why and for whom the record is produced (\"a parent's request to inspect, 99.10\"); it is kept in the disclosure log")
        }
        let studentID = studentID.trimmingWhitespace()
        guard let stored = try await store({ () async throws(StoreError) in try await database.studentRecord(studentID) }) else {
            throw .notFound(.student(studentID), "no student \'\(studentID)\' is in the roster; `\(.rosterList)` shows the students")
        }
        let record = StudentRecord(
            studentID: stored.studentID, givenName: stored.givenName, familyName: stored.familyName, grade: stored.grade,
            identifier: stored.identifier, directoryOptOut: stored.directoryOptOut,
            enrollments: stored.enrollments.map { .init(schoolID: $0.schoolID, schoolName: $0.schoolName, classID: $0.classID, className: $0.className) },
            marks: stored.marks.map { m in
                .init(
                    sessionID: m.sessionID, date: m.date, programID: m.programID, lessonID: m.lessonID, lessonVersion: m.lessonVersion,
                    lessonTitle: m.lessonTitle, classID: m.classID, schoolID: m.schoolID, officerID: m.officerID, officerName: m.officerName,
                    minutes: m.minutes, status: m.status, recordedAt: m.recordedAt, recordedBy: m.recordedBy, voidedAt: m.voidedAt,
                    voidedBy: m.voidedBy, voidReason: m.voidReason)
            },
            quizAttempts: stored.quizAttempts.map { q in
                .init(
                    sessionID: q.sessionID, date: q.date, lessonID: q.lessonID, attempt: q.attempt, answers: q.responses, earned: q.earned,
                    possible: q.possible, passed: q.passed, recordedAt: q.recordedAt, recordedBy: q.recordedBy, voidedAt: q.voidedAt,
                    voidedBy: q.voidedBy, voidReason: q.voidReason)
            },
            certificates: stored.certificates.map { c in
                .init(
                    code: c.code, programID: c.programID, programVersion: c.programVersion, title: c.title, schoolID: c.schoolID,
                    issuedOn: c.issuedOn, validUntil: c.validUntil, issuedAt: c.issuedAt, issuedBy: c.issuedBy, revokedOn: c.revokedOn,
                    revokedBy: c.revokedBy, revocationReason: c.revocationReason)
            },
            corrections: stored.events.map { a in
                .init(
                    at: a.at, actor: a.actor, action: a.action, entity: a.entity, entityID: a.entityId, field: a.field, oldValue: a.oldValue,
                    newValue: a.newValue, reason: a.reason, detail: a.detail)
            },
            disclosures: try await disclosures(studentID: studentID),
            producedAt: WriteContext(actor: actor, at: clock.now).at)
        let text = format == .html ? record.html : record.json
        let filters: [(String, String?)] = [("student", studentID), ("format", format.rawValue)]
        let rows = record.marks.count + record.quizAttempts.count + record.certificates.count + record.corrections.count
        let written = try await writeDisclosed(
            text, to: destination, name: "student-\(Self.fileNamePart(studentID))-record.\(format.rawValue)",
            naming: replacing ? .replacing : .refusingToReplace, inFolder: .numbered, kind: "student record", filters: filters, rows: rows,
            purpose: purpose, actor: actor, students: [studentID])
        return StudentRecordOutput(record: record, path: written)
    }

    /// A value made safe for a file name: ASCII letters, digits, `-`, `_` and `.` kept, anything
    /// else `_`, at most 40 characters.
    static func fileNamePart(_ value: String) -> String {
        let safe = value.unicodeScalars.prefix(40).map { scalar -> Character in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_": Character(scalar)
            default: "_"
            }
        }
        return safe.isEmpty ? "_" : String(safe)
    }
}

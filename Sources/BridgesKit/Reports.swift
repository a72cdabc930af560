import BridgesCSV
import BridgesCore
import BridgesStore
import BridgesSystem
import Foundation

/// The reports `bridges export` writes (cli.md, "Reports").
public enum Report: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// One row per student per session.
    case attendance
    /// One row per student per program.
    case summary
    /// One row per certificate.
    case certificates
    /// One row per program and school, what funders ask for.
    case programReport = "program-report"

    /// Whether its rows name students (the disclosure log asks for a purpose then).
    public var namesStudents: Bool { self != .programReport }

    /// The name people type, `program-report`.
    public var description: String { rawValue }

    /// The header row: cli.md's columns in its order, then any this program adds after them.
    public var columns: [String] {
        switch self {
        case .attendance:
            ["session_id", "session_date", "program_id", "lesson_id", "lesson_version", "lesson_title", "school_id", "class_id",
             "officer_id", "officer_name", "minutes", "student_id", "family_name", "given_name", "grade", "status",
             "recorded_at", "recorded_by"]
        case .summary:
            ["program_id", "school_id", "class_id", "student_id", "family_name", "given_name", "required_lessons",
             "lessons_attended", "lessons_missing", "present", "late", "absent", "excused", "quizzes_required",
             "quizzes_passed", "eligible", "certificate_code",
             // Added: which required lessons a make-up session should cover.
             "missing_lesson_ids"]
        case .certificates:
            ["certificate_code", "status", "program_id", "certificate_title", "student_id", "family_name", "given_name",
             "school_id", "issued_on", "valid_until", "revoked_on", "revocation_reason"]
        case .programReport:
            ["program_id", "school_id", "sessions", "instruction_minutes", "officers", "students_enrolled",
             "students_reached", "certificates_issued",
             // Added: certificates issued in the range and since revoked (not in certificates_issued).
             "certificates_revoked"]
        }
    }

    /// The report named `name`, or a usage error (exit 64) that lists the reports there are.
    public static func named(_ name: String) throws(BridgesError) -> Report {
        guard let report = Report(rawValue: name.trimmingWhitespace().lowercased()) else {
            throw .usage("there is no report '\(name)'; the reports are \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return report
    }
}

/// Where a report goes.
public enum ReportDestination: Sendable {
    /// The report's usual name (`REPORT-YYYY-MM-DD.csv`) in the folder a front door keeps reports
    /// in (the command line's `Exports/`), created when missing; a taken name is numbered.
    case defaultFolder(ReportFolder)
    /// This file; or, when it names an existing folder, the report's usual name in that folder
    /// (a taken name numbered). The path is from the root: Kit resolves nothing against a working
    /// folder, and refuses a relative one (`.internalError`, a front door's mistake). `shownIn`
    /// is the folder it was named in when it was named relative to one (the command line's
    /// working folder for `--out ../x.csv`): messages, results and the disclosure log then name
    /// it, a file made in it and its folder as typed there (`../x.csv`). Nil: shown as it is.
    case path(String, shownIn: ReportFolder? = nil)
    /// Into `sink`, which the caller opened and keeps open (standard output for `--out -`);
    /// `name` is how the disclosure log and messages say where it went (`standard output`).
    case sink(any ByteSink, name: String)
}

/// A folder handed to Kit: where it is, from the root (Kit resolves nothing against a working
/// folder), and how people are shown a file in it (the command line's
/// `Exports/attendance-2025-03-14.csv`, as typed where it runs). It is the folder a front door
/// puts reports in when no place is named, or the one a path was named in (`.path(_:shownIn:)`:
/// the working folder, shown as nothing, so `../x.csv` stays `../x.csv`). Messages, results and
/// the disclosure log name a file in it the shown way.
public struct ReportFolder: Sendable, Hashable {
    /// The folder, from the root.
    public let path: String
    /// The folder as people are shown it; empty for the folder they are in (a file shown by its
    /// name alone).
    public let shownAs: String

    public init(path: String, shownAs: String) {
        self.path = path
        self.shownAs = shownAs
    }

    /// The path of the file `name` in the folder.
    func file(_ name: String) -> String {
        path.hasSuffix("/") ? path + name : path + "/" + name
    }

    /// `file` as people are shown it: the folder itself or a path in it under the shown name,
    /// anything else as it is.
    func shown(_ file: String) -> String {
        if file == path { return shownAs.isEmpty ? "." : shownAs }
        guard file.hasPrefix(path.hasSuffix("/") ? path : path + "/") else { return file }
        let inside = file.dropFirst(path.hasSuffix("/") ? path.count : path.count + 1)
        return shownAs.isEmpty ? String(inside) : (shownAs.hasSuffix("/") ? shownAs : shownAs + "/") + inside
    }

    /// A failure to make a file in the folder, naming it as people are shown it.
    func shown(_ error: PrivateFileError) -> PrivateFileError {
        var shown = error
        shown.path = self.shown(error.path)
        if case .folderOpenToOthers(let folder, let mode, let sticky) = error.kind {
            shown.kind = .folderOpenToOthers(folder: self.shown(folder), mode: mode, sticky: sticky)
        }
        return shown
    }

    /// Makes the folder when it is missing. Reports hold students' records: a new folder is the
    /// owner's alone from the start (an existing one others can write to is refused when the
    /// file is created).
    func make() throws(BridgesError) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
            throw .io("cannot write the report into \(shown(path))/: it is a file, not a folder; move it away or name a file with \(field: .out)")
        }
        do {
            try PrivateFile.makeOwnFolder(path)
        } catch {
            throw .io("cannot create the folder \(shown(path))/ for the report: \(error.message); name a file with \(field: .out)")
        }
    }
}

extension ReportDestination {
    /// Refuses a place not given from the root (a front door's mistake: Kit reads no working
    /// folder to resolve it against), before anything is read or written.
    func checkFromRoot() throws(BridgesError) {
        switch self {
        case .path(let path, let shownIn):
            try ReportFolder.checkFromRoot(path)
            if let shownIn { try ReportFolder.checkFromRoot(shownIn.path) }
        case .defaultFolder(let folder):
            try ReportFolder.checkFromRoot(folder.path)
        case .sink:
            break
        }
    }
}

extension ReportFolder {
    /// Refuses `path` unless it starts at the root.
    static func checkFromRoot(_ path: String) throws(BridgesError) {
        guard path.hasPrefix("/") else {
            throw .internalError("'\(path)' is not a path from the root; the caller must resolve it (Kit reads no working folder)")
        }
    }
}

/// Where an export's rows go: a destination, or handed back to the caller as a stream once the
/// disclosure is recorded (a server's response; `recipient` is how the log names it).
enum ReportOutput {
    case place(ReportDestination)
    case handedBack(String)
}

/// What `export` wrote.
public struct ReportExport: Sendable, Hashable {
    public var report: Report
    /// The file written; nil for a sink or a report handed back.
    public var path: String?
    /// Rows written after the header.
    public var rows: Int
    /// Handed back (`streamReport`): the finished report to send.
    public var stream: ReportStream? = nil
}

extension Registrar {
    /// `attendance-2025-03-14.csv`: the report's name and the day it was written; with filters,
    /// `attendance-school-A-from-2025-01-06-2025-03-14.csv`, so that two filtered reports of a day
    /// have two names. Filter values are made safe for a file name: ASCII letters, digits, `-`,
    /// `_` and `.` are kept, anything else becomes `_`, at most 40 characters each.
    public static func reportFileName(
        _ report: Report, programID: String? = nil, schoolID: String? = nil, from: String? = nil, to: String? = nil,
        on day: SchoolDate
    ) -> String {
        var name = report.rawValue
        for (label, value) in [("program", programID), ("school", schoolID), ("from", from), ("to", to)] {
            guard let value else { continue }
            name += "-\(label)-\(safeNamePart(value))"
        }
        return "\(name)-\(day).csv"
    }

    private static func safeNamePart(_ value: String) -> String {
        let safe = value.unicodeScalars.prefix(40).map { scalar -> Character in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": Character(scalar)
            default: "_"
            }
        }
        return safe.isEmpty ? "_" : String(safe)
    }

    /// Writes a report as CSV (RFC 4180, UTF-8, CRLF; a byte-order mark with `excel`), streaming:
    /// each row is written as it is read from one read transaction, so memory stays flat.
    ///
    /// - Parameters:
    ///   - programID, schoolID: only this program, only this school (unknown ones: `.notFound`).
    ///   - from, to: `YYYY-MM-DD`, inclusive, on the session date (the issue date for
    ///     certificates); a malformed date or `from` after `to` is `.usage`.

    /// Today on the clock (`clock`) is the default file's name, certificates' status, and the
    /// summary's as-of date when there is no `to`.
    /// - Returns: where it went and how many rows.
    ///
    /// A file is written as a private new file beside its path (`PrivateFile`: a random hidden
    /// name, 0600 from the first byte, never a link or a file someone planted) and published only
    /// once complete, so a failure (a full disk: `.io`, exit 74) never leaves a half-written
    /// report that looks whole. A folder others can write to is refused (`.io`). At a name
    /// Bridges chose (the default place, a folder given) a taken name gets `-2`, `-3` …; a file
    /// named explicitly that exists is refused (`.usage`) unless `replacing`. Devices and pipes
    /// are written directly.
    ///
    /// What the rows mean:
    /// - `attendance`: one row per student with a status at a session that is not voided, by
    ///   session date, session id, student id; `recorded_at`/`recorded_by` are the session's.
    ///   `session import` reads this file back.
    /// - `summary`: one row per student per program, by program then student id: every student of
    ///   a class that had a session of the program in range (enrolled now, or with a status at one
    ///   of its sessions), including those never marked. A student in two such classes has one
    ///   row listing both (`class_id` `A; B`, likewise `school_id`), and their counts cover every
    ///   class. Counts, attendance and quizzes cover the sessions in range; `required_lessons`
    ///   comes from the program's latest version; `eligible` (`yes`/`no`) is the certificate rule
    ///   (`Program.progress`) on those sessions, as of `to` or `today`; `certificate_code` is the
    ///   student's current certificate for the program on that date (issued by then, not revoked,
    ///   not past `valid_until`), else empty. `lessons_attended`/`lessons_missing` count required
    ///   lessons; `quizzes_required` counts the quizzes of attended required lessons that the rule
    ///   needs passed.
    /// - `certificates`: one row per certificate (revoked and expired too), by issue date and
    ///   code; `status` as of `today`, as `certificate verify` says it: `revoked` once revoked,
    ///   else `expired` after `valid_until` (the last valid day), else `valid` (or `not yet valid`
    ///   for one dated after today). `school_id` is the school recorded when it was issued; the
    ///   range filters the issue date.
    /// - `program-report`: one row per program and school with a session in range or a
    ///   certificate issued in range. Over the program's sessions at the school's classes in range
    ///   (voided left out): `sessions`; `instruction_minutes` (their minutes added up); `officers`
    ///   (distinct officers who taught them); `students_enrolled` (distinct students of the classes
    ///   taught: enrolled now, or marked at one of those sessions); `students_reached` (distinct
    ///   students present or late at least once). `certificates_issued`: certificates of the
    ///   program issued in range to students of that school and not revoked;
    ///   `certificates_revoked`: those issued in range and revoked since.
    ///
    /// Numbers are written as numbers and dates as ISO 8601; every other cell is text and goes
    /// through the formula guard.
    ///
    /// Every export is a disclosure (`Disclosures.swift`): once its rows are written, one write
    /// transaction publishes the file and records who (`actor`), when, the report, its filters,
    /// the row count, where it went, `purpose` (nil: not given) and every student it named. If
    /// that fails the file is taken back, so nothing leaves unrecorded. A sink (standard output)
    /// and a report handed back (`streamReport`, a server's response, returned as
    /// `ReportExport.stream`) take one path: the report is written to a private file first and
    /// copied into the sink, or handed back, only once recorded.
    public func exportReport(
        _ report: Report, programID: String? = nil, schoolID: String? = nil, from: String? = nil, to: String? = nil,
        destination: ReportDestination, excel: Bool = false, replacing: Bool = false, progress: ProgressHandler? = nil, caller: Caller, purpose: String? = nil
    ) async throws(BridgesError) -> ReportExport {
        try await exportReport(
            report, programID: programID, schoolID: schoolID, from: from, to: to, destination: .place(destination), excel: excel,
            replacing: replacing, progress: progress, caller: caller, purpose: purpose)
    }

    /// `exportReport` to a destination, or handed back (`.handedBack(recipient)`).
    func exportReport(
        _ report: Report, programID: String?, schoolID: String?, from: String?, to: String?,
        destination: ReportOutput, excel: Bool, replacing: Bool, progress: ProgressHandler?, caller: Caller, purpose: String?
    ) async throws(BridgesError) -> ReportExport {
        let today = clock.today
        try caller.require(report.namesStudents ? .exportStudentReports : .exportCountReports)
        let actor = caller.name
        let purpose = try Self.checkedPurpose(purpose)
        let fromDate = try from.map { (text) throws(BridgesError) in try Self.date(text, field: .from) }
        let toDate = try to.map { (text) throws(BridgesError) in try Self.date(text, field: .to) }
        if let fromDate, let toDate, toDate < fromDate {
            throw .usage("\(field: .from) \(fromDate) is after \(field: .to) \(toDate); give the earlier date first")
        }
        let programID = programID.map { $0.trimmingWhitespace() }
        let schoolID = schoolID.map { $0.trimmingWhitespace() }
        if let programID, !(try await store { () async throws(StoreError) in try await database.programExists(programID) }) {
            throw .notFound(.program(programID), "no program \'\(programID)\' is stored; `\(.lessonList)` shows the programs")
        }
        // Another school than the caller's is answered exactly as one that does not exist.
        if let schoolID {
            let exists = caller.sees(school: schoolID) ? try await store { () async throws(StoreError) in try await database.schoolExists(schoolID) } : false
            guard exists else { throw .notFound(.school(schoolID), "no school '\(schoolID)' is in the roster; `\(.rosterList)` shows the schools") }
        }
        // A caller limited to some schools and naming none gets each of its schools' rows in turn.
        let schools: [String?] = schoolID != nil || caller.seesEverySchool ? [schoolID] : (caller.schools ?? []).sorted()
        let name = Self.reportFileName(
            report, programID: programID, schoolID: schoolID, from: fromDate?.description, to: toDate?.description, on: today)
        let output = try ReportFile.open(destination, name: name, byteOrderMark: excel, replacing: replacing, scratch: temporaryFolder)
        defer { output.cleanUp() }
        var rows = 0
        // The students the report names, for the disclosure log: in memory up to a bound, past
        // it on disk, so memory stays flat however many there are.
        let studentColumn = report.columns.firstIndex(of: "student_id")
        let named = studentColumn.map { _ in StudentSpool(in: temporaryFolder) }
        defer { named?.remove() }
        do {
            try output.writer.writeHeader(report.columns)
            let meter = ReportMeter(phase: "Exporting \(report)", handler: progress)
            let row = { (cells: [CSVCell]) throws(CSVWriteError) in
                try output.writer.write(cells)
                if let studentColumn, case .text(let student) = cells[studentColumn] { named?.add(student) }
                rows += 1
                meter.step(rows)
            }
            for school in schools {
                let filter = ReportFilter(programID: programID, schoolID: school, from: fromDate?.description, to: toDate?.description)
                switch report {
                case .attendance: try await writeAttendance(filter, row: row)
                case .summary: try await writeSummary(filter, asOf: (toDate ?? today).description, row: row)
                case .certificates: try await writeCertificates(filter, today: today.description, row: row)
                case .programReport: try await writeProgramReport(filter, row: row)
                }
            }
            try output.writer.finish()
            let schoolFilter = schoolID ?? (caller.seesEverySchool ? nil : schools.compactMap { $0 }.joined(separator: ", "))
            let filters = [("program", programID), ("school", schoolFilter), ("from", fromDate?.description), ("to", toDate?.description)]
            try await recordDisclosure(
                kind: "export \(report)", filters: filters, rows: rows, purpose: purpose, actor: actor,
                namesStudents: studentColumn != nil, students: named
            ) { () throws(BridgesError) -> String in
                try output.commit()
                return output.shownPath ?? output.recipient
            }
            try output.deliver()
        } catch {
            output.discard()
            output.withdraw()
            throw BridgesError(error) { error in
                if let error = error as? CSVWriteError { return output.failure(error) }
                return .internalError("the \(report) report failed: \(error)")
            }
        }
        return ReportExport(report: report, path: output.shownPath, rows: rows, stream: output.stream)
    }

    // MARK: rows

    /// `K`, `1` … `12`, as rosters write grades.

    private func writeAttendance(_ filter: ReportFilter, row: ([CSVCell]) throws(CSVWriteError) -> Void) async throws {
        // One array for every row, changed in place: no allocation per row for the cells, and
        // a session's cells are made once for all its students.
        var cells = [CSVCell](repeating: .empty, count: Report.attendance.columns.count)
        var session: Int64?
        try await database.attendanceReport(filter) { r in
            if r.sessionID != session {
                session = r.sessionID
                cells[0] = .number(Int(r.sessionID))
                cells[1] = .date(r.sessionDate)
                cells[2] = .text(r.programID)
                cells[3] = .text(r.lessonID)
                cells[4] = .number(r.lessonVersion)
                cells[5] = .text(r.lessonTitle)
                cells[6] = .text(r.schoolID)
                cells[7] = .text(r.classID)
                cells[8] = .text(r.officerID)
                cells[9] = .text(r.officerName)
                cells[10] = .number(r.minutes)
                cells[16] = .date(r.recordedAt)
                cells[17] = .text(r.recordedBy)
            }
            cells[11] = .text(r.studentID)
            cells[12] = .text(r.familyName)
            cells[13] = .text(r.givenName)
            cells[14] = .text(r.grade)
            cells[15] = .text(r.status)
            try row(cells)
        }
    }

    private func writeSummary(_ filter: ReportFilter, asOf: String, row: ([CSVCell]) throws(CSVWriteError) -> Void) async throws {
        var current: SummaryReportProgram?
        try await database.summaryReport(filter, asOf: asOf, program: { current = $0 }) { r in
            guard let context = current else { return }
            let progress = context.program.progress(
                of: r.studentID, attended: r.attended, passed: r.passed, lessonsWithQuiz: context.lessonsWithQuiz)
            try row([
                .text(r.programID),
                .text(r.schoolIDs.joined(separator: "; ")),
                .text(r.classIDs.joined(separator: "; ")),
                .text(r.studentID),
                .text(r.familyName),
                .text(r.givenName),
                .number(context.program.requiredLessonIDs.count),
                .number(progress.attended.count),
                .number(progress.missing.count),
                .number(r.counts[.present] ?? 0),
                .number(r.counts[.late] ?? 0),
                .number(r.counts[.absent] ?? 0),
                .number(r.counts[.excused] ?? 0),
                .number(progress.quizzesRequired.count),
                .number(progress.quizzesPassed.count),
                .text(progress.eligible ? "yes" : "no"),
                .text(r.certificateCode.map(Self.displayCode)),
                .text(progress.missing.joined(separator: " ")),
            ])
        }
    }

    private func writeCertificates(_ filter: ReportFilter, today: String, row: ([CSVCell]) throws(CSVWriteError) -> Void) async throws {
        try await database.certificateReport(filter) { r in
            let status: String
            if r.revokedOn != nil {
                status = "revoked"
            } else if r.issuedOn > today {
                status = "not yet valid"
            } else if let until = r.validUntil, until < today {
                status = "expired"
            } else {
                status = "valid"
            }
            try row([
                .text(Self.displayCode(r.code)),
                .text(status),
                .text(r.programID),
                .text(r.title),
                .text(r.studentID),
                .text(r.familyName),
                .text(r.givenName),
                .text(r.schoolID),
                .date(r.issuedOn),
                .date(r.validUntil),
                .date(r.revokedOn),
                .text(r.revocationReason),
            ])
        }
    }

    private func writeProgramReport(_ filter: ReportFilter, row: ([CSVCell]) throws(CSVWriteError) -> Void) async throws {
        try await database.programReport(filter) { r in
            try row([
                .text(r.programID), .text(r.schoolID), .number(r.sessions), .number(r.instructionMinutes), .number(r.officers),
                .number(r.studentsEnrolled), .number(r.studentsReached), .number(r.certificatesIssued), .number(r.certificatesRevoked),
            ])
        }
    }

    /// A stored code as people see it, `7K3Q-M9XD-2HFA-8PQR` (a code that is somehow not one is
    /// written as stored).
    private static func displayCode(_ stored: String) -> String {
        CertificateCode(stored)?.description ?? stored
    }
}

/// Reports progress every 65,536 rows; the total is not known while the rows stream.
private final class ReportMeter {
    private let phase: String
    private let handler: ProgressHandler?

    init(phase: String, handler: ProgressHandler?) {
        self.phase = phase
        self.handler = handler
    }

    func step(_ done: Int) {
        if done & 0xFFFF == 0, let handler { handler(WorkProgress(phase: phase, done: done, total: 0)) }
    }
}

/// Where one report is being written: the writer, and for a file, the private new file (see
/// `PrivateFile`) it is written into until it is complete and published at its name. A report
/// for a sink or handed back is spooled: written to a private file first, then (`deliver`)
/// copied into the sink or handed back as a stream, once its disclosure is recorded.
final class ReportFile {
    let writer: CSVWriter
    /// Where the file is; nil for a sink or a report handed back. A report named by Bridges
    /// (the default place, or a folder given) may end up at `NAME-2.csv` when `NAME.csv` is taken.
    private(set) var path: String?
    /// The folder the file was named in (the front door's default folder, or the one a path
    /// was typed in): people are told `path` as it shows it.
    private var folder: ReportFolder?
    /// The path people are told (the disclosure log's, the result's).
    var shownPath: String? { path.map { folder?.shown($0) ?? $0 } }
    /// The file being written; nil when writing directly (a device, a pipe).
    let file: PrivateFile?
    /// Bridges chose the name: a taken one gets `-2`, `-3` … instead of being replaced.
    let numbered: Bool
    /// Replace whatever is at the path (`--force`; the demo's own reports).
    let replacing: Bool
    /// For a spooled report: the private folder it is written into first.
    private var spoolFolder: String?
    /// Where a spooled report goes, as the disclosure log and messages say it.
    private(set) var recipient = ""
    /// The sink a spooled report is copied into; nil when it is handed back.
    private var sink: (any ByteSink)?
    /// Handed back: the finished file, opened for reading before its name is removed.
    private(set) var stream: ReportStream?
    /// Put at `path` by `commit`: `withdraw` removes it again if its disclosure is not recorded.
    private var published = false

    /// Bytes gathered before each write: reports are large, and fewer system calls help.
    static let bufferSize = 256 * 1024

    private init(writer: CSVWriter, path: String?, file: PrivateFile?, numbered: Bool, replacing: Bool) {
        self.writer = writer
        self.path = path
        self.file = file
        self.numbered = numbered
        self.replacing = replacing
    }

    /// Opens where a report goes.
    static func open(
        _ output: ReportOutput, name: String, byteOrderMark: Bool, replacing: Bool, scratch: String
    ) throws(BridgesError) -> ReportFile {
        let destination: ReportDestination
        switch output {
        case .handedBack(let recipient):
            return try spooled(name: name, recipient: recipient, sink: nil, byteOrderMark: byteOrderMark, scratch: scratch)
        case .place(let place):
            destination = place
        }
        let path: String
        let numbered: Bool
        var shownIn: ReportFolder?
        switch destination {
        case .sink(let sink, let recipient):
            return try spooled(name: name, recipient: recipient, sink: sink, byteOrderMark: byteOrderMark, scratch: scratch)
        case .defaultFolder(let folder):
            try destination.checkFromRoot()
            try folder.make()
            path = folder.file(name)
            numbered = true
            shownIn = folder
        case .path(let given, let folder):
            try destination.checkFromRoot()
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: given, isDirectory: &isFolder), isFolder.boolValue {
                path = given.hasSuffix("/") ? "\(given)\(name)" : "\(given)/\(name)"
                numbered = true
            } else {
                path = given
                numbered = false
            }
            shownIn = folder
        }
        let shownPath = shownIn?.shown(path) ?? path
        // A device or a pipe (/dev/stdout, a FIFO) cannot be renamed over: write it directly,
        // without creating or emptying anything.
        if let status = try? SystemCall.status(of: path), !status.isRegularFile, !status.isDirectory {
            do {
                // CSVWriter opens an existing device or pipe directly, creating nothing.
                let writer = try CSVWriter(path: path, byteOrderMark: byteOrderMark, bufferSize: bufferSize)
                let output = ReportFile(writer: writer, path: path, file: nil, numbered: false, replacing: false)
                output.folder = shownIn
                return output
            } catch {
                throw .io("cannot write \(shownPath): \(error.reason); check that you may write there")
            }
        }
        if !numbered, !replacing, (try? SystemCall.linkStatus(of: path)) != nil {
            throw .usage("\(shownPath) already exists; remove it, or pass \(field: .force) to replace it. Nothing was written")
        }
        let file: PrivateFile
        do {
            file = try PrivateFile(beside: path)
        } catch {
            throw BridgesError(shownIn?.shown(error) ?? error)
        }
        let output = ReportFile(
            writer: CSVWriter(fileDescriptor: file.descriptor, destination: shownPath, byteOrderMark: byteOrderMark, bufferSize: bufferSize),
            path: path, file: file, numbered: numbered, replacing: replacing)
        output.folder = shownIn
        return output
    }

    /// A report written to a private file in a private folder first: the rows reach `sink` (or
    /// are handed back) only after the disclosure is recorded (`deliver`).
    private static func spooled(
        name: String, recipient: String, sink: (any ByteSink)?, byteOrderMark: Bool, scratch: String
    ) throws(BridgesError) -> ReportFile {
        let folder: String
        do {
            folder = try PrivateFile.makePrivateFolder(in: scratch, tag: "export")
        } catch {
            throw .io("cannot make a private folder in \(scratch) for the report: \(error.reason)")
        }
        let file: PrivateFile
        do {
            file = try PrivateFile(beside: "\(folder)/\(name)", readable: true)
        } catch {
            try? SystemCall.removeEmptyFolder(folder)
            throw BridgesError(error)
        }
        // Its name and folder go at once; the rows live only behind the open descriptor, so
        // nothing of them stays in the temporary folder however the process ends (killed, or the
        // machine off part-way).
        try? SystemCall.unlink(file.temporaryPath)
        try? SystemCall.removeEmptyFolder(folder)
        let output = ReportFile(
            writer: CSVWriter(fileDescriptor: file.descriptor, destination: recipient, byteOrderMark: byteOrderMark, bufferSize: bufferSize),
            path: nil, file: file, numbered: false, replacing: false)
        output.spoolFolder = folder
        output.recipient = recipient
        output.sink = sink
        return output
    }

    /// Publishes the finished file at its path: replacing only when asked, else under the next
    /// free number for a name Bridges chose, else refused.
    func commit() throws(BridgesError) {
        guard let file, let path, spoolFolder == nil else { return }
        if replacing || !numbered {
            do throws(PrivateFileError) {
                try file.publish(replacing: replacing)
                published = true
            } catch {
                if error.kind == .exists {
                    throw .usage("\(shownPath ?? path) already exists (it appeared while the report was written); remove it, or pass \(field: .force) to replace it. Nothing was written")
                }
                throw BridgesError(folder?.shown(error) ?? error)
            }
            return
        }
        let stem = path.hasSuffix(".csv") ? String(path.dropLast(4)) : path
        let suffix = path.hasSuffix(".csv") ? ".csv" : ""
        for number in 1...999 {
            let candidate = number == 1 ? path : "\(stem)-\(number)\(suffix)"
            do throws(PrivateFileError) {
                try file.publish(at: candidate, replacing: false)
                self.path = candidate
                published = true
                return
            } catch {
                if error.kind != .exists { throw BridgesError(folder?.shown(error) ?? error) }
            }
        }
        throw .io("\(shownPath ?? path) and 998 numbered copies of it already exist; move old reports away and export again")
    }

    /// Removes what a failed report wrote, so that nothing half-written is left behind.
    func discard() {
        file?.discard()
    }

    /// Takes back a published report whose disclosure could not be recorded.
    func withdraw() {
        guard published, let path else { return }
        unlink(path)
        published = false
    }

    /// For a spooled report: reads the finished, recorded report back from its private file
    /// and hands it back as `stream`, or copies it into the sink.
    func deliver() throws(BridgesError) {
        guard spoolFolder != nil, let file else { return }
        let written: ReadOnlyFile
        do {
            written = try ReadOnlyFile(duplicating: file.descriptor)
        } catch {
            throw .io("cannot read back the report for \(recipient): \(error.message)")
        }
        guard let sink else {
            stream = ReportStream(written)
            return
        }
        var offset = 0
        while true {
            let chunk: [UInt8]
            do {
                chunk = try written.read(at: offset, upTo: Self.bufferSize)
            } catch {
                throw .io("cannot read back the report for \(recipient): \(error.message)")
            }
            if chunk.isEmpty { return }
            do throws(ByteSinkError) {
                try sink.write(chunk)
            } catch {
                throw .io("writing \(recipient) failed: \(error.reason); the output is incomplete (the disclosure was recorded)")
            }
            offset += chunk.count
        }
    }

    /// Removes the private copy of a spooled report.
    func cleanUp() {
        guard let folder = spoolFolder else { return }
        file?.discard()
        try? SystemCall.removeEmptyFolder(folder)
        spoolFolder = nil
    }

    /// A write failure as people read it, naming the path they asked for.
    func failure(_ error: CSVWriteError) -> BridgesError {
        let place = shownPath ?? recipient
        let left = spoolFolder != nil ? "; nothing was written to \(recipient)"
            : file != nil ? "; no file was left at \(place)" : (path == nil ? "; the output is incomplete" : "; the file is incomplete")
        switch error.kind {
        case .cannotCreate:
            return .io("cannot create \(place): \(error.reason); check that the folder exists and that you may write there")
        case .writeFailed where error.isDiskFull:
            return .io("the disk is full: writing \(place) failed (\(error.reason)); free some space and export again\(left)")
        case .writeFailed, .alreadyFinished:
            return .io("writing \(place) failed: \(error.reason)\(left)")
        }
    }
}

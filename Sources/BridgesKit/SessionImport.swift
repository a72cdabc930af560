import BridgesCSV
import BridgesCore
import BridgesStore
import BridgesSystem
import Foundation

/// What `session import` did.
public struct SessionImportResult: Sendable {
    public var rows: Int
    public var sessionsCreated: Int
    public var sessionsExtended: Int
    public var marksAdded: Int
    public var marksUnchanged: Int
    /// Things said for people that did not stop the import (new sessions that leave enrolled
    /// students without a mark), each located at the file's first row of the session.
    public var warnings: [Diagnostic] = []
}

extension Registrar {
    /// A cell as it was before a report's formula guard: the attendance export writes an id such
    /// as `-0042` or `=7` as `'-0042`, so that a spreadsheet shows it as text; reading it back
    /// takes the `'` off again (exactly the writer's rule, `FormulaGuard`), so export then import
    /// gives back the same ids.
    static func unguarded(_ text: String) -> String { FormulaGuard.unguarded(text) }

    /// The columns `session import` needs, as the attendance report writes them.
    public static let sessionImportColumns = ["session_date", "lesson_id", "lesson_version", "class_id", "officer_id", "minutes", "student_id", "status"]

    /// Imports sessions and marks from a CSV in the attendance report's columns, all or nothing.
    ///
    /// A session is matched by class, lesson and date; marks equal to stored ones are no-ops; any
    /// contradiction, unknown id or bad value is an error naming `file:line`, and then nothing is
    /// written. The file's `session_id`, names and titles are not compared. The file is read row
    /// by row inside the transaction, so memory stays flat however long it is.
    public func importSessions(path: String, caller: Caller, dryRun: Bool = false, progress: ProgressHandler? = nil) async throws(BridgesError) -> SessionImportResult {
        try caller.require(.logSession)
        let actor = caller.name
        let reader: CSVReader
        do {
            reader = try CSVReader(path: path)
        } catch {
            switch error.kind {
            case .fileNotFound: throw .notFound(.file(path), "\(path): no such file")
            case .unreadable(let reason): throw .io("\(path): \(reason)")
            default: throw .invalidInput([error.diagnostic])
            }
        }
        var diagnostics: [Diagnostic] = []
        let shared = HandedOver(reader)
        let outcome = try await store { () async throws(StoreError) in
            try await database.importSessions(source: path, context: WriteContext(actor: actor, at: clock.now), dryRun: dryRun) { sink in
                // The file is read and checked on a thread of its own while this one stores; what
                // each row comes to arrives here in file order.
                try OrderedPipe<ImportRow>.stream(produce: { emit in
                    try Self.readSessionImport(shared.value, path: path, progress: progress, emit)
                }, consume: { row in
                    switch row {
                    case .mark(let mark):
                        for problem in try sink.add(mark) { diagnostics.append(.error(code: problem.code, problem.message, file: path, line: problem.line)) }
                    case .failed(let line, let problems):
                        // What the sink still had to say about earlier rows comes first.
                        for problem in try sink.markFailed() { diagnostics.append(.error(code: problem.code, problem.message, file: path, line: problem.line)) }
                        for problem in problems { diagnostics.append(.error(code: problem.code, problem.message, file: path, line: line)) }
                    case .stop(let found):
                        diagnostics += found
                        throw ImportStopped()
                    case .unreadable(let found):
                        for problem in try sink.flush() { diagnostics.append(.error(code: problem.code, problem.message, file: path, line: problem.line)) }
                        diagnostics.append(found)
                        throw ImportStopped()
                    }
                })
                for problem in try sink.flush() { diagnostics.append(.error(code: problem.code, problem.message, file: path, line: problem.line)) }
            }
        }
        if !diagnostics.isEmpty || outcome.failed {
            throw .invalidInput(diagnostics.isEmpty ? [.error(code: "session-import.refused", "the import was refused", file: path, line: 0)] : diagnostics)
        }
        let s = outcome.summary
        let warnings = outcome.partlyMarked.map { session -> Diagnostic in
            let more = session.unmarkedCount - session.unmarked.count
            let listed = session.unmarked.joined(separator: ", ") + (more > 0 ? " and \(more) more" : "")
            return .warning(code: "session-import.partly-marked", "the new session of lesson \(session.lessonID) for class \(session.classID) on \(session.date) leaves \(session.unmarkedCount) enrolled student\(session.unmarkedCount == 1 ? "" : "s") without a status: \(listed); if they were there, add rows for them (or `\(.sessionAmend)`), otherwise this is history from before today's roster", file: path, line: session.line)
        }
        return SessionImportResult(rows: s.rows, sessionsCreated: s.sessionsCreated, sessionsExtended: s.sessionsExtended, marksAdded: s.marksAdded,
                                   marksUnchanged: s.marksUnchanged, warnings: warnings)
    }

    /// What one row of an attendance file comes to, read on the reading thread.
    private enum ImportRow: Sendable {
        /// A row whose values read: the store checks it against what is stored.
        case mark(ImportedMark)
        /// A row with values that do not read, and what is wrong with each.
        case failed(line: Int, problems: [(code: String, message: String)])
        /// The file cannot be imported at all (empty, or a header without the columns).
        case stop([Diagnostic])
        /// The file stopped being readable CSV here.
        case unreadable(Diagnostic)
    }

    /// Reads an attendance file row by row, checking each row's own values, and emits what each
    /// comes to, in order.
    private static func readSessionImport(
        _ reader: CSVReader, path: String, progress: ProgressHandler?, _ emit: (ImportRow) throws -> Void
    ) throws {
        do {
            guard let first = try reader.next() else {
                try emit(.stop([.error(code: "session-import.empty-file", "the file is empty; its first row must name the columns \(sessionImportColumns.joined(separator: ","))", file: path, line: 1)]))
                return
            }
            let header = CSVHeader(first)
            let headerProblems = header.check(required: sessionImportColumns, file: path)
            if !headerProblems.isEmpty {
                try emit(.stop(headerProblems))
                return
            }
            let columns = sessionImportColumns.map { header.column($0)! }
            let recordedAt = header.column("recorded_at")
            let recordedBy = header.column("recorded_by")
            var count = 0
            // Rows come grouped by session, so most repeat the previous row's date: it is
            // checked once, and kept as the file wrote it (a date that reads is already in
            // its one spelling, YYYY-MM-DD).
            var lastGoodDate: String?
            while let record = try reader.next() {
                if record.isBlank { continue }
                let row = header.row(record)
                count += 1
                if count % 20_000 == 0 { progress?(WorkProgress(phase: "Importing marks", done: count, total: 0)) }
                var problems: [(code: String, message: String)] = []
                let dateText = unguarded(row[columns[0]]), versionText = row[columns[2]], minutesText = row[columns[5]], statusText = unguarded(row[columns[7]])
                let dateIsGood = dateText == lastGoodDate || SchoolDate(dateText) != nil
                if dateIsGood {
                    lastGoodDate = dateText
                } else {
                    problems.append(("session-import.date", "session_date '\(dateText)' is not a date; \(SchoolDate.formatHelp)"))
                }
                let version = Int(versionText)
                if version == nil || version! < 1 { problems.append(("session-import.lesson-version", "lesson_version '\(versionText)' is not a version number")) }
                let minutes = Int(minutesText)
                if minutes == nil || minutes! < 1 { problems.append(("session-import.minutes", "minutes '\(minutesText)' is not a number of minutes")) }
                let status = AttendanceStatus(rawValue: statusText) ?? AttendanceStatus(parsing: statusText)
                if status == nil { problems.append(("session-import.status", "status '\(statusText)' is not a status; use present, late, absent or excused")) }
                for (index, name) in sessionImportIDColumns where isBlank(unguarded(row[columns[index]])) {
                    problems.append(("session-import.empty-value", "\(name) is empty"))
                }
                if problems.isEmpty {
                    try emit(.mark(ImportedMark(
                        line: row.line, date: dateText, lessonID: unguarded(row[columns[1]]).trimmingWhitespace(), lessonVersion: version!,
                        classID: unguarded(row[columns[3]]).trimmingWhitespace(), officerID: unguarded(row[columns[4]]).trimmingWhitespace(), minutes: minutes!,
                        studentID: unguarded(row[columns[6]]).trimmingWhitespace(), status: status!,
                        recordedAt: recordedAt.map { unguarded(row[$0]) }.flatMap { isBlank($0) ? nil : $0 },
                        recordedBy: recordedBy.map { unguarded(row[$0]) }.flatMap { isBlank($0) ? nil : $0 })))
                } else {
                    try emit(.failed(line: row.line, problems: problems))
                }
            }
        } catch let error as CSVReadError {
            try emit(.unreadable(error.diagnostic))
        }
    }

    /// The id columns that must not be empty: their index in `sessionImportColumns`, and name.
    private static let sessionImportIDColumns = [(1, "lesson_id"), (3, "class_id"), (4, "officer_id"), (6, "student_id")]

    /// `isBlank`, answered without Unicode property look-ups when the text starts with visible ASCII.
    private static func isBlank(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return true }
        if first > 0x20 && first < 0x7F { return false }
        return text.isBlank
    }
}

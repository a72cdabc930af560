import BridgesKit
import Foundation
import Testing

/// The disclosure log end to end (issue 15, part 1): every export, certificate page, badge and
/// student record leaves an entry, written with the output or not at all.
@Suite("bridges disclosure", .timeLimit(.minutes(3)))
struct DisclosureLogTests {
    struct Entry: Decodable {
        var id: Int
        var at: String
        var actor: String
        var kind: String
        var filters: [String: String]
        var rows: Int
        var destination: String
        var purpose: String?
        var namesStudents: Bool
        var students: Int
    }

    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try ExportTerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    func log(_ folder: TemporaryFolder, _ extra: String..., sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [Entry] {
        let outcome = try ExportTerm.run(["disclosure", "list", "--json"] + extra, in: folder, sourceLocation: sourceLocation)
        try #require(outcome.status == 0, "\(outcome)", sourceLocation: sourceLocation)
        return try JSONDecoder().decode([Entry].self, from: Data(outcome.standardOutput.utf8))
    }

    static var hasSQLiteShell: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") }

    static func sqlite(_ database: String, _ sql: String) throws -> (status: Int32, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database, sql]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test func everyExportIsRecordedWithWhoWhatFiltersRowsWhereAndWhy() throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }

        // When a coordinator exports each report, one with a purpose and filters
        let attendance = try bridges("export", "attendance", "--from", "2025-03-10", "--purpose", "district audit of make-up sessions", "--actor", "coordinator", in: folder)
        #expect(attendance.status == 0, "\(attendance)")
        #expect(!attendance.standardError.contains("warning"), "\(attendance)")
        let summary = try bridges("export", "summary", "--actor", "coordinator", in: folder)
        #expect(summary.status == 0, "\(summary)")
        // Then a report with students' names and no purpose still runs (cli.md), with a warning
        #expect(summary.standardError.contains("warning: no --purpose given"), "\(summary)")
        let funders = try bridges("export", "program-report", "--out", "-", "--actor", "coordinator", in: folder)
        #expect(funders.status == 0, "\(funders)")
        #expect(!funders.standardError.contains("warning"), "\(funders)")

        // And each is in the log, in order
        let entries = try log(folder)
        #expect(entries.map(\.kind) == ["export attendance", "export summary", "export program-report"])
        #expect(entries.allSatisfy { $0.actor == "coordinator" })
        let day = SchoolDate.today().description
        #expect(entries[0].filters == ["from": "2025-03-10"])
        #expect(entries[0].purpose == "district audit of make-up sessions")
        #expect(entries[0].destination == "Exports/attendance-from-2025-03-10-\(day).csv")
        let attendanceRows = try ExportCSV.read(folder.path(entries[0].destination)).count - 1
        #expect(entries[0].rows == attendanceRows && attendanceRows == 15)
        #expect(entries[0].namesStudents && entries[0].students == 5)
        #expect(entries[1].purpose == nil)
        #expect(entries[2].destination == "standard output")
        #expect(entries[2].rows == 1 && !entries[2].namesStudents && entries[2].students == 0)
        #expect(entries[0].at.hasPrefix(String(ISO8601DateFormatter().string(from: Date()).prefix(10))))

        // And the table says "not given" for the missing purpose
        let table = try bridges("disclosure", "list", in: folder)
        #expect(table.status == 0, "\(table)")
        #expect(table.standardOutput.contains("not given"))
        #expect(table.standardOutput.contains("district audit of make-up sessions"))
    }

    @Test func standardOutputIsRecordedAndWrittenOnlyOnceRecorded() throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        let file = try bridges("export", "attendance", "--out", "a.csv", "--purpose", "compare", in: folder)
        #expect(file.status == 0, "\(file)")
        // Its own temporary folder, so that nothing another process left in the shared one counts
        let scratch = try Self.scratch(in: folder)
        let out = try RunningBridges.start(["export", "attendance", "--out", "-", "--purpose", "compare", "--db", "term.sqlite"], in: folder,
                                           through: ["TMPDIR=\(scratch)"]).finish(limit: BridgesProcess.hangGuard)
        #expect(out.status == 0, "\(out)")
        #expect(out.standardOutput == String(decoding: try Data(contentsOf: folder.url.appendingPathComponent("a.csv")), as: UTF8.self))
        let entries = try log(folder)
        #expect(entries.map(\.destination) == ["a.csv", "standard output"])
        #expect(entries[1].rows == entries[0].rows && entries[1].students == 5)
        // No private copy is left behind in the temporary folder
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty)
    }

    @Test func aReaderThatStopsEarlyLeavesNoCopyOfTheRows() async throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        try await ExportTerm.addMany(in: folder)
        // More rows than a pipe holds (64 KiB), so bridges is still writing when the reader has gone
        let records = try await Registrar(testDatabase(folder.path("term.sqlite")))
        for day in 10...28 {
            _ = try await records.logSession(
                lessonID: day % 2 == 0 ? "ws-pools" : "ws-rivers", classID: "4B", officerID: "o-1", date: "2025-04-\(day)", minutes: nil,
                present: [], late: [], absent: [], excused: [], others: .present, sheet: nil, note: nil, caller: .local("o-1"))
        }
        let scratch = try Self.scratch(in: folder)
        // `sh -c SCRIPT bridges ARGS…`: bridges' standard output goes to a reader that stops after 100 bytes
        let cut = try RunningBridges.start(
            ["export", "attendance", "--out", "-", "--purpose", "a look at the first rows", "--db", "term.sqlite"], in: folder,
            through: ["TMPDIR=\(scratch)", "sh", "-c", "\"$0\" \"$@\" 2>err.txt | head -c 100 > head.txt; cat err.txt >&2"]
        ).finish(limit: BridgesProcess.hangGuard)
        #expect(!cut.timedOut)
        #expect(try String(contentsOfFile: folder.path("head.txt"), encoding: .utf8).hasPrefix("session_id,"))
        // bridges said the output was cut short (it was not killed by SIGPIPE part-way), and the
        // rows it had spooled are nowhere on the disk
        #expect(cut.standardError.contains("the output is incomplete (the disclosure was recorded)"), "\(cut)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty)
        #expect(try log(folder).last?.purpose == "a look at the first rows")
    }

    /// A temporary folder for bridges of the test's own (0700, as `$TMPDIR` must be).
    private static func scratch(in folder: TemporaryFolder) throws -> String {
        let scratch = folder.path("scratch")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        return scratch
    }

    @Test func listForAStudentShowsOnlyTheDisclosuresThatIncludedThem() async throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        try await ExportTerm.addMany(in: folder)
        // Class 4B's sessions are in April; class 3A's in March
        #expect(try bridges("export", "attendance", "--from", "2025-04-01", "--purpose", "April", in: folder).status == 0)
        #expect(try bridges("export", "attendance", "--to", "2025-03-31", "--purpose", "March", in: folder).status == 0)
        #expect(try bridges("export", "program-report", "--purpose", "funders", in: folder).status == 0)

        let of3A = try log(folder, "--student", "00124")
        #expect(of3A.map(\.purpose) == ["March"])
        let of4B = try log(folder, "--student", "00510")
        #expect(of4B.map(\.purpose) == ["April"])
        #expect(of4B[0].students == 40)
        #expect(try log(folder).count == 3)
        // By day: nothing before today, everything from today
        let today = SchoolDate.today()
        #expect(try log(folder, "--to", today.adding(days: -1)!.description).isEmpty)
        #expect(try log(folder, "--from", today.adding(days: -1)!.description, "--to", today.adding(days: 1)!.description).count == 3)
        // An unknown student is not found
        let unknown = try bridges("disclosure", "list", "--student", "nobody", in: folder)
        #expect(unknown.status == 66, "\(unknown)")
    }

    @Test func certificatePagesAndBadgesAreRecordedWithTheirHolder() throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        let issue = try bridges("certificate", "issue", "--as-of", "2025-03-31", in: folder)
        try #require(issue.status == 0, "\(issue)")
        let list = try bridges("certificate", "list", in: folder)
        let line = try #require(list.standardOutput.split(separator: "\n").dropFirst().first, "\(list)")
        let code = String(line.split(separator: " ")[0])
        let holder = String(line.split(separator: " ", omittingEmptySubsequences: true)[3])

        let page = try bridges("certificate", "print", code, "--out", "page.html", "--purpose", "the family asked for a copy", "--actor", "office", in: folder)
        #expect(page.status == 0, "\(page)")
        let printed = try bridges("certificate", "print", code, "--out", "-", in: folder)
        #expect(printed.status == 0 && printed.standardOutput.contains("<html"), "\(printed)")
        #expect(try bridges("issuer", "init", "--name", "Riverside", "--url", "https://schools.example.org", in: folder).status == 0)
        let badge = try bridges("certificate", "badge", code, "--out", "badge.jwt", "--purpose", "for the student's portfolio", in: folder)
        #expect(badge.status == 0, "\(badge)")

        let entries = try log(folder, "--student", holder)
        #expect(entries.map(\.kind) == ["certificate print", "certificate print", "certificate badge"])
        #expect(entries[0].destination == "page.html" && entries[0].actor == "office" && entries[0].filters["certificate"] == code)
        #expect(entries[1].destination == "standard output" && entries[1].purpose == nil)
        #expect(entries[2].purpose == "for the student's portfolio" && entries.allSatisfy { $0.students == 1 })
    }

    @Test func aPurposeWithALineBreakIsRefusedAndNothingIsWritten() throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        let outcome = try bridges("export", "attendance", "--out", "x.csv", "--purpose", "audit\nforged line", in: folder)
        #expect(outcome.status == 64, "\(outcome)")
        #expect(!folder.exists("x.csv"))
        #expect(try log(folder).isEmpty)
    }

    @Test(.enabled(if: hasSQLiteShell))
    func theLogIsAppendOnlyByTheDatabasesOwnRule() throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        #expect(try bridges("export", "attendance", "--purpose", "audit", in: folder).status == 0)
        let database = folder.path("term.sqlite")
        for sql in ["UPDATE disclosure SET purpose = 'changed'", "DELETE FROM disclosure", "DELETE FROM disclosedStudent",
                    "UPDATE disclosedStudent SET studentId = 'x'", "INSERT OR REPLACE INTO disclosure (id, at, actor, kind, filters, rowCount, destination, namesStudents) VALUES (1, 'x', 'x', 'x', '{}', 0, 'x', 0)"] {
            let outcome = try Self.sqlite(database, sql)
            #expect(outcome.status != 0 && outcome.error.contains("the disclosure log is append-only"), "\(sql): \(outcome)")
        }
        let entries = try log(folder)
        #expect(entries.count == 1 && entries[0].purpose == "audit" && entries[0].students == 5)
    }

    @Test(.enabled(if: hasSQLiteShell))
    func whenTheDisclosureCannotBeRecordedNothingIsDisclosed() throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        // Given a database that refuses new disclosures (as a full disk or a fault would)
        try #require(try Self.bridges(["upgrade"], folder).status == 0)
        let refuse = "CREATE TRIGGER refuse BEFORE INSERT ON disclosure BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;"
        try #require(try Self.sqlite(folder.path("term.sqlite"), refuse).status == 0)

        // When reports are exported to a file, the default folder and standard output
        let file = try bridges("export", "attendance", "--out", "a.csv", "--purpose", "x", in: folder)
        let exports = try bridges("export", "summary", "--purpose", "x", in: folder)
        let out = try bridges("export", "attendance", "--out", "-", "--purpose", "x", in: folder)
        let page = try bridges("student", "record", "00123", "--purpose", "x", in: folder)
        // Then each fails, and no file and no row left Bridges
        for outcome in [file, exports, out, page] {
            #expect(outcome.status != 0, "\(outcome)")
            #expect(outcome.standardError.contains("could not be recorded"), "\(outcome)")
        }
        #expect(!folder.exists("a.csv"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("Exports")).isEmpty)
        #expect(out.standardOutput.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.hasPrefix("student-") || $0.contains("partial") }.isEmpty)
    }

    static func bridges(_ arguments: [String], _ folder: TemporaryFolder) throws -> BridgesProcess.Outcome {
        try BridgesProcess.run(arguments + ["--db", "term.sqlite"], in: folder)
    }
}

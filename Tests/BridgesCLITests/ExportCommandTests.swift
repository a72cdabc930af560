import BridgesKit
import Foundation
import Testing

/// `bridges export` end to end (cli.md, "Reports"): the term is built with the binary, the CSV is
/// read back with Python's `csv` module, as another program would read it.
@Suite("bridges export", .timeLimit(.minutes(3)))
struct ExportCommandTests {
    static let attendanceColumns = ["session_id", "session_date", "program_id", "lesson_id", "lesson_version", "lesson_title",
                                    "school_id", "class_id", "officer_id", "officer_name", "minutes", "student_id", "family_name",
                                    "given_name", "grade", "status", "recorded_at", "recorded_by"]
    static let summaryColumns = ["program_id", "school_id", "class_id", "student_id", "family_name", "given_name", "required_lessons",
                                 "lessons_attended", "lessons_missing", "present", "late", "absent", "excused", "quizzes_required",
                                 "quizzes_passed", "eligible", "certificate_code"]
    static let certificateColumns = ["certificate_code", "status", "program_id", "certificate_title", "student_id", "family_name",
                                     "given_name", "school_id", "issued_on", "valid_until", "revoked_on", "revocation_reason"]
    static let programReportColumns = ["program_id", "school_id", "sessions", "instruction_minutes", "officers", "students_enrolled",
                                       "students_reached", "certificates_issued"]

    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try ExportTerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    func bridges(_ arguments: [String], in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try ExportTerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    // MARK: where the report goes

    @Test func aReportGoesToExportsWithTodaysDateAndOnlyStandardErrorSaysSo() throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }

        for report in ["attendance", "summary", "certificates", "program-report"] {
            let day = SchoolDate.today().description
            let outcome = try bridges("export", report, in: folder)
            #expect(outcome.status == 0, "\(outcome)")
            let path = "Exports/\(report)-\(day).csv"
            #expect(folder.exists(path), "\(outcome)")
            #expect(outcome.standardOutput == "")
            #expect(outcome.standardError.contains(path))
            let rows = try ExportCSV.read(folder.path(path)).count - 1
            #expect(outcome.standardError.contains("\(rows) row"), "\(outcome)")
            let mode = try FileManager.default.attributesOfItem(atPath: folder.path(path))[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("Exports")).allSatisfy { !$0.hasSuffix(".partial") })
    }

    @Test func outDashWritesTheCSVToStandardOutputAndExcelAddsAByteOrderMark() throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }

        let plain = try bridges("export", "program-report", "--out", "-", in: folder)
        #expect(plain.status == 0, "\(plain)")
        #expect(plain.standardOutput.hasPrefix(Self.programReportColumns.joined(separator: ",")))
        #expect(plain.standardOutput.hasSuffix("\r\n"))
        #expect(plain.standardError.contains("to standard output"))
        #expect(!folder.exists("Exports"))
        try folder.write("stdout.csv", plain.standardOutput)
        let rows = try ExportCSV.read(folder.path("stdout.csv"))
        #expect(rows.dropFirst().map { Array($0.prefix(8)) } == [["water", "007", "4", "120", "2", "5", "5", "0"]])

        let excel = try bridges("export", "program-report", "--out", "-", "--excel", in: folder)
        #expect(Array(excel.standardOutput.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(excel.standardOutput.dropFirst() == plain.standardOutput[...])

        let file = try bridges("export", "attendance", "--excel", "--out", "for-excel.csv", in: folder)
        #expect(file.status == 0, "\(file)")
        #expect(file.standardOutput == "")
        let bytes = [UInt8](try Data(contentsOf: folder.url.appendingPathComponent("for-excel.csv")))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(try ExportCSV.read(folder.path("for-excel.csv"), encoding: "utf-8-sig").first == Self.attendanceColumns)
    }

    @Test func outIsWrittenWhereTypedAndNamedAsTypedInMessagesAndTheDisclosureLog() throws {
        // Given a term, a working folder `work` with a folder `sub` in it, and a folder `abs`
        // named from the root
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path("work/sub"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.path("abs"), withIntermediateDirectories: false)
        let absolute = folder.path("abs/x.csv")
        func bridges(_ arguments: String...) throws -> BridgesProcess.Outcome {
            let outcome = try BridgesProcess.run(arguments + ["--db", "../term.sqlite"], in: folder, inside: "work")
            #expect(outcome.status == 0, "\(outcome)")
            return outcome
        }
        // When reports go to `--out ../x.csv`, `--out sub/` and `--out /…/abs/x.csv`, run in `work`
        let up = try bridges("export", "attendance", "--out", "../x.csv", "--purpose", "an audit")
        let intoSub = try bridges("export", "program-report", "--out", "sub/")
        let fromRoot = try bridges("export", "program-report", "--out", absolute)
        let record = try bridges("student", "record", "00123", "--format", "json", "--out", "../record.json", "--purpose", "a parent's request")
        let community = try bridges("export", "community-report", "--format", "html", "--out", "sub/")
        // Then each is written where it was meant
        #expect(try ExportCSV.read(folder.path("x.csv")).first == Self.attendanceColumns)
        #expect(try ExportCSV.read(absolute).first.map { Array($0.prefix(Self.programReportColumns.count)) } == Self.programReportColumns)
        #expect(folder.exists("record.json"))
        let inSub = try FileManager.default.contentsOfDirectory(atPath: folder.path("work/sub")).sorted()
        let programReport = try #require(inSub.first { $0.hasPrefix("program-report-") && $0.hasSuffix(".csv") }, "\(inSub)")
        let communityPage = try #require(inSub.first { $0.hasPrefix("community-report-") && $0.hasSuffix(".html") }, "\(inSub)")
        #expect(inSub.count == 2, "\(inSub)")
        // And the messages name each as typed
        #expect(up.standardError.contains("rows to ../x.csv (attendance)"), "\(up)")
        #expect(intoSub.standardError.contains("to sub/\(programReport) (program-report)"), "\(intoSub)")
        #expect(fromRoot.standardError.contains("to \(absolute) (program-report)"), "\(fromRoot)")
        #expect(record.standardError.contains(") to ../record.json"), "\(record)")
        #expect(community.standardError.contains("to sub/\(communityPage):"), "\(community)")
        // And so does the disclosure log
        let log = try BridgesProcess.run(["disclosure", "list", "--json", "--db", "../term.sqlite"], in: folder, inside: "work")
        #expect(log.status == 0, "\(log)")
        let destinations = try JSONDecoder().decode([DisclosureLogTests.Entry].self, from: Data(log.standardOutput.utf8)).suffix(5).map(\.destination)
        #expect(destinations == ["../x.csv", "sub/\(programReport)", absolute, "../record.json", "sub/\(communityPage)"])
        // And nothing was written in the working folder but `sub`
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("work")) == ["sub"])
    }

    // MARK: what the reports hold

    @Test func attendanceReadsBackCellByCellWithTheFormulaGuardAndNamesInAnyScript() throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }

        let outcome = try bridges("export", "attendance", "--out", "attendance.csv", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        let table = try ExportCSV.read(folder.path("attendance.csv"))
        #expect(table.first == Self.attendanceColumns)
        let rows = table.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(Self.attendanceColumns, $0)) }

        // Four sessions of five students; the voided one is not there
        #expect(rows.count == 20)
        #expect(!rows.contains { $0["session_date"] == "2025-03-18" })
        #expect(Set(rows.map { $0["session_id"]! }) == Set(folder.exportTermSessions.filter { $0.key != "voided" }.map(\.value)))

        let first = rows.filter { $0["session_date"] == "2025-03-03" }
        let byStudent = Dictionary(uniqueKeysWithValues: first.map { ($0["student_id"]!, $0) })
        #expect(byStudent.keys.sorted() == ["00123", "00124", "00125", "00126", "00127"])
        let ana = try #require(byStudent["00123"])
        #expect(ana == [
            "session_id": folder.exportTermSessions["pools"]!, "session_date": "2025-03-03", "program_id": "water", "lesson_id": "ws-pools",
            "lesson_version": "1", "lesson_title": "Pool Safety & Rules", "school_id": "007", "class_id": "3A", "officer_id": "o-1",
            "officer_name": "Officer Ó'Brien", "minutes": "30", "student_id": "00123", "family_name": "'=HYPERLINK(\"http://evil.example\")",
            "given_name": "Ana", "grade": "K", "status": "present", "recorded_at": ana["recorded_at"]!, "recorded_by": "'\tops",
        ])
        #expect(ana["recorded_at"]!.count == 20 && ana["recorded_at"]!.hasSuffix("Z"))
        #expect(byStudent["00124"]?["family_name"] == "'+SUM(1,2)")
        #expect(byStudent["00124"]?["given_name"] == "محمد")
        #expect(byStudent["00124"]?["status"] == "absent")
        #expect(byStudent["00124"]?["grade"] == "3")
        #expect(byStudent["00125"]?["family_name"] == "王")
        #expect(byStudent["00125"]?["given_name"] == "芳")
        #expect(byStudent["00126"]?["family_name"] == "'-2+3")
        #expect(byStudent["00126"]?["given_name"] == "'@cmd")
        #expect(byStudent["00127"]?["family_name"] == "Núñez")
        #expect(byStudent["00127"]?["given_name"] == "Zoë")

        // The amended status is the one reported
        let rivers = rows.filter { $0["session_date"] == "2025-03-17" }
        #expect(rivers.first { $0["student_id"] == "00127" }?["status"] == "absent")
        #expect(rivers.first { $0["student_id"] == "00126" }?["status"] == "late")

        // Filters
        let filtered = try bridges("export", "attendance", "--from", "2025-03-10", "--to", "2025-03-17", "--school", "007",
                                   "--program", "water", "--out", "some.csv", in: folder)
        #expect(filtered.status == 0, "\(filtered)")
        #expect(Set(try ExportCSV.read(folder.path("some.csv")).dropFirst().map { $0[1] }) == ["2025-03-10", "2025-03-17"])
    }

    @Test func summaryCountsTheMakeUpSessionAndSaysWhoIsEligible() throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }

        let outcome = try bridges("export", "summary", "--program", "water", "--to", "2025-03-31", "--out", "summary.csv", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        let table = try ExportCSV.read(folder.path("summary.csv"))
        #expect(Array(table[0].prefix(Self.summaryColumns.count)) == Self.summaryColumns)
        let rows = table.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(table[0], $0)) }
        #expect(rows.map { $0["student_id"]! } == ["00123", "00124", "00125", "00126", "00127"])
        func cells(_ student: String, _ columns: String...) -> [String] {
            let row = rows.first { $0["student_id"] == student } ?? [:]
            return columns.map { row[$0] ?? "?" }
        }
        let counts = ["required_lessons", "lessons_attended", "lessons_missing", "present", "late", "absent", "excused",
                      "quizzes_required", "quizzes_passed", "eligible"]
        func all(_ student: String) -> [String] { counts.map { cells(student, $0)[0] } }
        // 00124 was absent at ws-pools and present at its make-up: attended, quiz passed there
        #expect(all("00124") == ["2", "2", "0", "3", "0", "1", "0", "2", "2", "yes"])
        #expect(all("00123") == ["2", "2", "0", "3", "0", "0", "1", "2", "2", "yes"])
        // 00125 never took the rivers quiz
        #expect(all("00125") == ["2", "2", "0", "3", "0", "0", "1", "2", "1", "no"])
        // late counts as attended
        #expect(all("00126") == ["2", "2", "0", "2", "1", "0", "1", "2", "2", "yes"])
        // amended to absent at ws-rivers, and failed the pools quiz
        #expect(all("00127") == ["2", "1", "1", "2", "0", "1", "1", "1", "0", "no"])
        #expect(cells("00123", "school_id", "class_id", "family_name", "certificate_code") == ["007", "3A", "'=HYPERLINK(\"http://evil.example\")", ""])

        // Before the make-up, 00124 had not attended ws-pools
        let early = try bridges("export", "summary", "--to", "2025-03-09", "--out", "early.csv", in: folder)
        #expect(early.status == 0, "\(early)")
        let earlyRows = try ExportCSV.read(folder.path("early.csv"))
        #expect(earlyRows.first { $0[3] == "00124" }.map { [$0[7], $0[15]] } == ["0", "no"])
    }

    @Test func certificatesAndTheProgramReportAfterIssuing() throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        let issue = try bridges("certificate", "issue", "--as-of", "2025-03-31", in: folder)
        #expect(issue.status == 0, "\(issue)")

        #expect(try bridges("export", "certificates", "--out", "certificates.csv", in: folder).status == 0)
        let table = try ExportCSV.read(folder.path("certificates.csv"))
        #expect(table.first == Self.certificateColumns)
        let rows = table.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(Self.certificateColumns, $0)) }
        #expect(rows.map { $0["student_id"]! }.sorted() == ["00123", "00124", "00126"])
        // Valid for 12 months: until 2026-03-30, so the status depends on today's date
        let expected = SchoolDate.today() > SchoolDate("2026-03-30")! ? "expired" : "valid"
        for row in rows {
            let code = row["certificate_code"]!
            #expect(code.range(of: #"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$"#, options: .regularExpression) != nil, "\(code)")
            #expect(row["status"] == expected)
            #expect(row["valid_until"] == "2026-03-30")
            #expect(row["revoked_on"] == "" && row["revocation_reason"] == "")
            let verify = try bridges("certificate", "verify", code.lowercased(), in: folder)
            #expect(verify.status == (expected == "valid" ? 0 : 1), "\(verify)")
            #expect(verify.standardOutput.contains(code), "\(verify)")
            #expect(row["issued_on"] == "2025-03-31")
            #expect(row["program_id"] == "water")
            #expect(row["certificate_title"] == "Water Safe – Junior")
            #expect(row["school_id"] == "007")
        }

        let summary = try bridges("export", "summary", "--to", "2025-04-01", "--out", "summary.csv", in: folder)
        #expect(summary.status == 0, "\(summary)")
        let codes = try ExportCSV.read(folder.path("summary.csv")).dropFirst().map { [$0[3], $0[16]] }
        let issued = Dictionary(uniqueKeysWithValues: rows.map { ($0["student_id"]!, $0["certificate_code"]!) })
        #expect(codes == [["00123", issued["00123"]!], ["00124", issued["00124"]!], ["00125", ""], ["00126", issued["00126"]!], ["00127", ""]])

        #expect(try bridges("export", "program-report", "--out", "funders.csv", in: folder).status == 0)
        let report = try ExportCSV.read(folder.path("funders.csv"))
        #expect(Array(report[0].prefix(8)) == Self.programReportColumns)
        #expect(report.dropFirst().map { Array($0.prefix(8)) } == [["water", "007", "4", "120", "2", "5", "5", "3"]])
    }

    // MARK: the round trip

    @Test func exportThenImportIntoAFreshDatabaseGivesBackTheSameMarks() throws {
        // Given the term's attendance export
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        #expect(try bridges("export", "attendance", "--out", "term.csv", in: folder).status == 0)

        // When a fresh database with the same lessons, roster and officers imports it
        for setup in [["lesson", "load", "water"], ["roster", "import", "roster.csv"],
                      ["officer", "add", "o-1", "--name", "Officer Ó'Brien"], ["officer", "add", "o-2", "--name", "Officer Reyes"]] {
            let outcome = try bridges(setup + ["--db", "fresh.sqlite"], in: folder)
            #expect(outcome.status == 0, "\(outcome)")
        }
        let imported = try bridges("session", "import", "term.csv", "--db", "fresh.sqlite", in: folder)
        #expect(imported.status == 0, "\(imported)")
        #expect(try bridges("export", "attendance", "--out", "again.csv", "--db", "fresh.sqlite", in: folder).status == 0)

        // Then both exports hold the same marks, row for row apart from the session ids
        func marks(_ file: String) throws -> [[String]] {
            let table = try ExportCSV.read(folder.path(file))
            let keep = Self.attendanceColumns.indices.filter { !["session_id", "recorded_at", "recorded_by"].contains(Self.attendanceColumns[$0]) }
            return table.dropFirst().map { row in keep.map { row[$0] } }.sorted { $0.lexicographicallyPrecedes($1) }
        }
        let before = try marks("term.csv")
        #expect(before.count == 20)
        #expect(try marks("again.csv") == before)

        // And importing it again changes nothing
        let twice = try bridges("session", "import", "term.csv", "--db", "fresh.sqlite", in: folder)
        #expect(twice.status == 0, "\(twice)")
        #expect(try bridges("export", "attendance", "--out", "third.csv", "--db", "fresh.sqlite", in: folder).status == 0)
        #expect(try marks("third.csv") == before)
    }

    // MARK: failures

    @Test func wrongRequestsExitWithTheirCodesAndWriteNothing() throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }

        let unknown = try bridges("export", "attendence", in: folder)
        #expect(unknown.status == 64, "\(unknown)")
        #expect(unknown.standardError.contains("attendance, summary, certificates, program-report"))
        for dates in [["--from", "2025-02-30"], ["--to", "14/03/2025"], ["--from", "2025-03-10", "--to", "2025-03-01"]] {
            let outcome = try bridges(["export", "attendance"] + dates, in: folder)
            #expect(outcome.status == 64, "\(dates): \(outcome)")
        }
        for filter in [["--program", "fire"], ["--school", "999"]] {
            let outcome = try bridges(["export", "summary"] + filter, in: folder)
            #expect(outcome.status == 66, "\(filter): \(outcome)")
            #expect(outcome.standardError.contains(filter[1]))
        }
        let noDatabase = try bridges("export", "attendance", "--db", "nowhere.sqlite", in: folder)
        #expect(noDatabase.status == 66, "\(noDatabase)")
        #expect(!folder.exists("nowhere.sqlite"))
        #expect(!folder.exists("Exports"))

        let missingFolder = try bridges("export", "attendance", "--out", "no/such/folder/a.csv", in: folder)
        #expect(missingFolder.status == 74, "\(missingFolder)")
        #expect(missingFolder.standardError.contains("no/such/folder/a.csv"))

        let full = try bridges("export", "attendance", "--out", "/dev/full", in: folder)
        #expect(full.status == 74, "\(full)")
        #expect(full.standardError.contains("disk is full"), "\(full)")
    }

    @Test func aWriteThatFailsPartWayLeavesNoFileBehind() async throws {
        // Given a report larger than the file size the shell allows (SIGXFSZ ignored, so the
        // write fails with EFBIG as a full disk would fail it part way)
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        try await ExportTerm.addMany(in: folder)
        let day = SchoolDate.today().description
        let executable = try #require(BridgesProcess.executable)

        // When the export is cut short
        let outcome = try ExportShell.run(
            "trap '' XFSZ; ulimit -f 48; exec \"$0\" export attendance --db term.sqlite", executable: executable.path, in: folder)

        // Then it says so, exits 74, and leaves neither the report nor a partial file
        #expect(outcome.status == 74, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("Exports/attendance-\(day).csv"), "\(outcome.standardError)")
        #expect(outcome.standardError.contains("too large"), "\(outcome.standardError)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: folder.path("Exports"))) ?? []
        #expect(left.isEmpty, "\(left)")

        // And without the limit the same export is complete
        let whole = try bridges("export", "attendance", in: folder)
        #expect(whole.status == 0, "\(whole)")
        let size = try FileManager.default.attributesOfItem(atPath: folder.path("Exports/attendance-\(day).csv"))[.size] as? Int ?? 0
        #expect(size > 48 * 1024)
    }
}

// MARK: - The term, through the binary

/// A folder with `term.sqlite`, built with `bridges` itself: the water program of
/// `SchoolFiles` (ws-pools 30 min and ws-rivers 40 min required, each with a quiz; ws-beach
/// optional, 20 min), school 007 class 3A — 00123 Ana `=HYPERLINK(…)` (K), 00124 محمد
/// `+SUM(1,2)`, 00125 芳 王, 00126 `@cmd` `-2+3`, 00127 Zoë Núñez — and officers o-1, o-2.
///
/// - pools, 2025-03-03 (o-1, recorded by "\tops"): 00124 absent, the rest present; quiz passed by
///   00123, 00125, 00126, failed by 00127.
/// - makeUp, ws-pools 2025-03-10 (o-2): 00124 present and passes the quiz, the rest excused.
/// - rivers, 2025-03-17 (o-1): 00126 late, the rest present; quiz passed by 00123, 00124, 00126;
///   then 00127 amended to absent.
/// - voided, ws-rivers 2025-03-18: everyone present, then voided.
/// - beach, 2025-03-19 (o-1): everyone present.
enum ExportTerm {
    static let roster = """
        school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade
        007,École Riverside,3A,Room 3A,00123,Ana,"=HYPERLINK(""http://evil.example"")",K
        007,École Riverside,3A,Room 3A,00124,محمد,"+SUM(1,2)",3
        007,École Riverside,3A,Room 3A,00125,芳,王,2
        007,École Riverside,3A,Room 3A,00126,@cmd,-2+3,4
        007,École Riverside,3A,Room 3A,00127,Zoë,Núñez,5

        """

    /// The built folder's bytes, made once; each test starts from a copy.
    private static let template: Result<[String: [UInt8]], any Error> = Result {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var sessions: [String: String] = [:]
        try SchoolFiles.writeWaterProgram(to: folder)
        try folder.write("roster.csv", roster)
        func ok(_ arguments: [String]) throws -> String {
            let outcome = try BridgesProcess.run(arguments + ["--db", "term.sqlite"], in: folder)
            guard outcome.status == 0 else { throw ExportTermError(message: "bridges \(arguments.joined(separator: " ")): \(outcome)") }
            return outcome.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func log(_ name: String, _ lesson: String, _ date: String, officer: String = "o-1", actor: String = "o-1", _ statuses: [String]) throws {
            sessions[name] = try ok(["session", "log", "--lesson", lesson, "--class", "3A", "--officer", officer, "--date", date, "--actor", actor] + statuses)
        }
        func quiz(_ session: String, _ student: String, _ answers: String) throws {
            _ = try ok(["quiz", "record", "--session", sessions[session]!, "--student", student, "--answers", answers])
        }
        _ = try ok(["lesson", "load", "water"])
        _ = try ok(["roster", "import", "roster.csv"])
        _ = try ok(["officer", "add", "o-1", "--name", "Officer Ó'Brien"])
        _ = try ok(["officer", "add", "o-2", "--name", "Officer Reyes"])
        let poolsRight = "q1=b,q2=false", poolsWrong = "q1=a,q2=true", riversRight = "q1=throw don't go,q2=a+c"
        try log("pools", "ws-pools", "2025-03-03", actor: "\tops", ["--absent", "00124", "--others", "present"])
        for student in ["00123", "00125", "00126"] { try quiz("pools", student, poolsRight) }
        try quiz("pools", "00127", poolsWrong)
        try log("makeUp", "ws-pools", "2025-03-10", officer: "o-2", ["--present", "00124", "--others", "excused"])
        try quiz("makeUp", "00124", poolsRight)
        try log("rivers", "ws-rivers", "2025-03-17", ["--late", "00126", "--others", "present"])
        for student in ["00123", "00124", "00126"] { try quiz("rivers", student, riversRight) }
        _ = try ok(["session", "amend", sessions["rivers"]!, "--student", "00127", "--status", "absent", "--reason", "left before it began"])
        try log("voided", "ws-rivers", "2025-03-18", ["--others", "present"])
        _ = try ok(["session", "void", sessions["voided"]!, "--reason", "logged twice"])
        try log("beach", "ws-beach", "2025-03-19", ["--others", "present"])

        var files: [String: [UInt8]] = [:]
        for relative in ["term.sqlite", "roster.csv", "water/program.xml", "water/ws-pools.xml", "water/ws-rivers.xml", "water/ws-beach.xml"] {
            files[relative] = [UInt8](try Data(contentsOf: folder.url.appendingPathComponent(relative)))
        }
        files[".sessions"] = Array(sessions.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "\n").utf8)
        return files
    }

    static func folder() throws -> TemporaryFolder {
        return try TemporaryFolder.prepared { folder in
            for (relative, bytes) in try template.get() {
                try folder.write(relative, bytes: bytes)
            }
            _ = chmod(folder.path("term.sqlite"), 0o600)
        }
    }

    /// Runs `bridges arguments…` in `folder`, with `--db term.sqlite` unless the arguments name one.
    static func run(_ arguments: [String], in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation) throws -> BridgesProcess.Outcome {
        let outcome = try BridgesProcess.run(arguments.contains("--db") ? arguments : arguments + ["--db", "term.sqlite"], in: folder, sourceLocation: sourceLocation)
        #expect(!outcome.timedOut, "bridges \(arguments.joined(separator: " ")) hung", sourceLocation: sourceLocation)
        #expect(!outcome.crashed, "bridges \(arguments.joined(separator: " ")) crashed: \(outcome)", sourceLocation: sourceLocation)
        return outcome
    }

    /// A second class of 40 students with eight sessions, so the attendance report is over 48 KB.
    static func addMany(in folder: TemporaryFolder) async throws {
        var roster = "school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade\n"
        for n in 0..<40 {
            roster += "007,École Riverside,4B,Room 4B,00\(500 + n),Student \(n),Family Name Long Enough To Fill \(n),4\n"
        }
        try folder.write("roster-4b.csv", roster)
        let records = try await Registrar(testDatabase(folder.path("term.sqlite")))
        _ = try await records.importRoster(path: folder.path("roster-4b.csv"), caller: .local("registrar"))
        for day in 1...8 {
            _ = try await records.logSession(
                lessonID: day % 2 == 0 ? "ws-pools" : "ws-rivers", classID: "4B", officerID: "o-1", date: "2025-04-0\(day)", minutes: nil,
                present: [], late: [], absent: [], excused: [], others: .present, sheet: nil, note: nil, caller: .local("o-1"))
        }
    }
}

private struct ExportTermError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension TemporaryFolder {
    /// The export term's session ids by name (pools, makeUp, rivers, voided, beach).
    var exportTermSessions: [String: String] {
        let text = (try? String(contentsOfFile: path(".sessions"), encoding: .utf8)) ?? ""
        return Dictionary(uniqueKeysWithValues: text.split(separator: "\n").map { line in
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], parts[1])
        })
    }
}

/// Reads a CSV file with Python's `csv` module (strict), as another program would.
enum ExportCSV {
    static let script = """
        import csv, json, sys
        with open(sys.argv[1], newline="", encoding=sys.argv[2]) as f:
            rows = list(csv.reader(f, strict=True))
        with open(sys.argv[3], "w", encoding="utf-8") as out:
            json.dump(rows, out, ensure_ascii=False)
        """

    static func read(_ path: String, encoding: String = "utf-8") throws -> [[String]] {
        let json = path + ".json"
        defer { try? FileManager.default.removeItem(atPath: json) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path, encoding, json]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3's csv module could not read \(path)")
        return try JSONDecoder().decode([[String]].self, from: Data(contentsOf: URL(fileURLWithPath: json)))
    }
}

/// Runs a bash script with the built `bridges` as `$0`, in a folder; output to files.
enum ExportShell {
    struct Outcome {
        var status: Int32
        var standardError: String
    }

    static func run(_ script: String, executable: String, in folder: TemporaryFolder) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script, executable]
        process.currentDirectoryURL = folder.url
        let errorURL = folder.captureFolder.appendingPathComponent("\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let error = try FileHandle(forWritingTo: errorURL)
        defer { try? error.close() }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, standardError: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
    }
}

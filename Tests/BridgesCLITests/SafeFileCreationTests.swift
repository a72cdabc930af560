import BridgesKit
import Foundation
import Testing

/// Every file `bridges` creates (reports, the printed certificate, backups, the demo's files) is a
/// new file only its owner can read, made under a random name and renamed into place: nothing
/// another user planted (a link, a file with loose permissions) is followed, reused or written,
/// and a folder others can write to is refused. Run as a person, and an attacker, would.
@Suite("safe file creation", .timeLimit(.minutes(3)))
struct SafeFileCreationTests {
    static let victimText = "the attacker's file, or one of the teacher's own\n"

    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try ExportTerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    /// Runs `bridges` with umask 000, so a file created with any mode but 0600 would show it.
    func bridgesWithOpenUmask(_ arguments: [String], in folder: TemporaryFolder) throws -> BridgesProcess.Outcome {
        let arguments = arguments.contains("--db") ? arguments : arguments + ["--db", "term.sqlite"]
        let outcome = try RunningBridges.start(arguments, in: folder, through: ["sh", "-c", "umask 000; exec \"$0\" \"$@\""]).finish()
        #expect(!outcome.crashed && !outcome.timedOut, "\(outcome)")
        return outcome
    }

    static func mode(_ path: String) -> mode_t {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & 0o7777 : 0
    }

    static func isLink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFLNK
    }

    static func text(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    var today: String { SchoolDate.today().description }

    // MARK: links and planted files

    @Test func aLinkPlantedAtTheTemporaryNameIsNotFollowedAndTheReportLandsWhereAsked() throws {
        // Given an attacker's link at the name the report used to be written under first
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path("Exports"), withIntermediateDirectories: false)
        try folder.write("victim.txt", Self.victimText)
        let partial = folder.path("Exports/attendance-\(today).csv.partial")
        try FileManager.default.createSymbolicLink(atPath: partial, withDestinationPath: folder.path("victim.txt"))

        // When the report is exported to the default place
        let outcome = try bridges("export", "attendance", in: folder)

        // Then the report is a regular file at its name, and the link's target is untouched
        #expect(outcome.status == 0, "\(outcome)")
        let report = folder.path("Exports/attendance-\(today).csv")
        #expect(!Self.isLink(report), "the report is the attacker's link")
        #expect(try Self.text(report).hasPrefix("session_id,"))
        #expect(try Self.text(folder.path("victim.txt")) == Self.victimText)
        #expect(Self.isLink(partial), "the planted link was removed or replaced")
    }

    @Test func aLinkPlantedAtTheDestinationIsNeverWrittenThrough() throws {
        // Given a link at the default report name and at a name given with --out
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path("Exports"), withIntermediateDirectories: false)
        try folder.write("victim.txt", Self.victimText)
        let planted = folder.path("Exports/attendance-\(today).csv")
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: folder.path("victim.txt"))
        try FileManager.default.createSymbolicLink(atPath: folder.path("report.csv"), withDestinationPath: folder.path("victim.txt"))

        // When the report goes to the default place, it takes the next free name
        let first = try bridges("export", "attendance", in: folder)
        #expect(first.status == 0, "\(first)")
        #expect(first.standardError.contains("Exports/attendance-\(today)-2.csv"), "\(first)")
        #expect(try Self.text(folder.path("Exports/attendance-\(today)-2.csv")).hasPrefix("session_id,"))
        #expect(Self.isLink(planted))

        // And --out naming the link is refused (exit 64) unless --force, which replaces the link itself
        let refused = try bridges("export", "attendance", "--out", "report.csv", in: folder)
        #expect(refused.status == 64, "\(refused)")
        #expect(refused.standardError.contains("report.csv already exists") && refused.standardError.contains("--force"), "\(refused)")
        #expect(Self.isLink(folder.path("report.csv")))
        let forced = try bridges("export", "attendance", "--out", "report.csv", "--force", in: folder)
        #expect(forced.status == 0, "\(forced)")
        #expect(!Self.isLink(folder.path("report.csv")))
        #expect(try Self.text(folder.path("report.csv")).hasPrefix("session_id,"))
        #expect(Self.mode(folder.path("report.csv")) == 0o600)

        // And the file the links pointed at is untouched throughout
        #expect(try Self.text(folder.path("victim.txt")) == Self.victimText)
    }

    @Test func aPlantedFileWithLoosePermissionsIsNeitherReusedNorChmodded() throws {
        // Given a file anyone may read at the temporary name, held open by the attacker
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path("Exports"), withIntermediateDirectories: false)
        let partial = folder.path("Exports/summary-\(today).csv.partial")
        try folder.write("Exports/summary-\(today).csv.partial", "planted\n")
        #expect(chmod(partial, 0o666) == 0)
        let attacker = try #require(FileHandle(forReadingAtPath: partial))
        defer { try? attacker.close() }
        _ = try attacker.readToEnd()

        // When the report is exported
        let outcome = try bridges("export", "summary", in: folder)
        #expect(outcome.status == 0, "\(outcome)")

        // Then the planted file is as it was, and the attacker's open file shows no student
        #expect(try Self.text(partial) == "planted\n")
        #expect(Self.mode(partial) == 0o666)
        try attacker.seek(toOffset: 0)
        #expect(String(decoding: try attacker.readToEnd() ?? Data(), as: UTF8.self) == "planted\n")
        #expect(try Self.text(folder.path("Exports/summary-\(today).csv")).hasPrefix("program_id,"))
        #expect(Self.mode(folder.path("Exports/summary-\(today).csv")) == 0o600)
    }

    // MARK: folders others can write to

    @Test func aFolderOthersCanWriteToIsRefusedWithHowToFixIt() throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        _ = try bridges("certificate", "issue", "--as-of", "2025-03-31", in: folder)
        let listed = try bridges("certificate", "list", in: folder).standardOutput
        let code = String(listed[try #require(listed.range(of: #"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}"#, options: .regularExpression))])

        // An Exports/ that already existed, open to everyone
        try FileManager.default.createDirectory(atPath: folder.path("Exports"), withIntermediateDirectories: false)
        #expect(chmod(folder.path("Exports"), 0o777) == 0)
        let export = try bridges("export", "attendance", in: folder)
        #expect(export.status == 74, "\(export)")
        #expect(export.standardError.contains("Exports") && export.standardError.contains("chmod go-w Exports"), "\(export)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("Exports")).isEmpty)

        // A shared sticky folder, like /tmp, given with --out
        try FileManager.default.createDirectory(atPath: folder.path("shared"), withIntermediateDirectories: false)
        #expect(chmod(folder.path("shared"), 0o1777) == 0)
        let sticky = try bridges("export", "summary", "--out", "shared/summary.csv", in: folder)
        #expect(sticky.status == 74, "\(sticky)")
        #expect(sticky.standardError.contains("shared") && sticky.standardError.contains("folder of your own"), "\(sticky)")

        // A group-writable folder for a backup and for a printed certificate
        try FileManager.default.createDirectory(atPath: folder.path("group"), withIntermediateDirectories: false)
        #expect(chmod(folder.path("group"), 0o775) == 0)
        let backup = try bridges("backup", "group/copy.sqlite", in: folder)
        #expect(backup.status == 74, "\(backup)")
        #expect(backup.standardError.contains("chmod go-w"), "\(backup)")
        let print = try bridges("certificate", "print", code, "--out", "group/page.html", in: folder)
        #expect(print.status == 74, "\(print)")
        #expect(print.standardError.contains("chmod go-w"), "\(print)")

        // Nothing was made anywhere
        for place in ["shared", "group"] {
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path(place)).isEmpty, "\(place)")
        }
    }

    // MARK: permissions

    @Test func everyFileCreatedIsTheOwnersAloneEvenUnderAnOpenUmask() throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        _ = try bridges("certificate", "issue", "--as-of", "2025-03-31", in: folder)
        let listed = try bridges("certificate", "list", in: folder).standardOutput
        let code = String(listed[try #require(listed.range(of: #"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}"#, options: .regularExpression))])

        #expect(try bridgesWithOpenUmask(["export", "attendance"], in: folder).status == 0)
        #expect(try bridgesWithOpenUmask(["export", "summary", "--out", "summary.csv"], in: folder).status == 0)
        #expect(try bridgesWithOpenUmask(["backup", "copy.sqlite"], in: folder).status == 0)
        #expect(try bridgesWithOpenUmask(["certificate", "print", code], in: folder).status == 0)
        #expect(try bridgesWithOpenUmask(["lesson", "load", "water", "--db", "fresh.sqlite"], in: folder).status == 0)

        #expect(Self.mode(folder.path("Exports")) == 0o700)
        for file in ["Exports/attendance-\(today).csv", "summary.csv", "copy.sqlite", "certificate-\(code).html", "fresh.sqlite"] {
            #expect(Self.mode(folder.path(file)) == 0o600, "\(file): \(String(Self.mode(folder.path(file)), radix: 8))")
        }
        // And nothing is left under a temporary name
        let hidden = try FileManager.default.contentsOfDirectory(atPath: folder.path(".")).filter { $0.hasPrefix(".") && $0 != ".sessions" && $0 != ".captured" }
            + (try FileManager.default.contentsOfDirectory(atPath: folder.path("Exports")).filter { $0.hasPrefix(".") })
        #expect(hidden.isEmpty, "\(hidden)")
    }

    // MARK: names

    @Test func twoFilteredExportsToTheDefaultPlaceAreBothKept() async throws {
        // Given a second school
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        try folder.write("roster-008.csv", """
            school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade
            008,Hillside,5C,Room 5C,00801,Ada,Lovelace,5

            """)
        let records = try await Registrar(testDatabase(folder.path("term.sqlite")))
        _ = try await records.importRoster(path: folder.path("roster-008.csv"), caller: .local("registrar"))

        // When attendance is exported for one school, then the other, then the first again
        let a = try bridges("export", "attendance", "--school", "007", in: folder)
        let b = try bridges("export", "attendance", "--school", "008", in: folder)
        let again = try bridges("export", "attendance", "--school", "007", "--from", "2025-03-01", in: folder)
        let twice = try bridges("export", "attendance", "--school", "007", in: folder)

        // Then every report has its own file, named for its filters, and stderr says which
        for outcome in [a, b, again, twice] { #expect(outcome.status == 0, "\(outcome)") }
        #expect(a.standardError.contains("Exports/attendance-school-007-\(today).csv"), "\(a)")
        #expect(b.standardError.contains("Exports/attendance-school-008-\(today).csv"), "\(b)")
        #expect(again.standardError.contains("Exports/attendance-school-007-from-2025-03-01-\(today).csv"), "\(again)")
        #expect(twice.standardError.contains("Exports/attendance-school-007-\(today)-2.csv"), "\(twice)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path("Exports")).sorted()
        #expect(files == [
            "attendance-school-007-\(today)-2.csv", "attendance-school-007-\(today).csv",
            "attendance-school-007-from-2025-03-01-\(today).csv", "attendance-school-008-\(today).csv",
        ].sorted(), "\(files)")
        #expect(try Self.text(folder.path("Exports/attendance-school-007-\(today).csv")).contains(",007,3A,"))
        #expect(try Self.text(folder.path("Exports/attendance-school-008-\(today).csv")).split(separator: "\r\n").count == 1)
    }

    @Test func anExistingFileNamedWithOutIsRefusedWithoutForce() throws {
        let folder = try ExportTerm.folder()
        defer { folder.remove() }
        try folder.write("mine.csv", "a spreadsheet the teacher keeps\n")

        let refused = try bridges("export", "attendance", "--out", "mine.csv", in: folder)
        #expect(refused.status == 64, "\(refused)")
        #expect(refused.standardError.contains("mine.csv already exists"), "\(refused)")
        #expect(refused.standardError.contains("remove it") && refused.standardError.contains("--force"), "\(refused)")
        #expect(try Self.text(folder.path("mine.csv")) == "a spreadsheet the teacher keeps\n")

        let forced = try bridges("export", "attendance", "--out", "mine.csv", "--force", in: folder)
        #expect(forced.status == 0, "\(forced)")
        #expect(forced.standardError.contains("to mine.csv"), "\(forced)")
        #expect(try Self.text(folder.path("mine.csv")).hasPrefix("session_id,"))
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path(".")).filter { $0.hasPrefix(".") && $0 != ".sessions" && $0 != ".captured" }
        #expect(left.isEmpty, "\(left)")
    }

    // MARK: backup on a full disk

    @Test("backup on a really full disk (a small tmpfs): exit 74, and nothing left beside the target", .enabled(if: FaultTests.canMountSmallDisk))
    func backupOnAFullDiskLeavesNothing() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder)
        try FileManager.default.createDirectory(atPath: folder.path("disk"), withIntermediateDirectories: false)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: folder.path("fault.sqlite"))[.size] as? Int)
        let disk = try SmallDisk(at: folder.path("disk"), bytes: size / 2)
        defer { disk.unmount() }

        // When the backup runs out of room
        let outcome = try RunningBridges.start(["backup", "disk/copy.sqlite", "--db", "fault.sqlite"], in: folder).finish()

        #expect(!outcome.crashed, "\(outcome)")
        #expect(outcome.status == 74, "\(outcome)")
        // Then it says the disk is full, exits 74, and leaves nothing there
        #expect(outcome.standardError.hasPrefix("error: ") && outcome.standardError.contains("disk"), "\(outcome)")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path("disk"))
        #expect(left.isEmpty, "left beside the target: \(left)")
    }

    @Test("backup past a file-size limit (`ulimit -f`, as a shell sets it, SIGXFSZ not ignored): exit 74, nothing left beside the target")
    func backupPastAFileSizeLimitLeavesNothing() async throws {
        // Given a limit on file size half the database's, set as a person would in a shell
        // (SIGXFSZ not ignored: it is bridges' business to fail cleanly, not be killed part way)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder)
        try FileManager.default.createDirectory(atPath: folder.path("copies"), withIntermediateDirectories: false)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: folder.path("fault.sqlite"))[.size] as? Int)
        let limit = size / 2

        // When the backup runs under it (Python sets the limit and puts SIGXFSZ back to its
        // default, unblocked, as a login shell has it: a test runner may ignore or block it, and a
        // shell could not undo that)
        let launch = """
            import os, resource, signal, sys
            signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGXFSZ])
            resource.setrlimit(resource.RLIMIT_FSIZE, (\(limit), \(limit)))
            os.execv(sys.argv[1], sys.argv[1:])
            """
        let outcome = try RunningBridges.start(
            ["backup", "copies/copy.sqlite", "--db", "fault.sqlite"], in: folder, through: ["python3", "-c", launch]
        ).finish()

        // Then it says so and exits 74, and no half copy (nor its -journal) is left

        #expect(!outcome.crashed, "\(outcome)")
        #expect(outcome.status == 74, "\(outcome)")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path("copies"))
        #expect(left.isEmpty, "left beside the target: \(left)")
    }
}

extension SafeFileCreationTests {
    @Test func filesLeftByAKilledBackupAreRemovedByTheNextOne() async throws {
        // Given what a backup killed part way (SIGKILL, a power cut) leaves: its hidden copy and
        // journal, unlocked, of a process that is gone; and the hidden copy of one still running
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder)
        try FileManager.default.createDirectory(atPath: folder.path("copies"), withIntermediateDirectories: false)
        let pid = ProcessInfo.processInfo.processIdentifier
        for name in [".copy.sqlite.backup-2147483000-0f", ".copy.sqlite.backup-2147483000-0f-journal", ".copy.sqlite.backup-\(pid)-0f"] {
            try folder.write("copies/" + name, "x")
        }

        // When the backup is taken again
        let outcome = try BridgesProcess.run(["backup", "copies/copy.sqlite", "--db", "fault.sqlite"], in: folder)

        // Then the dead run's files are gone, the running one's kept, and the copy is there
        #expect(outcome.status == 0, "\(outcome)")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path("copies")).sorted()
        #expect(left == [".copy.sqlite.backup-\(pid)-0f", "copy.sqlite"], "\(left)")
    }

    @Test func otherHiddenFilesBesideANewFileAreNeverTakenForLeftovers() async throws {
        // Given hidden files that merely start like a report's or a backup's name, among them a
        // live database, in the folder files are written to
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder, as: ".bridges-db.sqlite")
        let kept = [".backup-notes", ".summary-2026-draft.csv", ".attendance-mine.csv"]
        for name in kept { try folder.write(name, "mine") }

        // When a backup and two reports are written there, reading that database
        let backup = try BridgesProcess.run(["backup", "backup-2026-12-04.sqlite", "--db", ".bridges-db.sqlite"], in: folder)
        let summary = try BridgesProcess.run(["export", "summary", "--out", "summary-2026-12-04.csv", "--db", ".bridges-db.sqlite"], in: folder)
        let attendance = try BridgesProcess.run(["export", "attendance", "--out", "attendance-school.csv", "--db", ".bridges-db.sqlite"], in: folder)

        // Then every one of them, and the database, is still there
        #expect(backup.status == 0 && summary.status == 0 && attendance.status == 0, "\(backup)\n\(summary)\n\(attendance)")
        for name in kept + [".bridges-db.sqlite"] { #expect(folder.exists(name), "\(name) was removed") }
        #expect(try BridgesProcess.run(["doctor", "--db", ".bridges-db.sqlite"], in: folder).status == 0)
    }
}

extension SafeFileCreationTests {
    @Test func filterValuesAreMadeSafeForAFileName() {
        let day = SchoolDate("2025-04-02")!
        #expect(Registrar.reportFileName(.attendance, on: day) == "attendance-2025-04-02.csv")
        #expect(Registrar.reportFileName(.summary, programID: "first-aid", schoolID: "../North Side/é", from: "2025-01-06", to: "2025-03-14", on: day)
            == "summary-program-first-aid-school-.._North_Side__-from-2025-01-06-to-2025-03-14-2025-04-02.csv")
        #expect(!Registrar.reportFileName(.attendance, schoolID: String(repeating: "/", count: 300), on: day).contains("/"))
        #expect(Registrar.reportFileName(.attendance, schoolID: String(repeating: "a", count: 300), on: day).count < 80)
    }
}

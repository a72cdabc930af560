import BridgesKit
import BridgesTestSupport
import Foundation
import Testing

/// A database at a school's scale, set up once through BridgesKit, for the fault tests.
///
/// Program `fire` (one lesson, `fs-drill`, no quiz, grades 1–3); school `s1` with classes `c01`…`c30`
/// of 100 grade-2 students each (`st00001`…`st03000`); officer `ofc-1`; one session of `fs-drill`
/// per class on 2025-09-01 with everyone present, so every student is eligible for a certificate.
enum FaultFixture {
    static let classes = 30
    static let perClass = 100
    static var students: Int { classes * perClass }

    static func classID(_ n: Int) -> String { n < 10 ? "c0\(n)" : "c\(n)" }
    static func studentID(_ n: Int) -> String { "st" + String(repeating: "0", count: max(0, 5 - String(n).count)) + String(n) }

    static func rosterCSV(firstStudent: Int, classes classRange: ClosedRange<Int>, perClass: Int, classPrefix: String = "c") -> String {
        var text = "school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade\r\n"
        var student = firstStudent
        for number in classRange {
            let classID = classPrefix == "c" ? Self.classID(number) : "\(classPrefix)\(number)"
            for _ in 0..<perClass {
                text += "s1,Fault School,\(classID),Class \(classID),\(studentID(student)),Given\(student),Family\(student),2\r\n"
                student += 1
            }
        }
        return text
    }

    private static let template = OnceBuilt<Data> {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("plans/fire/program.xml", SchoolFiles.fireProgram)
        try folder.write("plans/fire/fs-drill.xml", SchoolFiles.drillLesson)
        try folder.write("roster.csv", rosterCSV(firstStudent: 1, classes: 1...classes, perClass: perClass))
        let path = folder.path("fault.sqlite")
        do {
            let records = try await Registrar(testDatabase(path))
            _ = try await records.loadLessonPlans(paths: [folder.path("plans")], caller: .local("coordinator"), processors: 2)
            _ = try await records.importRoster(path: folder.path("roster.csv"), caller: .local("registrar"))
            _ = try await records.saveOfficer(id: "ofc-1", name: "Dana Reyes", caller: .local("coordinator"))
            for number in 1...classes {
                _ = try await records.logSession(
                    lessonID: "fs-drill", classID: classID(number), officerID: "ofc-1", date: "2025-09-01", minutes: nil,
                    present: [], late: [], absent: [], excused: [], others: .present, sheet: nil, note: nil, caller: .local("ofc-1"))
            }
        }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// Writes the set-up database to `relative` in `folder` (0600, as bridges makes it).
    static func install(in folder: TemporaryFolder, as relative: String = "fault.sqlite") async throws {
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: folder.path(relative + suffix)) }
        try? FileManager.default.removeItem(atPath: folder.path(relative))
        try folder.write(relative, bytes: Array(try await template.value()))
        _ = chmod(folder.path(relative), 0o600)
    }

    /// 300 lessons in one program, `gen`, in `folder/relative`.
    static func writeGeneratedProgram(lessons: Int, in folder: TemporaryFolder, at relative: String) throws {
        var refs = ""
        for n in 1...lessons {
            refs += "<lesson ref=\"gen-\(n)\"/>\n"
            try folder.write("\(relative)/gen-\(n).xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <lesson xmlns="urn:bridges:lesson-plan:1" id="gen-\(n)" program="gen" version="1"><title>Generated lesson \(n)</title><minutes>20</minutes>
                <objectives><objective id="o\(n)">Objective \(n)</objective></objectives>
                <activities><activity id="a\(n)" kind="game" minutes="20"><title>Activity \(n)</title><step>Step \(n)</step></activity></activities>
                </lesson>
                """)
        }
        try folder.write("\(relative)/program.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <program xmlns="urn:bridges:lesson-plan:1" id="gen" version="1">
              <title>Generated</title>
              <grades min="1" max="3"/>
              <lessons>
            \(refs)  </lessons>
              <certificate title="Generated" attendance="all" quizzes="none"/>
            </program>
            """)
    }

    /// `sessionsPerClass` sessions of `fs-drill` for classes c01…c`classCount`, every student
    /// marked: classCount × sessionsPerClass × 100 marks.
    static func sessionImportCSV(classCount: Int, sessionsPerClass: Int) -> String {
        var text = "session_date,lesson_id,lesson_version,class_id,officer_id,minutes,student_id,status\r\n"
        let statuses = ["present", "late", "absent", "excused"]
        var start = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"), year: 2024, month: 1, day: 1).date!
        var dates: [String] = []
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        for _ in 0..<sessionsPerClass {
            dates.append(formatter.string(from: start))
            start += 86_400
        }
        for number in 1...classCount {
            for (index, date) in dates.enumerated() {
                for offset in 0..<perClass {
                    let student = (number - 1) * perClass + offset + 1
                    text += "\(date),fs-drill,1,\(classID(number)),ofc-1,25,\(studentID(student)),\(statuses[(offset + index) % 4])\r\n"
                }
            }
        }
        return text
    }

    /// Integrity, read without changing the file: whether `PRAGMA integrity_check` said ok, and
    /// every check's line for a failure message.
    static func integrity(_ path: String) async throws -> (ok: Bool, report: String) {
        let checks = try await DatabaseMaintenance.check(testDatabase(path), now: Date())
        let integrity = checks.first { $0.name == "integrity" }
        return (integrity?.outcome == .passed, checks.map { "\($0.outcome.rawValue) \($0.name): \($0.finding)" }.joined(separator: "\n"))
    }

    static func count(_ table: String, in path: String) async throws -> Int {
        try await #require(try DatabaseMaintenance.counts(testDatabase(path))[table])
    }
}

/// Kills and interrupts the write commands part-way, runs them side by side, starves them of disk
/// and gives them damaged files: the database must stay whole, and each write all or nothing.
@Suite("Faults", .serialized)
struct FaultTests {
    /// A write command at scale, and how to tell "not at all" from "entirely".
    struct Scenario: Sendable {
        var name: String
        var arguments: [String]
        var table: String
        var prepare: @Sendable (TemporaryFolder) throws -> Void
        /// The rows `table` holds when the command did nothing and when it did everything.
        var before: Int
        var after: Int
    }

    static let scenarios: [Scenario] = [
        Scenario(
            name: "lesson load of 300 lessons", arguments: ["lesson", "load", "gen"], table: "lesson",
            prepare: { folder in try FaultFixture.writeGeneratedProgram(lessons: 300, in: folder, at: "gen") },
            before: 1, after: 301),
        Scenario(
            name: "roster import of 20,000 rows", arguments: ["roster", "import", "big-roster.csv"], table: "student",
            prepare: { folder in
                try folder.write("big-roster.csv", FaultFixture.rosterCSV(firstStudent: 10_001, classes: 1...200, perClass: 100, classPrefix: "big"))
            },
            before: FaultFixture.students, after: FaultFixture.students + 20_000),
        Scenario(
            name: "session import of 50,000 marks", arguments: ["session", "import", "marks.csv"], table: "mark",
            prepare: { folder in try folder.write("marks.csv", FaultFixture.sessionImportCSV(classCount: 10, sessionsPerClass: 50)) },
            before: FaultFixture.students, after: FaultFixture.students + 50_000),
        Scenario(
            name: "certificate issue to 3,000 students", arguments: ["certificate", "issue", "--program", "fire", "--as-of", "2026-01-15"], table: "certificate",
            prepare: { _ in },
            before: 0, after: FaultFixture.students),
    ]

    @Test("A write command killed or interrupted part-way leaves a whole database, and the write entirely or not at all", arguments: scenarios.indices)
    func killedPartWay(_ index: Int) async throws {
        // Given a school-scale database and the command's input
        let scenario = Self.scenarios[index]
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try scenario.prepare(folder)
        let arguments = scenario.arguments + ["--db", "fault.sqlite", "--actor", "fault-test"]
        let path = folder.path("fault.sqlite")

        // How long it takes when left alone, measured once.
        try await FaultFixture.install(in: folder)
        await #expect(try await FaultFixture.count(scenario.table, in: path) == scenario.before)
        let full = try RunningBridges.start(arguments, in: folder).finish()
        try #require(full.status == 0 && !full.crashed, "\(scenario.name) did not complete: \(full)")
        await #expect(try await FaultFixture.count(scenario.table, in: path) == scenario.after)
        let usual = full.elapsed

        var random = SystemRandomNumberGenerator()
        var outcomes: [String: Int] = [:]
        for (round, signal) in ([SIGKILL, SIGKILL, SIGKILL, SIGKILL, SIGKILL, SIGINT, SIGINT, SIGINT] as [Int32]).enumerated() {
            try await FaultFixture.install(in: folder)
            let fraction = Double.random(in: 0...1, using: &random)
            let delay = usual * fraction
            // When the command is killed at a random moment
            let outcome = try RunningBridges.start(arguments, in: folder).interrupt(with: signal, after: delay)
            let label = "\(scenario.name), signal \(signal) after \(delay) of \(usual) (round \(round))"
            #expect(!outcome.timedOut, "\(label): hung")
            if !outcome.crashed {
                // It finished before the signal came, or stopped on it with an error: either way not a crash.
                #expect(outcome.status == 0 || signal == SIGINT, "\(label): \(outcome)")
            }

            // Then SQLite finds no damage, and the command happened entirely or not at all
            let integrity = try await FaultFixture.integrity(path)
            #expect(integrity.ok, "\(label): integrity check failed\n\(integrity.report)")
            let rows = try await FaultFixture.count(scenario.table, in: path)
            #expect(rows == scenario.before || rows == scenario.after, "\(label): \(scenario.table) holds \(rows), neither \(scenario.before) nor \(scenario.after)")
            outcomes[rows == scenario.after ? "entirely" : "not at all", default: 0] += 1

            // And running it again completes (twice, to keep the test bounded: after the last kill and the last interrupt)
            if round == 4 || round == 7 {
                let again = try RunningBridges.start(arguments, in: folder).finish()
                #expect(again.status == 0 && !again.crashed, "\(label): running it again failed: \(again)")
                await #expect(try await FaultFixture.count(scenario.table, in: path) == scenario.after, "\(label): running it again did not finish the work")
                await #expect(try await FaultFixture.integrity(path).ok)
            }
        }
        print("\(scenario.name): usual \(usual); after a signal: \(outcomes)")
    }

    @Test("Four officers logging at once while a coordinator exports: everyone succeeds, nothing is locked out")
    func concurrentWriters() async throws {
        // Given the school-scale database
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder)
        let path = folder.path("fault.sqlite")
        let sessionsBefore = try await FaultFixture.count("session", in: path)

        // When, three times over, four sessions (different classes and dates) are logged while the
        // attendance report is exported
        for round in 0..<3 {
            var runs: [(String, RunningBridges)] = []
            runs.append(("export", try RunningBridges.start(["export", "attendance", "--out", "attendance-\(round).csv", "--db", "fault.sqlite"], in: folder)))
            for n in 1...4 {
                let day = round * 4 + n
                let arguments = [
                    "session", "log", "--lesson", "fs-drill", "--class", FaultFixture.classID(n + 4 * round), "--officer", "ofc-1",
                    "--date", "2025-10-\(day < 10 ? "0" : "")\(day)", "--others", "present", "--db", "fault.sqlite", "--actor", "officer-\(n)",
                ]
                runs.append(("session log \(n)", try RunningBridges.start(arguments, in: folder)))
            }

            // Then every one exits 0, none says the database is locked or busy, and all four sessions are stored
            for (name, run) in runs {
                let outcome = try run.finish()
                #expect(outcome.status == 0 && !outcome.crashed, "round \(round), \(name): \(outcome)")
                #expect(!outcome.standardError.contains("locked") && !outcome.standardError.contains("busy"), "round \(round), \(name): \(outcome)")
            }
            let logged = (round + 1) * 4
            await #expect(try await FaultFixture.count("session", in: path) == sessionsBefore + logged)
            await #expect(try await FaultFixture.count("mark", in: path) == FaultFixture.students + logged * FaultFixture.perClass)
            await #expect(try await FaultFixture.integrity(path).ok)
            let report = try String(contentsOfFile: folder.path("attendance-\(round).csv"), encoding: .utf8)
            let rows = report.split(separator: "\r\n").count - 1
            // The report is one consistent read: whole sessions only, from before, during or after the logs.
            let earlier = FaultFixture.students + round * 4 * FaultFixture.perClass
            #expect(rows >= earlier && rows <= earlier + 400 && (rows - earlier) % FaultFixture.perClass == 0, "round \(round): attendance rows: \(rows)")
        }
    }

    @Test("A full disk (a file size limit) during an import: a clear error, no crash, nothing lost", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit")))
    func fullDisk() async throws {
        // Given the database, and a file size limit a little above its size, with SIGXFSZ ignored
        // so that writes fail as on a full disk (EFBIG) rather than ending the process
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder)
        let path = folder.path("fault.sqlite")
        try folder.write("big-roster.csv", FaultFixture.rosterCSV(firstStudent: 10_001, classes: 1...200, perClass: 100, classPrefix: "big"))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let limit = size + 64 * 1024
        let before = try await DatabaseMaintenance.counts(testDatabase(path))

        // When a 20,000-row roster import runs under the limit
        let outcome = try RunningBridges.start(
            ["roster", "import", "big-roster.csv", "--db", "fault.sqlite"], in: folder,
            through: ["prlimit", "--fsize=\(limit):\(limit)", "sh", "-c", "trap '' XFSZ; exec \"$0\" \"$@\""]
        ).finish()

        // Then it fails with a message, without crashing, and the database is as it was
        #expect(!outcome.crashed, "\(outcome)")
        #expect(outcome.status == 74, "\(outcome)")
        #expect(outcome.standardError.hasPrefix("error: "), "\(outcome)")
        #expect(!outcome.standardError.contains("Fatal error"), "\(outcome)")
        let integrity = try await FaultFixture.integrity(path)
        #expect(integrity.ok, "\(integrity.report)")
        await #expect(try await FaultFixture.count("student", in: path) == FaultFixture.students)
        await #expect(try await FaultFixture.count("mark", in: path) == FaultFixture.students)
        // (Not byte for byte: GRDB's WAL set-up on open creates and drops a table when no WAL file exists.)
        await #expect(try DatabaseMaintenance.counts(testDatabase(path)) == before)
    }

    /// Whether this process may mount a small tmpfs (root on Linux): the only way to give a
    /// command a disk that is really full (ENOSPC) without touching the machine's own.
    static let canMountSmallDisk: Bool = {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/bin/mount") else { return false }
        guard let folder = try? TemporaryFolder() else { return false }
        defer { folder.remove() }
        let mounted = SmallDisk.run(["/bin/mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", folder.path(".")])
        if mounted { _ = SmallDisk.run(["/bin/umount", folder.path(".")]) }
        return mounted
    }()

    @Test("A disk that is really full (a small tmpfs): roster import and a first lesson load fail clearly, nothing lost or left", .enabled(if: canMountSmallDisk))
    func reallyFullDisk() async throws {
        // Given the database on a disk with 256 KiB to spare
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path("disk"), withIntermediateDirectories: false)
        try await FaultFixture.install(in: folder)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: folder.path("fault.sqlite"))[.size] as? Int)
        let disk = try SmallDisk(at: folder.path("disk"), bytes: size + 256 * 1024)
        defer { disk.unmount() }
        try FileManager.default.copyItem(atPath: folder.path("fault.sqlite"), toPath: folder.path("disk/fault.sqlite"))
        let path = folder.path("disk/fault.sqlite")
        try folder.write("big-roster.csv", FaultFixture.rosterCSV(firstStudent: 10_001, classes: 1...200, perClass: 100, classPrefix: "big"))
        let before = try await DatabaseMaintenance.counts(testDatabase(path))

        // When a 20,000-row roster import needs more room than there is
        let outcome = try RunningBridges.start(["roster", "import", "big-roster.csv", "--db", "disk/fault.sqlite"], in: folder).finish()

        // Then it fails with a message that says so, without crashing, and the database is as it was
        #expect(!outcome.crashed, "\(outcome)")
        #expect(outcome.status == 74, "\(outcome)")
        #expect(outcome.standardError.hasPrefix("error: ") && outcome.standardError.contains("disk"), "\(outcome)")
        let integrity = try await FaultFixture.integrity(path)
        #expect(integrity.ok, "\(integrity.report)")
        await #expect(try DatabaseMaintenance.counts(testDatabase(path)) == before)

        // And a first lesson load of 300 lessons onto the full disk fails the same way and leaves
        // no file behind
        try FileManager.default.removeItem(atPath: path)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        try #require(FileManager.default.createFile(atPath: folder.path("disk/filler"), contents: Data(count: size - 64 * 1024)))
        try FaultFixture.writeGeneratedProgram(lessons: 300, in: folder, at: "gen")
        let load = try RunningBridges.start(["lesson", "load", "gen", "--db", "disk/first.sqlite"], in: folder).finish()
        #expect(!load.crashed, "\(load)")
        #expect(load.status == 74, "\(load)")
        #expect(load.standardError.hasPrefix("error: ") && load.standardError.contains("disk"), "\(load)")
        // naming the database as the person gave it, never the hidden file it was built in
        #expect(load.standardError.contains("disk/first.sqlite") && !load.standardError.contains(".loading"), "\(load)")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path("disk")).filter { $0 != "filler" }
        #expect(left == [], "left on the disk: \(left)")
    }

    @Test("A report written to a full device (/dev/full): a clear error, no crash", .enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func reportToFullDevice() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder)
        let outcome = try RunningBridges.start(["export", "attendance", "--out", "/dev/full", "--db", "fault.sqlite"], in: folder).finish()
        #expect(!outcome.crashed, "\(outcome)")
        #expect(outcome.status == 74, "\(outcome)")
        #expect(outcome.standardError.hasPrefix("error: "), "\(outcome)")
    }

    @Test("A file of random bytes as the database: exit 74 with a clear error, and the file is not touched")
    func randomBytes() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<64 * 1024).map { _ in UInt8.random(in: 0...255, using: &random) }
        try folder.write("junk.sqlite", bytes: bytes)
        for arguments in [["roster", "list"], ["session", "log", "--lesson", "fs-drill", "--class", "c01", "--officer", "ofc-1", "--date", "2025-10-01", "--others", "present"], ["doctor"], ["backup", "copy.sqlite"]] {
            let outcome = try BridgesProcess.run(arguments + ["--db", "junk.sqlite"], in: folder)
            #expect(!outcome.crashed && outcome.status == 74, "\(arguments): \(outcome)")
            #expect(outcome.standardError.contains("junk.sqlite") && outcome.standardError.contains("damaged or is not a Bridges database"), "\(arguments): \(outcome)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder.path("junk.sqlite"))) == Data(bytes), "\(arguments) changed the file")
        }
        #expect(!folder.exists("copy.sqlite"))
    }

    @Test("A real database with its pages overwritten: a clear error (74) from every command, and the file is not touched")
    func overwrittenPages() async throws {
        // Given the database with every page but the first (the schema) overwritten with random bytes
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder)
        let path = folder.path("fault.sqlite")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        var random = SystemRandomNumberGenerator()
        for index in pageSize..<bytes.count { bytes[index] = UInt8.random(in: 0...255, using: &random) }
        try folder.write("fault.sqlite", bytes: bytes)

        // When commands that read and write use it, Then each says so clearly without crashing or changing it
        for arguments in [["roster", "list"], ["session", "list"], ["export", "attendance", "--out", "-"], ["lesson", "list"]] {
            let outcome = try BridgesProcess.run(arguments + ["--db", "fault.sqlite"], in: folder)
            #expect(!outcome.crashed && outcome.status == 74, "\(arguments): \(outcome)")
            #expect(outcome.standardError.contains("damaged"), "\(arguments): \(outcome)")
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == bytes, "\(arguments) changed the file")
        }
        let doctor = try BridgesProcess.run(["doctor", "--db", "fault.sqlite"], in: folder)
        #expect(!doctor.crashed && doctor.status == 74, "\(doctor)")
        #expect(doctor.standardError.contains("damaged"), "\(doctor)")
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == bytes, "doctor changed the file")
    }

    @Test("A database with one data page overwritten: doctor's integrity check fails (exit 1), and the file is not touched")
    func overwrittenDataPage() async throws {
        // Given the database with its last page (table or index data, not the schema) overwritten
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await FaultFixture.install(in: folder)
        let path = folder.path("fault.sqlite")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        var random = SystemRandomNumberGenerator()
        for index in (bytes.count - pageSize)..<bytes.count { bytes[index] = UInt8.random(in: 0...255, using: &random) }
        try folder.write("fault.sqlite", bytes: bytes)

        // When the doctor checks it
        let doctor = try BridgesProcess.run(["doctor", "--db", "fault.sqlite"], in: folder)

        // Then the integrity check fails, in plain words, and the file is as it was
        #expect(!doctor.crashed && doctor.status == 1, "\(doctor)")
        #expect(doctor.standardOutput.split(separator: "\n").contains { $0.hasPrefix("FAILED:") && $0.contains("integrity") }, "\(doctor)")
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == bytes, "doctor changed the file")
    }

    @Test("A folder as the database: a clear error, no crash")
    func folderAsDatabase() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path("records"), withIntermediateDirectories: false)
        for arguments in [["roster", "list"], ["officer", "add", "ofc-9", "--name", "Pat Lee"], ["doctor"], ["backup", "copy.sqlite"]] {
            let outcome = try BridgesProcess.run(arguments + ["--db", "records"], in: folder)
            #expect(!outcome.crashed && outcome.status == 74, "\(arguments): \(outcome)")
            #expect(outcome.standardError.contains("it is a folder"), "\(arguments): \(outcome)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("records")).isEmpty)
    }
}

/// A tmpfs of a given size mounted on a folder, for as long as a test needs a full disk.
struct SmallDisk {
    let path: String

    init(at path: String, bytes: Int) throws {
        self.path = path
        guard Self.run(["/bin/mount", "-t", "tmpfs", "-o", "size=\(bytes),mode=0700", "tmpfs", path]) else {
            throw SmallDiskError(description: "could not mount a tmpfs on \(path)")
        }
    }

    func unmount() { _ = Self.run(["/bin/umount", path]) }

    static func run(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus == 0
        } catch {
            return false
        }
    }
}

struct SmallDiskError: Error, CustomStringConvertible {
    var description: String
}

@testable import BridgesKit
import BridgesTestSupport
import Foundation
import Testing

/// `Demo` (cli.md, "The demo"): a term built from `Curricula/` through the real operations, in a
/// database of its own, never in one holding real records. (That a second run replaces the
/// demo's own database is tested through the binary, in DemoCommandTests.)
@Suite("Demo")
struct DemoTests {
    /// A private folder for one demo run.
    struct Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("BridgesKitTests-demo-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false) }
        func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }
        func remove() { try? FileManager.default.removeItem(at: url) }
    }

    /// A Friday, so the term ends on a known day.
    static let today = termDay("2026-03-13")
    /// A clock that says `today`, standing still.
    static let clock: WallClock = {
        let clock = TestClock()
        clock.set(today)
        return clock.wallClock
    }()

    func demo(in folder: Folder, database: String = "demo.sqlite") -> Demo {
        Demo(curricula: TermFixture.curricula, location: testDatabase(folder.path(database), clock: Self.clock), exportsFolder: ReportFolder(path: folder.path("Exports"), shownAs: "Exports"), temporaryFolder: FileManager.default.temporaryDirectory.path, actor: "demo", processors: 2)
    }

    @Test func aReportsFolderNotGivenFromTheRootIsRefusedBeforeAnythingIsMade() async throws {
        // Given an empty folder
        let folder = try Folder()
        defer { folder.remove() }
        // When the demo is handed `Exports` as typed, not resolved from the root
        var demo = demo(in: folder)
        demo.exportsFolder = ReportFolder(path: "Exports", shownAs: "Exports")
        let error = await bridgesError { try await demo.run() }
        // Then it is refused (a caller's mistake), and no database or folder was made
        #expect(error?.exitCode == 70, "\(String(describing: error))")
        #expect(error?.description.contains("'Exports' is not a path from the root") == true, "\(String(describing: error))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path(".")).isEmpty)
    }

    @Test func theDemoBuildsATermWithMakeUpsRetakesACorrectionAVoidAndCertificates() async throws {
        // Given an empty folder
        let folder = try Folder()
        defer { folder.remove() }
        // When the demo runs
        let report = try await demo(in: folder).run()
        // Then it built a database readable by its owner only
        let path = folder.path("demo.sqlite")
        #expect(report.databaseName == testDatabase(path).name)
        if !TestStore.isPostgres {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
            #expect(mode & 0o777 == 0o600, "mode \(String(mode, radix: 8))")
        }
        // And every report is in the folder handed in, listed as that folder is shown
        #expect(report.reports.count == 4 && report.reports.allSatisfy { $0.hasPrefix("Exports/") }, "\(report.reports)")
        for listed in report.reports {
            #expect(FileManager.default.fileExists(atPath: folder.path(listed)), "\(listed)")
        }
        // And the term holds what it says: the shipped programs, a roster, officers,
        #expect(report.programs == 3)
        #expect(report.schools == 3 && report.classes == 6 && report.students == 144)
        #expect(report.officers == 3)
        #expect(report.termStart < report.termEnd && report.termEnd < Self.today)
        // sessions with make-ups, quizzes with retakes, an amendment, one voided session, certificates
        #expect(report.sessions > 0)
        #expect(report.makeUpSessions > 0)
        #expect(report.quizAttempts > 0)
        #expect(report.retakes > 0)
        #expect(report.amendments == 1)
        #expect(report.voided == 1)
        #expect(report.certificates > 0)

        let records = try await Registrar(testDatabase(path, clock: Self.clock))
        let sessions = try await records.sessions(classID: nil, programID: nil, from: nil, to: nil)
        #expect(sessions.count == report.sessions + report.voided)
        #expect(sessions.filter { $0.voidedAt != nil }.count == 1)
        #expect(sessions.filter { $0.note?.contains("make-up") == true }.count == report.makeUpSessions)
        #expect(Set(sessions.map(\.programID)) == ["first-aid", "personal-safety", "conflict-resolution"])
        // And some student took a quiz more than once
        var retaken = false
        for session in sessions.prefix(30) where !retaken {
            retaken = try await records.session(id: session.id).students.contains { $0.quizAttempts > 1 }
        }
        #expect(retaken)
        // And the certificates issued verify as valid on the demo's day
        let certificates = try await records.certificates(programID: nil)
        #expect(certificates.count == report.certificates)
        let code = try #require(certificates.first?.code)
        await #expect(try records.verifyCertificate(code.normalized.lowercased())?.status == .valid)
        // And the two accounts it printed sign in with their passwords: an officer who sees the
        // demo's classes, and a district administrator
        #expect(report.accounts.map(\.name) == ["dana", "admin"])
        for account in report.accounts {
            guard case .signedIn(let signedIn) = try await records.signIn(username: account.name, password: account.password) else {
                Issue.record("\(account.name) did not sign in with the password the demo printed")
                continue
            }
            #expect(signedIn.caller.role == account.role)
        }
        guard case .signedIn(let officer) = try await records.signIn(username: "dana", password: report.accounts[0].password) else { return }
        #expect(try await records.classes(caller: officer.caller).count == report.classes)
        guard case .refused = try await records.signIn(username: "dana", password: "not-the-password") else {
            Issue.record("a wrong password was not refused")
            return
        }
    }

    @Test func theDemoRefusesADatabaseHoldingRealRecordsAndLeavesItAlone() async throws {
        // Given a database a school uses, with lesson plans loaded (and closed again)
        let folder = try Folder()
        defer { folder.remove() }
        let path = folder.path("school.sqlite")
        do {
            let school = try await Registrar(testDatabase(path))
            _ = try await school.loadLessonPlans(paths: [TermFixture.curricula], caller: .local("coordinator"), processors: 2)
        }
        // When the demo is pointed at it
        let error = await bridgesError { try await demo(in: folder, database: "school.sqlite").run() }
        // Then it refuses (65), and the records are as they were: the lesson plans and nothing else.
        // (Not byte for byte: opening any database in WAL mode makes GRDB create and drop a table
        // to make sure a WAL file exists, which changes the file's schema cookie.)
        #expect(error?.exitCode == 65)
        #expect(error?.description.contains("records the demo did not write") == true, "\(String(describing: error))")
        let school = try await Registrar(testDatabase(path))
        await #expect(try school.programs().map(\.id).sorted() == ["conflict-resolution", "first-aid", "personal-safety"])
        await #expect(try school.lessonListing(programID: nil).count == 19)
        await #expect(try school.sessions(classID: nil, programID: nil, from: nil, to: nil).isEmpty)
        await #expect(try school.officers().isEmpty)
        await #expect(try school.certificates(programID: nil).isEmpty)
        await #expect(try school.school(id: "0101") == nil)
        #expect(!FileManager.default.fileExists(atPath: folder.path("Exports")))
    }

    @Test func theDemoMayFillADatabaseThatHoldsNoRecords() async throws {
        // Given a database that exists but holds nothing (any command creates one on first use,
        // e.g. `bridges session list` run in a new folder)
        let folder = try Folder()
        defer { folder.remove() }
        _ = try await Registrar(testDatabase(folder.path("bridges.sqlite"))).sessions(classID: nil, programID: nil, from: nil, to: nil)
        // When the demo runs there
        let report = try await demo(in: folder, database: "bridges.sqlite").run()
        // Then it builds its term: there were no real records to protect
        #expect(report.sessions > 0)
    }
}

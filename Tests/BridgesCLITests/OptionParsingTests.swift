import BridgesKit
import Foundation
import Testing

/// How the command line reads what is typed (issue 10, item 17): free text and ids may start with
/// '-', `--db` and `--actor` may come before the command, and completion knows the report names.
@Suite("option parsing", .timeLimit(.minutes(2)))
struct OptionParsingTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try CLITerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    @Test func freeTextAndIdsMayStartWithADash() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        // An officer named -Marie of the agency -Unit 5-
        let add = try bridges("officer", "add", "ofc-7", "--name", "-Marie", "--agency", "--Unit 5--", in: folder)
        #expect(add.status == 0, "\(add)")
        let list = try bridges("officer", "list", in: folder)
        #expect(CLITerm.table(list.standardOutput).contains { $0.starts(with: ["ofc-7", "-Marie", "--Unit 5--"]) }, "\(list)")
        // A session with a note, corrected and voided with reasons, all starting with '-'
        let log = try bridges(
            "session", "log", "--lesson", "fa-scene-safety", "--class", "8A", "--officer", "ofc-101", "--date", "2025-09-08",
            "--others", "present", "--note", "-rain, held indoors", in: folder)
        #expect(log.status == 0, "\(log)")
        let id = log.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let amend = try bridges("session", "amend", id, "--student", "1002", "--status", "late", "--reason", "-5 minutes late, per the sign-in sheet", in: folder)
        #expect(amend.status == 0, "\(amend)")
        let void = try bridges("session", "void", id, "--reason", "--wrong class--", "--actor", "-dana", in: folder)
        #expect(void.status == 0, "\(void)")
        let show = try bridges("session", "show", id, in: folder)
        #expect(show.standardOutput.contains("note:     -rain, held indoors"), "\(show)")
        #expect(show.standardOutput.contains("reason: -5 minutes late, per the sign-in sheet"), "\(show)")
        #expect(show.standardOutput.contains("by -dana: --wrong class--"), "\(show)")
        // An id filter starting with '-' is looked up (and not found: exit 66), not refused as an unknown option
        let none = try bridges("roster", "list", "--class", "-8A", in: folder)
        #expect(none.status == 66, "\(none)")
        #expect(none.standardError.contains("no class '-8A' is stored"), "\(none)")
        // A missing value is still an error (exit 64)
        let missing = try BridgesProcess.run(["officer", "add", "ofc-8", "--db", "term.sqlite", "--name"], in: folder)
        #expect(missing.status == 64, "\(missing)")
    }

    @Test func theDatabaseAndActorMayBeNamedBeforeTheCommand() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        // bridges --db P officer list, and --db=P
        for arguments in [["--db", "term.sqlite", "officer", "list"], ["--db=term.sqlite", "officer", "list"]] {
            let list = try BridgesProcess.run(arguments, in: folder)
            #expect(list.status == 0, "\(arguments): \(list)")
            #expect(list.standardOutput.contains("Dana Reyes"), "\(arguments): \(list)")
        }
        // --actor and --db before the command, options after it
        let log = try BridgesProcess.run(
            ["--actor", "coordinator", "--db", "term.sqlite", "session", "log", "--lesson", "fa-scene-safety", "--class", "8A",
             "--officer", "ofc-101", "--date", "2025-09-08", "--others", "present"], in: folder)
        #expect(log.status == 0, "\(log)")
        let show = try BridgesProcess.run(["--db=term.sqlite", "session", "show", "1"], in: folder)
        #expect(show.standardOutput.contains("by coordinator"), "\(show)")
        // Only words before the command move: a --db after it is the value of --name
        let named = try BridgesProcess.run(["--db", "term.sqlite", "officer", "add", "ofc-9", "--name", "--db"], in: folder)
        #expect(named.status == 0, "\(named)")
        let list = try BridgesProcess.run(["officer", "list", "--db", "term.sqlite"], in: folder)
        #expect(CLITerm.table(list.standardOutput).contains { $0.starts(with: ["ofc-9", "--db"]) }, "\(list)")
        // Nothing is created where no database was named: the default bridges.sqlite stays absent
        #expect(!folder.exists("bridges.sqlite"))
        // A command that does not take --actor says so (exit 64), rather than ignoring it
        let unused = try BridgesProcess.run(["--actor", "x", "--db", "term.sqlite", "officer", "list"], in: folder)
        #expect(unused.status == 64, "\(unused)")
        #expect(unused.standardError.contains("--actor"), "\(unused)")
        // Half a command path is not rewritten: ArgumentParser refuses it (exit 64), nothing is created
        let half = try BridgesProcess.run(["--db", "other.sqlite", "officer"], in: folder)
        #expect(half.status == 64, "\(half)")
        #expect(!folder.exists("other.sqlite"))
    }

    @Test func shellCompletionOffersTheReportNamesAfterExport() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let script = try BridgesProcess.run(["--generate-completion-script", "bash"], in: folder)
        #expect(script.status == 0, "\(script)")
        let export = try #require(script.standardOutput.range(of: "_bridges_export()"), "\(script.standardOutput.prefix(2000))")
        let body = script.standardOutput[export.upperBound...].prefix(3000)
        for report in Report.allCases.map(\.rawValue) {
            #expect(body.contains(report), "\(report) not offered after export:\n\(body)")
        }
    }
}

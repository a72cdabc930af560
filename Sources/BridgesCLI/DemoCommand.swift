import ArgumentParser
import BridgesKit
import Foundation

/// `bridges demo`: a whole term, built through the real commands, to look around in.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a demonstration database: the shipped programs, a generated roster, a term of sessions and quizzes, certificates and every report.",
        discussion: """
            Uses the database named by --db, $BRIDGES_DB or bridges.sqlite, but only when it is new or an earlier \
            demo's: a database with real records is never touched. Reports go to Exports/.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions
    @Option(help: ArgumentHelp("The folder of lesson-plan programs to load.", valueName: "path")) var curricula = "Curricula"
    @Option(help: ArgumentHelp("Where the reports go.", valueName: "folder")) var exports = "Exports"

    func run() async throws {
        try await Console.run {
            let progress = ProgressLine()
            defer { progress.finish() }
            let demo = try Demo(
                curricula: curricula, location: database.location, exportsFolder: .typed(exports),
                temporaryFolder: FileManager.default.temporaryDirectory.path, actor: actor.name,
                processors: ProcessInfo.processInfo.activeProcessorCount)
            let report = try await demo.run(progress: progress.handler)
            progress.finish()
            var lines = [
                "Built a demonstration database: \(report.databaseName)",
                "  lesson plans:  \(report.programs) programs, \(report.lessons) lessons loaded from \(curricula)/",
                "  roster:        \(report.schools) schools, \(report.classes) classes, \(report.students) students (imported from a generated CSV)",
                "  officers:      \(report.officers)",
                "  term:          \(report.termStart) to \(report.termEnd)",
                "  sessions:      \(report.sessions) logged (\(report.makeUpSessions) make-up sessions), \(report.marks) attendance marks",
                "  quizzes:       \(report.quizAttempts) attempts, \(report.retakes) retakes after a failed first try",
                "  corrections:   \(report.amendments) status amended, \(report.voided) session voided (both kept in the audit trail)",
                "  certificates:  \(report.certificates) issued as of \(report.termEnd)",
            ]
            if !report.reports.isEmpty {
                lines.insert("  reports:       \(report.reports.count) written (\(report.reportRows.map(String.init).joined(separator: ", ")) rows)", at: lines.count)
                lines.append("Reports:")
                lines += report.reports.map { "  \($0)" }
            }
            let db = report.databaseName == "bridges.sqlite" ? "" : " --db \(report.databaseName)"
            lines += [
                "",
                "Look around:",
                "  bridges session list\(db)",
                "  bridges session show 1\(db)",
                "  bridges certificate list\(db)",
                "  bridges lesson show fa-bleeding\(db)",
            ]
            if !report.accounts.isEmpty {
                lines += ["", "Try the server (bridges serve\(db), then open http://127.0.0.1:8080/sign-in):"]
                lines += report.accounts.map { account in
                    "  \(account.role == .officer ? "an officer:   " : "an admin:     ")\(account.name), password \(account.password)"
                }
                lines.append("  (these passwords are shown only now; bridges user add NAME --role ROLE makes more)")
            }
            Console.result(lines.joined(separator: "\n"))
        }
    }
}

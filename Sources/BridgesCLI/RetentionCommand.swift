import ArgumentParser
import BridgesKit

/// `bridges retention purge --before DATE [--dry-run]`
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Destroy student records past their retention time.",
        subcommands: [Purge.self])
}

extension RetentionCommand {
    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "purge",
            abstract: "Remove the marks and quiz attempts of sessions before a date, and certificates that ended before it.",
            discussion: """
                Students under a legal hold (bridges student hold) keep theirs. A certificate exported as an Open \
                Badge stays (the published revocation list is read from it). The sessions themselves (date, class, \
                lesson, officer) and the audit trail stay; every session and certificate purged is recorded in the \
                trail, without names. One transaction. --dry-run lists what would go and changes nothing.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: ArgumentHelp("Records dated (or ended) before this day go.", valueName: "YYYY-MM-DD")) var before: String
        @Flag(help: "List what would go; change nothing.") var dryRun = false

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location)
                let plan = try await records.purgeRetention(before: before, dryRun: dryRun, caller: .local(actor.name))
                var lines: [String] = []
                for session in plan.sessions {
                    lines.append("session \(session.id)  \(session.date)  class \(session.classID)  \(session.lessonID): \(session.marks) mark\(session.marks == 1 ? "" : "s"), \(session.quizAttempts) quiz attempt\(session.quizAttempts == 1 ? "" : "s")")
                }
                for certificate in plan.certificates {
                    lines.append("certificate \(certificate.code)  \(certificate.programID): ended \(certificate.ended)")
                }
                if !lines.isEmpty { Console.result(lines: lines) }
                let verb = dryRun ? "would remove" : "removed"
                let held = plan.heldStudents.isEmpty ? "" : "; \(plan.heldStudents.count) student\(plan.heldStudents.count == 1 ? "" : "s") under legal hold kept"
                Console.say("\(verb) \(plan.marks) marks and \(plan.quizAttempts) quiz attempts of \(plan.sessions.count) sessions before \(plan.before), and \(plan.certificates.count) certificates\(held)\(dryRun ? "; nothing was changed (dry run)" : "")")
            }
        }
    }
}

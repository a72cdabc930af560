import ArgumentParser
import BridgesKit

/// `bridges student …`: choices a family makes about a student's records.
struct StudentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "student",
        abstract: "A family's choices about a student's records, everything Bridges holds about a student, erasure and legal holds.",
        subcommands: [OptOut.self, Record.self, Erase.self, Hold.self, Release.self]
    )
}

extension StudentCommand {
    struct OptOut: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "opt-out",
            abstract: "Record that a student's family opted out of directory information (FERPA).",
            discussion: """
                Public verification of the student's certificates then shows only the status: \
                no program, no initials, no dates. --undo withdraws the opt-out. Audited with the reason; a roster \
                import leaves it as it is, unless the roster CSV's directory_opt_out column says yes or no.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("The student id.", valueName: "student-id")) var student: String
        @Flag(help: "Withdraw the opt-out.") var undo = false
        @Option(parsing: .unconditional, help: ArgumentHelp("Who asked and how, for the audit trail.", valueName: "text")) var reason: String

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location)
                let changed = try await records.setDirectoryOptOut(studentID: student, optedOut: !undo, reason: reason, caller: .local(actor.name))
                let state = undo ? "shares directory information again" : "opted out of directory information"
                Console.result(changed ? "student \(student): \(state)" : "student \(student) already \(state); nothing changed")
            }
        }
    }
}

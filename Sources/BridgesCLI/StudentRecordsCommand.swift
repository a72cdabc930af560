import ArgumentParser
import BridgesKit

extension StudentCommand {
    /// `bridges student erase SID --reason TEXT`
    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "erase",
            abstract: "Replace a student's personal data with a pseudonym, keeping their records as counts.",
            discussion: """
                The names and the district's identifier are replaced by a random pseudonym (ERASED-…), in the \
                roster and in the audit trail; marks, quiz attempts and certificates stay, so every report's counts \
                are unchanged, and reports show the pseudonym. Certificates still verify, as a status alone. The \
                student id stays as the key. Refused while the student is under a legal hold. Audited; cannot be undone.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("The student id.", valueName: "student-id")) var student: String
        @Option(parsing: .unconditional, help: ArgumentHelp("Why, and at whose request (kept in the audit trail; name no student).", valueName: "text")) var reason: String

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location)
                let erased = try await records.eraseStudent(student, reason: reason, caller: .local(actor.name))
                Console.result("student \(erased.studentID) erased: now \(erased.pseudonym)")
                Console.say("kept as counts: \(erased.marks) marks, \(erased.quizAttempts) quiz attempts, \(erased.certificates) certificates; \(erased.trailFieldsErased) personal field\(erased.trailFieldsErased == 1 ? "" : "s") of the audit trail erased")
            }
        }
    }

    /// `bridges student hold SID --reason TEXT`
    struct Hold: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hold",
            abstract: "Put a student's records under a legal hold: no erasure or retention purge touches them.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("The student id.", valueName: "student-id")) var student: String
        @Option(parsing: .unconditional, help: ArgumentHelp("The legal matter (kept in the audit trail).", valueName: "text")) var reason: String

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location)
                try await records.setLegalHold(student, hold: true, reason: reason, caller: .local(actor.name))
                Console.result("student \(student): records under legal hold")
            }
        }
    }

    /// `bridges student release SID --reason TEXT`
    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "release",
            abstract: "End a student's legal hold.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("The student id.", valueName: "student-id")) var student: String
        @Option(parsing: .unconditional, help: ArgumentHelp("Why the hold ends (kept in the audit trail).", valueName: "text")) var reason: String

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location)
                try await records.setLegalHold(student, hold: false, reason: reason, caller: .local(actor.name))
                Console.result("student \(student): legal hold released")
            }
        }
    }
}

import ArgumentParser
import BridgesKit

extension StudentCommand {
    /// `bridges student record SID`: a family's access to everything Bridges holds about a student.
    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: "Write everything Bridges holds about one student, as a readable page (HTML) or JSON.",
            discussion: """
                The roster entry and classes, every mark with its session, every quiz attempt (voided ones too), \
                certificates, the changes and corrections that touched them, and every disclosure of their records. \
                Writes student-SID-record.html (or .json) here unless --out says otherwise (- is standard output); \
                the file is readable by its owner only, and an existing file named with --out is replaced only with \
                --force. --purpose is required: the record is itself recorded in the disclosure log.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("The student id.", valueName: "student-id")) var student: String
        @Option(help: ArgumentHelp("Where to write it: a file, or - for standard output.", valueName: "path")) var out: String?
        @Option(help: ArgumentHelp("html (default) or json.", valueName: "format")) var format: String = "html"
        @Option(parsing: .unconditional, help: ArgumentHelp("Why, and for whom (\"a parent's request to inspect\"): kept in the disclosure log.", valueName: "text"))
        var purpose: String?
        @Flag(help: "Replace the file named with --out if it exists.") var force = false

        func run() async throws {
            try await Console.run {
                let chosen = try StudentRecord.Format.named(format)
                guard let records = try await Registrar.openIfPresent(database.location, access: .write) else {
                    throw BridgesError.notFound(.database(database.name), "there is no database at \(database.name); name it with --db PATH or $BRIDGES_DB")
                }
                // Without --out: student-SID-record.FORMAT in the working folder.
                let destination: ReportDestination = out == "-" ? .standardOutput : try out.map { (text) throws(BridgesError) in try .typed(text) } ?? .workingFolder
                let output = try await records.studentRecord(
                    student, format: chosen, to: destination, replacing: force, purpose: purpose, caller: .local(actor.name))
                let r = output.record
                func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
                let held = [count(r.marks.count, "mark", "marks"), count(r.quizAttempts.count, "quiz attempt", "quiz attempts"),
                            count(r.certificates.count, "certificate", "certificates"), count(r.corrections.count, "change", "changes"),
                            count(r.disclosures.count, "earlier disclosure", "earlier disclosures")]
                Console.say("wrote the record of student \(r.studentID) (\(held.joined(separator: ", "))) to \(output.path ?? "standard output")")
            }
        }
    }
}

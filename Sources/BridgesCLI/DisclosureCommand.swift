import ArgumentParser
import BridgesKit
import Foundation

/// `bridges disclosure …`: the log of every report, page and record that left Bridges.
struct DisclosureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disclosure",
        abstract: "Show the disclosure log: every export, certificate page, badge and student record, who made it, when and why.",
        subcommands: [List.self]
    )
}

extension DisclosureCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List disclosures, oldest first; with --student, those that included that student's records.",
            discussion: """
                Each line: when (UTC), who, what (the report or output), its filters, how many rows and students, \
                where it went, and the purpose given ("not given" when none was). --from and --to (inclusive) are \
                days, in UTC. --json prints the same as JSON, one array. The log is append-only: the database \
                refuses to change or delete an entry.
                """)

        @OptionGroup var database: DatabaseOptions
        @Option(parsing: .unconditional, help: ArgumentHelp("Only disclosures that included this student.", valueName: "student-id"))
        var student: String?
        @Option(help: ArgumentHelp("From this day on (UTC).", valueName: "YYYY-MM-DD")) var from: String?
        @Option(help: ArgumentHelp("Up to and including this day (UTC).", valueName: "YYYY-MM-DD")) var to: String?
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location, access: .read)
                let disclosures = try await records.disclosures(studentID: student, from: from, to: to, caller: .commandLine)
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                    let data = try encoder.encode(disclosures)
                    print(String(decoding: data, as: UTF8.self))
                    return
                }
                if disclosures.isEmpty {
                    Console.say(student.map { "No disclosures have included student \($0)." } ?? "No disclosures recorded yet.")
                    return
                }
                let rows = disclosures.map { d in
                    [String(d.id), d.at, d.actor, d.kind,
                     d.filters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
                     String(d.rows), d.namesStudents ? String(d.students) : "-", d.destination, d.purpose ?? "not given"]
                }
                Console.result(TextTable.render(header: ["ID", "WHEN", "WHO", "WHAT", "FILTERS", "ROWS", "STUDENTS", "WHERE", "PURPOSE"], rows: rows))
            }
        }
    }
}

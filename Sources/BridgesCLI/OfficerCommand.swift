import ArgumentParser
import BridgesKit
import Foundation

/// `bridges officer …`: the officers who teach the lessons.
struct OfficerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "officer",
        abstract: "Add and list the officers who teach the lessons.",
        subcommands: [Add.self, List.self]
    )
}

extension OfficerCommand {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add an officer, or update a stored officer's details (changes are kept in the audit trail).",
            discussion: """
                For an officer already stored, --agency and --certified-until left out keep the stored values; \
                an empty value (--agency "") clears one.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions

        @Argument(help: ArgumentHelp("The id the officer is known by, e.g. a badge number.", valueName: "id"))
        var id: String

        @Option(parsing: .unconditional, help: ArgumentHelp("The officer's name as reports should show it.", valueName: "name"))
        var name: String

        @Option(parsing: .unconditional, help: ArgumentHelp("The officer's department or organisation.", valueName: "name"))
        var agency: String?

        @Option(help: ArgumentHelp("The last day the officer's teaching certification is valid.", valueName: "yyyy-mm-dd"))
        var certifiedUntil: String?

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location)
                let outcome = try await records.saveOfficer(
                    id: id, name: name, agency: agency, certifiedUntil: certifiedUntil, caller: .local(actor.name))
                let shownID = id.trimmingWhitespace()
                switch outcome {
                case .added:
                    Console.result(lines: ["added officer \(shownID)"])
                case .updated(let changes):
                    let list = changes.map { "\($0.field) \(Self.shown($0.oldValue)) → \(Self.shown($0.newValue))" }
                    Console.result(lines: ["updated officer \(shownID): \(list.joined(separator: ", "))"])
                case .unchanged:
                    Console.result(lines: ["officer \(shownID) is unchanged"])
                }
            }
        }

        private static func shown(_ value: String?) -> String {
            value.map { "'\($0)'" } ?? "(none)"
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the officers, marking those whose certification has lapsed.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location, access: .read)
                let officers = try await records.officers(caller: .commandLine)
                if officers.isEmpty {
                    Console.say("No officers are stored yet; add one with: bridges officer add ID --name NAME")
                    return
                }
                let today = WallClock.system.today
                let rows = officers.map { officer in
                    [
                        officer.id, officer.name, officer.agency ?? "-", officer.certifiedUntil ?? "-",
                        officer.certifiedUntil == nil ? "-" : officer.isLapsed(on: today) ? "lapsed" : "current",
                    ]
                }
                Console.result(TextTable.render(header: ["ID", "NAME", "AGENCY", "CERTIFIED UNTIL", "STATUS"], rows: rows))
            }
        }
    }
}

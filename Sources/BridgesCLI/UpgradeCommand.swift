import ArgumentParser
import BridgesKit

/// `bridges upgrade`: brings a database an earlier Bridges wrote up to date, so that commands
/// that only read (which never change the file) can read it.
struct UpgradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Bring a database written by an earlier Bridges up to date (commands that only read never change it).",
        discussion: """
            Commands that record something upgrade the database on their own; listings, reports and \
            verification refuse an out-of-date database untouched and say to run this. A backup first is wise: \
            bridges backup PATH.
            """)

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await Console.run {
            guard let records = try await Registrar.openIfPresent(database.location, access: .write) else {
                throw BridgesError.notFound(.database(database.name), "there is no database at \(database.name); name it with --db PATH or $BRIDGES_DB")
            }
            let applied = records.upgradedOnOpen
            if applied.isEmpty {
                Console.result("\(database.name) is up to date; nothing changed")
            } else {
                Console.result("\(database.name) brought up to date: \(applied.count) change\(applied.count == 1 ? "" : "s") to its tables (\(applied.joined(separator: ", ")))")
            }
        }
    }
}

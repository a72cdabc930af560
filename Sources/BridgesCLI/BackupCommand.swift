import ArgumentParser
import BridgesKit

/// `bridges backup PATH`: a consistent copy of the database while others keep working.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database to a new file, consistently, even while others are writing to it.",
        discussion: """
            Uses SQLite's online backup: the copy is the database as of the moment the copy began. The new file \
            is readable by its owner only (it holds minors' records). An existing file is never replaced (exit 64); \
            a folder other users can write to is refused (exit 74). The copy is built under a hidden name beside \
            PATH and moved there when complete; a failure (a full disk) leaves nothing. \
            Check the copy with: bridges doctor --db PATH. \
            On a PostgreSQL database (--db postgres://…) it runs PostgreSQL's pg_dump (which must be installed) on \
            Bridges's schema, in pg_dump's custom format, into the same kind of new owner-only file; restore it with \
            pg_restore into a database that does not yet hold that schema.
            """)

    @OptionGroup var database: DatabaseOptions
    @Argument(help: ArgumentHelp("The new file to write the copy to.", valueName: "path")) var destination: String

    func run() async throws {
        try await Console.run {
            let backup = try await DatabaseMaintenance.backUp(database.location, to: destination)
            Console.result("\(backup.path) (\(backup.bytes) bytes)")
            if database.isPostgres {
                Console.say(
                    "Backed up \(database.name) to \(backup.path) with pg_dump (custom format); restore it with: pg_restore --dbname=DATABASE-ADDRESS \(backup.path) (into a database that does not yet hold its schema), then check it with: bridges doctor --db DATABASE-ADDRESS")
            } else {
                Console.say("Backed up \(database.name) to \(backup.path); check it with: bridges doctor --db \(backup.path)")
            }
        }
    }
}

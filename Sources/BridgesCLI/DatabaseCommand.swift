import ArgumentParser
import BridgesKit

/// `bridges db`: the database as a whole.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Work on a whole database: copy it to another store.",
        subcommands: [Copy.self])

    /// `bridges db copy FROM TO`
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy a whole database into a new one: an SQLite file to PostgreSQL, or back.",
            discussion: """
                FROM and TO are each a database file or a postgres://USER@HOST/DATABASE address. TO must be new: a \
                file that does not exist yet, or a PostgreSQL database (or schema=) without Bridges' tables. Every \
                record is copied as it is (ids, the audit trail and its hash chain, accounts), all or nothing: before \
                the new database is kept, each table is read back from it and its row count and SHA-256 compared with \
                the source's, and the source must not change meanwhile (stop bridges serve first). The new database's \
                tables are then listed with their counts and digests.
                """)

        @Argument(help: ArgumentHelp("The database to copy: a file, or a postgres:// address.", valueName: "from"))
        var from: String
        @Argument(help: ArgumentHelp("The new database: a file that does not exist, or a postgres:// address.", valueName: "to"))
        var to: String

        func run() async throws {
            try await Console.run {
                if DatabaseOptions.name(of: from) == DatabaseOptions.name(of: to) {
                    throw BridgesError.usage("FROM and TO name the same database (\(DatabaseOptions.name(of: from))); name a new one to copy into")
                }
                let copy = try await DatabaseMaintenance.copy(from: DatabaseOptions.location(of: from), to: DatabaseOptions.location(of: to))
                Console.result(TextTable.render(header: ["TABLE", "ROWS", "SHA-256"], rows: copy.tables.map { [$0.name, String($0.rows), $0.sha256] }))
                Console.say("copied \(copy.rows) rows in \(copy.tables.count) tables from \(copy.from) to \(copy.to); every table's row count and SHA-256 read back from the copy match the source")
            }
        }
    }
}

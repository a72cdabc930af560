import ArgumentParser
import BridgesKit

/// `bridges doctor`: is this database sound? Reads the file, never changes it.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the database without changing it: integrity, references, migrations, the audit trail and file permissions.",
        discussion: """
            Prints one line per check. Exit status 0 when every check passes (a warning, such as a file that others \
            can read, does not fail), 1 when a check fails, 66 when there is no database (none is created), 74 when \
            the file cannot be opened as a database.
            """)

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try Console.run {
            let checks = try DatabaseMaintenance.check(databasePath: database.path)
            let width = checks.map(\.name.count).max() ?? 0
            for check in checks {
                let label = check.outcome.rawValue + ":"
                Console.result("\(label.padding(toLength: 9, withPad: " ", startingAt: 0))\(check.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(check.finding)")
            }
            let failed = checks.filter { $0.outcome == .failed }.count
            if failed > 0 {
                Console.say("\(database.path): \(failed) check\(failed == 1 ? "" : "s") failed")
                throw ExitCode(1)
            }
            Console.say("\(database.path): all is well")
        }
    }
}

import ArgumentParser
import Foundation
import BridgesKit

/// `bridges doctor`: is this database sound? Reads the file, never changes it.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the database without changing it: integrity, references, migrations, the audit trail and file permissions.",
        discussion: """
            Prints one line per check, then a last line that counts what it found. Exit status 0 when every \
            check passes; 1 when anything needs doing: a check failed (damage, a broken reference, a tampered \
            audit trail) or warned (a file that others can read); 66 when there is no database (none is created), \
            74 when the file cannot be opened as a database.
            """)

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await Console.run {
            let checks = try await DatabaseMaintenance.check(database.location, now: Date())
            let width = checks.map(\.name.count).max() ?? 0
            for check in checks {
                let label = check.outcome.rawValue + ":"
                Console.result("\(label.padding(toLength: 9, withPad: " ", startingAt: 0))\(check.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(check.finding.forCommandLine)")
            }
            let failed = checks.filter { $0.outcome == .failed }.count
            let warned = checks.filter { $0.outcome == .warning }.count
            guard failed + warned > 0 else {
                Console.say("\(database.name): all \(checks.count) checks passed; nothing needs doing")
                return
            }
            let found = [failed > 0 ? "\(failed) check\(failed == 1 ? "" : "s") failed" : nil,
                         warned > 0 ? "\(warned) warning\(warned == 1 ? "" : "s")" : nil].compactMap { $0 }
            Console.say("\(database.name): \(found.joined(separator: ", ")); see the lines above for what to do")
            throw ExitCode(1)
        }
    }
}

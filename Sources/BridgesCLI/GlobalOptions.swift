import ArgumentParser
import BridgesKit
import Foundation

/// `--db` and `--actor` given before the command (`bridges --db x.sqlite roster list`).
///
/// ArgumentParser reads an option only where the command that declares it stands, and these two are
/// declared by the leaf commands. So before parsing, the ones written ahead of the command are
/// moved to just after the full command path: `bridges --db x.sqlite roster list --school 1`
/// is read as `bridges roster list --db x.sqlite --school 1`. The rewrite is exact about what a
/// command is: it moves only `--db V`, `--db=V`, `--actor V` and `--actor=V` that stand before or
/// between the names of commands (each looked up among the subcommands of the one before), and
/// stops at the first other word, so a value such as `--name --db` after the command is never
/// touched. When no full command path follows, nothing moves (and ArgumentParser says what is wrong).
enum GlobalOptions {
    static let names: Set<String> = ["--db", "--actor"]

    static func rewrite(_ arguments: [String], root: any ParsableCommand.Type = Bridges.self) -> [String] {
        var moved: [String] = []
        var path: [String] = []
        var command: any ParsableCommand.Type = root
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if names.contains(word) {
                guard index + 1 < arguments.count else { return arguments }
                moved += [word, arguments[index + 1]]
                index += 2
            } else if let equals = word.firstIndex(of: "="), names.contains(String(word[..<equals])) {
                moved.append(word)
                index += 1
            } else if let sub = subcommand(named: word, of: command) {
                path.append(word)
                command = sub
                index += 1
            } else {
                break
            }
        }
        // Only a whole path to a command that runs; a half path (`bridges --db x roster`, a typo
        // after it) is left for ArgumentParser to explain.
        guard !moved.isEmpty, !path.isEmpty, command.configuration.subcommands.isEmpty else { return arguments }
        return path + moved + arguments[index...]
    }

    private static func subcommand(named word: String, of command: any ParsableCommand.Type) -> (any ParsableCommand.Type)? {
        command.configuration.subcommands.first { sub in
            let configuration = sub.configuration
            return (configuration.commandName ?? sub._commandName) == word || configuration.aliases.contains(word)
        }
    }
}

extension Bridges {
    /// Parses and runs with the global options moved into place, and shows ArgumentParser's own
    /// messages (which quote what was typed) by `DisplayText`'s one rule, as every other message.
    static func main() async {
        let arguments = GlobalOptions.rewrite(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(arguments)
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let error as BridgesError {
            // One that escaped `Console.run` (thrown while options were checked): the same words.
            Console.say("error: \(error.text(in: CommandLineWords()))")
            Foundation.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                if code == .success {
                    print(message)
                } else {
                    Console.writeStandardError(DisplayText.escapedKeepingLineBreaks(message) + "\n")
                }
            }
            Foundation.exit(code.rawValue)
        }
    }
}

import ArgumentParser
import BridgesCore
import BridgesKit
import BridgesSystem
import Foundation
import Synchronization

/// Where the command line speaks: results on standard output, everything for people on standard
/// error, so `id=$(bridges session log …)` captures only the id.
///
/// Everything printed for people passes here and through `DisplayText`'s one rule: control
/// characters and bidi overrides in stored values (names, reasons, notes, actors, ids quoted in an
/// error) are shown escaped (`\u{1B}`), never sent raw to the terminal. Text composed of several
/// lines keeps its line breaks; `result(lines:)` and `TextTable` escape line breaks inside a value
/// too. Machine output (a CSV or page written to standard output) does not come here.
enum Console {
    static func result(_ text: String) {
        print(DisplayText.escapedKeepingLineBreaks(text))
    }

    /// Lines composed from stored values, each shown whole on one line (a line break inside a
    /// value is escaped, so no value can forge a line such as "VALID: …").
    static func result(lines: [String]) {
        print(lines.map(DisplayText.escaped).joined(separator: "\n"))
    }

    static func say(_ text: String) {
        writeStandardError(DisplayText.escapedKeepingLineBreaks(text) + "\n")
    }

    /// Writes to standard error with write(2). FileHandle's `write` stops the process with a
    /// trap when the write fails (standard error on a full disk, or past a file-size limit), and
    /// a message that cannot be shown must not cost the work it describes.
    static func writeStandardError(_ text: String) {
        Array(text.utf8).withUnsafeBytes { bytes in try? SystemCall.writeAll(STDERR_FILENO, bytes) }
    }

    static func diagnostics(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        say(diagnostics.map { DisplayText.escaped($0.rendered(in: CommandLineWords())) }.joined(separator: "\n"))
    }

    static var standardErrorIsTerminal: Bool { SystemCall.isTerminal(STDERR_FILENO) }

    /// Runs a command body, turning a failure into its message on standard error and the exit
    /// status cli.md promises.
    static func run(_ body: () async throws -> Void) async throws {
        // A file-size limit (`ulimit -f`) then makes a write fail with EFBIG, which every write
        // reports and cleans up after, instead of killing the process part way through and
        // leaving a half-written file (a backup and its -journal) behind.
        SystemCall.ignoreSignal(SIGXFSZ)
        // Likewise a reader that goes away (`bridges export attendance --out - | head`): the
        // write fails with EPIPE and the report's private scratch copy is removed, instead of the
        // process dying at once and leaving students' rows in the temporary folder.
        SystemCall.ignoreSignal(SIGPIPE)
        do {
            try await body()
        } catch let error as BridgesError {
            if case .invalidInput(let diagnostics) = error {
                Self.diagnostics(diagnostics)
            }
            say("error: \(error.text(in: CommandLineWords()))")
            throw ExitCode(error.exitCode)
        }
    }
}

/// A one-line progress indicator on standard error, shown only on a terminal and only once
/// the work has taken more than a second.
final class ProgressLine: Sendable {
    private struct State {
        var lastDrawn: Double = 0
        var drawn = false
    }

    private let start = Date()
    private let state = Mutex(State())
    private let enabled = Console.standardErrorIsTerminal

    var handler: ProgressHandler {
        { [self] progress in update(progress) }
    }

    func update(_ progress: WorkProgress) {
        guard enabled else { return }
        let elapsed = Date().timeIntervalSince(start)
        guard elapsed > 1 else { return }
        let shouldDraw = state.withLock { state -> Bool in
            guard elapsed - state.lastDrawn >= 0.1 || progress.done == progress.total else { return false }
            state.lastDrawn = elapsed
            state.drawn = true
            return true
        }
        guard shouldDraw else { return }
        let text = progress.total > 0
            ? "\(progress.phase): \(progress.done)/\(progress.total) (\(progress.done * 100 / progress.total)%)"
            : "\(progress.phase): \(progress.done)"
        Console.writeStandardError("\r\u{1B}[K\(text)")
    }

    /// Clears the line, so what is said next starts clean.
    func finish() {
        let drawn = state.withLock { state -> Bool in
            defer { state.drawn = false }
            return state.drawn
        }
        if drawn { Console.writeStandardError("\r\u{1B}[K") }
    }
}

/// Kit's messages in the command line's words: a field is its flag (`--date`), an action the
/// command that does it (`bridges session void`).
struct CommandLineWords: MessageWords {
    func name(of field: Field) -> String { "--" + field.rawValue }
    func name(of action: Action) -> String { "bridges " + action.rawValue }
}

extension Message {
    /// The message as the command line says it.
    var forCommandLine: String { rendered(in: CommandLineWords()) }
}


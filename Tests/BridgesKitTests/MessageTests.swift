import BridgesCore
@testable import BridgesKit
import BridgesStore
import Foundation
import Testing

/// Errors as data (issue 11): Kit's messages name inputs and next steps as `Field` and `Action`,
/// and each front door says them in its own words; failures carry what is missing and a stable code.
@Suite("messages and errors as data")
struct MessageTests {
    struct Flags: MessageWords {
        func name(of field: Field) -> String { "--" + field.rawValue }
        func name(of action: Action) -> String { "bridges " + action.rawValue }
    }

    struct JSONNames: MessageWords {
        func name(of field: Field) -> String { "\"\(field.rawValue)\"" }
        func name(of action: Action) -> String { "POST /\(action.rawValue.replacingOccurrences(of: " ", with: "/"))" }
    }

    @Test func aMessageIsRenderedInEachFrontDoorsWords() {
        let id: Int64 = 12
        let message: Message = "\(field: .date) 2030-01-01 is in the future; correct it with `\(.sessionAmend) \(id) \(field: .date) YYYY-MM-DD`"
        #expect(message.rendered(in: Flags()) == "--date 2030-01-01 is in the future; correct it with `bridges session amend 12 --date YYYY-MM-DD`")
        #expect(message.rendered(in: JSONNames()) == "\"date\" 2030-01-01 is in the future; correct it with `POST /session/amend 12 \"date\" YYYY-MM-DD`")
        #expect(message.description == "date 2030-01-01 is in the future; correct it with `session amend 12 date YYYY-MM-DD`")
        #expect(message.fields == [.date, .date])
    }

    @Test func textIsKeptWholeBetweenTheNames() {
        let message: Message = "a \(1) b \("c") d"
        #expect(message.parts == [.text("a 1 b c d")])
        let joined = Message.joined(["one \(field: .from)", "two"], separator: "; ")
        #expect(joined.rendered(in: Flags()) == "one --from; two")
    }

    @Test func anErrorCarriesWhatIsMissingAndAStableCode() {
        let missing = BridgesError.notFound(.student("S-1"), "no student 'S-1' is in the roster; `\(.rosterList)` shows the students")
        #expect(missing.code == "not-found.student")
        #expect(missing.exitCode == 66)
        #expect(missing.text(in: Flags()) == "no student 'S-1' is in the roster; `bridges roster list` shows the students")
        guard case .notFound(.student(let id), _) = missing else { Issue.record("not a missing student"); return }
        #expect(id == "S-1")

        let usage = BridgesError.usage("\(field: .minCell) must be 2 or more")
        #expect(usage.code == "usage.min-cell")
        #expect(usage.exitCode == 64)
        #expect(BridgesError.forbidden(role: .auditor, permission: .logSession).code.hasPrefix("forbidden."))
    }

    @Test func aStoreErrorNamesTheDatabaseInputAndTheUpgradeAsData() {
        let older = BridgesError(StoreError.olderVersion(path: "district.sqlite"))
        #expect(older.text(in: Flags()).contains("run `bridges upgrade --db district.sqlite`"))
        #expect(older.message.fields == [.database])
        let missing = BridgesError(StoreError.missing(path: "nowhere.sqlite"))
        #expect(missing.code == "not-found.database")
        #expect(missing.text(in: Flags()).contains("check the name given with --db"))
    }

    @Test func aDiagnosticKeepsItsNamesUntilItIsShown() {
        let diagnostic = Diagnostic.warning(code: "session-import.partly-marked", "add rows for them (or `\(.sessionAmend)`)", file: "marks.csv", line: 3)
        #expect(diagnostic.rendered(in: Flags()) == "marks.csv:3: warning: add rows for them (or `bridges session amend`)")
        #expect(diagnostic.description == "marks.csv:3: warning: add rows for them (or `session amend`)")
    }

    /// Nothing below the command line names a flag or a command in what it says: every such name
    /// is a `Field` or an `Action`. (The printable lesson and certificate pages are documents for
    /// paper that tell a reader which command to type; they are the one exception, and say so.)
    @Test func noLayerBelowTheCommandLineSpellsAFlagOrACommand() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        let layers = ["BridgesCore", "BridgesStore", "BridgesSQLite", "BridgesKit", "BridgesCSV", "BridgesXML", "BridgesSystem", "BridgesArchives", "BridgesSigning"]
        let flag = try Regex(#"(^|[^-\w<])--[a-z][a-z-]*[a-z]\b"#)
        let command = try Regex(#"\bbridges (lesson|roster|session|quiz|officer|certificate|issuer|student|user|token|export|upgrade|demo|doctor|backup|retention|disclosure)\b"#)
        var found: [String] = []
        for layer in layers {
            let folder = sources.appendingPathComponent(layer)
            guard let files = FileManager.default.enumerator(atPath: folder.path) else { continue }
            for case let name as String in files where name.hasSuffix(".swift") && !name.hasPrefix("Printable") {
                let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let code = line.trimmingCharacters(in: .whitespaces)
                    if code.hasPrefix("//") { continue }
                    if line.contains(flag) || line.contains(command) { found.append("\(layer)/\(name):\(number + 1)") }
                }
            }
        }
        #expect(found.isEmpty, "these lines name a flag or a command: \(found)")
    }

    /// Kit is handed what a front door has (a sink for its output, a clock, absolute paths, a
    /// temporary folder): in its code (comments aside) it names no standard stream, prints
    /// nothing, and reads no clock, time zone, environment, working folder, home folder or
    /// temporary folder of its own (`FileManager.temporaryDirectory` reads `$TMPDIR`).
    @Test func kitReadsNoClockEnvironmentWorkingFolderOrStandardStream() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/BridgesKit")
        let forbidden = [
            "STDOUT_FILENO", "STDERR_FILENO", "print(", "Date()", ".today()", "currentDirectoryPath", "ProcessInfo", "getenv",
            "TimeZone.current", "getcwd", "chdir(", "changeCurrentDirectoryPath", "temporaryDirectory", "NSTemporaryDirectory",
            "homeDirectory", "NSHomeDirectory",
        ]
        let trailingComment = try Regex(#"(^|\s)//.*$"#)
        var scanned = 0
        var found: [String] = []
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }.sorted()
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            scanned += 1
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = String(line).replacing(trailingComment, with: "")
                for word in forbidden where code.contains(word) {
                    found.append("\(name):\(number + 1) \(word)")
                }
            }
        }
        #expect(scanned > 20, "the sources of BridgesKit were not found at \(folder.path)")
        #expect(found.isEmpty, "these lines of BridgesKit print, name a standard stream, or read the clock, time zone, environment, working, home or temporary folder: \(found)")
    }
}

import Foundation
import Testing

/// Every finding about an input file has a stable code (docs/diagnostic-codes.md): a program
/// reacts to the code, a person reads the message. The list and the sources are held to each
/// other, so a code is never added without being documented, nor documented and gone.
@Suite("diagnostic codes")
struct DiagnosticCodeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let areas = "file|xml|schema|lesson|program|quiz|lesson-set|csv|roster|oneroster|session-import|sheet|quiz-sheet|archive|internal"

    /// The codes written in the sources: the string literals of the form `area.kind`, less file
    /// names such as "program.xml".
    static func codesInSources() throws -> Set<String> {
        let literal = try Regex(#""((?:\#(areas))\.[a-z0-9]+(?:-[a-z0-9]+)*)""#)
        var codes = Set<String>()
        let sources = root.appendingPathComponent("Sources")
        guard let files = FileManager.default.enumerator(atPath: sources.path) else { return [] }
        for case let name as String in files where name.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(name), encoding: .utf8)
            for match in text.matches(of: literal) {
                let code = String(text[match.range].dropFirst().dropLast())
                if ["xml", "csv", "zip"].contains(code.split(separator: ".").last.map(String.init) ?? "") { continue }
                codes.insert(code)
            }
        }
        return codes
    }

    static func codesListed() throws -> Set<String> {
        let text = try String(contentsOf: root.appendingPathComponent("docs/diagnostic-codes.md"), encoding: .utf8)
        let row = try Regex(#"(?m)^\| `([^`]+)` \|"#)
        return Set(text.matches(of: row).map { match in
            let line = text[match.range]
            return String(line.dropFirst(3).prefix { $0 != "`" })
        })
    }

    @Test func everyCodeInTheSourcesIsListedAndEveryListedCodeIsUsed() throws {
        let used = try Self.codesInSources()
        let listed = try Self.codesListed()
        #expect(used.count > 100, "found only \(used.count) codes: the search is broken")
        #expect(used.subtracting(listed).isEmpty, "used but not in docs/diagnostic-codes.md: \(used.subtracting(listed).sorted())")
        #expect(listed.subtracting(used).isEmpty, "in docs/diagnostic-codes.md but used nowhere: \(listed.subtracting(used).sorted())")
    }

    @Test func codesAreLowerCaseWordsJoinedByDashesAfterTheirArea() throws {
        let shape = try Regex(#"^[a-z]+(-[a-z]+)*\.[a-z0-9]+(-[a-z0-9]+)*$"#)
        for code in try Self.codesListed() {
            #expect(code.wholeMatch(of: shape) != nil, "\(code)")
        }
    }
}

/// Kit's tests reach the database only through the store contract: the one place that names the
/// SQLite store is Support/TestStore.swift, so the suite runs on another store by changing it.
@Suite("Kit tests through the store contract")
struct KitTestsUseTheContractTests {
    @Test func noKitTestButTheStoreChoiceNamesSQLite() throws {
        let tests = DiagnosticCodeTests.root.appendingPathComponent("Tests/BridgesKitTests")
        let named = try Regex(#"import BridgesSQLite|import GRDB|"sqlite3"|SQLiteStore|SQLiteLocation"#)
        var found: [String] = []
        guard let files = FileManager.default.enumerator(atPath: tests.path) else { return }
        for case let name as String in files where name.hasSuffix(".swift") && name != "Support/TestStore.swift" && name != "DiagnosticCodeTests.swift" {
            let text = try String(contentsOf: tests.appendingPathComponent(name), encoding: .utf8)
            if text.contains(named) { found.append(name) }
        }
        #expect(found.isEmpty, "these Kit tests reach into SQLite: \(found)")
    }
}

import Foundation
import Testing

/// Issue 10, rosters: what a district file or an attacker's file must not get past `bridges roster
/// import`, and what a spreadsheet must not run from an export. Runs the built executable.
@Suite("roster hardening (issue 10)", .timeLimit(.minutes(2)))
struct RosterHardeningTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        let writes = arguments.count > 1 && ["import", "add", "log", "load"].contains(arguments[1])
        let outcome = try BridgesProcess.run(arguments + ["--db", "school.sqlite"] + (writes ? ["--actor", "registrar"] : []), in: folder, sourceLocation: sourceLocation)
        #expect(!outcome.timedOut, "bridges \(arguments.joined(separator: " ")) hung", sourceLocation: sourceLocation)
        #expect(!outcome.crashed, "\(outcome)", sourceLocation: sourceLocation)
        return outcome
    }

    static let header = "school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade\r\n"

    // MARK: item 5: control characters and lengths

    @Test(arguments: [
        ("\t", "a tab (U+0009)"), ("\r", "a carriage return (U+000D)"), ("\n", "a line feed (U+000A)"),
        ("\u{1B}[31m", "an escape (U+001B)"), ("\u{07}", "a bell (U+0007)"), ("\u{7F}", "a delete (U+007F)"),
        ("\u{9B}", "a control character (U+009B)"),
    ])
    func aControlCharacterInANameIsRefusedAtItsLineAndColumn(control: String, described: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("roster.csv", Self.header + "S1,School,c1,Class,1,Ann,Lee,3\r\nS1,School,c1,Class,2,\"Ti\(control)m\",Lee,3\r\n")
        let outcome = try bridges("roster", "import", "roster.csv", in: folder)
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.standardError.contains("roster.csv:3:6: error: given_name has \(described) at character 3"), "\(outcome)")
        #expect(outcome.standardError.contains("nothing was written"), "\(outcome)")
        // And nothing was stored, not even the good row
        let list = try bridges("roster", "list", in: folder)
        #expect(!list.standardOutput.contains("Ann"), "\(list)")
    }

    @Test func aControlCharacterInAnIdIsRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("roster.csv", Self.header + "S1,School,\"c\u{1B}]0;pwned\u{07}\",Class,1,Ann,Lee,3\r\n")
        let outcome = try bridges("roster", "import", "roster.csv", in: folder)
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.standardError.contains("roster.csv:2:3: error: class_id has an escape (U+001B) at character 2"), "\(outcome)")
    }

    @Test func aFourMillionCharacterNameIsRefusedNamingTheLimit() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("roster.csv", Self.header + "S1,School,c1,Class,1,Ann,\(String(repeating: "A", count: 4_000_000)),3\r\n")
        let outcome = try bridges("roster", "import", "roster.csv", in: folder)
        #expect(outcome.status == 65, "\(outcome.status)")
        #expect(outcome.standardError.contains("roster.csv:2:7: error: family_name is longer than 200 characters"), "\(outcome.standardError.prefix(500))")
        #expect(outcome.standardError.utf8.count < 2_000, "the error must not echo the name")
        // A name of 200 characters, and an id of 128, are still taken
        try folder.write("ok.csv", Self.header + "S1,School,c1,Class,\(String(repeating: "7", count: 128)),Ann,\(String(repeating: "é", count: 200)),3\r\n")
        let ok = try bridges("roster", "import", "ok.csv", in: folder)
        #expect(ok.status == 0, "\(ok)")
    }

    @Test func aLongIdIsRefusedNamingTheLimit() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("roster.csv", Self.header + "S1,School,c1,Class,\(String(repeating: "7", count: 129)),Ann,Lee,3\r\n")
        let outcome = try bridges("roster", "import", "roster.csv", in: folder)
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.standardError.contains("roster.csv:2:5: error: student_id is longer than 128 characters"), "\(outcome)")
    }

    @Test func oneRosterNamesFollowTheSameRule() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SmallOneRoster.write(to: folder, users: "u1,student,\"Ann\u{1B}[2J\",Lee,03\r\n")
        let outcome = try bridges("roster", "import", "oneroster", in: folder)
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.standardError.contains("users.csv:2:3: error: givenName has an escape (U+001B) at character 4"), "\(outcome)")
    }

    @Test func officerNamesAndAgenciesFollowTheSameRule() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let escape = try bridges("officer", "add", "o-1", "--name", "Bob\u{1B}[31m", in: folder)
        #expect(escape.status == 64, "\(escape)")
        #expect(escape.standardError.contains("--name has an escape (U+001B) at character 4"), "\(escape)")
        let long = try bridges("officer", "add", "o-1", "--name", "Bob", "--agency", String(repeating: "P", count: 201), in: folder)
        #expect(long.status == 64, "\(long)")
        #expect(long.standardError.contains("--agency is longer than 200 characters"), "\(long)")
        let id = try bridges("officer", "add", String(repeating: "o", count: 129), "--name", "Bob", in: folder)
        #expect(id.status == 64, "\(id)")
        #expect(id.standardError.contains("the officer id is longer than 128 characters"), "\(id)")
        #expect(try bridges("officer", "list", in: folder).standardOutput.contains("Bob") == false)
    }

    // MARK: item 21: names trimmed at either end

    @Test func namesAreTrimmedAndAReimportOfTheTrimmedNamesChangesNothing() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("spaced.csv", Self.header + "S1, School ,c1,Class ,1,\"Tim \",\" Lee\",3\r\nS1, School ,c1,Class ,2,Ann  Marie,Lee,3\r\n")
        try folder.write("trimmed.csv", Self.header + "S1,School,c1,Class,1,Tim,Lee,3\r\nS1,School,c1,Class,2,Ann  Marie,Lee,3\r\n")
        #expect(try bridges("roster", "import", "spaced.csv", in: folder).status == 0)
        let list = try bridges("roster", "list", in: folder)
        // Then "Ann  Marie" (inner spaces kept) sorts before "Tim": the trailing space is gone
        #expect(list.standardOutput.contains("Lee          Ann  Marie"), "\(list)")
        let lines = list.standardOutput.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(lines.dropFirst().map { $0[2] } == ["2", "1"], "\(list)")
        #expect(lines.contains(["S1", "c1", "1", "Lee", "Tim", "3"]), "\(list)")
        // And importing the same names trimmed is no change
        let again = try bridges("roster", "import", "trimmed.csv", in: folder)
        #expect(again.status == 0, "\(again)")
        #expect(again.standardOutput.contains("(0 new, 0 renamed), classes 1 (0 new, 0 renamed), students 2 (0 new, 0 updated)"), "\(again)")
    }

    // MARK: item 20: `;` is a list separator in many locales

    @Test func anExportedCellHoldingASemicolonIsQuoted() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeWaterProgram(to: folder)
        try folder.write("roster.csv", Self.header + "S1,School,3A,Room 3A,1,Ann,Lee;=1+2,3\r\n")
        #expect(try bridges("lesson", "load", "water", in: folder).status == 0)
        #expect(try bridges("roster", "import", "roster.csv", in: folder).status == 0)
        #expect(try bridges("officer", "add", "o-1", "--name", "Reyes;@SUM(1)", in: folder).status == 0)
        let log = try bridges("session", "log", "--lesson", "ws-pools", "--class", "3A", "--officer", "o-1", "--date", "2025-03-03", "--others", "present", in: folder)
        #expect(log.status == 0, "\(log)")
        let export = try bridges("export", "attendance", "--out", "-", in: folder)
        #expect(export.status == 0, "\(export)")
        #expect(export.standardOutput.contains(",\"Lee;=1+2\","), "\(export)")
        #expect(export.standardOutput.contains(",\"Reyes;@SUM(1)\","), "\(export)")
        #expect(!export.standardOutput.contains(",Lee;"), "\(export)")
    }
}

/// A small OneRoster 1.1 CSV export in folder `oneroster`, one school and class, with the
/// students given as users.csv rows (`sourcedId,role,givenName,familyName,grades`).
enum SmallOneRoster {
    static func write(to folder: TemporaryFolder, users: String, at path: String = "oneroster", extraUserColumns: String = "") throws {
        try? FileManager.default.removeItem(atPath: folder.path(path))
        try folder.write("\(path)/manifest.csv", "propertyName,value\r\nmanifest.version,1.0\r\noneroster.version,1.1\r\n")
        try folder.write("\(path)/orgs.csv", "sourcedId,name,type\r\nS1,School,school\r\n")
        try folder.write("\(path)/classes.csv", "sourcedId,title,schoolSourcedId\r\nc1,Class,S1\r\n")
        try folder.write("\(path)/users.csv", "sourcedId,role,givenName,familyName,grades\(extraUserColumns)\r\n" + users)
        let ids = users.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }).map { $0.split(separator: ",").first.map(String.init) ?? "" }
        try folder.write(
            "\(path)/enrollments.csv",
            "sourcedId,classSourcedId,userSourcedId,role\r\n" + ids.enumerated().map { "e\($0.offset),c1,\($0.element),student\r\n" }.joined())
    }
}

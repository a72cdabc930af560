import Foundation
import Testing

/// Issue 10 item 9: `export attendance` then `session import` into a database holding the same
/// lessons, roster and officers gives back the same marks (cli.md), even for ids and names that
/// the report's formula guard wrote with a leading `'`.
@Suite("session import round trip", .timeLimit(.minutes(2)))
struct SessionImportRoundTripTests {
    /// Ids and names a spreadsheet would read as formulas, one that really starts with `'`, and quotes.
    static let roster = [
        "school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade",
        #"=S1,"=HYPERLINK(""x"")",@class,-Class,-0042,=Given,+Family,8"#,
        #"=S1,"=HYPERLINK(""x"")",@class,-Class,+7,@Ann,-Lee,8"#,
        "=S1,\"=HYPERLINK(\"\"x\"\")\",@class,-Class,=1+1,\"\"\"Quoted\"\"\",\"-tab here\",8",
        #"=S1,"=HYPERLINK(""x"")",@class,-Class,@bob,'=Kept,'-kept,8"#,
        #"=S1,"=HYPERLINK(""x"")",@class,-Class,'-0043,"x,y",'Plain,8"#,
        #"=S1,"=HYPERLINK(""x"")",@class,-Class,"""q""",Q,Q,8"#,
    ].joined(separator: "\r\n") + "\r\n"

    static let sheet = [
        "student_id,status", "-0042,present", "+7,late", "=1+1,absent", "@bob,excused", "'-0043,present", #""""q""",absent"#,
    ].joined(separator: "\r\n") + "\r\n"

    /// A folder with the term's database plus the guarded roster and an officer `=ofc`.
    func prepared() async throws -> TemporaryFolder {
        let folder = try await CLITerm.folder()
        try folder.write("odd.csv", Self.roster)
        let imported = try CLITerm.run(["roster", "import", "odd.csv"], in: folder, sourceLocation: #_sourceLocation)
        try #require(imported.status == 0, "\(imported)")
        let officer = try CLITerm.run(["officer", "add", "=ofc", "--name=-Dana", "--certified-until", "2030-06-30"], in: folder, sourceLocation: #_sourceLocation)
        try #require(officer.status == 0, "\(officer)")
        return folder
    }

    func export(_ folder: TemporaryFolder) throws -> String {
        let outcome = try CLITerm.run(["export", "attendance", "--out", "attendance.csv", "--force"], in: folder, sourceLocation: #_sourceLocation)
        try #require(outcome.status == 0, "\(outcome)")
        return try String(contentsOf: folder.url.appendingPathComponent("attendance.csv"), encoding: .utf8)
    }

    @Test func exportThenImportGivesBackTheSameMarksForGuardedIdsAndNames() async throws {
        // Given a session logged for the guarded class by the guarded officer
        let first = try await prepared()
        defer { first.remove() }
        try first.write("sheet.csv", Self.sheet)
        let logged = try CLITerm.run(
            ["session", "log", "--lesson", "fa-scene-safety", "--class", "@class", "--officer", "=ofc", "--date", "2025-09-08",
             "--sheet", "sheet.csv", "--actor", "=actor"], in: first, sourceLocation: #_sourceLocation)
        try #require(logged.status == 0, "\(logged)")
        // And its attendance exported (the guard writes '-0042, '=1+1, ''-0043 …)
        let exported = try export(first)
        #expect(exported.contains("'-0042"), "\(exported)")
        #expect(exported.contains("''-0043"), "\(exported)")

        // When it is imported into a fresh database holding the same lessons, roster and officers
        let second = try await prepared()
        defer { second.remove() }
        try second.write("attendance.csv", exported)
        let imported = try CLITerm.run(["session", "import", "attendance.csv"], in: second, sourceLocation: #_sourceLocation)

        // Then every mark comes back, and the export of it is the same file
        #expect(imported.status == 0, "\(imported)")
        #expect(imported.standardOutput.contains("marks 6 added"), "\(imported)")
        #expect(try export(second) == exported)

        // And importing it again changes nothing
        let again = try CLITerm.run(["session", "import", "attendance.csv"], in: second, sourceLocation: #_sourceLocation)
        #expect(again.status == 0, "\(again)")
        #expect(again.standardOutput.contains("marks 0 added, 6 unchanged"), "\(again)")
    }
}

import Foundation
import Testing

/// Issue 10, item 12: every CEDS grade code and a blank OneRoster grade are kept as written, and
/// the district's student number (OneRoster `identifier`) is kept and findable. Runs the built
/// executable.
@Suite("roster grades and identifiers (issue 10)", .timeLimit(.minutes(2)))
struct RosterGradeTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        let writes = arguments.count > 1 && ["import", "add", "log", "load"].contains(arguments[1])
        let outcome = try BridgesProcess.run(arguments + ["--db", "school.sqlite"] + (writes ? ["--actor", "registrar"] : []), in: folder, sourceLocation: sourceLocation)
        #expect(!outcome.timedOut, "bridges \(arguments.joined(separator: " ")) hung", sourceLocation: sourceLocation)
        #expect(!outcome.crashed, "\(outcome)", sourceLocation: sourceLocation)
        return outcome
    }

    static let users = """
        u1,student,Ann,Lee,PK,100234\r
        u2,student,Bo,Lee,,100235\r
        u3,student,Cy,Lee,"TK,KG",\r
        u4,student,Di,Lee,UG,100237\r
        u5,student,Ed,Lee,03,100238\r
        u6,student,Fi,Lee,IT,100239\r

        """

    @Test func aDistrictWithPreKTransitionalUngradedAndBlankGradesImportsAndShowsThemAsWritten() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SmallOneRoster.write(to: folder, users: Self.users, extraUserColumns: ",identifier")
        let outcome = try bridges("roster", "import", "oneroster", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput.contains("students 6 (6 new, 0 updated)"), "\(outcome)")
        let list = try bridges("roster", "list", in: folder)
        #expect(list.standardOutput == """
            SCHOOL  CLASS  STUDENT  FAMILY NAME  GIVEN NAME  GRADE  IDENTIFIER
            S1      c1     u1       Lee          Ann         PK     100234
            S1      c1     u2       Lee          Bo                 100235
            S1      c1     u3       Lee          Cy          TK
            S1      c1     u4       Lee          Di          UG     100237
            S1      c1     u5       Lee          Ed          3      100238
            S1      c1     u6       Lee          Fi          IT     100239

            """, "\(list)")
        // And importing it again changes nothing
        let again = try bridges("roster", "import", "oneroster", in: folder)
        #expect(again.standardOutput.contains("students 6 (0 new, 0 updated)"), "\(again)")
    }

    @Test func aStudentIsFoundByTheDistrictsNumberOrTheirId() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SmallOneRoster.write(to: folder, users: Self.users, extraUserColumns: ",identifier")
        #expect(try bridges("roster", "import", "oneroster", in: folder).status == 0)
        let byNumber = try bridges("roster", "list", "--student", "100238", in: folder)
        #expect(byNumber.status == 0, "\(byNumber)")
        #expect(byNumber.standardOutput.split(separator: "\n").count == 2, "\(byNumber)")
        #expect(byNumber.standardOutput.contains("S1      c1     u5       Lee          Ed          3      100238"), "\(byNumber)")
        let byID = try bridges("roster", "list", "--student", "u1", in: folder)
        #expect(byID.standardOutput.contains("u1       Lee          Ann         PK     100234"), "\(byID)")
        let nobody = try bridges("roster", "list", "--student", "999", in: folder)
        #expect((nobody.standardOutput + nobody.standardError).contains("No enrolled student has the id or identifier 999."), "\(nobody)")
    }

    @Test func aChangedIdentifierOrGradeCodeIsAnAuditedUpdate() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SmallOneRoster.write(to: folder, users: "u1,student,Ann,Lee,PK,100234\r\n", extraUserColumns: ",identifier")
        #expect(try bridges("roster", "import", "oneroster", in: folder).status == 0)
        try SmallOneRoster.write(to: folder, users: "u1,student,Ann,Lee,KG,200234\r\n", extraUserColumns: ",identifier")
        let again = try bridges("roster", "import", "oneroster", in: folder)
        #expect(again.standardOutput.contains("students 1 (0 new, 1 updated)"), "\(again)")
        #expect(try bridges("roster", "list", "--student", "200234", in: folder).standardOutput.contains("Ann         K      200234"))
    }

    @Test func aPlainRosterTakesTheCodesToo() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("roster.csv", """
            school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade
            S1,School,c1,Class,1,Ann,Lee,PK
            S1,School,c1,Class,2,Bo,Lee,tk
            S1,School,c1,Class,3,Cy,Lee,UG
            S1,School,c1,Class,4,Di,Lee,K
            S1,School,c1,Class,5,Ed,Lee,07
            S1,School,c1,Class,6,Fi,Lee,Other

            """)
        let outcome = try bridges("roster", "import", "roster.csv", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        let grades = try bridges("roster", "list", in: folder).standardOutput.split(separator: "\n").dropFirst()
            .map { $0.split(separator: " ").last.map(String.init) ?? "" }
        #expect(grades == ["PK", "TK", "UG", "K", "7", "Other"])
        // A grade that is no code is still refused, naming the codes
        try folder.write("bad.csv", "school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade\nS1,School,c1,Class,7,Gu,Lee,P-K\n")
        let bad = try bridges("roster", "import", "bad.csv", in: folder)
        #expect(bad.status == 65, "\(bad)")
        #expect(bad.standardError.contains("bad.csv:2: error: grade 'P-K' is not one Bridges takes"), "\(bad)")
        #expect(bad.standardError.contains("PK, TK"), "\(bad)")
    }

    @Test func theAttendanceExportKeepsTheGradeAsWritten() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeWaterProgram(to: folder)
        try folder.write("roster.csv", """
            school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade
            S1,School,3A,Room 3A,1,Ann,Lee,PK
            S1,School,3A,Room 3A,2,Bo,Lee,K
            S1,School,3A,Room 3A,3,Cy,Lee,3

            """)
        #expect(try bridges("lesson", "load", "water", in: folder).status == 0)
        #expect(try bridges("roster", "import", "roster.csv", in: folder).status == 0)
        #expect(try bridges("officer", "add", "o-1", "--name", "Reyes", in: folder).status == 0)
        let log = try bridges("session", "log", "--lesson", "ws-pools", "--class", "3A", "--officer", "o-1", "--date", "2025-03-03", "--others", "present", in: folder)
        #expect(log.status == 0, "\(log)")
        let export = try bridges("export", "attendance", "--out", "-", in: folder)
        #expect(export.status == 0, "\(export)")
        let rows = export.standardOutput.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.map { [$0[11], $0[14]] } == [["1", "PK"], ["2", "K"], ["3", "3"]], "\(export)")
    }
}

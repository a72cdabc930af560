import BridgesArchives
@testable import BridgesKit
import BridgesStore
import Foundation
import Testing

/// `roster import` and `roster list` through `Registrar` (cli.md, "Rosters and officers"), each
/// test on a database of its own in a private folder.
@Suite("Rosters")
struct RosterTests {
    static let header = "school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade"

    /// Riverside (0202) has 8A (four students) and 8B (two); Lakeview (0303) has 9H (one).
    static let roster = csv([
        "0202,Riverside Middle,8A,Health 8A,1001,Amara,Okafor,8",
        "0202,Riverside Middle,8A,Health 8A,1002,Li,Wei,8",
        "0202,Riverside Middle,8A,Health 8A,1003,José,García,8",
        "0202,Riverside Middle,8A,Health 8A,1004,Sam,Lee,8",
        "0202,Riverside Middle,8B,Health 8B,2001,Sam,Lee,8",
        "0202,Riverside Middle,8B,Health 8B,2002,Noah,Smith,8",
        "0303,Lakeview High,9H,Health 9,3001,Mei,Chen,9",
    ])

    static func csv(_ rows: [String]) -> String { ([header] + rows).joined(separator: "\r\n") + "\r\n" }

    /// Every enrolment as `class/student family given grade`, in listing order.
    func listing(_ records: Registrar, school: String? = nil, schoolClass: String? = nil) async throws -> [String] {
        var rows: [String] = []
        try await records.listRoster(schoolID: school, classID: schoolClass, shape: { _ in }) { row in
            rows.append("\(row.schoolID)/\(row.classID)/\(row.studentID) \(row.familyName)|\(row.givenName)|\(row.grade)")
        }
        return rows
    }

    func trail(_ records: Registrar, _ entity: String, _ id: String) async throws -> [AuditEvent] {
        try await records.database.auditTrail(entity: entity, id: id)
    }

    // MARK: plain CSV

    @Test func aPlainRosterIsImportedAndListedBySchoolClassAndName() async throws {
        // Given a roster of two schools, three classes and seven students
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        let file = try scratch.write("roster.csv", Self.roster)
        // When it is imported
        let result = try await scratch.records.importRoster(path: file, caller: .local("registrar"))
        // Then every record is new, and the listing shows each enrolment
        #expect(result.format == .rosterCSV)
        #expect(result.schools == .init(added: 2, changed: 0, unchanged: 0))
        #expect(result.classes == .init(added: 3, changed: 0, unchanged: 0))
        #expect(result.students == .init(added: 7, changed: 0, unchanged: 0))
        #expect(result.enrollmentsAdded == 7 && result.enrollmentsRemoved == 0)
        #expect(result.diagnostics.isEmpty && !result.dryRun)
        #expect(result.summary == "schools 2 (2 new, 0 renamed), classes 3 (3 new, 0 renamed), students 7 (7 new, 0 updated), enrolments 7 added, 0 removed")
        await #expect(try listing(scratch.records) == [
            "0202/8A/1003 García|José|8", "0202/8A/1004 Lee|Sam|8", "0202/8A/1001 Okafor|Amara|8", "0202/8A/1002 Wei|Li|8",
            "0202/8B/2001 Lee|Sam|8", "0202/8B/2002 Smith|Noah|8", "0303/9H/3001 Chen|Mei|9",
        ])
        await #expect(try scratch.records.school(id: "0202")?.name == "Riverside Middle")
        await #expect(try scratch.records.schoolClass(id: "8B") == SchoolClass(id: "8B", schoolID: "0202", name: "Health 8B"))
    }

    @Test func theAuditTrailGetsOneSummaryEventForAnImportOfNewRecords() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        let file = try scratch.write("roster.csv", Self.roster)
        _ = try await scratch.records.importRoster(path: file, caller: .local("registrar"))
        // Then one event, by the actor, naming the file and the counts; none per new row
        let events = try await trail(scratch.records, "roster", file)
        #expect(events.count == 1)
        #expect(events.first?.actor == "registrar")
        #expect(events.first?.action == "import roster")
        #expect(events.first?.detail?.contains("students 7 (7 new, 0 updated)") == true)
        await #expect(try scratch.count("auditEvent") == 1)
    }

    @Test func idsKeepLeadingZerosAndNamesKeepTheirScript() async throws {
        // Given ids with leading zeros and names in Arabic, Chinese, Cyrillic, Devanagari and with accents
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        let file = try scratch.write("roster.csv", Self.csv([
            "007,École Saint-Exupéry,00012,Classe de 6e,000123,Zoë,Ñúñez-Ångström,6",
            "007,École Saint-Exupéry,00012,Classe de 6e,0001,محمد,عبد الله,K",
            "007,École Saint-Exupéry,00012,Classe de 6e,0002,伟,王,01",
            "007,École Saint-Exupéry,00012,Classe de 6e,0003,Алексей,Иванов,12",
            "007,École Saint-Exupéry,00012,Classe de 6e,0004,अनीता,शर्मा,KG",
        ]))
        _ = try await scratch.records.importRoster(path: file, caller: .local("registrar"))
        // Then ids and names come back exactly, and grades K/KG/01 are read as K and 1
        await #expect(try Set(listing(scratch.records)) == [
            "007/00012/000123 Ñúñez-Ångström|Zoë|6", "007/00012/0001 عبد الله|محمد|K", "007/00012/0002 王|伟|1",
            "007/00012/0003 Иванов|Алексей|12", "007/00012/0004 शर्मा|अनीता|K",
        ])
        await #expect(try scratch.records.school(id: "7") == nil)
        await #expect(try scratch.records.school(id: "007")?.name == "École Saint-Exupéry")
    }

    @Test func namesThatLookLikeFormulasAreStoredExactlyAsWritten() async throws {
        // Given names a spreadsheet would run as formulas
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        let file = try scratch.write("roster.csv", Self.csv([
            #"1,"=HYPERLINK(""http://x"",""y"")",c1,"+SUM(1,2)",s1,"=HYPERLINK(""http://x"",""y"")","+SUM(1,2)",3"#,
            "1,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",c1,\"+SUM(1,2)\",s2,@cmd,-2+3,3",
            "1,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",c1,\"+SUM(1,2)\",s3,\"Tab here\",'quoted,3",
        ]))
        _ = try await scratch.records.importRoster(path: file, caller: .local("registrar"))
        // Then they are stored verbatim: the formula guard belongs to CSV output, never to storage
        await #expect(try listing(scratch.records) == [
            "1/c1/s3 'quoted|Tab here|3", #"1/c1/s1 +SUM(1,2)|=HYPERLINK("http://x","y")|3"#, #"1/c1/s2 -2+3|@cmd|3"#,
        ])
        await #expect(try scratch.records.school(id: "1")?.name == #"=HYPERLINK("http://x","y")"#)
        await #expect(try scratch.records.schoolClass(id: "c1")?.name == "+SUM(1,2)")
    }

    @Test func idsAndNamesAreTrimmedAtEitherEndOnly() async throws {
        // Given an id with spaces around it and names with a leading tab and trailing spaces
        // (issue 10: a trailing space made "Tim " sort apart from "Tim", so names are trimmed)
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        let file = try scratch.write("roster.csv", Self.csv(["1,One,c1,C1,\" 0042 \",\"\tTabbed\",\"Lee  \",3"]))
        _ = try await scratch.records.importRoster(path: file, caller: .local("registrar"))
        // Then the id is trimmed (leading zeros kept) and so are the names, at either end only
        await #expect(try listing(scratch.records) == ["1/c1/0042 Lee|Tabbed|3"])
    }

    @Test func aStudentInTwoClassesIsOneStudentWithTwoEnrolments() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        let file = try scratch.write("roster.csv", Self.csv([
            "1,One,c1,C1,s1,Ann,Ash,4", "1,One,c2,C2,s2,Bo,Birch,4", "1,One,c2,C2,s1,Ann,Ash,4",
        ]))
        let result = try await scratch.records.importRoster(path: file, caller: .local("registrar"))
        #expect(result.students == .init(added: 2, changed: 0, unchanged: 0))
        #expect(result.enrollmentsAdded == 3)
        // And again: nothing new, nothing counted twice
        let again = try await scratch.records.importRoster(path: file, caller: .local("registrar"))
        #expect(again.students == .init(added: 0, changed: 0, unchanged: 2))
        #expect(again.enrollmentsUnchanged == 3 && again.enrollmentsAdded == 0 && again.enrollmentsRemoved == 0)
    }

    @Test func aRenamedStudentInTwoClassesIsUpdatedAndAuditedOnce() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        let rows = ["1,One,c1,C1,s1,Ann,Ash,4", "1,One,c2,C2,s2,Bo,Birch,4", "1,One,c2,C2,s1,Ann,Ash,4"]
        _ = try await scratch.records.importRoster(path: try scratch.write("roster.csv", Self.csv(rows)), caller: .local("registrar"))
        let renamed = rows.map { $0.replacingOccurrences(of: "Ann,Ash,4", with: "Anne,Ash,5") }
        let result = try await scratch.records.importRoster(path: try scratch.write("next.csv", Self.csv(renamed)), caller: .local("clerk"))
        #expect(result.students == .init(added: 0, changed: 1, unchanged: 1))
        await #expect(try trail(scratch.records, "student", "s1").map { "\($0.field ?? "") \($0.oldValue ?? "") → \($0.newValue ?? "")" } == [
            "givenName Ann → Anne", "grade 4 → 5",
        ])
    }

    @Test func aRepeatedRowIsAWarningAndCountsOnce() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        let file = try scratch.write("roster.csv", Self.csv(["1,One,c1,C1,s1,Ann,Ash,4", "1,One,c1,C1,s1,Ann,Ash,4"]))
        let result = try await scratch.records.importRoster(path: file, caller: .local("registrar"))
        #expect(result.enrollmentsAdded == 1)
        #expect(result.diagnostics.map(\.description) == [
            "\(file):3: warning: student s1 is listed in class c1 again (first on line 2); the repeat is ignored",
        ])
    }

    // MARK: importing again

    @Test func importingTheSameFileAgainChangesNothingAndDuplicatesNothing() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        let file = try scratch.write("roster.csv", Self.roster)
        _ = try await scratch.records.importRoster(path: file, caller: .local("registrar"))
        let before = try await listing(scratch.records)
        // When the same file is imported again
        let again = try await scratch.records.importRoster(path: file, caller: .local("registrar"))
        // Then everything is unchanged, and only the summary is audited
        #expect(again.schools == .init(added: 0, changed: 0, unchanged: 2))
        #expect(again.classes == .init(added: 0, changed: 0, unchanged: 3))
        #expect(again.students == .init(added: 0, changed: 0, unchanged: 7))
        #expect(again.enrollmentsAdded == 0 && again.enrollmentsRemoved == 0 && again.enrollmentsUnchanged == 7)
        await #expect(try listing(scratch.records) == before)
        await #expect(try scratch.count("student") == 7)
        await #expect(try scratch.count("auditEvent") == 2)
        await #expect(try trail(scratch.records, "roster", file).map(\.action) == ["import roster", "import roster"])
    }

    @Test func renamesAndGradeChangesAreUpdatedAndAuditedOldToNew() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        _ = try await scratch.records.importRoster(path: try scratch.write("roster.csv", Self.roster), caller: .local("registrar"))
        // Given a new year's file: the school and a class renamed, a student's name and grade changed
        let next = try scratch.write("next.csv", Self.roster
            .replacingOccurrences(of: "Riverside Middle", with: "Riverside Middle School")
            .replacingOccurrences(of: "Health 9,", with: "Health Nine,")
            .replacingOccurrences(of: "1002,Li,Wei,8", with: "1002,Lee,Wei-Chen,9"))
        let result = try await scratch.records.importRoster(path: next, caller: .local("clerk"))
        // Then the counts say so
        #expect(result.schools == .init(added: 0, changed: 1, unchanged: 1))
        #expect(result.classes == .init(added: 0, changed: 1, unchanged: 2))
        #expect(result.students == .init(added: 0, changed: 1, unchanged: 6))
        await #expect(try scratch.records.school(id: "0202")?.name == "Riverside Middle School")
        await #expect(try listing(scratch.records, schoolClass: "8A").contains("0202/8A/1002 Wei-Chen|Lee|9"))
        // And each change is in the audit trail, by the actor, old → new
        let student = try await trail(scratch.records, "student", "1002")
        #expect(student.map { "\($0.field ?? "") \($0.oldValue ?? "∅") → \($0.newValue ?? "∅")" } == [
            "givenName Li → Lee", "familyName Wei → Wei-Chen", "grade 8 → 9",
        ])
        #expect(student.allSatisfy { $0.actor == "clerk" && $0.action == "update" && $0.detail == "roster import from \(next)" })
        await #expect(try trail(scratch.records, "school", "0202").map { "\($0.oldValue ?? "") → \($0.newValue ?? "")" } == ["Riverside Middle → Riverside Middle School"])
        await #expect(try trail(scratch.records, "schoolClass", "9H").map { "\($0.action) \($0.oldValue ?? "") → \($0.newValue ?? "")" } == ["rename Health 9 → Health Nine"])
    }

    @Test func aStudentMovedBetweenClassesIsMovedAndAuditedAsAMove() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        _ = try await scratch.records.importRoster(path: try scratch.write("roster.csv", Self.roster), caller: .local("registrar"))
        // Given Sam Lee (1004) moved from 8A to 8B
        let next = try scratch.write("next.csv", Self.roster.replacingOccurrences(of: "8A,Health 8A,1004", with: "8B,Health 8B,1004"))
        let result = try await scratch.records.importRoster(path: next, caller: .local("clerk"))
        // Then one enrolment was removed and one added, the listing shows the move, and the trail says 8A → 8B
        #expect(result.enrollmentsAdded == 1 && result.enrollmentsRemoved == 1 && result.enrollmentsUnchanged == 6)
        await #expect(try listing(scratch.records, schoolClass: "8A").count == 3)
        await #expect(try listing(scratch.records, schoolClass: "8B") == ["0202/8B/1004 Lee|Sam|8", "0202/8B/2001 Lee|Sam|8", "0202/8B/2002 Smith|Noah|8"])
        let moves = try await trail(scratch.records, "student", "1004")
        #expect(moves.map { "\($0.action) \($0.field ?? "") \($0.oldValue ?? "∅") → \($0.newValue ?? "∅")" } == ["move class 8A → 8B"])
    }

    @Test func studentsNoLongerListedAreUnenrolledAndAuditedButKept() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        _ = try await scratch.records.importRoster(path: try scratch.write("roster.csv", Self.roster), caller: .local("registrar"))
        // Given 8A without Li Wei (1002), and a new student 1005 in it
        let next = try scratch.write("next.csv", Self.roster
            .replacingOccurrences(of: "0202,Riverside Middle,8A,Health 8A,1002,Li,Wei,8\r\n", with: "0202,Riverside Middle,8A,Health 8A,1005,Ola,Nordmann,8\r\n"))
        let result = try await scratch.records.importRoster(path: next, caller: .local("clerk"))
        #expect(result.enrollmentsRemoved == 1 && result.enrollmentsAdded == 1)
        #expect(result.students == .init(added: 1, changed: 0, unchanged: 6))
        await #expect(try !listing(scratch.records).contains { $0.contains("/1002 ") })
        // The student record stays (past sessions name it); the un-enrolment is audited, the new student is not
        await #expect(try scratch.records.database.studentRecord("1002")?.givenName == "Li")
        await #expect(try trail(scratch.records, "student", "1002").map { "\($0.action) \($0.oldValue ?? "∅") → \($0.newValue ?? "∅")" } == ["unenroll 8A → ∅"])
        await #expect(try trail(scratch.records, "student", "1005").isEmpty)
    }

    @Test func aStoredStudentAddedToAnotherClassIsAuditedAsAnEnrolment() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        _ = try await scratch.records.importRoster(path: try scratch.write("roster.csv", Self.roster), caller: .local("registrar"))
        // Given Mei Chen (3001) also in a new class 9X
        let next = try scratch.write("next.csv", Self.roster + "0303,Lakeview High,9X,Extra,3001,Mei,Chen,9\r\n")
        _ = try await scratch.records.importRoster(path: next, caller: .local("clerk"))
        await #expect(try trail(scratch.records, "student", "3001").map { "\($0.action) \($0.oldValue ?? "∅") → \($0.newValue ?? "∅")" } == ["enroll ∅ → 9X"])
    }

    @Test func classesNotInTheFileKeepTheirStudents() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        _ = try await scratch.records.importRoster(path: try scratch.write("roster.csv", Self.roster), caller: .local("registrar"))
        // Given a file of Lakeview alone, with one class changed
        let lakeview = try scratch.write("lakeview.csv", Self.csv(["0303,Lakeview High,9H,Health 9,3002,Ama,Mensah,9"]))
        let result = try await scratch.records.importRoster(path: lakeview, caller: .local("clerk"))
        // Then 9H is the file's, and Riverside's classes are untouched
        #expect(result.enrollmentsRemoved == 1 && result.enrollmentsAdded == 1)
        await #expect(try listing(scratch.records, school: "0202").count == 6)
        await #expect(try listing(scratch.records, school: "0303") == ["0303/9H/3002 Mensah|Ama|9"])
    }

    @Test func unenrolmentNeverDeletesTheMarksOfPastSessions() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        _ = try await scratch.records.importRoster(path: try scratch.write("roster.csv", Self.roster), caller: .local("registrar"))
        _ = try await scratch.records.saveOfficer(id: "ofc-1", name: "Dana Reyes", caller: .local("coordinator"))
        // Given a session of 9H with Mei Chen present, logged as an officer logs one
        _ = try await scratch.records.loadLessonPlans(paths: [TermFixture.curricula + "/conflict-resolution"], caller: .local("coordinator"), processors: 2)
        let logged = try await scratch.records.logSession(
            lessonID: "cr-active-listening", classID: "9H", officerID: "ofc-1", date: "2025-03-01", minutes: nil,
            present: ["3001"], late: [], absent: [], excused: [], others: .present, sheet: nil, note: nil, caller: .local("dana"))
        // When a new roster leaves her out of 9H
        _ = try await scratch.records.importRoster(path: try scratch.write("next.csv", Self.csv(["0303,Lakeview High,9H,Health 9,3002,Ama,Mensah,9"])), caller: .local("clerk"))
        // Then her enrolment is gone, but her mark and her record stay
        let record = try #require(try await scratch.records.database.studentRecord("3001"), "her record is gone")
        #expect(record.enrollments.isEmpty)
        #expect(record.marks.map { "\($0.sessionID) \($0.status)" } == ["\(logged.id) present"])
        await #expect(try scratch.records.database.marks(session: logged.id).count == 1)
    }

    // MARK: bad input

    @Test func everyBadRowIsReportedAndNothingIsWritten() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        _ = try await scratch.records.importRoster(path: try scratch.write("roster.csv", Self.roster), caller: .local("registrar"))
        let before = try await listing(scratch.records)
        let events = try await scratch.count("auditEvent")
        // Given a file that renames a school (good rows) and has four bad rows
        let bad = try scratch.write("bad.csv", Self.csv([
            "0202,Riverside Renamed,8A,Health 8A,1001,Amara,Okafor,8",
            "0202,Riverside Renamed,8A,Health 8A,1002,Li,Wei,14",
            "0202,Riverside Renamed,8A,Health 8A,,Nobody,Here,8",
            "0202,Riverside Renamed,8C,New class,4001,New,Student,8",
            "0202,Somewhere Else,8A,Health 8A,1003,José,García,8",
            "0202,Riverside Renamed,8A,Health 8A,1004,Sam,Lee,+3",
        ]))
        // When it is imported
        let error = await #expect(throws: BridgesError.self) { try await scratch.records.importRoster(path: bad, caller: .local("clerk")) }
        // Then every error is reported at its line, exit 65
        guard case .invalidInput(let diagnostics)? = error else { Issue.record("expected invalidInput, got \(String(describing: error))"); return }
        #expect(error?.exitCode == 65)
        #expect(diagnostics.map(\.line) == [3, 4, 6, 7])
        #expect(diagnostics.allSatisfy { $0.isError && $0.file == bad })
        #expect(diagnostics[0].description == "\(bad):3: error: grade '14' is not one Bridges takes: write K (or KG) for kindergarten, 1 to 12 (01 to 12 also work), or a CEDS code: IT, PR, PK, TK, PS, 13, UG, Other")
        // And nothing was written: not the rename, not the new class, not an audit event
        await #expect(try listing(scratch.records) == before)
        await #expect(try scratch.records.school(id: "0202")?.name == "Riverside Middle")
        await #expect(try scratch.records.schoolClass(id: "8C") == nil)
        await #expect(try scratch.count("auditEvent") == events)
    }

    @Test func aClassIDStoredAtAnotherSchoolIsAnErrorAtItsLine() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        _ = try await scratch.records.importRoster(path: try scratch.write("roster.csv", Self.roster), caller: .local("registrar"))
        // Given another school's file that reuses the id 8A
        let other = try scratch.write("other.csv", Self.csv(["0404,Hilltop,8A,Hilltop 8A,5001,Kai,Moana,8"]))
        let error = await #expect(throws: BridgesError.self) { try await scratch.records.importRoster(path: other, caller: .local("clerk")) }
        guard case .invalidInput(let diagnostics)? = error else { Issue.record("expected invalidInput"); return }
        #expect(diagnostics.map(\.description) == [
            "\(other):2: error: class 8A is already stored at school 0202, not 0404; a class id belongs to one school, so give this class an id of its own (for example, prefixed with its school's id)",
        ])
        await #expect(try scratch.records.school(id: "0404") == nil)
    }

    @Test func aMissingFileIsNotFound() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        let error = await #expect(throws: BridgesError.self) { try await scratch.records.importRoster(path: scratch.path("nowhere.csv"), caller: .local("clerk")) }
        #expect(error?.exitCode == 66)
    }

    @Test func aFileWithTheWrongHeaderIsOneErrorNamingTheColumns() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        let file = try scratch.write("users.csv", "sourcedId,givenName\r\nu1,Ann\r\n")
        let error = await #expect(throws: BridgesError.self) { try await scratch.records.importRoster(path: file, caller: .local("clerk")) }
        guard case .invalidInput(let diagnostics)? = error else { Issue.record("expected invalidInput"); return }
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("school_id") == true)
    }

    // MARK: dry run

    @Test func aDryRunCountsWhatWouldChangeAndWritesNothing() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        _ = try await scratch.records.importRoster(path: try scratch.write("roster.csv", Self.roster), caller: .local("registrar"))
        let before = try await listing(scratch.records)
        let next = try scratch.write("next.csv", Self.roster
            .replacingOccurrences(of: "Lakeview High", with: "Lakeview Academy")
            .replacingOccurrences(of: "8A,Health 8A,1004", with: "8B,Health 8B,1004") + "0505,New School,5A,Five A,5001,Kai,Moana,5\r\n")
        // When it is a dry run
        let result = try await scratch.records.importRoster(path: next, caller: .local("clerk"), dryRun: true)
        // Then the counts are what an import would do, and nothing changed
        #expect(result.dryRun)
        #expect(result.schools == .init(added: 1, changed: 1, unchanged: 1))
        #expect(result.students == .init(added: 1, changed: 0, unchanged: 7))
        #expect(result.enrollmentsAdded == 2 && result.enrollmentsRemoved == 1)
        await #expect(try listing(scratch.records) == before)
        await #expect(try scratch.count("auditEvent") == 1)
        await #expect(try scratch.records.school(id: "0303")?.name == "Lakeview High")
    }

    @Test func aDryRunWithoutADatabaseCreatesNone() async throws {
        let scratch = try await RosterScratch(openDatabase: false)
        defer { scratch.remove() }
        let file = try scratch.write("roster.csv", Self.roster)
        let result = try await Registrar.dryRunRosterImport(path: file, location: testDatabase(scratch.path("none.sqlite")), caller: .local("test"))
        #expect(result.dryRun && result.students.added == 7)
        #expect(!FileManager.default.fileExists(atPath: scratch.path("none.sqlite")))
    }

    // MARK: listing

    @Test func anUnknownSchoolOrClassIsNotFound() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        _ = try await scratch.records.importRoster(path: try scratch.write("roster.csv", Self.roster), caller: .local("registrar"))
        for (school, schoolClass) in [("9999", nil), (nil, "8Z"), ("0303", "8A")] as [(String?, String?)] {
            let error = await #expect(throws: BridgesError.self) { try await listing(scratch.records, school: school, schoolClass: schoolClass) }
            #expect(error?.exitCode == 66)
        }
        await #expect(try listing(scratch.records, school: "0202", schoolClass: "8B").count == 2)
    }

    @Test func theShapeGivesTheRowCountAndLongestValuesBeforeTheRows() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        _ = try await scratch.records.importRoster(path: try scratch.write("roster.csv", Self.roster), caller: .local("registrar"))
        var shapes: [RosterListingShape] = []
        var rows = 0
        try await scratch.records.listRoster(schoolID: "0202", classID: nil, shape: { shapes.append($0) }) { _ in
            #expect(shapes.count == 1)
            rows += 1
        }
        #expect(shapes == [RosterListingShape(rows: 6, longest: [4, 2, 4, 6, 5, 0])])
        #expect(rows == 6)
    }

    @Test func importsLeaveEveryReferenceWholeAndForeignKeysEnforcedAfterwards() async throws {
        // Given a roster imported, changed and imported again, and a OneRoster export on top
        // (foreign keys are not checked row by row during an import)
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        _ = try await scratch.records.importRoster(path: try scratch.write("roster.csv", Self.roster), caller: .local("registrar"))
        let changed = Self.csv([
            "0202,Riverside Middle,8A,Health 8A,1001,Amara,Okafor,8",
            "0202,Riverside Middle,8C,Health 8C,1002,Li,Wei,8",
            "0404,Hillside Primary,4K,Kestrels,4001,Ada,Byrne,4",
        ])
        _ = try await scratch.records.importRoster(path: try scratch.write("changed.csv", changed), caller: .local("registrar"))
        try OneRosterExport.write(to: scratch, folder: "export")
        _ = try await scratch.records.importRoster(path: scratch.path("export"), caller: .local("registrar"))
        // Then the store finds no reference to a missing record
        await #expect(try scratch.inspection().foreignKeyProblems() == [])
        let checks = try await DatabaseMaintenance.check(testDatabase(scratch.databasePath), now: Date())
        #expect(checks.first { $0.name == "foreign keys" }?.outcome == .passed)
    }

    // MARK: OneRoster

    @Test func aOneRosterFolderImportsStudentsOnly() async throws {
        // Given an export with a district, a teacher, a guardian and a disabled student among the users
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        try OneRosterExport.write(to: scratch, folder: "export")
        let result = try await scratch.records.importRoster(path: scratch.path("export"), caller: .local("registrar"))
        // Then schools are the orgs of type school, students the enabled users with role student
        #expect(result.format == .oneRosterFolder)
        #expect(result.schools.added == 2 && result.classes.added == 2)
        #expect(result.students.added == 3)
        await #expect(try listing(scratch.records) == ["s1/c1/0u1 García|Ana|K", "s2/c2/u2 Ng|Ben|7", "s2/c2/u7 王|美|12"])
        for id in ["u3", "u4", "u5"] { await #expect(try !scratch.records.database.studentExists(id), "\(id)") }
        // And the repeated enrolment is a warning, not an error
        #expect(result.diagnostics.map(\.description) == [
            "\(scratch.path("export"))/enrollments.csv: warning: student u7 is enrolled in class c2 more than once; the repeat is ignored",
        ])
    }

    @Test func aOneRosterZipImportsTheSameAsItsFolder() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        try OneRosterExport.write(to: scratch, folder: "export")
        let zip = try scratch.zip(folder: "export", as: "district.zip", inside: "district-2025/")
        let result = try await scratch.records.importRoster(path: zip, caller: .local("registrar"))
        #expect(result.format == .oneRosterZip)
        await #expect(try listing(scratch.records) == ["s1/c1/0u1 García|Ana|K", "s2/c2/u2 Ng|Ben|7", "s2/c2/u7 王|美|12"])
    }

    @Test func errorsInAZippedExportNameTheZipAndTheFileInside() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        try OneRosterExport.write(to: scratch, folder: "export", users: OneRosterExport.users + "u9,,,true,s1,student,x,,,Nameless,,,,,,,05,\r\nu10,,,true,s1,student,y,,Pre,School,,,,,,,PK,\r\n")
        let zip = try scratch.zip(folder: "export", as: "district.zip")
        let error = await #expect(throws: BridgesError.self) { try await scratch.records.importRoster(path: zip, caller: .local("registrar")) }
        guard case .invalidInput(let diagnostics)? = error else { Issue.record("expected invalidInput"); return }
        // (Line 9's PK is taken since issue 10: only line 8's missing given name is an error.)
        #expect(diagnostics.filter(\.isError).map { "\($0.file):\($0.line)" } == ["\(zip)/users.csv:8"])
        await #expect(try listing(scratch.records).isEmpty)
    }

    @Test func reimportingAOneRosterExportUpdatesIt() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        try OneRosterExport.write(to: scratch, folder: "export")
        _ = try await scratch.records.importRoster(path: scratch.path("export"), caller: .local("registrar"))
        // Given the next export: Ben moved to c1 and renamed, Mei now disabled (left out, so un-enrolled)
        try OneRosterExport.write(
            to: scratch, folder: "next",
            users: OneRosterExport.users.replacingOccurrences(of: "Ben,Ng", with: "Benjamin,Ng").replacingOccurrences(of: "u7,,,true", with: "u7,,,false"),
            enrollments: OneRosterExport.enrollments.replacingOccurrences(of: "e2,,,c2,s2,u2", with: "e2,,,c1,s1,u2"))
        let result = try await scratch.records.importRoster(path: scratch.path("next"), caller: .local("clerk"))
        #expect(result.students == .init(added: 0, changed: 1, unchanged: 1))
        #expect(result.enrollmentsAdded == 1 && result.enrollmentsRemoved == 2)
        await #expect(try listing(scratch.records) == ["s1/c1/0u1 García|Ana|K", "s1/c1/u2 Ng|Benjamin|7"])
        await #expect(try trail(scratch.records, "student", "u2").map { "\($0.action) \($0.field ?? "") \($0.oldValue ?? "∅") → \($0.newValue ?? "∅")" } == [
            "update givenName Ben → Benjamin", "move class c2 → c1",
        ])
    }

    // MARK: hostile archives

    @Test func aZipWithAPathThatClimbsOutIsRefusedWhole() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        try OneRosterExport.write(to: scratch, folder: "export")
        for evil in ["../evil", "/etc/evil", "a/../../evil", "C:\\evil"] {
            let zip = try scratch.zip(folder: "export", as: "evil.zip", extra: [evil: "x"])
            let error = await #expect(throws: BridgesError.self) { try await scratch.records.importRoster(path: zip, caller: .local("registrar")) }
            guard case .invalidInput(let diagnostics)? = error else { Issue.record("expected invalidInput for \(evil)"); continue }
            #expect(diagnostics.first?.file == zip)
            #expect(diagnostics.first?.message.contains("could write outside the folder") == true, "\(diagnostics)")
        }
        await #expect(try listing(scratch.records).isEmpty)
    }

    @Test func aZipBombIsRefusedBeforeItIsInflated() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        try OneRosterExport.write(to: scratch, folder: "export")
        // Given users.csv padded to 40 MiB of one repeated byte: about 1,000 times smaller zipped
        let zip = try scratch.zip(folder: "export", as: "bomb.zip", pad: ["users.csv": 40 << 20])
        let error = await #expect(throws: BridgesError.self) { try await scratch.records.importRoster(path: zip, caller: .local("registrar")) }
        guard case .invalidInput(let diagnostics)? = error else { Issue.record("expected invalidInput"); return }
        #expect(diagnostics.first?.message.contains("zip bomb") == true, "\(diagnostics)")
    }

    @Test func anEntryThatInflatesBeyondItsDeclaredSizeIsStopped() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        try OneRosterExport.write(to: scratch, folder: "export")
        let zip = try scratch.zip(folder: "export", as: "liar.zip", declare: ["users.csv": 100])
        let error = await #expect(throws: BridgesError.self) { try await scratch.records.importRoster(path: zip, caller: .local("registrar")) }
        guard case .invalidInput(let diagnostics)? = error else { Issue.record("expected invalidInput"); return }
        #expect(diagnostics.first?.message.contains("more than the 100 bytes its header says") == true, "\(diagnostics)")
    }

    @Test func theTotalSizeCapAppliesAcrossEntries() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        try OneRosterExport.write(to: scratch, folder: "export")
        let zip = try scratch.zip(folder: "export", as: "district.zip")
        var limits = ZipArchive.Limits()
        limits.totalSize = 500
        let error = await #expect(throws: BridgesError.self) {
            try await OneRosterArchive.withUnpacked(zip: zip, name: "district.zip", in: scratch.folder.path, limits: limits) { _ in }
        }
        guard case .invalidInput(let diagnostics)? = error else { Issue.record("expected invalidInput"); return }
        #expect(diagnostics.first?.description.hasPrefix("district.zip: error: the OneRoster files would unpack to more than 500 bytes") == true, "\(diagnostics)")
    }

    @Test func anEncryptedOrDamagedOrNonZipFileIsRefused() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        try OneRosterExport.write(to: scratch, folder: "export")
        let encrypted = try scratch.zip(folder: "export", as: "locked.zip", encryptFlag: true)
        let corrupt = try scratch.zip(folder: "export", as: "corrupt.zip", corrupt: "users.csv")
        let notZip = try scratch.write("fake.zip", String(repeating: "not a zip ", count: 50))
        for (zip, expected) in [(encrypted, "is encrypted"), (corrupt, "damaged"), (notZip, "not a .zip archive")] {
            let error = await #expect(throws: BridgesError.self) { try await scratch.records.importRoster(path: zip, caller: .local("registrar")) }
            guard case .invalidInput(let diagnostics)? = error else { Issue.record("expected invalidInput for \(zip)"); continue }
            #expect(diagnostics.first?.message.contains(expected) == true, "\(diagnostics)")
        }
    }

    @Test func theUnpackedFilesArePrivateAndRemovedAfterwards() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        try OneRosterExport.write(to: scratch, folder: "export")
        let zip = try scratch.zip(folder: "export", as: "district.zip")
        var seen: URL?
        // (in the temporary folder handed in: Kit finds none of its own)
        let names = try await OneRosterArchive.withUnpacked(zip: zip, name: "district.zip", in: scratch.folder.path) { folder in
            seen = folder
            var status = stat()
            #expect(stat(folder.path, &status) == 0 && status.st_mode & 0o777 == 0o700)
            #expect(stat(folder.appendingPathComponent("users.csv").path, &status) == 0 && status.st_mode & 0o777 == 0o600)
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        }
        // Only the files Bridges reads, plus empty stand-ins for the other files the manifest lists
        #expect(names == ["academicSessions.csv", "classes.csv", "enrollments.csv", "manifest.csv", "orgs.csv", "users.csv"])
        #expect(seen.map { !FileManager.default.fileExists(atPath: $0.path) } == true)
        #expect(seen?.deletingLastPathComponent().standardizedFileURL.path == scratch.folder.standardizedFileURL.path, "\(String(describing: seen))")
    }
}

/// A OneRoster 1.1 CSV export: a district, two schools, a teacher, a guardian, a disabled student,
/// a repeated enrolment.
enum OneRosterExport {
    static let manifest = """
        propertyName,value\r
        manifest.version,1.0\r
        oneroster.version,1.1\r
        file.academicSessions,bulk\r
        file.classes,bulk\r
        file.courses,absent\r
        file.enrollments,bulk\r
        file.orgs,bulk\r
        file.users,bulk\r

        """
    static let academicSessions = "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear\r\nt1,,,Fall,term,2025-08-01,2025-12-20,,2026\r\n"
    static let orgs = """
        sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\r
        d1,,2025-08-01,Springfield District,district,,\r
        s1,active,2025-08-01,Lincoln Elementary,school,,d1\r
        s2,,2025-08-01,Hill Middle,school,,d1\r

        """
    static let classes = """
        sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\r
        c1,,,Kindergarten A,KG,co1,,homeroom,,s1,t1,,,\r
        c2,,,Grade 7 Safety,07,co2,,scheduled,,s2,t1,,,\r

        """
    static let users = """
        sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\r
        0u1,,,true,s1,student,ana,,Ana,García,,000123,,,,,KG,\r
        u2,,,true,s2,student,ben,,Ben,Ng,,,,,,,"07,08",\r
        u3,,,true,s1,teacher,tina,,Tina,Teach,,,,,,,,\r
        u4,,,false,s1,student,dee,,Dee,Disabled,,,,,,,03,\r
        u5,,,true,s1,guardian,gus,,Gus,Parent,,,,,,,,\r
        u7,,,true,s2,student,mei,,美,王,,,,,,,12,\r

        """
    static let enrollments = """
        sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\r
        e1,,,c1,s1,0u1,student,false,,\r
        e2,,,c2,s2,u2,student,false,,\r
        e3,,,c1,s1,u3,teacher,true,,\r
        e4,,,c1,s1,u4,student,false,,\r
        e5,,,c2,s2,u7,student,false,,\r
        e6,,,c2,s2,u7,student,false,,\r
        e9,,,c1,s1,u5,guardian,false,,\r

        """

    static func write(to scratch: RosterScratch, folder: String, users: String = users, enrollments: String = enrollments) throws {
        try scratch.write("\(folder)/manifest.csv", manifest)
        try scratch.write("\(folder)/academicSessions.csv", academicSessions)
        try scratch.write("\(folder)/orgs.csv", orgs)
        try scratch.write("\(folder)/classes.csv", classes)
        try scratch.write("\(folder)/users.csv", users)
        try scratch.write("\(folder)/enrollments.csv", enrollments)
    }
}

/// A private folder and database for one roster test; `remove()` in a `defer`.
struct RosterScratch {
    let folder: URL
    let records: Registrar
    let databasePath: String

    init(openDatabase: Bool = true) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("BridgesRosterTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        databasePath = folder.appendingPathComponent(openDatabase ? "roster.sqlite" : "unused.sqlite").path
        do {
            records = try await Registrar(testDatabase(databasePath))
        } catch {
            // No scratch to `remove()` reaches the test: the folder goes here.
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    func path(_ relative: String) -> String { folder.appendingPathComponent(relative).path }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The store's own read-only look at the test's database (the store contract's inspection).
    func inspection() async throws -> any StoreInspection {
        try await testDatabase(databasePath).store.inspect()
    }

    /// Rows in one table, as the store's inspection counts them.
    func count(_ table: String) async throws -> Int {
        try await inspection().counts().first { $0.table == table }?.rows ?? 0
    }


    /// Zips `folder` with Python's zipfile (deflated), entries under `inside`; then, for hostile
    /// archives: `extra` entries, entries padded to a size with one repeated byte, declared sizes
    /// rewritten, the encryption flag set, or an entry's compressed bytes garbled.
    func zip(
        folder: String, as name: String, inside: String = "", extra: [String: String] = [:], pad: [String: Int] = [:],
        declare: [String: Int] = [:], encryptFlag: Bool = false, corrupt: String? = nil
    ) throws -> String {
        let script = #"""
            import json, os, struct, sys, zipfile
            source, target, inside, extra, pad, declare, encrypt, corrupt = sys.argv[1:9]
            extra, pad, declare = json.loads(extra), json.loads(pad), json.loads(declare)
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
                for name in sorted(os.listdir(source)):
                    data = open(os.path.join(source, name), "rb").read()
                    if name in pad:
                        data += b"0" * (pad[name] - len(data))
                    z.writestr(inside + name, data)
                for name, text in extra.items():
                    z.writestr(name, text)
            data = bytearray(open(target, "rb").read())
            i = data.find(b"PK\x01\x02")
            while i >= 0:
                n = struct.unpack("<H", data[i + 28:i + 30])[0]
                name = data[i + 46:i + 46 + n].decode()
                base = name[len(inside):]
                local = struct.unpack("<I", data[i + 42:i + 46])[0]
                if base in declare:
                    struct.pack_into("<I", data, i + 24, declare[base])
                    struct.pack_into("<I", data, local + 22, declare[base])
                if encrypt == "1":
                    struct.pack_into("<H", data, i + 8, struct.unpack("<H", data[i + 8:i + 10])[0] | 1)
                if base == corrupt:
                    start = local + 30 + struct.unpack("<H", data[local + 26:local + 28])[0] + struct.unpack("<H", data[local + 28:local + 30])[0]
                    for k in range(start, start + 8):
                        data[k] ^= 0x5A
                i = data.find(b"PK\x01\x02", i + 4)
            open(target, "wb").write(data)
            """#
        func json(_ value: [String: Any]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self)
        }
        let target = path(name)
        try? FileManager.default.removeItem(atPath: target)
        try run("/usr/bin/env", [
            "python3", "-c", script, path(folder), target, inside, try json(extra), try json(pad), try json(declare),
            encryptFlag ? "1" : "0", corrupt ?? "",
        ])
        return target
    }

    @discardableResult
    private func run(_ executable: String, _ arguments: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // Files, not pipes, so a chatty child can never block.
        let output = folder.appendingPathComponent(".out-\(UUID().uuidString)")
        let errors = folder.appendingPathComponent(".err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: output)
            try? FileManager.default.removeItem(at: errors)
        }
        let outputHandle = try FileHandle(forWritingTo: output)
        let errorHandle = try FileHandle(forWritingTo: errors)
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        try process.run()
        process.waitUntilExit()
        try outputHandle.close()
        try errorHandle.close()
        let text = String(decoding: try Data(contentsOf: output), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            let problem = String(decoding: try Data(contentsOf: errors), as: UTF8.self)
            throw RosterScratchFailure(description: "\(arguments.prefix(2).joined(separator: " ")) failed: \(problem)")
        }
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
}

struct RosterScratchFailure: Error, CustomStringConvertible {
    var description: String
}

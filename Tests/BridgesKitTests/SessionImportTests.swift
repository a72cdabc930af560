@testable import BridgesKit
import Foundation
import Testing

/// `session import` (cli.md, "Sessions and quizzes"): sessions and marks in the attendance
/// report's columns, all or nothing, every bad line named `file:line`; a session matched by class,
/// lesson and date; marks equal to stored ones are no-ops.
@Suite("Session import")
struct SessionImportTests {
    static let header = "session_id,session_date,program_id,lesson_id,lesson_version,lesson_title,school_id,class_id,officer_id,officer_name,minutes,student_id,family_name,given_name,grade,status,recorded_at,recorded_by"

    /// One attendance row; the session id, names and titles are another system's and are not compared.
    static func row(
        date: String = "2025-09-08", lesson: String = "fa-scene-safety", version: String = "1", classID: String = "8A",
        officer: String = "ofc-101", minutes: String = "45", student: String, status: String = "present",
        recordedAt: String = "2025-09-08T15:04:05Z", recordedBy: String = "laptop-7"
    ) -> String {
        "77,\(date),first-aid,\(lesson),\(version),Some Other Title,0202,\(classID),\(officer),Someone Else,\(minutes),\(student),Family,Given,8,\(status),\(recordedAt),\(recordedBy)"
    }

    static func file(_ rows: [String]) -> String {
        ([header] + rows).joined(separator: "\r\n") + "\r\n"
    }

    /// 8A's four students at fa-scene-safety on 8 September, and 8B's two at fa-bleeding on the 9th.
    static let twoSessions = file([
        row(student: "1001"), row(student: "1002", status: "late"), row(student: "1003", status: "absent"), row(student: "1004", status: "excused"),
        row(date: "2025-09-09", lesson: "fa-bleeding", classID: "8B", officer: "ofc-102", minutes: "40", student: "2001"),
        row(date: "2025-09-09", lesson: "fa-bleeding", classID: "8B", officer: "ofc-102", minutes: "40", student: "2002", status: "absent"),
    ])

    func statuses(_ term: TermFixture, _ id: Int64) async throws -> [String: AttendanceStatus] {
        await Dictionary(uniqueKeysWithValues: try term.records.session(id: id).students.map { ($0.studentID, $0.status) })
    }

    func allSessions(_ term: TermFixture) async throws -> [SessionInfo] {
        try await term.records.sessions(classID: nil, programID: nil, from: nil, to: nil)
    }

    @Test func importingCreatesTheSessionsAndMarksOfTheFile() async throws {
        // Given a file of two sessions from an officer's laptop
        let term = try await TermFixture()
        defer { term.remove() }
        let path = try term.write("laptop.csv", Self.twoSessions)
        // When imported
        let result = try await term.records.importSessions(path: path, caller: .local("coordinator"))
        // Then both sessions and all six marks are stored, with the file's recorder and time
        #expect((result.rows, result.sessionsCreated, result.sessionsExtended, result.marksAdded, result.marksUnchanged) == (6, 2, 0, 6, 0))
        let sessions = try await allSessions(term)
        #expect(sessions.map(\.lessonID) == ["fa-scene-safety", "fa-bleeding"])
        let first = try #require(sessions.first)
        #expect((first.classID, first.officerID, first.minutes, first.lessonVersion) == ("8A", "ofc-101", 45, 1))
        #expect((first.recordedAt, first.recordedBy) == ("2025-09-08T15:04:05Z", "laptop-7"))
        await #expect(try statuses(term, first.id) == ["1001": .present, "1002": .late, "1003": .absent, "1004": .excused])
        await #expect(try statuses(term, sessions[1].id) == ["2001": .present, "2002": .absent])
        #expect(sessions[1].minutes == 40)
        // And the trail says it was imported, by whom
        let trail = try await term.records.session(id: first.id).trail
        #expect(trail.map(\.action) == ["import"])
        #expect(trail.first?.actor == "coordinator")
    }

    @Test func importingTheSameFileTwiceAddsNothingTheSecondTime() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let path = try term.write("laptop.csv", Self.twoSessions)
        _ = try await term.records.importSessions(path: path, caller: .local("coordinator"))
        // When imported again
        let again = try await term.records.importSessions(path: path, caller: .local("coordinator"))
        // Then every session is matched and every mark is unchanged
        #expect((again.rows, again.sessionsCreated, again.sessionsExtended, again.marksAdded, again.marksUnchanged) == (6, 0, 2, 0, 6))
        await #expect(try allSessions(term).count == 2)
    }

    @Test func marksEqualToALoggedSessionAreNoOps() async throws {
        // Given a session logged by hand
        let term = try await TermFixture()
        defer { term.remove() }
        let id = try await term.log("fa-scene-safety", on: "2025-09-08", late: ["1002"], absent: ["1003"], excused: ["1004"])
        // When a file with the same marks is imported
        let result = try await term.records.importSessions(path: try term.write("same.csv", Self.twoSessions), caller: .local("coordinator"))
        // Then the 8A session is matched, nothing changes there, and the trail has no import entry
        #expect(result.sessionsExtended == 1)
        #expect(result.marksUnchanged == 4)
        #expect(result.marksAdded == 2)
        await #expect(try term.records.session(id: id).trail.map(\.action) == ["log"])
    }

    @Test func aMatchedSessionGetsTheMarksOfStudentsItDidNotHave() async throws {
        // Given a session logged before 1005 joined 8A
        let term = try await TermFixture()
        defer { term.remove() }
        let id = try await term.log("fa-scene-safety", on: "2025-09-08")
        try await term.importRoster(adding: ["0202,Riverside Middle School,8A,Grade 8 Health A,1005,Kai,Mensah,8"])
        // When a file with 1005's mark (and 1001's, the same as stored) is imported
        let path = try term.write("late-joiner.csv", Self.file([Self.row(student: "1001"), Self.row(student: "1005", status: "late")]))
        let result = try await term.records.importSessions(path: path, caller: .local("coordinator"))
        // Then the session now has 1005, late, and the rest unchanged
        #expect((result.sessionsCreated, result.sessionsExtended, result.marksAdded, result.marksUnchanged) == (0, 1, 1, 1))
        await #expect(try statuses(term, id) == ["1001": .present, "1002": .present, "1003": .present, "1004": .present, "1005": .late])
        await #expect(try term.records.session(id: id).trail.map(\.action) == ["log", "import marks"])
    }

    @Test func everyBadLineIsNamedAndNothingIsWritten() async throws {
        // Given a file with good rows and, on lines 3 to 10, one mistake each
        let term = try await TermFixture()
        defer { term.remove() }
        let path = try term.write("bad.csv", Self.file([
            Self.row(student: "1001"),                                                       // 2: good
            Self.row(student: "9999"),                                                       // 3: unknown student
            Self.row(date: "2025-09-10", classID: "12Z", student: "1001"),                   // 4: unknown class
            Self.row(date: "2025-09-11", version: "7", student: "1001"),                     // 5: unknown lesson version
            Self.row(date: "2025-09-12", officer: "ofc-999", student: "1001"),               // 6: unknown officer
            Self.row(student: "1002", status: "here"),                                       // 7: bad status
            Self.row(date: "2025-13-01", student: "1003"),                                   // 8: bad date
            Self.row(student: "1001", status: "absent"),                                     // 9: contradicts line 2
            Self.row(date: "2025-09-15", lesson: "fa-juggling", student: "1001"),            // 10: unknown lesson
            Self.row(student: "1004"),                                                       // 11: good
        ]))
        // When imported
        let error = await bridgesError { try await term.records.importSessions(path: path, caller: .local("coordinator")) }
        // Then every bad line is an error at file:line, and only those
        #expect(error?.exitCode == 65)
        let diagnostics = error?.diagnostics ?? []
        #expect(Set(diagnostics.map(\.line)) == [3, 4, 5, 6, 7, 8, 9, 10], "\(String(describing: error?.fullText))")
        #expect(diagnostics.allSatisfy { $0.file == path && $0.isError })
        func message(_ line: Int) -> String { diagnostics.filter { $0.line == line }.map(\.message).joined(separator: " | ") }
        #expect(message(3).contains("9999"))
        #expect(message(4).contains("class 12Z"))
        #expect(message(5).contains("version 7"))
        #expect(message(6).contains("ofc-999"))
        #expect(message(7).contains("'here'"))
        #expect(message(8).contains("2025-13-01"))
        #expect(message(9).contains("1001") && message(9).contains("absent") && message(9).contains("present"), "\(message(9))")
        #expect(message(10).contains("fa-juggling"))
        // And nothing was written
        await #expect(try allSessions(term).isEmpty)
    }

    @Test func aMarkContradictingAStoredOneIsAnErrorNamingTheSessionAndNothingIsWritten() async throws {
        // Given 1003 logged absent
        let term = try await TermFixture()
        defer { term.remove() }
        let id = try await term.log("fa-scene-safety", on: "2025-09-08", absent: ["1003"])
        // When a file says 1003 was present, beside a new session of another lesson
        let path = try term.write("contradiction.csv", Self.file([
            Self.row(date: "2025-09-01", lesson: "fa-burns", student: "1001"),
            Self.row(student: "1003", status: "present"),
        ]))
        let error = await bridgesError { try await term.records.importSessions(path: path, caller: .local("coordinator")) }
        // Then line 3 is the error, naming the stored session; the new session was not kept either
        #expect(error?.exitCode == 65)
        #expect(error?.diagnostics.map(\.line) == [3], "\(String(describing: error?.fullText))")
        #expect(error?.diagnostics.first?.message.contains("stored session \(id)") == true, "\(String(describing: error?.fullText))")
        await #expect(try allSessions(term).map(\.id) == [id])
        await #expect(try statuses(term, id)["1003"] == .absent)
    }

    @Test func aSessionDetailContradictingTheStoredSessionIsAnError() async throws {
        // Given a session logged by ofc-101 for 45 minutes
        let term = try await TermFixture()
        defer { term.remove() }
        _ = try await term.log("fa-scene-safety", on: "2025-09-08")
        // When a file has the same session with another officer, and with other minutes
        let path = try term.write("other.csv", Self.file([
            Self.row(officer: "ofc-102", student: "1001"),
            Self.row(minutes: "30", student: "1002"),
        ]))
        let error = await bridgesError { try await term.records.importSessions(path: path, caller: .local("coordinator")) }
        #expect(error?.diagnostics.map(\.line) == [2, 3], "\(String(describing: error?.fullText))")
    }

    @Test func aDryRunSaysWhatWouldHappenAndWritesNothing() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let path = try term.write("laptop.csv", Self.twoSessions)
        let result = try await term.records.importSessions(path: path, caller: .local("coordinator"), dryRun: true)
        #expect((result.sessionsCreated, result.marksAdded) == (2, 6))
        await #expect(try allSessions(term).isEmpty)
        // And a real import afterwards does the same
        let real = try await term.records.importSessions(path: path, caller: .local("coordinator"))
        #expect((real.sessionsCreated, real.marksAdded) == (2, 6))
    }

    @Test func aDryRunOfABadFileStillNamesEveryBadLine() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let path = try term.write("bad.csv", Self.file([Self.row(student: "1001"), Self.row(student: "1002", status: "gone")]))
        let error = await bridgesError { try await term.records.importSessions(path: path, caller: .local("coordinator"), dryRun: true) }
        #expect(error?.diagnostics.map(\.line) == [3])
    }

    @Test func anOlderStoredLessonVersionMayBeImported() async throws {
        // Given fa-scene-safety at version 2 as well as 1
        let term = try await TermFixture()
        defer { term.remove() }
        let folder = try term.copyProgram("first-aid", to: "v2/first-aid")
        let file = folder + "/fa-scene-safety.xml"
        try String(contentsOfFile: file, encoding: .utf8)
            .replacingOccurrences(of: #"program="first-aid" version="1""#, with: #"program="first-aid" version="2""#)
            .replacingOccurrences(of: "<minutes>45</minutes>", with: "<minutes>50</minutes>")
            .write(toFile: file, atomically: true, encoding: .utf8)
        _ = try await term.records.loadLessonPlans(paths: [folder], caller: .local("coordinator"), processors: 2)
        // When a session taught from version 1 (before the update) is imported
        _ = try await term.records.importSessions(path: try term.write("old.csv", Self.file([Self.row(student: "1001")])), caller: .local("coordinator"))
        // Then it keeps version 1
        await #expect(try allSessions(term).first?.lessonVersion == 1)
    }

    @Test func aFileWithoutTheNeededColumnsIsRefused() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let path = try term.write("short.csv", "session_date,lesson_id,class_id,student_id,status\n2025-09-08,fa-scene-safety,8A,1001,present\n")
        let error = await bridgesError { try await term.records.importSessions(path: path, caller: .local("coordinator")) }
        #expect(error?.exitCode == 65)
        #expect(error?.fullText.contains("lesson_version") == true, "\(String(describing: error?.fullText))")
        await #expect(try allSessions(term).isEmpty)
    }

    @Test func anEmptyFileIsRefusedSayingWhatItShouldStartWith() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let path = try term.write("empty.csv", "")
        let error = await bridgesError { try await term.records.importSessions(path: path, caller: .local("coordinator")) }
        #expect(error?.exitCode == 65)
        #expect(error?.diagnostics.first?.message.contains("the file is empty") == true, "\(String(describing: error?.fullText))")
        await #expect(try allSessions(term).isEmpty)
    }

    @Test func aFileThatStopsBeingCSVNamesTheBadRowsBeforeItAndWhereItStopped() async throws {
        // Given good rows, a bad status on line 3, and an unclosed quote on line 5
        let term = try await TermFixture()
        defer { term.remove() }
        var text = Self.file([
            Self.row(student: "1001"), Self.row(student: "1002", status: "here"), Self.row(student: "1003"),
        ])
        text += "77,2025-09-08,first-aid,fa-scene-safety,1,\"Title that never ends,0202,8A\r\n"
        let path = try term.write("broken.csv", text)
        // When imported
        let error = await bridgesError { try await term.records.importSessions(path: path, caller: .local("coordinator")) }
        // Then both are named, in order, and nothing is written
        #expect(error?.exitCode == 65)
        let lines = error?.diagnostics.map(\.line) ?? []
        #expect(lines.first == 3 && lines.contains(5), "\(String(describing: error?.fullText))")
        await #expect(try allSessions(term).isEmpty)
    }

    @Test func aFileThatDoesNotExistIsNotFound() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        await #expect(await bridgesError { try await term.records.importSessions(path: term.path("nowhere.csv"), caller: .local("x")) }?.exitCode == 66)
    }
}

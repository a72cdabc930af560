@testable import BridgesKit
import Foundation
import Testing

/// Logging, listing, showing, amending and voiding sessions through `Registrar` (cli.md,
/// "Sessions and quizzes"), on a database holding the shipped programs, a small roster and
/// officers.
@Suite("Sessions")
struct SessionTests {
    /// The statuses of a session, by student.
    func statuses(_ term: TermFixture, _ id: Int64) async throws -> [String: AttendanceStatus] {
        await Dictionary(uniqueKeysWithValues: try term.records.session(id: id).students.map { ($0.studentID, $0.status) })
    }

    func sessionCount(_ term: TermFixture) async throws -> Int {
        try await term.records.sessions(classID: nil, programID: nil, from: nil, to: nil).count
    }

    // MARK: every enrolled student, exactly one status

    @Test func everyEnrolledStudentGetsExactlyOneStatusFromTheFlagsAndOthers() async throws {
        // Given class 8A of four students
        let term = try await TermFixture()
        defer { term.remove() }
        // When a session is logged naming one late, one absent, one excused, and --others present
        let logged = try await term.records.logSession(
            lessonID: "fa-scene-safety", classID: "8A", officerID: "ofc-101", date: "2025-09-08", minutes: nil,
            present: [], late: ["1002"], absent: ["1003"], excused: ["1004"], others: .present, sheet: nil, note: nil, caller: .local("dana.reyes"))
        // Then each of the four has one status, and the counts say so
        await #expect(try statuses(term, logged.id) == ["1001": .present, "1002": .late, "1003": .absent, "1004": .excused])
        #expect(logged.counts == [.present: 1, .late: 1, .absent: 1, .excused: 1])
        #expect(logged.lessonVersion == 1)
        // (The fixture loads its programs today, so a 2025 date is also said to predate them:
        // SessionCorrectionTests holds that warning; nothing else is said here.)
        #expect(logged.warnings.filter { !$0.description.contains("was first loaded here") }.isEmpty)
    }

    @Test func aSheetGivesEachStudentTheirStatus() async throws {
        // Given an attendance sheet naming all four, in mixed letter case
        let term = try await TermFixture()
        defer { term.remove() }
        let sheet = try term.write("register.csv", "student_id,status\r\n1001,present\r\n1002,Late\r\n1003, absent\r\n1004,EXCUSED\r\n")
        // When logged from the sheet alone
        let logged = try await term.records.logSession(
            lessonID: "fa-scene-safety", classID: "8A", officerID: "ofc-101", date: "2025-09-08", minutes: nil,
            present: [], late: [], absent: [], excused: [], others: nil, sheet: sheet, note: nil, caller: .local("dana.reyes"))
        // Then the statuses are the sheet's
        await #expect(try statuses(term, logged.id) == ["1001": .present, "1002": .late, "1003": .absent, "1004": .excused])
    }

    @Test func aSheetAndOthersTogetherCoverTheClass() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let sheet = try term.write("register.csv", "student_id,status\n1003,absent\n")
        let logged = try await term.records.logSession(
            lessonID: "fa-scene-safety", classID: "8A", officerID: "ofc-101", date: "2025-09-08", minutes: nil,
            present: [], late: ["1001"], absent: [], excused: [], others: .present, sheet: sheet, note: nil, caller: .local("dana.reyes"))
        await #expect(try statuses(term, logged.id) == ["1001": .late, "1002": .present, "1003": .absent, "1004": .present])
    }

    @Test func aSheetWithABadStatusIsRefusedAtItsLineAndNothingIsWritten() async throws {
        // Given a sheet whose third line has a status that does not exist
        let term = try await TermFixture()
        defer { term.remove() }
        let sheet = try term.write("register.csv", "student_id,status\n1001,present\n1002,here\n")
        // When logged
        let error = await bridgesError {
            try await term.records.logSession(
                lessonID: "fa-scene-safety", classID: "8A", officerID: "ofc-101", date: "2025-09-08", minutes: nil,
                present: [], late: [], absent: [], excused: [], others: .present, sheet: sheet, note: nil, caller: .local("dana.reyes"))
        }
        // Then the error is at register.csv:3, bad input (65), and no session exists
        #expect(error?.exitCode == 65)
        #expect(error?.diagnostics.map { "\($0.file):\($0.line)" } == ["\(sheet):3"])
        #expect(error?.fullText.contains("'here' is not a status") == true, "\(String(describing: error))")
        await #expect(try sessionCount(term) == 0)
    }

    @Test func studentsLeftUnnamedWithoutOthersAreRefusedByNameAndNothingIsWritten() async throws {
        // Given two of 8A's four students named, and no --others
        let term = try await TermFixture()
        defer { term.remove() }
        // When logged
        let error = await bridgesError { try await term.log("fa-scene-safety", on: "2025-09-08", present: ["1001"], absent: ["1002"], others: nil) }
        // Then it is refused (65) naming the two left out, and nothing is stored
        #expect(error?.exitCode == 65)
        #expect(error?.description.contains("1003 (José García), 1004 (Sam Lee)") == true, "\(String(describing: error))")
        // naming the input that would mark them as data, for each front door to say in its words
        #expect(error?.message.fields == [.others])
        await #expect(try sessionCount(term) == 0)
    }

    @Test func aStudentNotEnrolledInTheClassIsAnErrorAndNothingIsWritten() async throws {
        // Given 2001, who is in 8B, named for a session of 8A
        let term = try await TermFixture()
        defer { term.remove() }
        let error = await bridgesError { try await term.log("fa-scene-safety", on: "2025-09-08", absent: ["2001"]) }
        // Then it is refused, naming the student
        #expect(error?.exitCode == 65)
        #expect(error?.description.contains("not enrolled in this class: 2001") == true, "\(String(describing: error))")
        await #expect(try sessionCount(term) == 0)
    }

    @Test func anUnknownStudentIdIsAnError() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let error = await bridgesError { try await term.log("fa-scene-safety", on: "2025-09-08", late: ["9999"]) }
        #expect(error?.exitCode == 65)
        #expect(error?.description.contains("9999") == true)
        await #expect(try sessionCount(term) == 0)
    }

    @Test func theSameStudentGivenTwoStatusesIsAnError() async throws {
        // Given 1002 named present and absent
        let term = try await TermFixture()
        defer { term.remove() }
        let error = await bridgesError { try await term.log("fa-scene-safety", on: "2025-09-08", present: ["1002"], absent: ["1002"]) }
        // Then refused, naming the student and both statuses
        #expect(error?.exitCode == 65)
        #expect(error?.description.contains("student 1002 is given present and absent") == true, "\(String(describing: error))")
        await #expect(try sessionCount(term) == 0)
    }

    @Test func theSameStudentInTheFlagsAndTheSheetWithTwoStatusesIsAnError() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let sheet = try term.write("register.csv", "student_id,status\n1002,absent\n")
        let error = await bridgesError {
            try await term.records.logSession(
                lessonID: "fa-scene-safety", classID: "8A", officerID: "ofc-101", date: "2025-09-08", minutes: nil,
                present: ["1002"], late: [], absent: [], excused: [], others: .present, sheet: sheet, note: nil, caller: .local("dana.reyes"))
        }
        #expect(error?.exitCode == 65)
        #expect(error?.description.contains("1002") == true)
        await #expect(try sessionCount(term) == 0)
    }

    // MARK: one session per class, lesson and date

    @Test func loggingTheSameLessonForTheSameClassOnTheSameDateIsRefusedNamingTheSession() async throws {
        // Given a session of fa-scene-safety for 8A on 8 September
        let term = try await TermFixture()
        defer { term.remove() }
        let first = try await term.log("fa-scene-safety", on: "2025-09-08")
        // When the same is logged again
        let error = await bridgesError { try await term.log("fa-scene-safety", on: "2025-09-08", absent: ["1001"]) }
        // Then it is refused, naming the existing session
        #expect(error?.exitCode == 65)
        #expect(error?.description.contains("as session \(first)") == true, "\(String(describing: error))")
        await #expect(try sessionCount(term) == 1)
        // And another class, another date or another lesson is fine
        try await term.log("fa-scene-safety", class: "8B", on: "2025-09-08")
        try await term.log("fa-scene-safety", on: "2025-09-09")
        try await term.log("fa-calling-for-help", on: "2025-09-08")
        await #expect(try sessionCount(term) == 4)
    }

    private func outcome(_ body: () async throws -> Int64) async -> Result<Int64, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    @Test func twoOfficersLoggingTheSameLessonAtOnceFromTwoConnectionsGetOneSession() async throws {
        // Given the same term opened twice, as two processes (two officers' phones through two
        // servers) would
        let term = try await TermFixture()
        defer { term.remove() }
        let other = try await Registrar(testDatabase(term.databasePath))
        // When both log fa-scene-safety for 8A on 8 September at the same moment, ten times over
        // (each round on its own date)
        for day in 10...19 {
            let date = "2025-09-\(day)"
            async let first = outcome { try await term.log("fa-scene-safety", on: date) }
            async let second = outcome {
                try await other.logSession(
                    lessonID: "fa-scene-safety", classID: "8A", officerID: "ofc-102", date: date, minutes: nil,
                    present: [], late: [], absent: ["1002"], excused: [], others: .present, sheet: nil, note: nil, caller: .local("marcus.johnson")).id
            }
            let outcomes = await [first, second]
            // Then exactly one is logged, and the other is refused naming it
            let logged = outcomes.compactMap { try? $0.get() }
            #expect(logged.count == 1, "\(date): \(outcomes)")
            for case .failure(let error) in outcomes {
                let refusal = error as? BridgesError
                #expect(refusal?.exitCode == 65, "\(error)")
                #expect(refusal?.description.contains("as session \(logged.first ?? -1)") == true, "\(error)")
            }
        }
        await #expect(try sessionCount(term) == 10)
    }

    @Test func voidingASessionFreesItsSlot() async throws {
        // Given a session logged and then voided
        let term = try await TermFixture()
        defer { term.remove() }
        let first = try await term.log("fa-scene-safety", on: "2025-09-08")
        try await term.records.voidSession(id: first, reason: "logged for the wrong class", caller: .local("coordinator"))
        // When the same lesson, class and date are logged again
        let second = try await term.log("fa-scene-safety", on: "2025-09-08", absent: ["1003"])
        // Then it is a new session, and the voided one stays stored
        #expect(second != first)
        await #expect(try term.records.session(id: first).session.voidedAt != nil)
        await #expect(try statuses(term, second)["1003"] == .absent)
    }

    // MARK: the lesson version taught

    @Test func theLatestLessonVersionIsRecordedAndOlderSessionsKeepTheirs() async throws {
        // Given a session of fa-scene-safety version 1
        let term = try await TermFixture()
        defer { term.remove() }
        let old = try await term.log("fa-scene-safety", on: "2025-09-08")
        // When version 2 is loaded (its first question now worth 4 points) and the lesson is taught again
        let folder = try term.copyProgram("first-aid", to: "v2/first-aid")
        let file = folder + "/fa-scene-safety.xml"
        let text = try String(contentsOfFile: file, encoding: .utf8)
            .replacingOccurrences(of: #"id="fa-scene-safety" program="first-aid" version="1""#, with: #"id="fa-scene-safety" program="first-aid" version="2""#)
            .replacingOccurrences(of: #"<question id="q1" type="single" objective="check-scene">"#, with: #"<question id="q1" type="single" points="4" objective="check-scene">"#)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let load = try await term.records.loadLessonPlans(paths: [folder], caller: .local("coordinator"), processors: 2)
        try #require(load.updated == 1, "\(load)")
        let new = try await term.records.logSession(
            lessonID: "fa-scene-safety", classID: "8A", officerID: "ofc-101", date: "2025-09-15", minutes: nil,
            present: [], late: [], absent: [], excused: [], others: .present, sheet: nil, note: nil, caller: .local("dana.reyes"))
        // Then the new session records version 2 and the old one keeps version 1
        #expect(new.lessonVersion == 2)
        await #expect(try term.records.session(id: new.id).session.lessonVersion == 2)
        await #expect(try term.records.session(id: old).session.lessonVersion == 1)
        // And each session's quiz is marked against the version taught there
        let right = try await term.answers("fa-scene-safety", version: 1)
        let oldMark = try await #require(try term.records.recordQuiz(session: old, student: "1001", answers: right, caller: .local("dana.reyes")).first)
        let newMark = try await #require(try term.records.recordQuiz(session: new.id, student: "1001", answers: right, caller: .local("dana.reyes")).first)
        #expect((oldMark.earned, oldMark.possible) == (6, 6))
        #expect((newMark.earned, newMark.possible) == (9, 9))
    }

    // MARK: unknown names, dates

    @Test func anUnknownLessonClassOrOfficerIsNotFound() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let lesson = await bridgesError { try await term.log("fa-juggling", on: "2025-09-08") }
        #expect(lesson?.exitCode == 66)
        #expect(lesson?.description.contains("fa-juggling") == true)
        let schoolClass = await bridgesError { try await term.log("fa-scene-safety", class: "12Z", on: "2025-09-08") }
        #expect(schoolClass?.exitCode == 66)
        #expect(schoolClass?.description.contains("12Z") == true)
        let officer = await bridgesError { try await term.log("fa-scene-safety", on: "2025-09-08", officer: "ofc-999") }
        #expect(officer?.exitCode == 66)
        #expect(officer?.description.contains("ofc-999") == true)
        await #expect(try sessionCount(term) == 0)
    }

    @Test(arguments: ["2025-02-30", "14/03/2025", "2025-9-8", "yesterday", ""])
    func aDateThatIsNotARealYYYYMMDDDateIsAUsageError(_ date: String) async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let error = await bridgesError { try await term.log("fa-scene-safety", on: date) }
        #expect(error?.exitCode == 64)
        #expect(error?.description.contains("YYYY-MM-DD") == true)
    }

    @Test func aDateInTheFutureIsRefused() async throws {
        // Given today is 1 October 2025
        let term = try await TermFixture()
        defer { term.remove() }
        term.clock.set(termDay("2025-10-01"))
        // When a session is logged for 2 October
        let error = await bridgesError {
            try await term.records.logSession(
                lessonID: "fa-scene-safety", classID: "8A", officerID: "ofc-101", date: "2025-10-02", minutes: nil,
                present: [], late: [], absent: [], excused: [], others: .present, sheet: nil, note: nil, caller: .local("x"))
        }
        // Then it is bad input (65), and today itself is fine
        #expect(error?.exitCode == 65)
        #expect(error?.description.contains("future") == true)
        _ = try await term.records.logSession(
            lessonID: "fa-scene-safety", classID: "8A", officerID: "ofc-101", date: "2025-10-01", minutes: nil,
            present: [], late: [], absent: [], excused: [], others: .present, sheet: nil, note: nil, caller: .local("x"))
    }

    @Test func anOfficerWhoseCertificationLapsedIsWarnedAboutButTheSessionIsLogged() async throws {
        // Given ofc-102, certified until 2025-01-31
        let term = try await TermFixture()
        defer { term.remove() }
        // When they teach on 8 September 2025
        let logged = try await term.records.logSession(
            lessonID: "fa-scene-safety", classID: "8A", officerID: "ofc-102", date: "2025-09-08", minutes: nil,
            present: [], late: [], absent: [], excused: [], others: .present, sheet: nil, note: nil, caller: .local("marcus"))
        // Then the session is logged, with a warning naming the officer and the date
        await #expect(try term.records.session(id: logged.id).session.officerID == "ofc-102")
        let certification = logged.warnings.filter { !$0.description.contains("was first loaded here") }
        #expect(certification.count == 1)
        #expect(certification.first?.description.contains("ofc-102") == true)
        #expect(certification.first?.description.contains("2025-01-31") == true)
    }

    @Test func anOfficerCertifiedOnTheDayTaughtIsNotWarned() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let logged = try await term.records.logSession(
            lessonID: "fa-scene-safety", classID: "8A", officerID: "ofc-102", date: "2025-01-31", minutes: nil,
            present: [], late: [], absent: [], excused: [], others: .present, sheet: nil, note: nil, caller: .local("marcus"))
        #expect(logged.warnings.filter { !$0.description.contains("was first loaded here") }.isEmpty)
    }

    @Test func minutesDefaultToTheLessonsPlannedMinutesAndMayBeGiven() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let planned = try await term.log("fa-scene-safety", on: "2025-09-08")
        let given = try await term.log("fa-bleeding", on: "2025-09-08", minutes: 38)
        await #expect(try term.records.session(id: planned).session.minutes == 45)
        await #expect(try term.records.session(id: given).session.minutes == 38)
        #expect(await bridgesError { try await term.log("fa-burns", on: "2025-09-08", minutes: 0) }?.exitCode == 64)
    }

    // MARK: list and show

    @Test func sessionsAreListedByClassProgramAndDates() async throws {
        // Given sessions of two programs in two classes over two weeks
        let term = try await TermFixture()
        defer { term.remove() }
        let a1 = try await term.log("fa-scene-safety", on: "2025-09-08")
        let a2 = try await term.log("fa-calling-for-help", on: "2025-09-15")
        let b1 = try await term.log("cr-escalation", class: "8B", on: "2025-09-09")
        let h1 = try await term.log("fa-scene-safety", class: "9H", on: "2025-09-16")
        func ids(classID: String? = nil, programID: String? = nil, from: String? = nil, to: String? = nil) async throws -> [Int64] {
            try await term.records.sessions(classID: classID, programID: programID, from: from, to: to).map(\.id)
        }
        // Then each filter keeps what it says, oldest first
        await #expect(try ids() == [a1, b1, a2, h1])
        await #expect(try ids(classID: "8A") == [a1, a2])
        await #expect(try ids(programID: "conflict-resolution") == [b1])
        await #expect(try ids(programID: "first-aid") == [a1, a2, h1])
        await #expect(try ids(from: "2025-09-09") == [b1, a2, h1])
        await #expect(try ids(to: "2025-09-09") == [a1, b1])
        await #expect(try ids(from: "2025-09-09", to: "2025-09-15") == [b1, a2])
        await #expect(try ids(classID: "8A", programID: "first-aid", from: "2025-09-10") == [a2])
        await #expect(try ids(classID: "9H", programID: "conflict-resolution") == [])
        #expect(await bridgesError { try await ids(from: "9 Sept") }?.exitCode == 64)
    }

    @Test func showingASessionGivesEverythingRecorded() async throws {
        // Given a session with a note, a late arrival and an absence, and one quiz attempt
        let term = try await TermFixture()
        defer { term.remove() }
        let id = try await term.log("fa-bleeding", on: "2025-09-08", minutes: 40, late: ["1002"], absent: ["1003"], note: "fire drill cut it short", actor: "dana.reyes")
        try await term.takeQuiz(session: id, student: "1001", lesson: "fa-bleeding")
        // When shown
        let detail = try await term.records.session(id: id)
        // Then it has the lesson and version, class, officer, date, minutes, note, and who recorded it and when
        let s = detail.session
        #expect(s.lessonID == "fa-bleeding")
        #expect(s.lessonVersion == 1)
        #expect(s.lessonTitle.isEmpty == false)
        #expect(s.programID == "first-aid")
        #expect((s.classID, s.schoolID) == ("8A", "0202"))
        #expect((s.officerID, s.officerName) == ("ofc-101", "Dana Reyes"))
        #expect((s.date, s.minutes) == ("2025-09-08", 40))
        #expect(s.note == "fire drill cut it short")
        #expect(s.recordedBy == "dana.reyes")
        #expect(s.recordedAt.hasSuffix("Z") && s.recordedAt.count == 20, "\(s.recordedAt)")
        #expect(s.voidedAt == nil)
        // And each student's status with their names and quiz
        let students = Dictionary(uniqueKeysWithValues: detail.students.map { ($0.studentID, $0) })
        #expect(students.count == 4)
        #expect(students["1002"]?.status == .late)
        #expect(students["1003"]?.status == .absent)
        #expect(students["1003"]?.familyName == "García")
        #expect(students["1001"]?.quizAttempts == 1)
        #expect(students["1001"]?.bestEarned == 5)
        #expect(students["1001"]?.bestPossible == 5)
        #expect(students["1001"]?.bestPassed == true)
        #expect(students["1002"]?.quizAttempts == 0)
        // And the trail: the log, then the quiz
        #expect(detail.trail.map(\.action) == ["log", "quiz"])
        #expect(detail.trail.first?.actor == "dana.reyes")
    }

    @Test func showingASessionThatDoesNotExistIsNotFound() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        #expect(await bridgesError { try await term.records.session(id: 42) }?.exitCode == 66)
    }

    // MARK: amend

    @Test func amendingAStatusKeepsTheOldValueTheReasonAndWhoInTheTrail() async throws {
        // Given 1003 marked absent
        let term = try await TermFixture()
        defer { term.remove() }
        let id = try await term.log("fa-scene-safety", on: "2025-09-08", absent: ["1003"])
        // When amended to late, with a reason
        let old = try await term.records.amendSession(id: id, student: "1003", status: .late, reason: "arrived after the register; teacher confirmed", caller: .local("ms.alvarez"))
        // Then the status is late, the old one is returned, and the trail has old → new, reason and who
        #expect(old == .absent)
        await #expect(try statuses(term, id)["1003"] == .late)
        let amendment = try await #require(try term.records.session(id: id).trail.last)
        #expect(amendment.action == "amend")
        #expect(amendment.actor == "ms.alvarez")
        #expect(amendment.field == "status of 1003")
        #expect(amendment.oldValue == "absent")
        #expect(amendment.newValue == "late")
        #expect(amendment.reason == "arrived after the register; teacher confirmed")
        #expect(amendment.at.isEmpty == false)
    }

    @Test func amendingNeedsAReason() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let id = try await term.log("fa-scene-safety", on: "2025-09-08", absent: ["1003"])
        let error = await bridgesError { try await term.records.amendSession(id: id, student: "1003", status: .present, reason: "  ", caller: .local("x")) }
        #expect(error?.exitCode == 64)
        await #expect(try statuses(term, id)["1003"] == .absent)
    }

    @Test func amendingToTheSameStatusChangesNothing() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let id = try await term.log("fa-scene-safety", on: "2025-09-08", absent: ["1003"])
        await #expect(try term.records.amendSession(id: id, student: "1003", status: .absent, reason: "checked", caller: .local("x")) == .absent)
        await #expect(try term.records.session(id: id).trail.map(\.action) == ["log"])
    }

    @Test func aVoidedSessionCannotBeAmended() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let id = try await term.log("fa-scene-safety", on: "2025-09-08", absent: ["1003"])
        try await term.records.voidSession(id: id, reason: "wrong class", caller: .local("x"))
        let error = await bridgesError { try await term.records.amendSession(id: id, student: "1003", status: .present, reason: "arrived", caller: .local("x")) }
        #expect(error?.exitCode == 65)
        #expect(error?.description.contains("voided") == true)
        await #expect(try statuses(term, id)["1003"] == .absent)
    }

    @Test func aStudentWithQuizAttemptsCannotBeAmendedToAbsentOrExcused() async throws {
        // Given 1001 present, with a quiz attempt
        let term = try await TermFixture()
        defer { term.remove() }
        let id = try await term.log("fa-scene-safety", on: "2025-09-08")
        try await term.takeQuiz(session: id, student: "1001", lesson: "fa-scene-safety")
        // When amended to absent, or excused
        for status in [AttendanceStatus.absent, .excused] {
            let error = await bridgesError { try await term.records.amendSession(id: id, student: "1001", status: status, reason: "mistake", caller: .local("x")) }
            // Then refused, saying why
            #expect(error?.exitCode == 65)
            #expect(error?.description.contains("quiz attempt") == true, "\(String(describing: error))")
        }
        await #expect(try statuses(term, id)["1001"] == .present)
        // But late still counts as attended, so that is allowed
        await #expect(try term.records.amendSession(id: id, student: "1001", status: .late, reason: "came in late", caller: .local("x")) == .present)
    }

    @Test func amendingAStudentNotInTheClassOrASessionThatDoesNotExistIsRefused() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let id = try await term.log("fa-scene-safety", on: "2025-09-08")
        #expect(await bridgesError { try await term.records.amendSession(id: id, student: "2001", status: .present, reason: "r", caller: .local("x")) }?.exitCode == 65)
        #expect(await bridgesError { try await term.records.amendSession(id: 999, student: "1001", status: .present, reason: "r", caller: .local("x")) }?.exitCode == 66)
    }

    @Test func aStudentWhoJoinedTheClassLaterCanBeGivenAStatusByAmending() async throws {
        // Given a session logged before 1005 joined 8A
        let term = try await TermFixture()
        defer { term.remove() }
        let id = try await term.log("fa-scene-safety", on: "2025-09-08")
        try await term.importRoster(adding: ["0202,Riverside Middle School,8A,Grade 8 Health A,1005,Kai,Mensah,8"])
        // When amended to give them a status
        let old = try await term.records.amendSession(id: id, student: "1005", status: .present, reason: "was there; joined the roster late", caller: .local("x"))
        // Then they had none, and now have one
        #expect(old == nil)
        await #expect(try statuses(term, id)["1005"] == .present)
        await #expect(try term.records.session(id: id).trail.last?.oldValue == "(none)")
    }

    // MARK: void

    @Test func voidingKeepsTheSessionWithWhoWhenAndWhy() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let id = try await term.log("fa-scene-safety", on: "2025-09-08", absent: ["1003"])
        try await term.records.voidSession(id: id, reason: "logged for the wrong class", caller: .local("coordinator"))
        let detail = try await term.records.session(id: id)
        #expect(detail.session.voidedAt != nil)
        #expect(detail.session.voidedBy == "coordinator")
        #expect(detail.session.voidReason == "logged for the wrong class")
        #expect(detail.students.count == 4, "the marks stay stored")
        let entry = try #require(detail.trail.last)
        #expect((entry.action, entry.reason, entry.actor) == ("void", "logged for the wrong class", "coordinator"))
    }

    @Test func voidingNeedsAReasonAndCannotBeDoneTwice() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let id = try await term.log("fa-scene-safety", on: "2025-09-08")
        #expect(await bridgesError { try await term.records.voidSession(id: id, reason: "", caller: .local("x")) }?.exitCode == 64)
        await #expect(try term.records.session(id: id).session.voidedAt == nil)
        try await term.records.voidSession(id: id, reason: "duplicate", caller: .local("x"))
        let again = await bridgesError { try await term.records.voidSession(id: id, reason: "again", caller: .local("y")) }
        #expect(again?.exitCode == 65)
        #expect(again?.description.contains("duplicate") == true, "the refusal says why it was voided")
        await #expect(try term.records.session(id: id).session.voidReason == "duplicate")
        #expect(await bridgesError { try await term.records.voidSession(id: 999, reason: "r", caller: .local("x")) }?.exitCode == 66)
    }
}

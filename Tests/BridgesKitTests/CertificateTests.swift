import BridgesKit
import Foundation
import Testing

/// Issuing, listing, verifying and revoking certificates (cli.md, "Certificates"): eligibility by
/// the program's rule on the issue date (make-ups count, the best quiz attempt counts, voided
/// sessions do not), one current certificate per student and program, random codes.
///
/// first-aid, as shipped: six required lessons with quizzes and an optional seventh, rule
/// all/pass-all, valid 24 months. personal-safety: five lessons, rule all/none, never expires.
@Suite("Certificates")
struct CertificateTests {
    /// Teaches a program's required lessons to a class a week apart from `start`, everyone present
    /// and passing each quiz, except: `absent` (lesson → students away) and `noQuiz` (lesson →
    /// students whose quiz the test records itself). Returns each lesson's session.
    @discardableResult
    func teach(
        _ program: String = "first-aid", to classID: String = "8A", from start: String = "2025-09-01", on term: TermFixture,
        absent: [String: [String]] = [:], noQuiz: [String: [String]] = [:]
    ) throws -> [String: Int64] {
        var day = try #require(SchoolDate(start))
        var sessions: [String: Int64] = [:]
        let students = try #require(TermFixture.classes[classID])
        for lesson in try term.requiredLessons(program) {
            let away = absent[lesson] ?? []
            let id = try term.log(lesson, class: classID, on: day.description, absent: away)
            if program == "first-aid" {
                for student in students where !away.contains(student) && !(noQuiz[lesson] ?? []).contains(student) {
                    try term.takeQuiz(session: id, student: student, lesson: lesson)
                }
            }
            sessions[lesson] = id
            day = try #require(day.adding(days: 7))
        }
        return sessions
    }

    func issue(_ term: TermFixture, program: String? = "first-aid", asOf: String) throws -> CertificateIssue {
        let issues = try term.records.issueCertificates(programID: program, asOf: asOf, actor: "coordinator", listingCodes: true)
        return try #require(issues.first { $0.programID == (program ?? "first-aid") })
    }

    func holders(_ term: TermFixture, program: String = "first-aid") throws -> [String] {
        try term.records.certificates(programID: program).map(\.studentID).sorted()
    }

    // MARK: issuing

    @Test func withoutAskingForTheCodesOnlyTheCountsComeBackAndTheCertificatesAreStored() throws {
        // Given first aid taught to 8A, everyone passing
        let term = try TermFixture()
        defer { term.remove() }
        try teach(on: term)
        // When certificates are issued the way the command does, not asking for the codes
        let issues = try term.records.issueCertificates(programID: "first-aid", asOf: "2025-10-10", actor: "coordinator")
        // Then the count says four, no list is held, and four are stored
        let issue = try #require(issues.first)
        #expect(issue.issuedCount == 4)
        #expect(issue.issued.isEmpty)
        #expect(try holders(term) == ["1001", "1002", "1003", "1004"])
    }

    @Test func everyEligibleStudentIsIssuedOneDatedAsOfAndValidForTwentyFourMonthsLessADay() throws {
        // Given first aid taught to 8A from 1 September to 6 October 2025, everyone passing
        let term = try TermFixture()
        defer { term.remove() }
        try teach(on: term)
        // When certificates are issued as of 10 October 2025
        let issue = try issue(term, asOf: "2025-10-10")
        // Then each of the four gets one
        #expect(issue.issued.map(\.studentID).sorted() == ["1001", "1002", "1003", "1004"])
        #expect((issue.alreadyHeld, issue.notEligible) == (0, 0))
        let certificates = try term.records.certificates(programID: "first-aid", today: termDay("2025-10-10"))
        #expect(certificates.count == 4)
        for certificate in certificates {
            // dated --as-of, valid 24 months: through 9 October 2027, the day before the second anniversary
            #expect(certificate.issuedOn == "2025-10-10")
            #expect(certificate.validUntil == "2027-10-09")
            #expect(certificate.status == .valid)
            #expect(certificate.title == "First Aid Basics – Course Completion")
            #expect(certificate.schoolID == "0202")
        }
        #expect(Set(certificates.map(\.code)) == Set(issue.issued.map(\.code)))
    }

    @Test func issuingAgainIssuesNothingToStudentsWhoHoldACurrentOne() throws {
        let term = try TermFixture()
        defer { term.remove() }
        try teach(on: term)
        _ = try issue(term, asOf: "2025-10-10")
        let again = try issue(term, asOf: "2025-10-10")
        #expect(again.issued.isEmpty)
        #expect(again.alreadyHeld == 4)
        let later = try issue(term, asOf: "2026-06-01")
        #expect(later.issued.isEmpty)
        #expect(try term.records.certificates(programID: nil).count == 4)
    }

    @Test func issuingWithAnEarlierDateDoesNotGiveASecondCertificateToStudentsWhoHoldOne() throws {
        // Given certificates issued as of 10 October 2025 (say, by running issue without --as-of)
        let term = try TermFixture()
        defer { term.remove() }
        try teach(on: term)
        _ = try issue(term, asOf: "2025-10-10")
        // When the coordinator then issues as of the last day of the course, 7 October
        let backdated = try issue(term, asOf: "2025-10-07")
        // Then nobody gets a second certificate: each already holds one that is valid from then on
        #expect(backdated.issued.isEmpty, "\(backdated.issued.count) more issued")
        #expect(backdated.alreadyHeld == 4)
        #expect(try term.records.certificates(programID: "first-aid").count == 4)
    }

    @Test func aStudentWhoMissedARequiredLessonIsNotEligible() throws {
        // Given 1003 absent from fa-burns, never made up
        let term = try TermFixture()
        defer { term.remove() }
        try teach(on: term, absent: ["fa-burns": ["1003"]])
        // When issued
        let issue = try issue(term, asOf: "2025-10-10")
        // Then the other three are certified, 1003 is not
        #expect(issue.issued.map(\.studentID).sorted() == ["1001", "1002", "1004"])
        #expect(issue.notEligible == 1)
    }

    @Test func aMakeUpSessionCountsAsAttendingTheLesson() throws {
        // Given 1003 absent from fa-burns, then at a make-up session of it where they pass its quiz
        let term = try TermFixture()
        defer { term.remove() }
        try teach(on: term, absent: ["fa-burns": ["1003"]])
        let makeUp = try term.log("fa-burns", on: "2025-10-08", minutes: 30, present: ["1003"], others: .excused, note: "make-up")
        try term.takeQuiz(session: makeUp, student: "1003", lesson: "fa-burns")
        // When issued
        let issue = try issue(term, asOf: "2025-10-10")
        // Then all four are certified: being excused from the make-up takes nothing from the others
        #expect(issue.issued.map(\.studentID).sorted() == ["1001", "1002", "1003", "1004"])
    }

    @Test func aQuizFailedThenRetakenPassesOnTheBestAttempt() throws {
        // Given 1002 fails fa-bleeding's quiz then passes it; 1004 fails it and never retakes it
        let term = try TermFixture()
        defer { term.remove() }
        let sessions = try teach(on: term, noQuiz: ["fa-bleeding": ["1002", "1004"]])
        let bleeding = try #require(sessions["fa-bleeding"])
        let failed = try term.takeQuiz(session: bleeding, student: "1002", lesson: "fa-bleeding", right: 1)
        try #require(!failed.passed)
        try term.takeQuiz(session: bleeding, student: "1002", lesson: "fa-bleeding")
        try term.takeQuiz(session: bleeding, student: "1002", lesson: "fa-bleeding", right: 0)  // a worse third try changes nothing
        try #require(!(try term.takeQuiz(session: bleeding, student: "1004", lesson: "fa-bleeding", right: 2)).passed)
        // When issued
        let issue = try issue(term, asOf: "2025-10-10")
        // Then 1002 is certified on their best attempt, and 1004 is not
        #expect(issue.issued.map(\.studentID).sorted() == ["1001", "1002", "1003"])
        #expect(issue.notEligible == 1)
    }

    @Test func aQuizNeverTakenAtAnAttendedLessonIsNotPassed() throws {
        let term = try TermFixture()
        defer { term.remove() }
        try teach(on: term, noQuiz: ["fa-burns": ["1001"]])
        #expect(try issue(term, asOf: "2025-10-10").issued.map(\.studentID).sorted() == ["1002", "1003", "1004"])
    }

    @Test func aVoidedSessionDoesNotCount() throws {
        // Given 1003's only attendance of fa-burns is a make-up session that was then voided
        let term = try TermFixture()
        defer { term.remove() }
        try teach(on: term, absent: ["fa-burns": ["1003"]])
        let makeUp = try term.log("fa-burns", on: "2025-10-08", present: ["1003"], others: .excused)
        try term.takeQuiz(session: makeUp, student: "1003", lesson: "fa-burns")
        try term.records.voidSession(id: makeUp, reason: "1003 was not in school that day", actor: "coordinator")
        // When issued
        let issue = try issue(term, asOf: "2025-10-10")
        // Then 1003 is not certified
        #expect(!issue.issued.map(\.studentID).contains("1003"))
        #expect(issue.notEligible == 1)
    }

    @Test func onlyWhatHappenedByTheIssueDateCounts() throws {
        // Given the last lesson taught on 6 October
        let term = try TermFixture()
        defer { term.remove() }
        try teach(on: term)
        // When issued as of 5 October, then 6 October
        let early = try issue(term, asOf: "2025-10-05")
        #expect(early.issued.isEmpty)
        #expect(early.notEligible == 4)
        #expect(try issue(term, asOf: "2025-10-06").issued.count == 4)
    }

    @Test func attendanceAloneEarnsACertificateOfAProgramWithoutQuizzesAndItNeverExpires() throws {
        // Given personal-safety (all/none, no validMonths) taught to 8B, no quiz taken
        let term = try TermFixture()
        defer { term.remove() }
        try teach("personal-safety", to: "8B", on: term)
        // When issued
        let issue = try issue(term, program: "personal-safety", asOf: "2025-10-10")
        // Then both students are certified, with no end date
        #expect(issue.issued.map(\.studentID).sorted() == ["2001", "2002"])
        let certificates = try term.records.certificates(programID: "personal-safety", today: termDay("2099-01-01"))
        #expect(certificates.allSatisfy { $0.validUntil == nil && $0.status == .valid })
    }

    @Test func aRuleOfACountOfLessonsIsMetByThatMany() throws {
        // Given a bike-safety program: three required lessons, a certificate for any two with their quizzes passed
        let term = try TermFixture()
        defer { term.remove() }
        try term.write("bike/program.xml", BikeProgram.program)
        try term.write("bike/bk-helmet.xml", BikeProgram.lesson("bk-helmet", quiz: true))
        try term.write("bike/bk-signals.xml", BikeProgram.lesson("bk-signals", quiz: false))
        try term.write("bike/bk-road.xml", BikeProgram.lesson("bk-road", quiz: false))
        _ = try term.records.loadLessonPlans(paths: [term.path("bike")], actor: "coordinator", processors: 2)
        // And: 1001 at helmet (passed) and road; 1002 at signals and road (no quiz needed);
        // 1003 at helmet (failed) and signals; 1004 at helmet only (passed)
        let helmet = try term.log("bk-helmet", on: "2025-09-01", present: ["1001", "1003", "1004"], others: .absent)
        try term.log("bk-signals", on: "2025-09-08", present: ["1002", "1003"], others: .absent)
        try term.log("bk-road", on: "2025-09-15", present: ["1001", "1002"], others: .absent)
        _ = try term.records.recordQuiz(session: helmet, student: "1001", answers: "q1=true", actor: "x")
        _ = try term.records.recordQuiz(session: helmet, student: "1003", answers: "q1=false", actor: "x")
        _ = try term.records.recordQuiz(session: helmet, student: "1004", answers: "q1=true", actor: "x")
        // When issued
        let issue = try issue(term, program: "bike", asOf: "2025-09-30")
        // Then 1001 and 1002 are certified; 1003 failed an attended lesson's quiz; 1004 attended one lesson
        #expect(issue.issued.map(\.studentID).sorted() == ["1001", "1002"])
        #expect(issue.notEligible == 2)
    }

    // MARK: expiry and history

    @Test func anExpiredCertificateLetsTheStudentBeCertifiedAgainAndTheOldOneStays() throws {
        // Given first aid taught in early 2023 and certified as of 1 March 2023 (valid until 28 February 2025)
        let term = try TermFixture()
        defer { term.remove() }
        try teach(from: "2023-01-09", on: term)
        let first = try issue(term, asOf: "2023-03-01")
        #expect(first.issued.count == 4)
        #expect(try term.records.certificates(programID: "first-aid").allSatisfy { $0.validUntil == "2025-02-28" })
        // When issued on the last day it is valid, nothing happens
        #expect(try issue(term, asOf: "2025-02-28").issued.isEmpty)
        // When issued the day after it expired
        let second = try issue(term, asOf: "2025-03-01")
        // Then each student is certified again, and the old certificates are kept, expired
        #expect(second.issued.count == 4)
        let all = try term.records.certificates(programID: "first-aid", today: termDay("2025-03-01"))
        #expect(all.count == 8)
        #expect(all.filter { $0.status == .expired }.map(\.issuedOn) == Array(repeating: "2023-03-01", count: 4))
        #expect(all.filter { $0.status == .valid }.map(\.validUntil) == Array(repeating: "2027-02-28", count: 4))
        #expect(Set(all.map(\.code)).count == 8)
        #expect(Dictionary(grouping: all, by: \.studentID).values.allSatisfy { $0.count == 2 })
    }

    @Test func aCertificateIssuedOnTheTwentyNinthOfFebruaryIsValidThroughTheTwentyEighthTwoYearsOn() throws {
        // Given first aid taught in January and February 2024, certified on 29 February 2024
        let term = try TermFixture()
        defer { term.remove() }
        try teach(from: "2024-01-08", on: term)
        _ = try issue(term, asOf: "2024-02-29")
        // Then valid for 24 months: 2026 has no 29 February, so the second anniversary is 1 March
        // 2026 and the certificate is good through 28 February 2026 (as one issued on 1 March 2024 is)
        let certificate = try #require(try term.records.certificates(programID: "first-aid").first)
        #expect(certificate.validUntil == "2026-02-28")
    }

    @Test func theLastDayOfValidityIsValidAndTheNextIsExpired() throws {
        let term = try TermFixture()
        defer { term.remove() }
        try teach(on: term)
        let code = try #require(try issue(term, asOf: "2025-10-10").issued.first?.code)
        #expect(try term.records.verifyCertificate(code.normalized, today: termDay("2027-10-09"))?.status == .valid)
        #expect(try term.records.verifyCertificate(code.normalized, today: termDay("2027-10-10"))?.status == .expired)
        #expect(try term.records.verifyCertificate(code.normalized, today: termDay("2025-10-09"))?.status == .notYetValid)
    }

    // MARK: verify and revoke

    @Test func verifyingFindsTheCodeTypedInLowerCaseWithoutDashes() throws {
        let term = try TermFixture()
        defer { term.remove() }
        try teach(on: term)
        let (student, code) = try #require(try issue(term, asOf: "2025-10-10").issued.first)
        let found = try #require(try term.records.verifyCertificate(code.normalized.lowercased(), today: termDay("2025-11-01")))
        #expect(found.code == code)
        #expect(found.studentID == student)
        #expect(found.status == .valid)
        #expect(found.programID == "first-aid")
        #expect(try term.records.verifyCertificate(code.description.lowercased()) != nil)
    }

    @Test func verifyingAnUnknownCodeFindsNothingAndAMalformedOneIsAUsageError() throws {
        let term = try TermFixture()
        defer { term.remove() }
        #expect(try term.records.verifyCertificate("0000-0000-0000-0000") == nil)
        #expect(bridgesError { try term.records.verifyCertificate("not-a-code") }?.exitCode == 64)
        #expect(bridgesError { try term.records.verifyCertificate("7K3Q-M9XD-2HFA") }?.exitCode == 64)
    }

    @Test func aRevokedCertificateKeepsItsReasonAndIsNotReissuedWhileItWouldHaveBeenValid() throws {
        // Given a certificate revoked for a reason
        let term = try TermFixture()
        defer { term.remove() }
        try teach(on: term)
        let (student, code) = try #require(try issue(term, asOf: "2025-10-10").issued.first)
        let revoked = try term.records.revokeCertificate(code.description, reason: "issued to the wrong student", actor: "coordinator")
        #expect(!revoked.alreadyRevoked)
        #expect(revoked.certificate.status == .revoked)
        // Then verifying says revoked, with the reason and who
        let verified = try #require(try term.records.verifyCertificate(code.normalized))
        #expect(verified.status == .revoked)
        #expect(verified.revocationReason == "issued to the wrong student")
        #expect(verified.revokedBy == "coordinator")
        #expect(verified.revokedOn != nil)
        // And revoking again changes nothing
        let again = try term.records.revokeCertificate(code.normalized, reason: "other", actor: "someone")
        #expect(again.alreadyRevoked)
        #expect(try term.records.verifyCertificate(code.normalized)?.revocationReason == "issued to the wrong student")
        // And issuing again does not quietly give the student a new one
        let reissue = try issue(term, asOf: "2025-11-01")
        #expect(!reissue.issued.map(\.studentID).contains(student))
        #expect(reissue.revokedSkipped == 1)
    }

    @Test func revokingNeedsAReasonAndAKnownCode() throws {
        let term = try TermFixture()
        defer { term.remove() }
        try teach(on: term)
        let code = try #require(try issue(term, asOf: "2025-10-10").issued.first?.code)
        #expect(bridgesError { try term.records.revokeCertificate(code.normalized, reason: " ", actor: "x") }?.exitCode == 64)
        #expect(try term.records.verifyCertificate(code.normalized)?.status == .valid)
        #expect(bridgesError { try term.records.revokeCertificate("0000-0000-0000-0000", reason: "r", actor: "x") }?.exitCode == 66)
        #expect(bridgesError { try term.records.revokeCertificate("nope", reason: "r", actor: "x") }?.exitCode == 64)
    }

    // MARK: codes

    @Test func twoStudentsWithTheSameNameGetUnrelatedCodes() throws {
        // Given 1004 in 8A and 2001 in 8B, both Sam Lee, both certified in personal safety
        let term = try TermFixture()
        defer { term.remove() }
        try teach("personal-safety", to: "8A", on: term)
        try teach("personal-safety", to: "8B", on: term)
        let issued = Dictionary(uniqueKeysWithValues: try issue(term, program: "personal-safety", asOf: "2025-10-10").issued.map { ($0.studentID, $0.code.normalized) })
        let a = Array(try #require(issued["1004"])), b = Array(try #require(issued["2001"]))
        // Then the codes differ, and agree in no more places than chance would have them
        #expect(a != b)
        #expect(zip(a, b).filter { $0 == $1 }.count <= 6, "\(String(a)) and \(String(b))")
    }

    @Test func theSameStudentInAnotherDatabaseGetsAnotherCode() throws {
        // Given two databases with the very same records
        let one = try TermFixture(), two = try TermFixture()
        defer { one.remove(); two.remove() }
        try teach("personal-safety", to: "8B", on: one)
        try teach("personal-safety", to: "8B", on: two)
        // When each issues 2001's certificate
        let first = try issue(one, program: "personal-safety", asOf: "2025-10-10").issued.first { $0.studentID == "2001" }?.code
        let second = try issue(two, program: "personal-safety", asOf: "2025-10-10").issued.first { $0.studentID == "2001" }?.code
        // Then the codes differ: nothing of the student's data decides them
        #expect(first != nil && second != nil && first != second)
    }

    // MARK: wrong requests

    @Test func anUnknownProgramAFutureDateOrABadDateIsRefused() throws {
        let term = try TermFixture()
        defer { term.remove() }
        #expect(bridgesError { try term.records.issueCertificates(programID: "juggling", asOf: "2025-10-10", actor: "x") }?.exitCode == 66)
        let today = termDay("2025-10-10")
        #expect(bridgesError { try term.records.issueCertificates(programID: nil, asOf: "2025-10-11", actor: "x", today: today) }?.exitCode == 65)
        #expect(bridgesError { try term.records.issueCertificates(programID: nil, asOf: "10/10/2025", actor: "x") }?.exitCode == 64)
    }
}

/// A small program whose certificate asks for two of its three lessons: none ships like that.
enum BikeProgram {
    static let program = """
        <?xml version="1.0" encoding="UTF-8"?>
        <program xmlns="urn:bridges:lesson-plan:1" id="bike" version="1">
          <title>Bike Safety</title>
          <grades min="6" max="9"/>
          <lessons>
            <lesson ref="bk-helmet"/>
            <lesson ref="bk-signals"/>
            <lesson ref="bk-road"/>
          </lessons>
          <certificate title="Safe Cyclist" attendance="2" quizzes="pass-all"/>
        </program>
        """

    static func lesson(_ id: String, quiz: Bool) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <lesson xmlns="urn:bridges:lesson-plan:1" id="\(id)" program="bike" version="1">
          <title>Lesson \(id)</title>
          <minutes>30</minutes>
          <objectives><objective id="main">Ride safely</objective></objectives>
          <activities>
            <activity id="ride" kind="practice" minutes="20"><title>Ride</title><step>Ride around the yard</step></activity>
          </activities>
        \(quiz ? """
          <quiz>
            <question id="q1" type="true-false"><prompt>Wear a helmet on every ride.</prompt><answer>true</answer></question>
          </quiz>
        """ : "")
        </lesson>
        """
    }
}

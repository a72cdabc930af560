@testable import BridgesKit
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
    ) async throws -> [String: Int64] {
        var day = try #require(SchoolDate(start))
        var sessions: [String: Int64] = [:]
        let students = try #require(TermFixture.classes[classID])
        for lesson in try await term.requiredLessons(program) {
            let away = absent[lesson] ?? []
            let id = try await term.log(lesson, class: classID, on: day.description, absent: away)
            if program == "first-aid" {
                for student in students where !away.contains(student) && !(noQuiz[lesson] ?? []).contains(student) {
                    try await term.takeQuiz(session: id, student: student, lesson: lesson)
                }
            }
            sessions[lesson] = id
            day = try #require(day.adding(days: 7))
        }
        return sessions
    }

    func issue(_ term: TermFixture, program: String? = "first-aid", asOf: String) async throws -> CertificateIssue {
        let issues = try await term.records.issueCertificates(programID: program, asOf: asOf, caller: .local("coordinator"), listingCodes: true)
        return try #require(issues.first { $0.programID == (program ?? "first-aid") })
    }

    func holders(_ term: TermFixture, program: String = "first-aid") async throws -> [String] {
        try await term.records.certificates(programID: program).map(\.studentID).sorted()
    }

    // MARK: issuing

    @Test func withoutAskingForTheCodesOnlyTheCountsComeBackAndTheCertificatesAreStored() async throws {
        // Given first aid taught to 8A, everyone passing
        let term = try await TermFixture()
        defer { term.remove() }
        try await teach(on: term)
        // When certificates are issued the way the command does, not asking for the codes
        let issues = try await term.records.issueCertificates(programID: "first-aid", asOf: "2025-10-10", caller: .local("coordinator"))
        // Then the count says four, no list is held, and four are stored
        let issue = try #require(issues.first)
        #expect(issue.issuedCount == 4)
        #expect(issue.issued.isEmpty)
        await #expect(try holders(term) == ["1001", "1002", "1003", "1004"])
    }

    @Test func everyEligibleStudentIsIssuedOneDatedAsOfAndValidForTwentyFourMonthsLessADay() async throws {
        // Given first aid taught to 8A from 1 September to 6 October 2025, everyone passing
        let term = try await TermFixture()
        defer { term.remove() }
        try await teach(on: term)
        // When certificates are issued as of 10 October 2025
        let issue = try await issue(term, asOf: "2025-10-10")
        // Then each of the four gets one
        #expect(issue.issued.map(\.studentID).sorted() == ["1001", "1002", "1003", "1004"])
        #expect((issue.alreadyHeld, issue.notEligible) == (0, 0))
        term.clock.set(termDay("2025-10-10"))
        let certificates = try await term.records.certificates(programID: "first-aid")
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

    @Test func issuingAgainIssuesNothingToStudentsWhoHoldACurrentOne() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        try await teach(on: term)
        _ = try await issue(term, asOf: "2025-10-10")
        let again = try await issue(term, asOf: "2025-10-10")
        #expect(again.issued.isEmpty)
        #expect(again.alreadyHeld == 4)
        let later = try await issue(term, asOf: "2026-06-01")
        #expect(later.issued.isEmpty)
        await #expect(try term.records.certificates(programID: nil).count == 4)
    }

    @Test func issuingWithAnEarlierDateDoesNotGiveASecondCertificateToStudentsWhoHoldOne() async throws {
        // Given certificates issued as of 10 October 2025 (say, by running issue without --as-of)
        let term = try await TermFixture()
        defer { term.remove() }
        try await teach(on: term)
        _ = try await issue(term, asOf: "2025-10-10")
        // When the coordinator then issues as of the last day of the course, 7 October
        let backdated = try await issue(term, asOf: "2025-10-07")
        // Then nobody gets a second certificate: each already holds one that is valid from then on
        #expect(backdated.issued.isEmpty, "\(backdated.issued.count) more issued")
        #expect(backdated.alreadyHeld == 4)
        await #expect(try term.records.certificates(programID: "first-aid").count == 4)
    }

    @Test func aStudentWhoMissedARequiredLessonIsNotEligible() async throws {
        // Given 1003 absent from fa-burns, never made up
        let term = try await TermFixture()
        defer { term.remove() }
        try await teach(on: term, absent: ["fa-burns": ["1003"]])
        // When issued
        let issue = try await issue(term, asOf: "2025-10-10")
        // Then the other three are certified, 1003 is not
        #expect(issue.issued.map(\.studentID).sorted() == ["1001", "1002", "1004"])
        #expect(issue.notEligible == 1)
    }

    @Test func aMakeUpSessionCountsAsAttendingTheLesson() async throws {
        // Given 1003 absent from fa-burns, then at a make-up session of it where they pass its quiz
        let term = try await TermFixture()
        defer { term.remove() }
        try await teach(on: term, absent: ["fa-burns": ["1003"]])
        let makeUp = try await term.log("fa-burns", on: "2025-10-08", minutes: 30, present: ["1003"], others: .excused, note: "make-up")
        try await term.takeQuiz(session: makeUp, student: "1003", lesson: "fa-burns")
        // When issued
        let issue = try await issue(term, asOf: "2025-10-10")
        // Then all four are certified: being excused from the make-up takes nothing from the others
        #expect(issue.issued.map(\.studentID).sorted() == ["1001", "1002", "1003", "1004"])
    }

    @Test func aQuizFailedThenRetakenPassesOnTheBestAttempt() async throws {
        // Given 1002 fails fa-bleeding's quiz then passes it; 1004 fails it and never retakes it
        let term = try await TermFixture()
        defer { term.remove() }
        let sessions = try await teach(on: term, noQuiz: ["fa-bleeding": ["1002", "1004"]])
        let bleeding = try #require(sessions["fa-bleeding"])
        let failed = try await term.takeQuiz(session: bleeding, student: "1002", lesson: "fa-bleeding", right: 1)
        try #require(!failed.passed)
        try await term.takeQuiz(session: bleeding, student: "1002", lesson: "fa-bleeding")
        try await term.takeQuiz(session: bleeding, student: "1002", lesson: "fa-bleeding", right: 0)  // a worse third try changes nothing
        try await #require(!(try term.takeQuiz(session: bleeding, student: "1004", lesson: "fa-bleeding", right: 2)).passed)
        // When issued
        let issue = try await issue(term, asOf: "2025-10-10")
        // Then 1002 is certified on their best attempt, and 1004 is not
        #expect(issue.issued.map(\.studentID).sorted() == ["1001", "1002", "1003"])
        #expect(issue.notEligible == 1)
    }

    @Test func aQuizNeverTakenAtAnAttendedLessonIsNotPassed() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        try await teach(on: term, noQuiz: ["fa-burns": ["1001"]])
        await #expect(try issue(term, asOf: "2025-10-10").issued.map(\.studentID).sorted() == ["1002", "1003", "1004"])
    }

    @Test func aVoidedSessionDoesNotCount() async throws {
        // Given 1003's only attendance of fa-burns is a make-up session that was then voided
        let term = try await TermFixture()
        defer { term.remove() }
        try await teach(on: term, absent: ["fa-burns": ["1003"]])
        let makeUp = try await term.log("fa-burns", on: "2025-10-08", present: ["1003"], others: .excused)
        try await term.takeQuiz(session: makeUp, student: "1003", lesson: "fa-burns")
        try await term.records.voidSession(id: makeUp, reason: "1003 was not in school that day", caller: .local("coordinator"))
        // When issued
        let issue = try await issue(term, asOf: "2025-10-10")
        // Then 1003 is not certified
        #expect(!issue.issued.map(\.studentID).contains("1003"))
        #expect(issue.notEligible == 1)
    }

    @Test func onlyWhatHappenedByTheIssueDateCounts() async throws {
        // Given the last lesson taught on 6 October
        let term = try await TermFixture()
        defer { term.remove() }
        try await teach(on: term)
        // When issued as of 5 October, then 6 October
        let early = try await issue(term, asOf: "2025-10-05")
        #expect(early.issued.isEmpty)
        #expect(early.notEligible == 4)
        await #expect(try issue(term, asOf: "2025-10-06").issued.count == 4)
    }

    @Test func attendanceAloneEarnsACertificateOfAProgramWithoutQuizzesAndItNeverExpires() async throws {
        // Given personal-safety (all/none, no validMonths) taught to 8B, no quiz taken
        let term = try await TermFixture()
        defer { term.remove() }
        try await teach("personal-safety", to: "8B", on: term)
        // When issued
        let issue = try await issue(term, program: "personal-safety", asOf: "2025-10-10")
        // Then both students are certified, with no end date
        #expect(issue.issued.map(\.studentID).sorted() == ["2001", "2002"])
        term.clock.set(termDay("2099-01-01"))
        let certificates = try await term.records.certificates(programID: "personal-safety")
        #expect(certificates.allSatisfy { $0.validUntil == nil && $0.status == .valid })
    }

    @Test func aRuleOfACountOfLessonsIsMetByThatMany() async throws {
        // Given a bike-safety program: three required lessons, a certificate for any two with their quizzes passed
        let term = try await TermFixture()
        defer { term.remove() }
        try term.write("bike/program.xml", BikeProgram.program)
        try term.write("bike/bk-helmet.xml", BikeProgram.lesson("bk-helmet", quiz: true))
        try term.write("bike/bk-signals.xml", BikeProgram.lesson("bk-signals", quiz: false))
        try term.write("bike/bk-road.xml", BikeProgram.lesson("bk-road", quiz: false))
        _ = try await term.records.loadLessonPlans(paths: [term.path("bike")], caller: .local("coordinator"), processors: 2)
        // And: 1001 at helmet (passed) and road; 1002 at signals and road (no quiz needed);
        // 1003 at helmet (failed) and signals; 1004 at helmet only (passed)
        let helmet = try await term.log("bk-helmet", on: "2025-09-01", present: ["1001", "1003", "1004"], others: .absent)
        try await term.log("bk-signals", on: "2025-09-08", present: ["1002", "1003"], others: .absent)
        try await term.log("bk-road", on: "2025-09-15", present: ["1001", "1002"], others: .absent)
        _ = try await term.records.recordQuiz(session: helmet, student: "1001", answers: "q1=true", caller: .local("x"))
        _ = try await term.records.recordQuiz(session: helmet, student: "1003", answers: "q1=false", caller: .local("x"))
        _ = try await term.records.recordQuiz(session: helmet, student: "1004", answers: "q1=true", caller: .local("x"))
        // When issued
        let issue = try await issue(term, program: "bike", asOf: "2025-09-30")
        // Then 1001 and 1002 are certified; 1003 failed an attended lesson's quiz; 1004 attended one lesson
        #expect(issue.issued.map(\.studentID).sorted() == ["1001", "1002"])
        #expect(issue.notEligible == 2)
    }

    // MARK: expiry and history

    @Test func anExpiredCertificateLetsTheStudentBeCertifiedAgainAndTheOldOneStays() async throws {
        // Given first aid taught in early 2023 and certified as of 1 March 2023 (valid until 28 February 2025)
        let term = try await TermFixture()
        defer { term.remove() }
        try await teach(from: "2023-01-09", on: term)
        let first = try await issue(term, asOf: "2023-03-01")
        #expect(first.issued.count == 4)
        await #expect(try term.records.certificates(programID: "first-aid").allSatisfy { $0.validUntil == "2025-02-28" })
        // When issued on the last day it is valid, nothing happens
        await #expect(try issue(term, asOf: "2025-02-28").issued.isEmpty)
        // When issued the day after it expired
        let second = try await issue(term, asOf: "2025-03-01")
        // Then each student is certified again, and the old certificates are kept, expired
        #expect(second.issued.count == 4)
        term.clock.set(termDay("2025-03-01"))
        let all = try await term.records.certificates(programID: "first-aid")
        #expect(all.count == 8)
        #expect(all.filter { $0.status == .expired }.map(\.issuedOn) == Array(repeating: "2023-03-01", count: 4))
        #expect(all.filter { $0.status == .valid }.map(\.validUntil) == Array(repeating: "2027-02-28", count: 4))
        #expect(Set(all.map(\.code)).count == 8)
        #expect(Dictionary(grouping: all, by: \.studentID).values.allSatisfy { $0.count == 2 })
    }

    @Test func aCertificateIssuedOnTheTwentyNinthOfFebruaryIsValidThroughTheTwentyEighthTwoYearsOn() async throws {
        // Given first aid taught in January and February 2024, certified on 29 February 2024
        let term = try await TermFixture()
        defer { term.remove() }
        try await teach(from: "2024-01-08", on: term)
        _ = try await issue(term, asOf: "2024-02-29")
        // Then valid for 24 months: 2026 has no 29 February, so the second anniversary is 1 March
        // 2026 and the certificate is good through 28 February 2026 (as one issued on 1 March 2024 is)
        let certificate = try await #require(try term.records.certificates(programID: "first-aid").first)
        #expect(certificate.validUntil == "2026-02-28")
    }

    @Test func theLastDayOfValidityIsValidAndTheNextIsExpired() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        try await teach(on: term)
        let code = try await #require(try issue(term, asOf: "2025-10-10").issued.first?.code)
        term.clock.set(termDay("2027-10-09"))
        await #expect(try term.records.verifyCertificate(code.normalized)?.status == .valid)
        term.clock.set(termDay("2027-10-10"))
        await #expect(try term.records.verifyCertificate(code.normalized)?.status == .expired)
        term.clock.set(termDay("2025-10-09"))
        await #expect(try term.records.verifyCertificate(code.normalized)?.status == .notYetValid)
    }

    // MARK: verify and revoke

    @Test func verifyingFindsTheCodeTypedInLowerCaseWithoutDashes() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        try await teach(on: term)
        let (student, code) = try await #require(try issue(term, asOf: "2025-10-10").issued.first)
        term.clock.set(termDay("2025-11-01"))
        let found = try await #require(try term.records.verifyCertificate(code.normalized.lowercased()))
        #expect(found.code == code)
        #expect(found.studentID == student)
        #expect(found.status == .valid)
        #expect(found.programID == "first-aid")
        await #expect(try term.records.verifyCertificate(code.description.lowercased()) != nil)
    }

    @Test func verifyingAnUnknownCodeFindsNothingAndAMalformedOneIsAUsageError() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        await #expect(try term.records.verifyCertificate("0000-0000-0000-0000") == nil)
        await #expect(await bridgesError { try await term.records.verifyCertificate("not-a-code") }?.exitCode == 64)
        await #expect(await bridgesError { try await term.records.verifyCertificate("7K3Q-M9XD-2HFA") }?.exitCode == 64)
    }

    @Test func aRevokedCertificateKeepsItsReasonAndIsNotReissuedWhileItWouldHaveBeenValid() async throws {
        // Given a certificate revoked for a reason
        let term = try await TermFixture()
        defer { term.remove() }
        try await teach(on: term)
        let (student, code) = try await #require(try issue(term, asOf: "2025-10-10").issued.first)
        let revoked = try await term.records.revokeCertificate(code.description, reason: "issued to the wrong student", caller: .local("coordinator"))
        #expect(!revoked.alreadyRevoked)
        #expect(revoked.certificate.status == .revoked)
        // Then verifying says revoked, with the reason and who
        let verified = try await #require(try term.records.verifyCertificate(code.normalized))
        #expect(verified.status == .revoked)
        #expect(verified.revocationReason == "issued to the wrong student")
        #expect(verified.revokedBy == "coordinator")
        #expect(verified.revokedOn != nil)
        // And revoking again changes nothing
        let again = try await term.records.revokeCertificate(code.normalized, reason: "other", caller: .local("someone"))
        #expect(again.alreadyRevoked)
        await #expect(try term.records.verifyCertificate(code.normalized)?.revocationReason == "issued to the wrong student")
        // And issuing again does not quietly give the student a new one
        let reissue = try await issue(term, asOf: "2025-11-01")
        #expect(!reissue.issued.map(\.studentID).contains(student))
        #expect(reissue.revokedSkipped == 1)
    }

    @Test func revokingNeedsAReasonAndAKnownCode() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        try await teach(on: term)
        let code = try await #require(try issue(term, asOf: "2025-10-10").issued.first?.code)
        await #expect(await bridgesError { try await term.records.revokeCertificate(code.normalized, reason: " ", caller: .local("x")) }?.exitCode == 64)
        await #expect(try term.records.verifyCertificate(code.normalized)?.status == .valid)
        await #expect(await bridgesError { try await term.records.revokeCertificate("0000-0000-0000-0000", reason: "r", caller: .local("x")) }?.exitCode == 66)
        await #expect(await bridgesError { try await term.records.revokeCertificate("nope", reason: "r", caller: .local("x")) }?.exitCode == 64)
    }

    // MARK: codes

    @Test func twoStudentsWithTheSameNameGetUnrelatedCodes() async throws {
        // Given 1004 in 8A and 2001 in 8B, both Sam Lee, both certified in personal safety
        let term = try await TermFixture()
        defer { term.remove() }
        try await teach("personal-safety", to: "8A", on: term)
        try await teach("personal-safety", to: "8B", on: term)
        let issued = await Dictionary(uniqueKeysWithValues: try issue(term, program: "personal-safety", asOf: "2025-10-10").issued.map { ($0.studentID, $0.code.normalized) })
        let a = Array(try #require(issued["1004"])), b = Array(try #require(issued["2001"]))
        // Then the codes differ, and agree in no more places than chance would have them
        #expect(a != b)
        #expect(zip(a, b).filter { $0 == $1 }.count <= 6, "\(String(a)) and \(String(b))")
    }

    @Test func theSameStudentInAnotherDatabaseGetsAnotherCode() async throws {
        // Given two databases with the very same records
        let one = try await TermFixture(), two = try await TermFixture()
        defer { one.remove(); two.remove() }
        try await teach("personal-safety", to: "8B", on: one)
        try await teach("personal-safety", to: "8B", on: two)
        // When each issues 2001's certificate
        let first = try await issue(one, program: "personal-safety", asOf: "2025-10-10").issued.first { $0.studentID == "2001" }?.code
        let second = try await issue(two, program: "personal-safety", asOf: "2025-10-10").issued.first { $0.studentID == "2001" }?.code
        // Then the codes differ: nothing of the student's data decides them
        #expect(first != nil && second != nil && first != second)
    }

    // MARK: wrong requests

    @Test func anUnknownProgramAFutureDateOrABadDateIsRefused() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        await #expect(await bridgesError { try await term.records.issueCertificates(programID: "juggling", asOf: "2025-10-10", caller: .local("x")) }?.exitCode == 66)
        term.clock.set(termDay("2025-10-10"))
        await #expect(await bridgesError { try await term.records.issueCertificates(programID: nil, asOf: "2025-10-11", caller: .local("x")) }?.exitCode == 65)
        await #expect(await bridgesError { try await term.records.issueCertificates(programID: nil, asOf: "10/10/2025", caller: .local("x")) }?.exitCode == 64)
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

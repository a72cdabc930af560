@testable import BridgesKit
import BridgesSystem
import BridgesTestSupport
import Foundation
import Synchronization
import Testing

/// The reports of `bridges export`, on a small term built through Kit's own operations.
@Suite struct ReportTests {
    // MARK: attendance

    @Test func attendanceHasTheContractsColumnsAndOneRowPerStudentPerSessionNotVoided() async throws {
        // Given a term with a voided session
        let term = try await ReportTerm()
        defer { term.remove() }

        // When the attendance report is exported
        let table = try await term.export(.attendance)

        // Then the header is cli.md's, and the voided session's marks are not there
        #expect(table.header == ReportTerm.attendanceColumns)
        let sessions = Set(table.rows.map { $0["session_id"] })
        #expect(!sessions.contains(String(term.voided)))
        #expect(table.rows.count == 19)  // S1, S2, S3 of c-007-a (5 enrolled then), S5, S6, S7
        #expect(table.rows.map { $0["session_date"] } == table.rows.map { $0["session_date"] }.sorted())
    }

    @Test func attendanceCellsKeepIdsNamesAndGradesAndDisarmFormulas() async throws {
        let term = try await ReportTerm()
        defer { term.remove() }

        let table = try await term.export(.attendance, programID: "kt")

        let ana = try #require(table.rows.first { $0["student_id"] == "00123" && $0["session_id"] == String(term.first) })
        #expect(ana["family_name"] == "'=HYPERLINK(\"http://evil.example\")")
        #expect(ana["given_name"] == "Ana")
        #expect(ana["grade"] == "K")
        #expect(ana["school_id"] == "007")
        #expect(ana["class_id"] == "c-007-a")
        #expect(ana["program_id"] == "kt")
        #expect(ana["lesson_id"] == "kt-one")
        #expect(ana["lesson_version"] == "1")
        #expect(ana["lesson_title"] == "Calling for Help")
        #expect(ana["officer_id"] == "o-1")
        #expect(ana["officer_name"] == "Officer Ó'Brien")
        #expect(ana["minutes"] == "30")
        #expect(ana["session_date"] == "2025-03-03")
        #expect(ana["status"] == "present")
        #expect(ana["recorded_by"] == "'\tops")
        #expect(ana["recorded_at"].hasPrefix("20") && ana["recorded_at"].hasSuffix("Z"))

        let byStudent = Dictionary(grouping: table.rows.filter { $0["session_id"] == String(term.first) }) { $0["student_id"] }
        #expect(byStudent["00124"]?.first?["family_name"] == "'+SUM(1,2)")
        #expect(byStudent["00124"]?.first?["given_name"] == "محمد")
        #expect(byStudent["00124"]?.first?["status"] == "absent")
        #expect(byStudent["00125"]?.first?["family_name"] == "王")
        #expect(byStudent["00125"]?.first?["given_name"] == "芳")
        #expect(byStudent["00126"]?.first?["family_name"] == "'-2+3")
        #expect(byStudent["00126"]?.first?["given_name"] == "'@cmd")
        #expect(byStudent["00127"]?.first?["family_name"] == "Núñez-Çelik")
        #expect(byStudent["00127"]?.first?["grade"] == "12")
    }

    @Test func attendanceFiltersByProgramSchoolAndDates() async throws {
        let term = try await ReportTerm()
        defer { term.remove() }

        let kz = try await term.export(.attendance, programID: "kz")
        #expect(Set(kz.rows.map { $0["lesson_id"] }) == ["kz-only"])
        #expect(kz.rows.count == 3)

        let hill = try await term.export(.attendance, schoolID: "008")
        #expect(Set(hill.rows.map { $0["school_id"] }) == ["008"])
        #expect(hill.rows.count == 4)

        let march10to17 = try await term.export(.attendance, from: "2025-03-10", to: "2025-03-17")
        #expect(Set(march10to17.rows.map { $0["session_date"] }) == ["2025-03-10", "2025-03-17"])
    }

    // MARK: summary

    @Test func summaryCountsAMakeUpSessionAsAttendedAndJudgesEligibility() async throws {
        // Given 00124 absent at kt-one's first session and present at its make-up
        let term = try await ReportTerm()
        defer { term.remove() }

        let table = try await term.export(.summary, programID: "kt", to: "2025-03-31")
        #expect(Array(table.header.prefix(ReportTerm.summaryColumns.count)) == ReportTerm.summaryColumns)
        let rows = Dictionary(uniqueKeysWithValues: table.rows.map { ($0["student_id"], $0) })

        // Then the make-up counts, and each student's counts are theirs over the program
        let made = try #require(rows["00124"])
        #expect(made["lessons_attended"] == "2")
        #expect(made["lessons_missing"] == "0")
        #expect(made["present"] == "2")
        #expect(made["absent"] == "1")
        #expect(made["quizzes_required"] == "1")
        #expect(made["quizzes_passed"] == "1")
        #expect(made["eligible"] == "yes")
        #expect(made["family_name"] == "'+SUM(1,2)")

        let ana = try #require(rows["00123"])
        #expect([ana["required_lessons"], ana["lessons_attended"], ana["present"], ana["late"], ana["absent"], ana["excused"]] == ["2", "2", "2", "0", "0", "1"])
        #expect(ana["eligible"] == "yes")
        #expect(ana["school_id"] == "007")
        #expect(ana["class_id"] == "c-007-a")

        // A failed quiz and an excused lesson (amended from present)
        let fang = try #require(rows["00125"])
        #expect([fang["lessons_attended"], fang["lessons_missing"], fang["quizzes_required"], fang["quizzes_passed"]] == ["1", "1", "1", "0"])
        #expect([fang["present"], fang["excused"]] == ["1", "2"])
        #expect(fang["eligible"] == "no")
        #expect(fang["missing_lesson_ids"] == "kt-two")

        let late = try #require(rows["00126"])
        #expect([late["present"], late["late"], late["excused"], late["eligible"]] == ["1", "1", "1", "yes"])

        // A student enrolled after the sessions has a row of zeros
        let newcomer = try #require(rows["00128"])
        #expect([newcomer["lessons_attended"], newcomer["present"], newcomer["absent"], newcomer["eligible"]] == ["0", "0", "0", "no"])
        #expect(newcomer["missing_lesson_ids"] == "kt-one kt-two")

        // The other school's student took kt-one and no quiz
        let zoe = try #require(rows["00200"])
        #expect([zoe["school_id"], zoe["lessons_attended"], zoe["quizzes_required"], zoe["quizzes_passed"], zoe["eligible"]] == ["008", "1", "1", "0", "no"])
        #expect(table.rows.map { $0["student_id"] } == ["00123", "00124", "00125", "00126", "00127", "00128", "00200"])
    }

    @Test func summaryJudgesEligibilityAsOfTo() async throws {
        // Before the make-up session, 00124 had not attended kt-one
        let term = try await ReportTerm()
        defer { term.remove() }

        let before = try await term.export(.summary, programID: "kt", to: "2025-03-09")
        let row = try #require(before.rows.first { $0["student_id"] == "00124" })
        #expect(row["lessons_attended"] == "0")
        #expect(row["eligible"] == "no")
    }

    @Test func summaryListsEveryProgramAndAStudentInTwoClassesOnce() async throws {
        let term = try await ReportTerm()
        defer { term.remove() }

        let table = try await term.export(.summary)
        #expect(Set(table.rows.map { $0["program_id"] }) == ["kt", "kz"])
        let kz = table.rows.filter { $0["program_id"] == "kz" }
        #expect(kz.map { $0["student_id"] } == ["00200", "00201"])
        let zoe = kz[0]
        #expect(zoe["class_id"] == "c-008-b; c-008-c")
        #expect(zoe["school_id"] == "008")
        #expect([zoe["present"], zoe["absent"], zoe["lessons_attended"], zoe["eligible"]] == ["1", "1", "1", "yes"])
    }

    @Test func summaryShowsTheCurrentCertificateOnly() async throws {
        let term = try await ReportTerm()
        defer { term.remove() }
        let issued = try await term.issueAndRevoke()

        let table = try await term.export(.summary, programID: "kt", to: "2025-04-01")
        let codes = Dictionary(uniqueKeysWithValues: table.rows.map { ($0["student_id"], $0["certificate_code"]) })
        #expect(codes["00123"] == issued["00123"]?.description)
        #expect(codes["00124"] == issued["00124"]?.description)
        #expect(codes["00126"] == "")  // revoked
        #expect(codes["00125"] == "")

        // After it expires, no certificate is current
        let later = try await term.export(.summary, programID: "kt", to: "2026-04-01")
        #expect(later.rows.allSatisfy { $0["certificate_code"] == "" })
    }

    // MARK: certificates

    @Test func certificatesAreListedWithGroupedCodesAndTheirStatusToday() async throws {
        let term = try await ReportTerm()
        defer { term.remove() }
        let issued = try await term.issueAndRevoke()

        let table = try await term.export(.certificates)
        #expect(table.header == ReportTerm.certificateColumns)
        #expect(table.rows.count == 3)
        let rows = Dictionary(uniqueKeysWithValues: table.rows.map { ($0["student_id"], $0) })
        let ana = try #require(rows["00123"])
        #expect(ana["certificate_code"] == issued["00123"]?.description)
        #expect(ana["certificate_code"].split(separator: "-").map(\.count) == [4, 4, 4, 4])
        #expect(ana["status"] == "valid")
        #expect(ana["program_id"] == "kt")
        #expect(ana["certificate_title"] == "Help Caller")
        #expect(ana["family_name"] == "'=HYPERLINK(\"http://evil.example\")")
        #expect(ana["school_id"] == "007")
        #expect(ana["issued_on"] == "2025-03-31")
        #expect(ana["valid_until"] == "2026-03-30")
        #expect(ana["revoked_on"] == "")
        let revoked = try #require(rows["00126"])
        #expect(revoked["status"] == "revoked")
        #expect(revoked["revoked_on"] == "2025-04-01")
        #expect(revoked["revocation_reason"] == "'=issued in error")

        let expired = try await term.export(.certificates, today: SchoolDate("2026-03-31")!)
        #expect(expired.rows.map { $0["status"] }.sorted() == ["expired", "expired", "revoked"])

        let none = try await term.export(.certificates, from: "2025-04-01")
        #expect(none.rows.isEmpty)
        let kz = try await term.export(.certificates, programID: "kz")
        #expect(kz.rows.isEmpty)
    }

    // MARK: program report

    @Test func programReportCountsSessionsMinutesOfficersStudentsAndCertificates() async throws {
        let term = try await ReportTerm()
        defer { term.remove() }
        _ = try await term.issueAndRevoke()

        let table = try await term.export(.programReport)
        #expect(Array(table.header.prefix(ReportTerm.programReportColumns.count)) == ReportTerm.programReportColumns)
        let rows = table.rows.map { row in ReportTerm.programReportColumns.map { row[$0] } }
        #expect(rows == [
            // S1 30 min (o-1), S2 30 (o-2), S3 20 (o-1); S4 voided. Enrolled: six in c-007-a.
            ["kt", "007", "3", "80", "2", "6", "5", "2"],
            ["kt", "008", "1", "30", "1", "1", "1", "0"],
            ["kz", "008", "2", "30", "1", "2", "1", "0"],
        ])
        #expect(table.rows[0]["certificates_revoked"] == "1")

        // After the sessions, only the certificates issued on 2025-03-31 are in range
        let end = try await term.export(.programReport, from: "2025-03-31")
        #expect(end.rows.map { [$0["program_id"], $0["school_id"], $0["sessions"], $0["students_enrolled"], $0["certificates_issued"]] }
            == [["kt", "007", "0", "0", "2"]])
    }

    // MARK: requests and output

    @Test func badRequestsAreRefusedWithTheirExitCodes() async throws {
        let term = try await ReportTerm()
        defer { term.remove() }

        #expect(throws: BridgesError.self) { try Report.named("attendence") }
        do {
            _ = try Report.named("attendence")
        } catch {
            #expect(error.exitCode == 64)
            #expect(error.description.contains("attendance, summary, certificates, program-report"))
        }
        #expect(try Report.named("Program-Report") == .programReport)

        for (from, to) in [("2025-02-30", nil), (nil, "March 3"), ("2025-03-10", "2025-03-01")] as [(String?, String?)] {
            do {
                _ = try await term.records.exportReport(.attendance, from: from, to: to, destination: .path(term.path("x.csv")), caller: .local("test"))
                Issue.record("\(String(describing: from)) … \(String(describing: to)) was accepted")
            } catch {
                #expect(error.exitCode == 64)
            }
        }
        for (program, school) in [("no-such", nil), (nil, "999")] as [(String?, String?)] {
            do {
                _ = try await term.records.exportReport(.summary, programID: program, schoolID: school, destination: .path(term.path("x.csv")), caller: .local("test"))
                Issue.record("an unknown program or school was accepted")
            } catch {
                #expect(error.exitCode == 66)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: term.path("x.csv")))
    }

    @Test func aFullDiskIsAnIOErrorThatSaysSo() async throws {
        let term = try await ReportTerm()
        defer { term.remove() }

        do {
            _ = try await term.records.exportReport(.attendance, destination: .path("/dev/full"), caller: .local("test"))
            Issue.record("writing to /dev/full succeeded")
        } catch {
            #expect(error.exitCode == 74)
            #expect(error.description.contains("disk is full"))
        }
    }

    @Test func aReportIntoASinkHasTheFilesBytesAndIsRecordedAsGoingThere() async throws {
        // Given a term, and the attendance report written to a file
        let term = try await ReportTerm()
        defer { term.remove() }
        let file = term.path("attendance.csv")
        let toFile = try await term.records.exportReport(.attendance, destination: .path(file), caller: .local("test"))
        // When the same report goes into a sink the caller owns
        let sink = CollectingSink()
        let toSink = try await term.records.exportReport(.attendance, destination: .sink(sink, name: "the test's sink"), caller: .local("test"))
        // Then it has the file's bytes, no path, and the disclosure log says where it went
        #expect(toSink.path == nil && toSink.rows == toFile.rows && toSink.rows > 0)
        #expect(sink.bytes.withLock { $0 } == [UInt8](try Data(contentsOf: URL(fileURLWithPath: file))))
        #expect(try await term.records.disclosures().last?.destination == "the test's sink")
    }

    @Test func theFrontDoorsDefaultFolderIsWrittenWhereItIsAndShownAsItNamesIt() async throws {
        // Given a term, and a front door's default folder handed in from the root, shown as "Reports"
        let term = try await ReportTerm()
        defer { term.remove() }
        let folder = ReportFolder(path: term.path("kept/reports"), shownAs: "Reports")
        try FileManager.default.createDirectory(atPath: term.path("kept"), withIntermediateDirectories: false)
        let day = SchoolDate("2025-04-02")!
        term.clock.set(day)
        // When the same report goes there twice
        let first = try await term.records.exportReport(.programReport, destination: .defaultFolder(folder), caller: .local("test"))
        let second = try await term.records.exportReport(.programReport, destination: .defaultFolder(folder), caller: .local("test"))
        // Then the folder is made (the owner's alone), the files are in it, a taken name numbered,
        // and the results and the disclosure log name them as the front door shows them
        #expect(first.path == "Reports/program-report-2025-04-02.csv")
        #expect(second.path == "Reports/program-report-2025-04-02-2.csv")
        #expect(FileManager.default.fileExists(atPath: term.path("kept/reports/program-report-2025-04-02.csv")))
        #expect(FileManager.default.fileExists(atPath: term.path("kept/reports/program-report-2025-04-02-2.csv")))
        let mode = try FileManager.default.attributesOfItem(atPath: term.path("kept/reports"))[.posixPermissions] as? Int
        #expect(mode == 0o700)
        #expect(try await term.records.disclosures().suffix(2).map(\.destination)
            == ["Reports/program-report-2025-04-02.csv", "Reports/program-report-2025-04-02-2.csv"])
    }

    @Test func aDefaultFolderOthersCanWriteToIsRefusedNamingItAsShown() async throws {
        let term = try await ReportTerm()
        defer { term.remove() }
        try FileManager.default.createDirectory(atPath: term.path("open"), withIntermediateDirectories: false)
        #expect(chmod(term.path("open"), 0o777) == 0)
        do {
            _ = try await term.records.exportReport(
                .programReport, destination: .defaultFolder(ReportFolder(path: term.path("open"), shownAs: "Exports")), caller: .local("test"))
            Issue.record("a report was written into a folder others can write to")
        } catch {
            #expect(error.exitCode == 74)
            #expect(error.description.contains("chmod go-w Exports`"), "\(error)")
            #expect(!error.description.contains(term.path("open")), "\(error)")
        }
    }

    @Test func aStudentsRecordGoesIntoASinkOnceRecordedAndIntoTheDefaultFolderShownByName() async throws {
        // Given a term
        let term = try await ReportTerm()
        defer { term.remove() }
        term.clock.set(SchoolDate("2025-04-02")!)
        // When a student's record goes into a sink the caller owns
        let sink = CollectingSink()
        let toSink = try await term.records.studentRecord(
            "00123", format: .json, to: .sink(sink, name: "the test's sink"), purpose: "a parent's request", caller: .local("test"))
        // Then the sink has the record's text, no path is told, and the log says where it went
        #expect(toSink.path == nil)
        #expect(sink.bytes.withLock { $0 } == Array(toSink.record.json.utf8))
        #expect(try await term.records.disclosures().last?.destination == "the test's sink")

        // And into a default folder handed in, it is written there and told by its name alone
        try FileManager.default.createDirectory(atPath: term.path("here"), withIntermediateDirectories: false)
        let here = ReportFolder(path: term.path("here"), shownAs: "")
        let first = try await term.records.studentRecord("00123", format: .html, to: .defaultFolder(here), purpose: "a parent's request", caller: .local("test"))
        let second = try await term.records.studentRecord("00123", format: .html, to: .defaultFolder(here), purpose: "a parent's request", caller: .local("test"))
        #expect(first.path == "student-00123-record.html")
        #expect(second.path == "student-00123-record-2.html")
        #expect(try String(contentsOfFile: term.path("here/student-00123-record-2.html"), encoding: .utf8) == second.record.html)
        #expect(try await term.records.disclosures().last?.destination == "student-00123-record-2.html")
    }

    @Test func aRecordIntoASinkThatFailsIsRecordedAndSaysTheOutputIsIncomplete() async throws {
        let term = try await ReportTerm()
        defer { term.remove() }
        let before = try await term.records.disclosures().count
        do {
            _ = try await term.records.studentRecord(
                "00124", format: .json, to: .sink(FailingSink(), name: "the test's sink"), purpose: "a parent's request", caller: .local("test"))
            Issue.record("writing into a failing sink succeeded")
        } catch {
            #expect(error.exitCode == 74)
            #expect(error.description.contains("writing the test's sink failed: No space left on device"), "\(error)")
            #expect(error.description.contains("the disclosure was recorded"), "\(error)")
        }
        // Recorded first, then written: whatever left is in the log.
        #expect(try await term.records.disclosures().count == before + 1)
    }

    @Test func aSinkThatFailsIsAnIOErrorNamingIt() async throws {
        let term = try await ReportTerm()
        defer { term.remove() }
        do {
            _ = try await term.records.exportReport(.attendance, destination: .sink(FailingSink(), name: "the test's sink"), caller: .local("test"))
            Issue.record("writing into a failing sink succeeded")
        } catch {
            #expect(error.exitCode == 74)
            #expect(error.description.contains("writing the test's sink failed: No space left on device"), "\(error)")
        }
    }

    @Test func anUnwritablePlaceIsAnIOErrorAndLeavesNothing() async throws {
        let term = try await ReportTerm()
        defer { term.remove() }

        do {
            _ = try await term.records.exportReport(.attendance, destination: .path(term.path("missing/folder/report.csv")), caller: .local("test"))
            Issue.record("writing into a missing folder succeeded")
        } catch {
            #expect(error.exitCode == 74)
            #expect(error.description.contains("missing/folder/report.csv"))
        }
        #expect(!FileManager.default.fileExists(atPath: term.path("missing")))
    }

    @Test func aPlaceNotGivenFromTheRootIsRefusedAndNothingIsWrittenOrRecorded() async throws {
        // Given a term with certificates, and its disclosure log
        let term = try await ReportTerm()
        defer { term.remove() }
        _ = try await term.issueAndRevoke()
        let before = try await term.records.disclosures().count
        let filesBefore = try Self.files(in: term.path("."))
        // When a report, a community report, certificate pages, a student's record or badges are
        // handed a place that is not from the root (Kit would resolve it against a working folder)
        let relative: [ReportDestination] = [
            .path("attendance.csv"), .path("../x.csv"), .path("Exports/"),
            .path(term.path("x.csv"), shownIn: ReportFolder(path: "here", shownAs: "")),
            .defaultFolder(ReportFolder(path: "Exports", shownAs: "Exports")),
        ]
        var errors: [BridgesError?] = []
        for destination in relative {
            errors.append(await bridgesError { try await term.records.exportReport(.attendance, destination: destination, caller: .local("test")) })
            for format in [CommunityReport.Format.csv, .html] {
                errors.append(await bridgesError {
                    try await term.records.exportCommunityReport(from: nil, to: nil, format: format, destination: destination, caller: .local("test"), purpose: nil)
                })
            }
            errors.append(await bridgesError {
                try await term.records.printCertificates(programID: "kt", classID: "c-007-a", schoolID: nil, to: destination, caller: .local("test"))
            })
            errors.append(await bridgesError {
                try await term.records.studentRecord("00123", format: .json, to: destination, purpose: "a parent's request", caller: .local("test"))
            })
        }
        errors.append(await bridgesError {
            try await term.records.badges(programID: "kt", schoolID: nil, into: ReportFolder(path: "badges", shownAs: "badges"), caller: .local("test"))
        })
        // Then each is refused as a caller's mistake that names the place, and nothing was
        // written or recorded
        #expect(errors.count == relative.count * 5 + 1)
        for error in errors {
            #expect(error?.exitCode == 70, "\(String(describing: error))")
            #expect(error?.description.contains("is not a path from the root") == true, "\(String(describing: error))")
        }
        #expect(try await term.records.disclosures().count == before)
        #expect(!FileManager.default.fileExists(atPath: term.path("x.csv")))
        #expect(try Self.files(in: term.path(".")) == filesBefore)
    }

    /// The names in `folder` but the database's own files.
    static func files(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix("bridges.sqlite") }.sorted()
    }

    @Test func aPathNamedInAFolderIsWrittenFromTheRootAndToldAsItWasTypedThere() async throws {
        // Given a term, and a folder `work` beside an existing folder `sub` in the term's folder
        let term = try await ReportTerm()
        defer { term.remove() }
        try FileManager.default.createDirectory(atPath: term.path("work"), withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: term.path("sub"), withIntermediateDirectories: false)
        let work = ReportFolder(path: term.path("work"), shownAs: "")
        term.clock.set(SchoolDate("2025-04-02")!)
        // When `../x.csv` and `../sub/` are named in `work`, handed over from the root
        let file = try await term.records.exportReport(.programReport, destination: .path(term.path("work/../x.csv"), shownIn: work), caller: .local("test"))
        let intoFolder = try await term.records.exportReport(.programReport, destination: .path(term.path("work/../sub/"), shownIn: work), caller: .local("test"))
        let again = try await term.records.exportReport(.programReport, destination: .path(term.path("work/../sub/"), shownIn: work), caller: .local("test"))
        // Then the files are where meant, and results and the disclosure log name them as typed
        #expect(FileManager.default.fileExists(atPath: term.path("x.csv")))
        #expect(FileManager.default.fileExists(atPath: term.path("sub/program-report-2025-04-02.csv")))
        #expect(FileManager.default.fileExists(atPath: term.path("sub/program-report-2025-04-02-2.csv")))
        #expect([file.path, intoFolder.path, again.path] == ["../x.csv", "../sub/program-report-2025-04-02.csv", "../sub/program-report-2025-04-02-2.csv"])
        let logged = try await term.records.disclosures().suffix(3).map(\.destination)
        #expect(logged == ["../x.csv", "../sub/program-report-2025-04-02.csv", "../sub/program-report-2025-04-02-2.csv"])
        // And a file named again is refused naming it as typed
        let error = await bridgesError {
            try await term.records.exportReport(.programReport, destination: .path(term.path("work/../x.csv"), shownIn: work), caller: .local("test"))
        }
        #expect(error?.description.hasPrefix("../x.csv already exists") == true, "\(String(describing: error))")
    }

    @Test func aFolderGetsTheUsualNameAnExistingFileIsReplacedAndExcelGetsAByteOrderMark() async throws {
        let term = try await ReportTerm()
        defer { term.remove() }
        try FileManager.default.createDirectory(atPath: term.path("out"), withIntermediateDirectories: false)

        let day = SchoolDate("2025-04-02")!
        term.clock.set(day)
        let written = try await term.records.exportReport(.programReport, destination: .path(term.path("out")), excel: true, caller: .local("test"))
        #expect(written.path == term.path("out/program-report-2025-04-02.csv"))
        #expect(written.rows == 3)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: term.path("out/program-report-2025-04-02.csv"))))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: bytes.dropFirst(3), as: UTF8.self).hasPrefix("program_id,school_id,sessions,"))
        let mode = try FileManager.default.attributesOfItem(atPath: term.path("out/program-report-2025-04-02.csv"))[.posixPermissions] as? Int
        #expect(mode == 0o600)

        try Data("old content\n".utf8).write(to: URL(fileURLWithPath: term.path("old.csv")))
        // Replaced only when asked (`--force`); otherwise refused, exit 64 (issue 10).
        await #expect(throws: BridgesError.self) { try await term.records.exportReport(.programReport, destination: .path(term.path("old.csv")), caller: .local("test")) }
        #expect(try String(contentsOfFile: term.path("old.csv"), encoding: .utf8) == "old content\n")
        let again = try await term.records.exportReport(.programReport, destination: .path(term.path("old.csv")), replacing: true, caller: .local("test"))
        #expect(again.rows == 3)
        let text = try String(contentsOfFile: term.path("old.csv"), encoding: .utf8)
        #expect(text.hasPrefix("program_id,"))
        #expect(!FileManager.default.fileExists(atPath: term.path("old.csv.partial")))
        #expect(Registrar.reportFileName(.attendance, on: day) == "attendance-2025-04-02.csv")
    }
}

// MARK: - The term

/// A small term in a private folder, built through Kit's operations only:
///
/// Program `kt` (required `kt-one` with a quiz, 30 min; `kt-two`, 20 min; certificate valid 12
/// months) and program `kz` (`kz-only`, 15 min, no quiz). School 007 class c-007-a: 00123 Ana
/// `=HYPERLINK(…)` (K), 00124 محمد `+SUM(1,2)`, 00125 芳 王, 00126 `@cmd` `-2+3`, 00127 José
/// Núñez-Çelik (12), and 00128, enrolled after the sessions. School 008: 00200 Zoë in c-008-b and
/// c-008-c, 00201 in c-008-c.
///
/// - S1 kt-one c-007-a 2025-03-03 (o-1, recorded by "\tops"): 00124 absent, others present;
///   quiz: 00123 and 00126 pass, 00125 fails.
/// - S2 kt-one c-007-a 2025-03-10 (o-2), the make-up: 00124 present (passes the quiz), others
///   excused.
/// - S3 kt-two c-007-a 2025-03-17: 00126 late, others present; then 00125 amended to excused.
/// - S4 kt-two c-007-a 2025-03-18: everyone present, then voided.
/// - S5 kt-one c-008-b 2025-03-04: 00200 present.
/// - S6 kz-only c-008-b 2025-03-05: 00200 present. S7 kz-only c-008-c 2025-03-06: 00200 absent,
///   00201 excused.
private struct ReportTerm {
    static let attendanceColumns = ["session_id", "session_date", "program_id", "lesson_id", "lesson_version", "lesson_title",
                                    "school_id", "class_id", "officer_id", "officer_name", "minutes", "student_id", "family_name",
                                    "given_name", "grade", "status", "recorded_at", "recorded_by"]
    static let summaryColumns = ["program_id", "school_id", "class_id", "student_id", "family_name", "given_name", "required_lessons",
                                 "lessons_attended", "lessons_missing", "present", "late", "absent", "excused", "quizzes_required",
                                 "quizzes_passed", "eligible", "certificate_code"]
    static let certificateColumns = ["certificate_code", "status", "program_id", "certificate_title", "student_id", "family_name",
                                     "given_name", "school_id", "issued_on", "valid_until", "revoked_on", "revocation_reason"]
    static let programReportColumns = ["program_id", "school_id", "sessions", "instruction_minutes", "officers", "students_enrolled",
                                       "students_reached", "certificates_issued"]

    let folder: URL
    let records: Registrar
    /// The clock `records` reads: the system's until a test sets a day.
    let clock: TestClock
    var first: Int64 = 0
    var voided: Int64 = 0

    init() async throws {
        self = try await newTestFolder("BridgesReportTests") { try await Self(in: $0) }
    }

    private init(in folder: URL) async throws {
        self.folder = folder
        clock = TestClock()
        let plans = folder.appendingPathComponent("plans")
        try FileManager.default.createDirectory(at: plans, withIntermediateDirectories: false)
        for (name, text) in ReportLessonPlans.files {
            let file = plans.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }
        let database = folder.appendingPathComponent("bridges.sqlite").path
        _ = try await Registrar.loadLessonPlans(paths: [plans.path], into: testDatabase(database), caller: .local("coordinator"), processors: 2)
        records = try await Registrar(testDatabase(database, clock: clock.wallClock))

        let roster = """
            school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade
            007,Riverside Elementary,c-007-a,Room A,00123,Ana,"=HYPERLINK(""http://evil.example"")",K
            007,Riverside Elementary,c-007-a,Room A,00124,محمد,"+SUM(1,2)",3
            007,Riverside Elementary,c-007-a,Room A,00125,芳,王,5
            007,Riverside Elementary,c-007-a,Room A,00126,@cmd,-2+3,2
            007,Riverside Elementary,c-007-a,Room A,00127,José,Núñez-Çelik,12
            008,Hill School,c-008-b,Room B,00200,Zoë,Ng,4
            008,Hill School,c-008-c,Room C,00200,Zoë,Ng,4
            008,Hill School,c-008-c,Room C,00201,Émile,Roy,4

            """
        try Data(roster.utf8).write(to: folder.appendingPathComponent("roster.csv"))
        _ = try await records.importRoster(path: path("roster.csv"), caller: .local("registrar"))
        _ = try await records.saveOfficer(id: "o-1", name: "Officer Ó'Brien", caller: .local("coordinator"))
        _ = try await records.saveOfficer(id: "o-2", name: "Officer Reyes", caller: .local("coordinator"))

        first = try await log("kt-one", "c-007-a", "o-1", "2025-03-03", absent: ["00124"], others: .present, actor: "\tops")
        _ = try await records.recordQuiz(session: first, student: "00123", answers: "q1=true", caller: .local("o-1"))
        _ = try await records.recordQuiz(session: first, student: "00125", answers: "q1=false", caller: .local("o-1"))
        _ = try await records.recordQuiz(session: first, student: "00126", answers: "q1=true", caller: .local("o-1"))
        let makeUp = try await log("kt-one", "c-007-a", "o-2", "2025-03-10", present: ["00124"], others: .excused)
        _ = try await records.recordQuiz(session: makeUp, student: "00124", answers: "q1=true", caller: .local("o-2"))
        let third = try await log("kt-two", "c-007-a", "o-1", "2025-03-17", late: ["00126"], others: .present)
        _ = try await records.amendSession(id: third, student: "00125", status: .excused, reason: "was at the nurse", caller: .local("o-1"))
        voided = try await log("kt-two", "c-007-a", "o-1", "2025-03-18", others: .present)
        try await records.voidSession(id: voided, reason: "logged twice by mistake", caller: .local("o-1"))
        _ = try await log("kt-one", "c-008-b", "o-1", "2025-03-04", others: .present)
        _ = try await log("kz-only", "c-008-b", "o-1", "2025-03-05", others: .present)
        _ = try await log("kz-only", "c-008-c", "o-1", "2025-03-06", absent: ["00200"], others: .excused)

        // 00128 joins Room A after every session: enrolled, never marked.
        try Data((roster + "007,Riverside Elementary,c-007-a,Room A,00128,Ola,Nordmann,3\n").utf8)
            .write(to: folder.appendingPathComponent("roster2.csv"))
        _ = try await records.importRoster(path: path("roster2.csv"), caller: .local("registrar"))
    }

    private func log(
        _ lesson: String, _ schoolClass: String, _ officer: String, _ date: String,
        present: [String] = [], late: [String] = [], absent: [String] = [], others: AttendanceStatus, actor: String = "officer"
    ) async throws -> Int64 {
        try await records.logSession(
            lessonID: lesson, classID: schoolClass, officerID: officer, date: date, minutes: nil,
            present: present, late: late, absent: absent, excused: [], others: others, sheet: nil, note: nil, caller: .local(actor)).id
    }

    /// Issues kt's certificates as of 2025-03-31 (00123, 00124 and 00126 qualify), then revokes
    /// 00126's on 2025-04-01. Returns the codes by student.
    func issueAndRevoke() async throws -> [String: CertificateCode] {
        clock.set(SchoolDate("2025-04-01")!)
        let issue = try await records.issueCertificates(programID: "kt", asOf: "2025-03-31", caller: .local("coordinator"), listingCodes: true)
        var codes: [String: CertificateCode] = [:]
        for outcome in issue {
            for (student, code) in outcome.issued { codes[student] = code }
        }
        let revoked = try #require(codes["00126"])
        _ = try await records.revokeCertificate(revoked.description, reason: "=issued in error", caller: .local("coordinator"))
        return codes
    }

    func path(_ relative: String) -> String { folder.appendingPathComponent(relative).path }

    /// Exports a report into the folder and reads it back.
    func export(
        _ report: Report, programID: String? = nil, schoolID: String? = nil, from: String? = nil, to: String? = nil,
        today: SchoolDate = SchoolDate("2025-04-01")!
    ) async throws -> ReportTable {
        let file = path("\(report)-\(UUID().uuidString).csv")
        clock.set(today)
        let written = try await records.exportReport(
            report, programID: programID, schoolID: schoolID, from: from, to: to, destination: .path(file), caller: .local("test"))
        #expect(written.path == file)
        let table = try ReportTable(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: file))))
        #expect(written.rows == table.rows.count)
        return table
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}

/// A report read back: RFC 4180 (quotes doubled, CRLF), the header's names as keys.
private struct ReportTable {
    struct Row {
        let header: [String]
        let cells: [String]
        /// The cell under `column`, or "" when there is none.
        subscript(_ column: String) -> String {
            guard let index = header.firstIndex(of: column), index < cells.count else { return "" }
            return cells[index]
        }
    }

    let header: [String]
    let rows: [Row]

    init(bytes: [UInt8]) throws {
        let records = Self.parse(String(decoding: bytes, as: UTF8.self))
        header = records.first ?? []
        let header = self.header
        rows = records.dropFirst().map { Row(header: header, cells: $0) }
        for row in rows { #expect(row.cells.count == header.count, "a row has \(row.cells.count) cells, the header \(header.count)") }
        #expect(bytes.isEmpty || bytes.suffix(2) == [0x0D, 0x0A], "the file ends with CRLF")
    }

    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text.unicodeScalars)[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" {
                        field.unicodeScalars.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                record.append(field)
                field = ""
            } else if c == "\r" && characters.first == "\n" {
                characters.removeFirst()
                record.append(field)
                records.append(record)
                record = []
                field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }
}

/// The lesson plans of the term: two small programs, one folder each, valid by lesson-plan-format.md.
private enum ReportLessonPlans {
    static let files: [(String, String)] = [
        ("kt/program.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <program xmlns="urn:bridges:lesson-plan:1" id="kt" version="1">
              <title>Help Calling</title>
              <grades min="K" max="12"/>
              <lessons>
                <lesson ref="kt-one"/>
                <lesson ref="kt-two"/>
              </lessons>
              <certificate title="Help Caller" attendance="all" quizzes="pass-all" validMonths="12"/>
            </program>
            """),
        ("kt/kt-one.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <lesson xmlns="urn:bridges:lesson-plan:1" id="kt-one" program="kt" version="1">
              <title>Calling for Help</title>
              <minutes>30</minutes>
              <objectives><objective id="call">Say when to call for help</objective></objectives>
              <activities>
                <activity id="talk" kind="discussion" minutes="20"><title>When to call</title><step>Ask the class</step></activity>
              </activities>
              <quiz passPercent="100">
                <question id="q1" type="true-false" objective="call">
                  <prompt>You may call for help when someone is hurt.</prompt>
                  <answer>true</answer>
                </question>
              </quiz>
            </lesson>
            """),
        ("kt/kt-two.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <lesson xmlns="urn:bridges:lesson-plan:1" id="kt-two" program="kt" version="1">
              <title>What to Say</title>
              <minutes>20</minutes>
              <objectives><objective id="say">Tell the dispatcher where you are</objective></objectives>
              <activities>
                <activity id="role" kind="practice" minutes="15"><title>Pretend call</title><step>Take turns</step></activity>
              </activities>
            </lesson>
            """),
        ("kz/program.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <program xmlns="urn:bridges:lesson-plan:1" id="kz" version="1">
              <title>Zebra Crossings</title>
              <grades min="K" max="12"/>
              <lessons><lesson ref="kz-only"/></lessons>
              <certificate title="Crosser" attendance="all" quizzes="none"/>
            </program>
            """),
        ("kz/kz-only.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <lesson xmlns="urn:bridges:lesson-plan:1" id="kz-only" program="kz" version="1">
              <title>Crossing the Road</title>
              <minutes>15</minutes>
              <objectives><objective id="look">Look both ways</objective></objectives>
              <activities>
                <activity id="walk" kind="practice" minutes="15"><title>Walk it</title><step>Stop, look, listen</step></activity>
              </activities>
            </lesson>
            """),
    ]
}

/// A sink that keeps what it is given.
final class CollectingSink: ByteSink {
    let bytes = Mutex<[UInt8]>([])

    func write(_ given: UnsafeRawBufferPointer) throws(ByteSinkError) {
        bytes.withLock { $0.append(contentsOf: given) }
    }
}

/// A sink whose disk is full.
struct FailingSink: ByteSink {
    func write(_ given: UnsafeRawBufferPointer) throws(ByteSinkError) {
        throw ByteSinkError(reason: "No space left on device", isDiskFull: true)
    }
}

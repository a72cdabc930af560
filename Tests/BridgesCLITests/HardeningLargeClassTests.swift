import Foundation
import Testing

/// Issue 10 item 6: `session log` stays linear in the names it is given, so a big class or a long
/// list of wrong ids is answered at once instead of holding the write lock for half a minute.
///
/// No timed assertion: the sizes are ones at which the old quadratic check ran past the 30 s hang
/// guard of `BridgesProcess`, while the linear one answers in a second or two.
@Suite("session log with a very large class", .timeLimit(.minutes(3)))
struct HardeningLargeClassTests {
    static let size = 40_000

    @Test func fortyThousandIdsThatAreNotEnrolledAreAllReportedWithoutHanging() async throws {
        // Given a sheet naming 40,000 ids, none enrolled in 8A
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        var sheet = "student_id,status\r\n"
        for n in 0..<Self.size { sheet += "x\(500_000 + n),present\r\n" }
        try folder.write("sheet.csv", sheet)

        // When the session is logged with it
        let outcome = try CLITerm.run(
            ["session", "log", "--lesson", "fa-scene-safety", "--class", "8A", "--officer", "ofc-101", "--date", "2025-09-08",
             "--sheet", "sheet.csv", "--others", "present"], in: folder, sourceLocation: #_sourceLocation)

        // Then it is refused at once, counting every stranger once, and nothing is logged
        #expect(!outcome.timedOut)
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.standardError.contains("\(Self.size) students not enrolled in this class"), "\(outcome.standardError.prefix(500))")
        let list = try CLITerm.run(["session", "list"], in: folder, sourceLocation: #_sourceLocation)
        #expect(list.standardOutput.contains("No sessions") || list.standardError.contains("No sessions"), "\(list)")
    }

    @Test func aClassOfFortyThousandIsLoggedWithoutHanging() async throws {
        // Given a class of 40,000 students
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        var roster = "school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade\r\n"
        for n in 0..<Self.size { roster += "0303,Big School,BIG,Everyone,s\(100_000 + n),Given\(n),Family\(n),8\r\n" }
        try folder.write("big.csv", roster)
        let imported = try CLITerm.run(["roster", "import", "big.csv"], in: folder, sourceLocation: #_sourceLocation)
        try #require(imported.status == 0, "\(imported)")
        // And a sheet naming each of them, plus two that are not enrolled
        var sheet = "student_id,status\r\n"
        for n in 0..<Self.size { sheet += "s\(100_000 + n),\(n % 2 == 0 ? "present" : "absent")\r\n" }
        try folder.write("sheet.csv", sheet)
        try folder.write("bad.csv", sheet + "nobody-1,present\r\nnobody-2,late\r\n")

        // When the sheet with strangers is logged, it is refused naming only them
        let bad = try CLITerm.run(
            ["session", "log", "--lesson", "fa-scene-safety", "--class", "BIG", "--officer", "ofc-101", "--date", "2025-09-08", "--sheet", "bad.csv"],
            in: folder, sourceLocation: #_sourceLocation)
        #expect(bad.status == 65, "\(bad)")
        #expect(bad.standardError.contains("2 students not enrolled in this class: nobody-1, nobody-2"), "\(bad.standardError.prefix(500))")

        // And the good sheet logs everyone
        let good = try CLITerm.run(
            ["session", "log", "--lesson", "fa-scene-safety", "--class", "BIG", "--officer", "ofc-101", "--date", "2025-09-08", "--sheet", "sheet.csv"],
            in: folder, sourceLocation: #_sourceLocation)
        #expect(good.status == 0, "\(good)")
        #expect(good.standardError.contains("20000 present, 0 late, 20000 absent, 0 excused"), "\(good.standardError)")
    }
}

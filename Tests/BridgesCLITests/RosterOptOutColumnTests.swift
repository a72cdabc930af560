import BridgesKit
import Foundation
import Testing

/// The roster CSV's optional `directory_opt_out` column (issue 14, item 4): yes/true/1 records a
/// family's directory-information opt-out, no/false/0 withdraws it, blank leaves it as recorded;
/// each change audited as `student opt-out` is, shown by a dry run, and a bad value refused with
/// its line.
@Suite("roster CSV directory_opt_out column", .timeLimit(.minutes(2)))
struct RosterOptOutColumnTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try CLITerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    /// The term's roster with the column, `values` by student id (blank for the others).
    func roster(_ values: [String: String], header: String = "directory_opt_out") -> String {
        CLITerm.rosterCSV.split(separator: "\r\n", omittingEmptySubsequences: true).enumerated().map { index, line in
            if index == 0 { return line + "," + header + "\r\n" }
            let id = String(line.split(separator: ",")[4])
            return line + "," + (values[id] ?? "") + "\r\n"
        }.joined()
    }

    @Test(.enabled(if: BadgeVerificationTests.hasSQLiteShell))
    func yesOptsOutAuditedWithTheLineAndADryRunShowsItFirst() async throws {
        let (folder, code) = try await BadgeVerificationTests().certifiedTerm()
        defer { folder.remove() }
        try folder.write("roster.csv", roster(["1003": "Yes"]))
        // The dry run says what would change and changes nothing
        let dryRun = try bridges("roster", "import", "roster.csv", "--dry-run", in: folder)
        #expect(dryRun.status == 0, "\(dryRun)")
        #expect(dryRun.standardOutput.contains(", directory-information opt-outs 1 recorded, 0 withdrawn\n"), "\(dryRun)")
        #expect(dryRun.standardOutput.contains("dry run: nothing was written"), "\(dryRun)")
        #expect(try bridges("certificate", "verify", code, in: folder).standardOutput.contains("holder:  J. G."))
        #expect(try BadgeVerificationTests().audit(folder, "1003").isEmpty)
        // The import records it
        let outcome = try bridges("roster", "import", "roster.csv", "--actor", "district-it", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput.contains("students 6 (0 new, 0 updated), enrolments 0 added, 0 removed, directory-information opt-outs 1 recorded, 0 withdrawn"), "\(outcome)")
        let verify = try bridges("certificate", "verify", code, in: folder)
        #expect(verify.status == 0 && verify.standardOutput == "VALID: \(code)\n", "\(verify)")
        #expect(try BadgeVerificationTests().audit(folder, "1003") == [
            "opt-out|directoryOptOut|no|yes|the roster's directory_opt_out column, roster.csv line 4|district-it",
        ])
        // The same file again changes nothing
        let again = try bridges("roster", "import", "roster.csv", in: folder)
        #expect(again.status == 0 && !again.standardOutput.contains("opt-outs"), "\(again)")
        #expect(try BadgeVerificationTests().audit(folder, "1003").count == 1)
    }

    @Test(.enabled(if: BadgeVerificationTests.hasSQLiteShell))
    func aBlankCellOrNoColumnKeepsAnOptOutAndNoWithdrawsIt() async throws {
        let (folder, code) = try await BadgeVerificationTests().certifiedTerm()
        defer { folder.remove() }
        #expect(try bridges("student", "opt-out", "1003", "--reason", "letter", "--actor", "registrar", in: folder).status == 0)
        // A roster with the column left blank, and one without the column: the opt-out stays
        try folder.write("blank.csv", roster([:]))
        try folder.write("plain.csv", CLITerm.rosterCSV)
        for file in ["blank.csv", "plain.csv"] {
            let outcome = try bridges("roster", "import", file, in: folder)
            #expect(outcome.status == 0 && !outcome.standardOutput.contains("opt-outs"), "\(outcome)")
            #expect(try bridges("certificate", "verify", code, in: folder).standardOutput == "VALID: \(code)\n")
        }
        // "no" (any case, or false or 0) withdraws it, audited
        try folder.write("no.csv", roster(["1003": "NO", "1001": "false", "1002": "0"]))
        let outcome = try bridges("roster", "import", "no.csv", "--actor", "district-it", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput.contains("directory-information opt-outs 0 recorded, 1 withdrawn"), "\(outcome)")
        #expect(try bridges("certificate", "verify", code, in: folder).standardOutput.contains("holder:  J. G."))
        #expect(try BadgeVerificationTests().audit(folder, "1003") == [
            "opt-out|directoryOptOut|no|yes|letter|registrar",
            "opt-in|directoryOptOut|yes|no|the roster's directory_opt_out column, no.csv line 4|district-it",
        ])
        // true and 1 opt out too
        try folder.write("yes.csv", roster(["1001": "TRUE", "1002": "1"]))
        #expect(try bridges("roster", "import", "yes.csv", in: folder).standardOutput.contains("opt-outs 2 recorded, 0 withdrawn"))
    }

    @Test func aBadValueOrTwoAnswersForOneStudentAreRefusedWithTheLineAndNothingIsWritten() async throws {
        let (folder, code) = try await BadgeVerificationTests().certifiedTerm()
        defer { folder.remove() }
        try folder.write("bad.csv", roster(["1003": "maybe", "1004": "yes"]))
        let bad = try bridges("roster", "import", "bad.csv", in: folder)
        #expect(bad.status == 65, "\(bad)")
        #expect(bad.standardError.contains("bad.csv:4: error: directory_opt_out 'maybe' is not yes or no: use yes, no, true, false, 1 or 0, or leave it blank to keep what is recorded"), "\(bad)")
        // Student 1004 appears twice, opted out on one row and not on the other
        let twice = roster(["1004": "yes"]) + "0202,Riverside Middle School,8B,Grade 8 Health B,1004,Sam,Lee,8,no\r\n"
        try folder.write("twice.csv", twice)
        let conflict = try bridges("roster", "import", "twice.csv", in: folder)
        #expect(conflict.status == 65, "\(conflict)")
        #expect(conflict.standardError.contains("twice.csv:8: error: student 1004 has directory_opt_out no here but yes on an earlier row"), "\(conflict)")
        // Nothing was written by either
        #expect(try bridges("certificate", "verify", code, in: folder).standardOutput.contains("holder:  J. G."))
        let list = try bridges("roster", "list", "--class", "8B", in: folder)
        #expect(!list.standardOutput.contains("1004"), "\(list)")
        // Blank on one row and yes on another is one answer
        try folder.write("once.csv", roster([:]) + "0202,Riverside Middle School,8B,Grade 8 Health B,1003,José,García,8,yes\r\n")
        let once = try bridges("roster", "import", "once.csv", in: folder)
        #expect(once.status == 0 && once.standardOutput.contains("opt-outs 1 recorded"), "\(once)")
    }

    @Test(.enabled(if: BadgeVerificationTests.hasSQLiteShell))
    func aNewStudentCanArriveOptedOut() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        try folder.write("new.csv", roster([:]) + "0202,Riverside Middle School,8B,Grade 8 Health B,3001,Ada,Byron,8,y\r\n")
        let outcome = try bridges("roster", "import", "new.csv", in: folder)
        #expect(outcome.status == 0 && outcome.standardOutput.contains("students 7 (1 new, 0 updated)") && outcome.standardOutput.contains("opt-outs 1 recorded"), "\(outcome)")
        #expect(try BadgeVerificationTests().audit(folder, "3001").first?.hasPrefix("opt-out|directoryOptOut|no|yes|the roster's directory_opt_out column, new.csv line 8|") == true)
    }
}

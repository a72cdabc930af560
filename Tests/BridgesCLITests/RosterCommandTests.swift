import BridgesKit
import Foundation
import Testing

/// `bridges roster …` end to end: the built executable, real files in a folder of its own, and
/// the output, exit status and database a person would see (cli.md, "Everywhere" and "Rosters
/// and officers").
@Suite("bridges roster", .timeLimit(.minutes(2)))
struct RosterCommandTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        let outcome = try BridgesProcess.run(arguments, in: folder, sourceLocation: sourceLocation)
        #expect(!outcome.timedOut, "bridges \(arguments.joined(separator: " ")) hung", sourceLocation: sourceLocation)
        #expect(!outcome.crashed, "\(outcome)", sourceLocation: sourceLocation)
        return outcome
    }

    static let header = "school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade"

    /// Names a spreadsheet would run as formulas, names in five scripts, ids with leading zeros.
    static let roster = ([header] + [
        #"0042,"=HYPERLINK(""http://x"",""y"")",007A,"+SUM(1,2)",000123,"=HYPERLINK(""http://x"",""y"")","+SUM(1,2)",K"#,
        #"0042,"=HYPERLINK(""http://x"",""y"")",007A,"+SUM(1,2)",000124,@cmd,-2+3,3"#,
        "0042,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",007A,\"+SUM(1,2)\",000125,\"Tab here\",O'Neil,03",
        "0042,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",007B,Seven B,0001,محمد,عبد الله,7",
        "0042,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",007B,Seven B,0002,伟,王,07",
        "0042,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",007B,Seven B,0003,Алексей,Иванов,7",
        "0042,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",007B,Seven B,0004,अनीता,शर्मा,7",
        "0042,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",007B,Seven B,0005,Zoë,Ñúñez-Ångström,7",
    ]).joined(separator: "\r\n") + "\r\n"

    // Aligned by the columns each name takes on screen (王 and 伟 take two, the Devanagari vowel
    // signs one and the virama none); the tab is shown escaped, as every control character is.
    static let listing = """
        SCHOOL  CLASS  STUDENT  FAMILY NAME     GIVEN NAME                  GRADE
        0042    007A   000123   +SUM(1,2)       =HYPERLINK("http://x","y")  K
        0042    007A   000124   -2+3            @cmd                        3
        0042    007A   000125   O'Neil          Tab here                    3
        0042    007B   0005     Ñúñez-Ångström  Zoë                         7
        0042    007B   0003     Иванов          Алексей                     7
        0042    007B   0001     عبد الله        محمد                        7
        0042    007B   0004     शर्मा            अनीता                       7
        0042    007B   0002     王              伟                          7

        """

    /// A folder with `roster.csv` imported into `school.sqlite`.
    func imported(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> TemporaryFolder {
        return try TemporaryFolder.prepared { folder in
            try folder.write("roster.csv", Self.roster)
            let outcome = try bridges("roster", "import", "--db", "school.sqlite", "--actor", "registrar", "roster.csv", in: folder, sourceLocation: sourceLocation)
            try #require(outcome.status == 0, "\(outcome)", sourceLocation: sourceLocation)
        }
    }

    // MARK: import and list

    @Test func importingARosterPrintsASummaryAndListingShowsEveryNameVerbatim() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("roster.csv", Self.roster)
        // When the roster is imported
        let outcome = try bridges("roster", "import", "--db", "school.sqlite", "--actor", "registrar", "roster.csv", in: folder)
        // Then the summary is on standard output, and nothing is said on standard error
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput == "schools 1 (1 new, 0 renamed), classes 2 (2 new, 0 renamed), students 8 (8 new, 0 updated), enrolments 8 added, 0 removed\n")
        #expect(outcome.standardError == "")
        // And the listing shows the names exactly as written: no formula guard, no lost zeros
        let list = try bridges("roster", "list", "--db", "school.sqlite", in: folder)
        #expect(list.status == 0, "\(list)")
        #expect(list.standardOutput == Self.listing)
    }

    @Test func listingFiltersBySchoolAndClass() throws {
        let folder = try imported()
        defer { folder.remove() }
        let seven = try bridges("roster", "list", "--db", "school.sqlite", "--class", "007A", in: folder)
        #expect(seven.status == 0, "\(seven)")
        #expect(seven.standardOutput.split(separator: "\n").count == 4)
        #expect(seven.standardOutput.contains("000125   O'Neil"))
        let school = try bridges("roster", "list", "--db", "school.sqlite", "--school", "0042", "--class", "007B", in: folder)
        #expect(school.standardOutput.split(separator: "\n").count == 6)
    }

    @Test func listingAnUnknownSchoolOrClassExits66() throws {
        let folder = try imported()
        defer { folder.remove() }
        for arguments in [["--school", "42"], ["--class", "7A"]] {
            let outcome = try BridgesProcess.run(["roster", "list", "--db", "school.sqlite"] + arguments, in: folder)
            #expect(outcome.status == 66, "\(outcome)")
            #expect(outcome.standardOutput == "")
            #expect(outcome.standardError.hasPrefix("error: no "))
        }
    }

    @Test func importingAgainChangesNothing() throws {
        let folder = try imported()
        defer { folder.remove() }
        let again = try bridges("roster", "import", "--db", "school.sqlite", "roster.csv", in: folder)
        #expect(again.status == 0, "\(again)")
        #expect(again.standardOutput == "schools 1 (0 new, 0 renamed), classes 2 (0 new, 0 renamed), students 8 (0 new, 0 updated), enrolments 0 added, 0 removed\n")
        #expect(try bridges("roster", "list", "--db", "school.sqlite", in: folder).standardOutput == Self.listing)
    }

    @Test func reimportingWithARenameAndAMoveUpdatesTheRosterAndTheAuditTrail() throws {
        let folder = try imported()
        defer { folder.remove() }
        // Given the next file: 0003 renamed, 000124 moved from 007A to 007B
        try folder.write("next.csv", Self.roster
            .replacingOccurrences(of: "0003,Алексей,Иванов", with: "0003,Алёша,Иванов")
            .replacingOccurrences(of: "007A,\"+SUM(1,2)\",000124", with: "007B,Seven B,000124"))
        let outcome = try bridges("roster", "import", "--db", "school.sqlite", "--actor", "clerk", "next.csv", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput == "schools 1 (0 new, 0 renamed), classes 2 (0 new, 0 renamed), students 8 (0 new, 1 updated), enrolments 1 added, 1 removed\n")
        let list = try bridges("roster", "list", "--db", "school.sqlite", "--class", "007B", in: folder).standardOutput
        #expect(list.contains("000124   -2+3"))
        #expect(list.contains("Алёша"))
        // And the audit trail has both changes, old → new, by the actor
        let audit = try RosterShell.sqlite(folder.path("school.sqlite"), """
            SELECT actor || ' ' || action || ' ' || entityId || ' ' || field || ' ' || ifnull(oldValue, '') || ' → ' || ifnull(newValue, '')
            FROM auditEvent WHERE entity = 'student' ORDER BY id
            """)
        #expect(audit == ["clerk update 0003 givenName Алексей → Алёша", "clerk move 000124 class 007A → 007B"])
    }

    // MARK: bad input

    @Test func everyBadRowIsReportedWithItsLineAndNothingIsWritten() throws {
        let folder = try imported()
        defer { folder.remove() }
        // Given a file with a rename on a good row and three bad rows
        try folder.write("bad.csv", [
            Self.header,
            "0042,Renamed School,007A,Seven A,000123,Ann,Ash,K",
            "0042,Renamed School,007A,Seven A,000124,Bo,Birch,14",
            "0042,Renamed School,007A,Seven A,000126,,Cole,3",
            "0042,Renamed School,007A,Seven A,000127,Di,\"Dunn,3",
        ].joined(separator: "\n") + "\n")
        // When it is imported
        let outcome = try bridges("roster", "import", "--db", "school.sqlite", "bad.csv", in: folder)
        // Then each error is on standard error with file:line, the status is 65, and nothing was written
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.standardOutput == "")
        #expect(outcome.errorLines == [
            "bad.csv:3: error: grade '14' is not one Bridges takes: write K (or KG) for kindergarten, 1 to 12 (01 to 12 also work), or a CEDS code: IT, PR, PK, TK, PS, 13, UG, Other",
            "bad.csv:4: error: given_name is empty; every student row needs a value there",
            "bad.csv:5:44: error: this quoted field is never closed: add the missing '\"' at the end of the field, or write a '\"' inside a field as '\"\"'",
            "error: 3 errors in the input; nothing was written",
        ])
        #expect(try bridges("roster", "list", "--db", "school.sqlite", in: folder).standardOutput == Self.listing)
    }

    @Test func aMissingPathExits66() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let outcome = try bridges("roster", "import", "--db", "school.sqlite", "nowhere.csv", in: folder)
        #expect(outcome.status == 66, "\(outcome)")
        #expect(outcome.errorLines == ["error: nowhere.csv: no such file or folder"])
    }

    // MARK: dry run

    @Test func aDryRunSaysWhatWouldChangeAndWritesNothing() throws {
        let folder = try imported()
        defer { folder.remove() }
        try folder.write("next.csv", Self.roster.replacingOccurrences(of: "Seven B", with: "Class 7B") + "0042,x,007C,Seven C,0009,New,Kid,7\r\n")
        let auditBefore = try RosterShell.sqlite(folder.path("school.sqlite"), "SELECT count(*) FROM auditEvent")
        let outcome = try bridges("roster", "import", "--db", "school.sqlite", "--dry-run", "next.csv", in: folder)
        // It reports errors like an import would (the school's name differs on the new row)
        #expect(outcome.status == 65, "\(outcome)")
        try folder.write("next.csv", Self.roster.replacingOccurrences(of: "Seven B", with: "Class 7B"))
        let clean = try bridges("roster", "import", "--db", "school.sqlite", "--dry-run", "next.csv", in: folder)
        #expect(clean.status == 0, "\(clean)")
        #expect(clean.standardOutput == """
            schools 1 (0 new, 0 renamed), classes 2 (0 new, 1 renamed), students 8 (0 new, 0 updated), enrolments 0 added, 0 removed
            dry run: nothing was written

            """)
        #expect(try bridges("roster", "list", "--db", "school.sqlite", in: folder).standardOutput == Self.listing)
        #expect(try RosterShell.sqlite(folder.path("school.sqlite"), "SELECT count(*) FROM auditEvent") == auditBefore)
        #expect(try RosterShell.sqlite(folder.path("school.sqlite"), "SELECT name FROM schoolClass WHERE id = '007B'") == ["Seven B"])
    }

    @Test func aDryRunWithoutADatabaseCreatesNone() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("roster.csv", Self.roster)
        let outcome = try bridges("roster", "import", "--dry-run", "roster.csv", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput.hasSuffix("dry run: nothing was written\n"))
        #expect(!folder.exists("bridges.sqlite"))
    }

    // MARK: OneRoster

    @Test func aOneRosterFolderAndItsZipImportStudentsOnly() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try OneRosterFiles.write(to: folder, at: "export")
        // A folder…
        let fromFolder = try bridges("roster", "import", "--db", "folder.sqlite", "export", in: folder)
        #expect(fromFolder.status == 0, "\(fromFolder)")
        #expect(fromFolder.standardOutput == "schools 2 (2 new, 0 renamed), classes 2 (2 new, 0 renamed), students 3 (3 new, 0 updated), enrolments 3 added, 0 removed\n")
        // …and the same export zipped, inside a folder of the archive
        try RosterShell.zip(folder.path("export"), to: folder.path("district.zip"), inside: "2025-26/")
        let fromZip = try bridges("roster", "import", "--db", "zip.sqlite", "district.zip", in: folder)
        #expect(fromZip.status == 0, "\(fromZip)")
        #expect(fromZip.standardOutput == fromFolder.standardOutput)
        // Teachers, guardians and disabled users are not students (王 and 美 take two columns each)
        let expected = """
            SCHOOL  CLASS  STUDENT  FAMILY NAME  GIVEN NAME  GRADE  IDENTIFIER
            s1      c1     0u1      García       Ana         K      000123
            s2      c2     u2       Ng           Ben         7
            s2      c2     u7       王           美          12

            """
        #expect(try bridges("roster", "list", "--db", "folder.sqlite", in: folder).standardOutput == expected)
        #expect(try bridges("roster", "list", "--db", "zip.sqlite", in: folder).standardOutput == expected)
    }

    @Test func errorsInsideAZipAreNamedZipSlashFileColonLine() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try OneRosterFiles.write(to: folder, at: "export", users: OneRosterFiles.users + "u9,,,true,s1,student,x,,Kim,Lee,,,,,,,P-K,\n")
        try RosterShell.zip(folder.path("export"), to: folder.path("district.zip"))
        let outcome = try bridges("roster", "import", "--db", "school.sqlite", "district.zip", in: folder)
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.errorLines == [
            "district.zip/users.csv:8: error: student u9 has grade 'P-K', which Bridges does not take: write K (or KG) for kindergarten, 1 to 12 (01 to 12 also work), or a CEDS code: IT, PR, PK, TK, PS, 13, UG, Other",
            "error: 1 error in the input; nothing was written",
        ])
    }

    @Test(arguments: ["../evil", "../../etc/cron.d/evil", "/tmp/evil"])
    func aZipWithAnEntryThatClimbsOutIsRefused(_ entry: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try OneRosterFiles.write(to: folder, at: "export")
        try RosterShell.zip(folder.path("export"), to: folder.path("evil.zip"), extra: entry)
        let outcome = try bridges("roster", "import", "--db", "school.sqlite", "evil.zip", in: folder)
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.errorLines.first == "evil.zip: error: the archive has an entry named '\(entry)', which could write outside the folder it is unpacked in; Bridges refuses such archives. Zip the OneRoster files again from their folder")
        #expect(!FileManager.default.fileExists(atPath: folder.url.deletingLastPathComponent().appendingPathComponent("evil").path))
        let list = try bridges("roster", "list", "--db", "school.sqlite", in: folder)
        #expect(list.standardOutput == "")
    }

    @Test func aZipBombIsRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try OneRosterFiles.write(to: folder, at: "export")
        try RosterShell.zip(folder.path("export"), to: folder.path("bomb.zip"), padUsersTo: 64 << 20)
        let outcome = try bridges("roster", "import", "--db", "school.sqlite", "bomb.zip", in: folder)
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.errorLines.first?.hasPrefix("bomb.zip: error: the entry 'users.csv' would unpack from ") == true, "\(outcome)")
        #expect(outcome.errorLines.first?.hasSuffix("Bridges refuses it as a zip bomb") == true, "\(outcome)")
    }
}

/// `bridges officer …` end to end.
@Suite("bridges officer", .timeLimit(.minutes(2)))
struct OfficerCommandTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        let outcome = try BridgesProcess.run(arguments, in: folder, sourceLocation: sourceLocation)
        #expect(!outcome.timedOut && !outcome.crashed, "\(outcome)", sourceLocation: sourceLocation)
        return outcome
    }

    @Test func officersAreAddedUpdatedAndListedWithLapsedOnesMarked() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let added = try bridges("officer", "add", "ofc-0042", "--name", "Dana Reyes", "--agency", "Riverside PD", "--certified-until", "2099-06-30", "--db", "s.sqlite", "--actor", "coord", in: folder)
        #expect(added.status == 0, "\(added)")
        #expect(added.standardOutput == "added officer ofc-0042\n")
        _ = try bridges("officer", "add", "ofc-0007", "--name", "Marcus Johnson", "--certified-until", "2020-01-31", "--db", "s.sqlite", in: folder)
        _ = try bridges("officer", "add", "ofc-0100", "--name", "Ana Lima", "--db", "s.sqlite", in: folder)
        // Adding a stored id again updates it, and says what changed
        let updated = try bridges("officer", "add", "ofc-0042", "--name", "Dana Reyes-Ortiz", "--db", "s.sqlite", "--actor", "chief", in: folder)
        #expect(updated.status == 0, "\(updated)")
        #expect(updated.standardOutput == "updated officer ofc-0042: name 'Dana Reyes' → 'Dana Reyes-Ortiz'\n")
        let same = try bridges("officer", "add", "ofc-0042", "--name", "Dana Reyes-Ortiz", "--db", "s.sqlite", in: folder)
        #expect(same.standardOutput == "officer ofc-0042 is unchanged\n")
        // The list shows each, by id, with the lapsed one marked
        let list = try bridges("officer", "list", "--db", "s.sqlite", in: folder)
        #expect(list.status == 0, "\(list)")
        #expect(list.standardOutput == """
            ID        NAME              AGENCY        CERTIFIED UNTIL  STATUS
            ofc-0007  Marcus Johnson    -             2020-01-31       lapsed
            ofc-0042  Dana Reyes-Ortiz  Riverside PD  2099-06-30       current
            ofc-0100  Ana Lima          -             -                -

            """)
        let audit = try RosterShell.sqlite(folder.path("s.sqlite"), "SELECT actor || ' ' || action || ' ' || ifnull(field, '-') || ' ' || ifnull(oldValue, '') || ' → ' || ifnull(newValue, '') FROM auditEvent WHERE entityId = 'ofc-0042' ORDER BY id")
        #expect(audit == ["coord add -  → ", "chief update name Dana Reyes → Dana Reyes-Ortiz"])
    }

    @Test(arguments: ["2025-02-30", "30/06/2025", "2025-6-30", "soon"])
    func aMalformedDateExits64AndWritesNothing(_ date: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let outcome = try bridges("officer", "add", "ofc-1", "--name", "Dana", "--certified-until", date, "--db", "s.sqlite", in: folder)
        #expect(outcome.status == 64, "\(outcome)")
        #expect(outcome.standardOutput == "")
        #expect(outcome.standardError.contains("YYYY-MM-DD"))
        let list = try bridges("officer", "list", "--db", "s.sqlite", in: folder)
        #expect(list.standardOutput == "")
    }

    @Test func anEmptyIDOrNameExits64() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(try bridges("officer", "add", " ", "--name", "Dana", "--db", "s.sqlite", in: folder).status == 64)
        #expect(try bridges("officer", "add", "ofc-1", "--name", "", "--db", "s.sqlite", in: folder).status == 64)
        #expect(try bridges("officer", "add", "ofc-1", "--db", "s.sqlite", in: folder).status == 64)
    }

    @Test func anEmptyListSaysHowToAddOne() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // (A listing never creates a database: issue 10 item 4. Start an empty one as a write would.)
        _ = try await Registrar(testDatabase(folder.path("s.sqlite")))
        let list = try bridges("officer", "list", "--db", "s.sqlite", in: folder)
        #expect(list.status == 0)
        #expect(list.standardOutput == "")
        #expect(list.standardError == "No officers are stored yet; add one with: bridges officer add ID --name NAME\n")
    }
}

/// A OneRoster 1.1 CSV export with a district, a teacher, a guardian and a disabled student.
enum OneRosterFiles {
    static let manifest = "propertyName,value\noneroster.version,1.1\nfile.academicSessions,bulk\nfile.classes,bulk\nfile.courses,absent\nfile.enrollments,bulk\nfile.orgs,bulk\nfile.users,bulk\n"
    static let academicSessions = "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear\nt1,,,Fall,term,2025-08-01,2025-12-20,,2026\n"
    static let orgs = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\nd1,,,Springfield District,district,,\ns1,,,Lincoln Elementary,school,,d1\ns2,,,Hill Middle,school,,d1\n"
    static let classes = "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\nc1,,,Kindergarten A,KG,co1,,homeroom,,s1,t1,,,\nc2,,,Grade 7 Safety,07,co2,,scheduled,,s2,t1,,,\n"
    static let users = """
        sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password
        0u1,,,true,s1,student,ana,,Ana,García,,000123,,,,,KG,
        u2,,,true,s2,student,ben,,Ben,Ng,,,,,,,"07,08",
        u3,,,true,s1,teacher,tina,,Tina,Teach,,,,,,,,
        u4,,,false,s1,student,dee,,Dee,Disabled,,,,,,,03,
        u5,,,true,s1,guardian,gus,,Gus,Parent,,,,,,,,
        u7,,,true,s2,student,mei,,美,王,,,,,,,12,

        """
    static let enrollments = "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\ne1,,,c1,s1,0u1,student,false,,\ne2,,,c2,s2,u2,student,false,,\ne3,,,c1,s1,u3,teacher,true,,\ne4,,,c1,s1,u4,student,false,,\ne5,,,c2,s2,u7,student,false,,\n"

    static func write(to folder: TemporaryFolder, at path: String, users: String = users) throws {
        try folder.write("\(path)/manifest.csv", manifest)
        try folder.write("\(path)/academicSessions.csv", academicSessions)
        try folder.write("\(path)/orgs.csv", orgs)
        try folder.write("\(path)/classes.csv", classes)
        try folder.write("\(path)/users.csv", users)
        try folder.write("\(path)/enrollments.csv", enrollments)
    }
}

/// The `sqlite3` shell and Python's zipfile, run the way the tests need them.
enum RosterShell {
    /// The output lines of `sql` run on the database at `path`.
    static func sqlite(_ path: String, _ sql: String) throws -> [String] {
        try run(["sqlite3", path, sql])
    }

    /// Zips the files of `folder` (deflated) under `inside`; `extra` adds an entry of that exact
    /// name; `padUsersTo` makes users.csv that many bytes of one repeated character.
    static func zip(_ folder: String, to target: String, inside: String = "", extra: String? = nil, padUsersTo: Int = 0) throws {
        let script = """
            import os, sys, zipfile
            folder, target, inside, extra, pad = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
                for name in sorted(os.listdir(folder)):
                    data = open(os.path.join(folder, name), "rb").read()
                    if name == "users.csv" and pad:
                        data += b"0" * (pad - len(data))
                    z.writestr(inside + name, data)
                if extra:
                    z.writestr(extra, "pwned")
            """
        _ = try run(["python3", "-c", script, folder, target, inside, extra ?? "", String(padUsersTo)])
    }

    private static func run(_ arguments: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        // Files, not pipes, so a chatty child can never block.
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("RosterShell-\(UUID().uuidString)")
        let output = base.appendingPathExtension("out")
        let errors = base.appendingPathExtension("err")
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
        guard process.terminationStatus == 0 else {
            throw RosterShellFailure(description: "\(arguments[0]) failed: \(String(decoding: try Data(contentsOf: errors), as: UTF8.self))")
        }
        return String(decoding: try Data(contentsOf: output), as: UTF8.self).split(separator: "\n").map(String.init)
    }
}

struct RosterShellFailure: Error, CustomStringConvertible {
    var description: String
}

import Foundation
import Testing

/// `bridges lesson …` end to end: the built executable, real files in a folder of its own, and
/// the output, exit status and database a person would see (cli.md, "Everywhere" and "Lesson
/// plans").
@Suite("bridges lesson", .timeLimit(.minutes(2)))
struct LessonCommandTests {
    /// Runs `bridges` in the test's folder.
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        let outcome = try BridgesProcess.run(arguments, in: folder, sourceLocation: sourceLocation)
        #expect(!outcome.timedOut, "bridges \(arguments.joined(separator: " ")) hung", sourceLocation: sourceLocation)
        return outcome
    }

    /// A folder with the water program loaded into `school.sqlite`.
    func loadedWaterProgram(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> TemporaryFolder {
        return try TemporaryFolder.prepared { folder in
            try SchoolFiles.writeWaterProgram(to: folder)
            let load = try bridges("lesson", "load", "--db", "school.sqlite", "--actor", "okafor", "water", in: folder, sourceLocation: sourceLocation)
            try #require(load.status == 0, "\(load)", sourceLocation: sourceLocation)
        }
    }

    static let waterListing = """
        PROGRAM  LESSON     VERSION  MINUTES  REQUIRED  TITLE
        water    ws-pools   1        30       yes       Pool Safety & Rules
        water    ws-rivers  1        40       yes       Rivers and Currents
        water    ws-beach   1        20       no        At the Beach

        """

    // MARK: validate

    @Test func validatingAGoodFolderExitsZeroAndWritesNoDatabase() throws {
        // Given another school's program folder
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeWaterProgram(to: folder)
        // When it is validated, naming a database
        let outcome = try bridges("lesson", "validate", "--db", "school.sqlite", "water", in: folder)
        // Then it is valid, says so on standard output, and no database file appears
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput == "valid: 4 files (1 program, 3 lessons)\n")
        #expect(outcome.standardError == "")
        #expect(!folder.exists("school.sqlite"))
        #expect(!folder.exists("bridges.sqlite"))
    }

    @Test func validatingFilesWithErrorsExits65AndListsEveryErrorWithItsPlace() throws {
        // Given a program folder with three mistakes in two files
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeWaterProgram(to: folder)
        try folder.write("water/ws-pools.xml", SchoolFiles.poolsLesson
            .replacingOccurrences(of: #"kind="discussion""#, with: #"kind="lecture""#)
            .replacingOccurrences(of: "<lp:minutes>30</lp:minutes>", with: "<lp:minutes>300</lp:minutes>"))
        try folder.write("water/ws-beach.xml", SchoolFiles.beachLesson.replacingOccurrences(of: #"version="1""#, with: #"version="one""#))
        // When validated
        let outcome = try bridges("lesson", "validate", "water", in: folder)
        // Then each error is one line, path:line:column: error:, in file order, then a count
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.standardOutput == "")
        let lines = outcome.errorLines
        #expect(lines.count == 4, "\(outcome)")
        #expect(lines.first?.hasPrefix(#"water/ws-beach.xml:2:73: error: <lesson> version="one" is not valid"#) == true, "\(outcome)")
        #expect(lines.dropFirst().first?.hasPrefix("water/ws-pools.xml:6:3: error: <minutes>300</minutes> is not valid") == true, "\(outcome)")
        #expect(lines.dropFirst(2).first?.hasPrefix(#"water/ws-pools.xml:17:18: error: <activity> kind="lecture" is not valid"#) == true, "\(outcome)")
        #expect(lines.last == "error: 3 errors in 4 files")
    }

    @Test func anUnknownAttributeOnTheRootIsAnErrorAtTheAttributeNotACrash() throws {
        // Given a lesson whose root carries an attribute the format does not have
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeWaterProgram(to: folder)
        try folder.write("water/ws-beach.xml", SchoolFiles.beachLesson.replacingOccurrences(of: #"version="1">"#, with: #"version="1" lang="en">"#))
        // When validated
        let outcome = try bridges("lesson", "validate", "water", in: folder)
        // Then it is a located error with 65, like any other
        #expect(!outcome.crashed, "\(outcome)")
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.errorLines.first?.hasPrefix("water/ws-beach.xml:2:85: error: <lesson> has no attribute 'lang'") == true, "\(outcome)")
    }

    @Test func validatingAPathThatDoesNotExistExits66() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let outcome = try bridges("lesson", "validate", "no-such-folder", in: folder)
        #expect(outcome.status == 66, "\(outcome)")
        #expect(outcome.standardOutput == "")
        #expect(outcome.standardError == "error: no-such-folder: no such file or folder\n")
    }

    @Test func loadingAPathThatDoesNotExistExits66AndStoresNothing() throws {
        let folder = try loadedWaterProgram()
        defer { folder.remove() }
        let outcome = try bridges("lesson", "load", "--db", "school.sqlite", "water", "missing.xml", in: folder)
        #expect(outcome.status == 66, "\(outcome)")
        #expect(outcome.standardError.contains("missing.xml: no such file or folder"))
    }

    @Test func validatingAgainstADatabaseFindsAVersionThatNeedsRaisingAndWritesNothing() throws {
        // Given the water program loaded, then a lesson changed without a new version
        let folder = try loadedWaterProgram()
        defer { folder.remove() }
        try folder.write("water/ws-beach.xml", SchoolFiles.beachLesson.replacingOccurrences(of: "At the Beach", with: "At the Seaside"))
        // When validated with the database
        let outcome = try bridges("lesson", "validate", "--db", "school.sqlite", "water", in: folder)
        // Then the version is the error
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.errorLines.first == "water/ws-beach.xml:2:73: error: lesson ws-beach version 1 is already stored with different content: raise the version to 2")
        #expect(try bridges("lesson", "list", "--db", "school.sqlite", in: folder).standardOutput == Self.waterListing)
    }

    // MARK: load

    @Test func loadingAProgramFolderAddsTheProgramAndItsLessons() throws {
        // Given another school's program folder and no database yet
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeWaterProgram(to: folder)
        // When loaded
        let outcome = try bridges("lesson", "load", "--db", "school.sqlite", "--actor", "okafor", "water", in: folder)
        // Then the program and three lessons are added
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput == "added 4, updated to a new version 0, unchanged 0 (from 4 files)\n")
        #expect(outcome.standardError == "")
        #expect(folder.exists("school.sqlite"))
    }

    @Test func theDatabaseIsCreatedReadableAndWritableByItsOwnerOnly() throws {
        let folder = try loadedWaterProgram()
        defer { folder.remove() }
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.path("school.sqlite"))
        let permissions = try #require(attributes[.posixPermissions] as? NSNumber)
        #expect(permissions.intValue & 0o777 == 0o600, "mode \(String(permissions.intValue, radix: 8))")
    }

    @Test func theDatabaseDefaultsToBridgesSqliteInTheCurrentFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeFireProgram(to: folder)
        let outcome = try bridges("lesson", "load", "--actor", "okafor", "fire", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(folder.exists("bridges.sqlite"))
    }

    @Test func loadingTheSameFilesAgainChangesNothing() throws {
        // Given the water program loaded
        let folder = try loadedWaterProgram()
        defer { folder.remove() }
        // When loaded again
        let outcome = try bridges("lesson", "load", "--db", "school.sqlite", "--actor", "okafor", "water", in: folder)
        // Then everything is unchanged
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput == "added 0, updated to a new version 0, unchanged 4 (from 4 files)\n")
    }

    @Test func reformattingAFileWithoutChangingItsContentIsNotAChange() throws {
        // Given the water program loaded, then ws-pools rewritten without a prefix, on other lines
        let folder = try loadedWaterProgram()
        defer { folder.remove() }
        let plain = SchoolFiles.poolsLesson
            .replacingOccurrences(of: "lp:", with: "")
            .replacingOccurrences(of: #"xmlns:lp="#, with: "xmlns=")
            .replacingOccurrences(of: "\n                   ", with: " ")
            .replacingOccurrences(of: "<![CDATA[A whistle & a float]]>", with: "A whistle &amp; a float")
        #expect(plain != SchoolFiles.poolsLesson)
        try folder.write("water/ws-pools.xml", plain)
        // When loaded again
        let outcome = try bridges("lesson", "load", "--db", "school.sqlite", "--actor", "okafor", "water", in: folder)
        // Then it is the same lesson: unchanged
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput == "added 0, updated to a new version 0, unchanged 4 (from 4 files)\n")
    }

    @Test func changingALessonWithoutRaisingItsVersionIsRefusedAndWritesNothing() throws {
        // Given the water program loaded
        let folder = try loadedWaterProgram()
        defer { folder.remove() }
        let before = try bridges("lesson", "show", "ws-pools", "--db", "school.sqlite", in: folder)
        // When ws-pools is changed but keeps version 1, and a new lesson is added beside it
        try folder.write("water/ws-pools.xml", SchoolFiles.poolsLesson.replacingOccurrences(of: "Ask who swims", with: "Ask who can swim"))
        try folder.write("water/ws-lakes.xml", SchoolFiles.beachLesson.replacingOccurrences(of: "ws-beach", with: "ws-lakes"))
        let outcome = try bridges("lesson", "load", "--db", "school.sqlite", "--actor", "okafor", "water", in: folder)
        // Then the load fails with 65, pointing at the version, asking for version 2
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.standardOutput == "")
        #expect(outcome.errorLines.contains("water/ws-pools.xml:4:12: error: lesson ws-pools version 1 is already stored with different content: raise the version to 2"), "\(outcome)")
        #expect(outcome.errorLines.last?.hasPrefix("error:") == true)
        // And nothing was written: not the change, not the new lesson
        #expect(try bridges("lesson", "list", "--db", "school.sqlite", in: folder).standardOutput == Self.waterListing)
        #expect(try bridges("lesson", "show", "ws-pools", "--db", "school.sqlite", in: folder).standardOutput == before.standardOutput)
        #expect(try bridges("lesson", "show", "ws-lakes", "--db", "school.sqlite", in: folder).status == 66)
    }

    @Test func raisingTheVersionStoresANewVersionAndKeepsTheOldOne() throws {
        // Given the water program loaded
        let folder = try loadedWaterProgram()
        defer { folder.remove() }
        // When ws-pools is changed and its version raised to 2
        try folder.write("water/ws-pools.xml", SchoolFiles.poolsLesson
            .replacingOccurrences(of: "version='1'", with: "version='2'")
            .replacingOccurrences(of: "Pool Safety &amp; Rules", with: "Pool Safety, Revised"))
        let outcome = try bridges("lesson", "load", "--db", "school.sqlite", "--actor", "okafor", "water", in: folder)
        // Then one lesson is updated and the rest unchanged
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput == "added 0, updated to a new version 1, unchanged 3 (from 4 files)\n")
        // And the list shows version 2, show shows it, and version 1 is still there to see
        let list = try bridges("lesson", "list", "--db", "school.sqlite", in: folder)
        #expect(list.standardOutput.contains("water    ws-pools   2        30       yes       Pool Safety, Revised\n"), "\(list)")
        let latest = try bridges("lesson", "show", "ws-pools", "--db", "school.sqlite", in: folder)
        #expect(latest.standardOutput.hasPrefix("Pool Safety, Revised\n"))
        #expect(latest.standardOutput.contains("lesson ws-pools version 2"))
        let old = try bridges("lesson", "show", "ws-pools", "--version", "1", "--db", "school.sqlite", in: folder)
        #expect(old.status == 0, "\(old)")
        #expect(old.standardOutput.hasPrefix("Pool Safety & Rules\n"))
        #expect(old.standardOutput.contains("lesson ws-pools version 1"))
        #expect(old.standardOutput.contains("Stored versions: 1, 2"))
    }

    @Test func aFolderWithOneBadFileLoadsNothingAtAll() throws {
        // Given a fresh database and two program folders, one lesson of which has an error
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeWaterProgram(to: folder)
        try SchoolFiles.writeFireProgram(to: folder)
        try folder.write("fire/fs-drill.xml", SchoolFiles.drillLesson.replacingOccurrences(of: #"kind="practice""#, with: #"kind="drill""#))
        // When both are loaded
        let outcome = try bridges("lesson", "load", "--db", "school.sqlite", "--actor", "okafor", "water", "fire", in: folder)
        // Then the load fails and names the file, and not even the good program is stored
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.errorLines.first?.hasPrefix(#"fire/fs-drill.xml:9:25: error: <activity> kind="drill" is not valid"#) == true, "\(outcome)")
        // (A refused first load leaves no database, and a listing does not create one: exit 66.)
        let list = try bridges("lesson", "list", "--db", "school.sqlite", in: folder)
        #expect(list.status == 66, "\(list)")
        #expect(list.standardOutput == "")
        #expect(list.standardError.contains("there is no database at school.sqlite"), "\(list)")
        #expect(!folder.exists("school.sqlite"))
        #expect(try bridges("lesson", "show", "water", "--db", "school.sqlite", in: folder).status == 66)
    }

    @Test func aBadFileBesideAStoredProgramLeavesTheStoredOneAsItWas() throws {
        // Given the water program stored, then a new version of ws-rivers and a broken new lesson
        let folder = try loadedWaterProgram()
        defer { folder.remove() }
        try folder.write("water/ws-rivers.xml", SchoolFiles.riversLesson.replacingOccurrences(of: #"version="1""#, with: #"version="2""#).replacingOccurrences(of: "Rivers and Currents", with: "Rivers"))
        try folder.write("water/ws-lakes.xml", SchoolFiles.beachLesson.replacingOccurrences(of: "ws-beach", with: "ws-lakes").replacingOccurrences(of: "<minutes>20</minutes>", with: "<minutes>2</minutes>"))
        // When loaded
        let outcome = try bridges("lesson", "load", "--db", "school.sqlite", "--actor", "okafor", "water", in: folder)
        // Then nothing changes: not even the good new version
        #expect(outcome.status == 65, "\(outcome)")
        #expect(try bridges("lesson", "list", "--db", "school.sqlite", in: folder).standardOutput == Self.waterListing)
    }

    @Test func aWarningIsPrintedWithItsPlaceAndTheLoadGoesAhead() throws {
        // Given a lesson whose activities plan more minutes than the lesson has
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeWaterProgram(to: folder)
        try folder.write("water/ws-beach.xml", SchoolFiles.beachLesson.replacingOccurrences(of: "<minutes>20</minutes>", with: "<minutes>15</minutes>"))
        // When loaded
        let outcome = try bridges("lesson", "load", "--db", "school.sqlite", "--actor", "okafor", "water", in: folder)
        // Then the warning goes to standard error, the counts to standard output, and the exit is 0
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardError == "water/ws-beach.xml:2:112: warning: the activities add up to 20 minutes but the lesson has 15; shorten the activities or raise <minutes>\n")
        #expect(outcome.standardOutput == "added 4, updated to a new version 0, unchanged 0 (from 4 files)\n")
    }

    @Test func namingNoFileOrFolderIsWrongUsage() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for command in ["validate", "load"] {
            let outcome = try bridges("lesson", command, "--db", "school.sqlite", in: folder)
            #expect(outcome.status == 64, "\(command): \(outcome)")
            #expect(outcome.standardOutput == "")
        }
        #expect(!folder.exists("school.sqlite"))
    }

    @Test func validatingOneLessonFileChecksItAgainstTheProgramBesideIt() throws {
        // Given the water program folder
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeWaterProgram(to: folder)
        // When only one lesson file is named
        let outcome = try bridges("lesson", "validate", "water/ws-rivers.xml", in: folder)
        // Then it is checked with its folder's program and found valid
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput == "valid: 1 file (0 programs, 1 lesson)\n")
    }

    @Test func aLessonWithNoProgramLoadedOrStoredIsAnErrorAtItsProgramAttribute() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("loose/ws-rivers.xml", SchoolFiles.riversLesson)
        let outcome = try bridges("lesson", "load", "--db", "school.sqlite", "--actor", "okafor", "loose", in: folder)
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.errorLines.first == "loose/ws-rivers.xml:2:58: error: no program 'water' is being loaded or stored; put this file in the folder with that program's program.xml")
    }

    // MARK: list and show

    @Test func listShowsEachProgramsLessonsInTeachingOrder() throws {
        // Given two programs loaded
        let folder = try loadedWaterProgram()
        defer { folder.remove() }
        try SchoolFiles.writeFireProgram(to: folder)
        let load = try bridges("lesson", "load", "--db", "school.sqlite", "--actor", "okafor", "fire", in: folder)
        #expect(load.standardOutput == "added 2, updated to a new version 0, unchanged 0 (from 2 files)\n")
        // When listed, in all and for one program
        let all = try bridges("lesson", "list", "--db", "school.sqlite", in: folder)
        let fire = try bridges("lesson", "list", "--program", "fire", "--db", "school.sqlite", in: folder)
        let water = try bridges("lesson", "list", "--program", "water", "--db", "school.sqlite", in: folder)
        // Then the lessons come in teaching order, each program's on its own
        #expect(all.status == 0)
        #expect(all.standardOutput == """
            PROGRAM  LESSON     VERSION  MINUTES  REQUIRED  TITLE
            fire     fs-drill   1        25       yes       The Fire Drill
            water    ws-pools   1        30       yes       Pool Safety & Rules
            water    ws-rivers  1        40       yes       Rivers and Currents
            water    ws-beach   1        20       no        At the Beach

            """)
        #expect(fire.standardOutput == """
            PROGRAM  LESSON    VERSION  MINUTES  REQUIRED  TITLE
            fire     fs-drill  1        25       yes       The Fire Drill

            """)
        #expect(water.standardOutput == Self.waterListing)
    }

    @Test func listingAProgramThatIsNotStoredExits66() throws {
        let folder = try loadedWaterProgram()
        defer { folder.remove() }
        let outcome = try bridges("lesson", "list", "--program", "fire", "--db", "school.sqlite", in: folder)
        #expect(outcome.status == 66, "\(outcome)")
        #expect(outcome.standardError.contains("no program 'fire' is stored"))
    }

    @Test func showPrintsTheLessonReadablyEnoughToTeachFrom() throws {
        // Given the water program loaded
        let folder = try loadedWaterProgram()
        defer { folder.remove() }
        // When ws-pools is shown
        let outcome = try bridges("lesson", "show", "ws-pools", "--db", "school.sqlite", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        let text = outcome.standardOutput
        // Then it has the title, facts, objectives, materials, safety notes, timed steps and the quiz with its key
        let expectedInOrder = [
            "Pool Safety & Rules\n",
            "lesson ws-pools version 1 · program water · 30 minutes · grades K–5 · required for \"Water Safe – Junior\"",
            "Name three pool rules",
            "Know how to call the lifeguard",
            "Pictures of a pool — from the café poster",
            "A whistle & a float",
            "Play on dry ground only.",
            "25 of 30 minutes",
            "Pool rules  (discussion, 10 min, at 0–10)",
            "1) Ask who swims",
            "2) Show the pictures",
            "Lifeguard says  (game, 15 min, at 10–25)",
            "1) Blow the whistle; everyone freezes",
            "passes at 50%",
            "q1. Who do you call at the pool?",
            "a) A friend",
            "b) The lifeguard   ✓ correct",
            "The lifeguard is trained to help.",
            "q2. You may run by the pool.",
            "Answer: false",
            "ANSWER KEY: q1=b, q2=false",
            "loaded",
            "by okafor",
        ]
        var rest = Substring(text)
        for part in expectedInOrder {
            guard let found = rest.range(of: part) else {
                Issue.record("\"\(part)\" is missing (or out of order) in:\n\(text)")
                continue
            }
            rest = rest[found.upperBound...]
        }
        #expect(outcome.standardError == "")
    }

    @Test func showPrintsShortAnswersAndMultipleChoiceKeys() throws {
        let folder = try loadedWaterProgram()
        defer { folder.remove() }
        let text = try bridges("lesson", "show", "ws-rivers", "--db", "school.sqlite", in: folder).standardOutput
        #expect(text.contains("grades 2–5"))
        #expect(text.contains(#"Accepted answers: "throw don't go", "throw, don't go""#), "\(text)")
        #expect(text.contains("ANSWER KEY: q1=throw don't go, q2=a+c"), "\(text)")
    }

    @Test func showingALessonThatIsNotStoredExits66() throws {
        let folder = try loadedWaterProgram()
        defer { folder.remove() }
        let outcome = try bridges("lesson", "show", "ws-lakes", "--db", "school.sqlite", in: folder)
        #expect(outcome.status == 66, "\(outcome)")
        #expect(outcome.standardOutput == "")
        #expect(outcome.standardError.contains("'ws-lakes'"))
    }

    @Test func showingAVersionThatIsNotStoredExits66NamingTheStoredOnes() throws {
        let folder = try loadedWaterProgram()
        defer { folder.remove() }
        let outcome = try bridges("lesson", "show", "ws-pools", "--version", "3", "--db", "school.sqlite", in: folder)
        #expect(outcome.status == 66, "\(outcome)")
        #expect(outcome.standardError == "error: lesson ws-pools has no version 3; stored versions: 1\n")
    }

    // MARK: hostile files

    enum Hostile: String, CaseIterable, Sendable {
        case externalEntity, externalEntityInAttribute, billionLaughs, quadraticBlowup, deepNesting, networkDTD, xinclude, binaryGarbage, emptyFile

        /// The file's bytes; `secret` is the path of a file whose contents must never come out.
        func bytes(secret: String) -> [UInt8] {
            let root = #"<lesson xmlns="urn:bridges:lesson-plan:1" id="ws-evil" program="water" version="1">"#
            let text: String
            switch self {
            case .externalEntity:
                text = "<?xml version=\"1.0\"?>\n<!DOCTYPE lesson [ <!ENTITY xxe SYSTEM \"file://\(secret)\"> ]>\n\(root)<title>&xxe;</title><minutes>30</minutes></lesson>\n"
            case .externalEntityInAttribute:
                text = "<?xml version=\"1.0\"?>\n<!DOCTYPE lesson [ <!ENTITY xxe SYSTEM \"\(secret)\"> ]>\n<lesson xmlns=\"urn:bridges:lesson-plan:1\" id=\"&xxe;\" program=\"water\" version=\"1\"/>\n"
            case .billionLaughs:
                var entities = #"<!ENTITY a0 "ha">"#
                for level in 1...9 { entities += "<!ENTITY a\(level) \"" + String(repeating: "&a\(level - 1);", count: 10) + "\">" }
                text = "<?xml version=\"1.0\"?>\n<!DOCTYPE lesson [\(entities)]>\n\(root)<title>&a9;</title></lesson>\n"
            case .quadraticBlowup:
                text = "<?xml version=\"1.0\"?>\n<!DOCTYPE lesson [<!ENTITY big \"\(String(repeating: "x", count: 50_000))\">]>\n\(root)<title>\(String(repeating: "&big;", count: 50_000))</title></lesson>\n"
            case .deepNesting:
                text = "<?xml version=\"1.0\"?>\n\(root)\(String(repeating: "<title>", count: 100_000))\(String(repeating: "</title>", count: 100_000))</lesson>\n"
            case .networkDTD:
                text = "<?xml version=\"1.0\"?>\n<!DOCTYPE lesson SYSTEM \"http://192.0.2.1/lesson.dtd\">\n\(root)<title>x</title></lesson>\n"
            case .xinclude:
                text = """
                    <?xml version="1.0"?>
                    <lesson xmlns="urn:bridges:lesson-plan:1" xmlns:xi="http://www.w3.org/2001/XInclude" id="ws-evil" program="water" version="1">
                      <title>Evil</title>
                      <minutes>30</minutes>
                      <objectives><xi:include href="\(secret)" parse="text"/></objectives>
                      <activities><activity id="a" kind="game" minutes="5"><title>x</title><step>x</step></activity></activities>
                    </lesson>

                    """
            case .binaryGarbage:
                return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00] + (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
            case .emptyFile:
                return []
            }
            return Array(text.utf8)
        }
    }

    @Test(arguments: Hostile.allCases)
    func aHostileFileIsRefusedQuicklyWithALocatedErrorAndNothingStored(hostile: Hostile) throws {
        // Given the water program stored, a secret file, and a hostile lesson file in the folder
        let folder = try loadedWaterProgram()
        defer { folder.remove() }
        let secret = "PRINCIPAL-PASSWORD-\(UUID().uuidString)"
        try folder.write("secret.txt", secret)
        try folder.write("water/ws-evil.xml", bytes: hostile.bytes(secret: folder.path("secret.txt")))
        // When it is validated, and loaded with the rest of the folder
        for command in [["validate"], ["load", "--actor", "okafor"]] {
            let outcome = try BridgesProcess.run(["lesson"] + command + ["--db", "school.sqlite", "water"], in: folder)
            #expect(!outcome.timedOut, "\(command) hung")
            // Then it is refused with 65 and a located error for that file, well within the hang guard
            #expect(!outcome.crashed && outcome.status == 65, "\(command): \(outcome)")
            #expect(outcome.elapsed < .seconds(5), "\(command) took \(outcome.elapsed)")
            #expect(outcome.errorLines.contains { $0.range(of: #"^water/ws-evil\.xml:[0-9]+:[0-9]+: error: "#, options: .regularExpression) != nil }, "\(command): \(outcome)")
            #expect(outcome.standardOutput == "", "\(command): \(outcome)")
            // And the secret never appears
            #expect(!outcome.standardOutput.contains(secret) && !outcome.standardError.contains(secret))
        }
        // And the stored lessons are as they were
        #expect(try bridges("lesson", "list", "--db", "school.sqlite", in: folder).standardOutput == Self.waterListing)
    }

    // MARK: encodings

    @Test func utf16AndLatin1LessonFilesInAProgramFolderLoad() throws {
        // Given a program whose lessons were saved as UTF-16 (with a BOM) and as declared ISO-8859-1
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("water/program.xml", SchoolFiles.waterProgram)
        try folder.write("water/ws-pools.xml", bytes: SchoolFiles.utf16(SchoolFiles.poolsLesson
            .replacingOccurrences(of: "encoding='UTF-8'", with: "encoding='UTF-16'")
            .replacingOccurrences(of: "Pool Safety &amp; Rules", with: "Sécurité à la piscine")))
        try folder.write("water/ws-rivers.xml", bytes: SchoolFiles.latin1(SchoolFiles.riversLesson
            .replacingOccurrences(of: #"encoding="UTF-8""#, with: #"encoding="ISO-8859-1""#)
            .replacingOccurrences(of: "Rivers and Currents", with: "Rivières et courants")))
        try folder.write("water/ws-beach.xml", SchoolFiles.beachLesson)
        // When loaded
        let outcome = try bridges("lesson", "load", "--db", "school.sqlite", "--actor", "okafor", "water", in: folder)
        // Then all load, with their accents intact
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput == "added 4, updated to a new version 0, unchanged 0 (from 4 files)\n")
        let list = try bridges("lesson", "list", "--db", "school.sqlite", in: folder).standardOutput
        #expect(list.contains("Sécurité à la piscine"), "\(list)")
        #expect(list.contains("Rivières et courants"), "\(list)")
        #expect(try bridges("lesson", "show", "ws-pools", "--db", "school.sqlite", in: folder).standardOutput.hasPrefix("Sécurité à la piscine\n"))
    }

    // MARK: schema

    @Test func schemaPrintsExactlyTheShippedXSD() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let outcome = try bridges("lesson", "schema", in: folder)
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shipped = try Data(contentsOf: repository.appendingPathComponent("Curricula/lesson-plan.xsd"))
        #expect(outcome.status == 0)
        #expect(Data(outcome.standardOutput.utf8) == shipped)
        #expect(outcome.standardError == "")
    }
}

import Foundation
import Testing

/// Issue 10, items 14–16: lesson files as teachers really save them (Windows-1252, a byte-order
/// mark that contradicts the declaration, an editor's schema hint, a lesson named alone) give one
/// located line each, as `file:line:column: severity: message`, and change nothing.
@Suite("bridges lesson: hardening of reading and loading", .timeLimit(.minutes(2)))
struct LessonHardeningTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        let outcome = try BridgesProcess.run(arguments, in: folder, sourceLocation: sourceLocation)
        #expect(!outcome.timedOut, "bridges \(arguments.joined(separator: " ")) hung", sourceLocation: sourceLocation)
        return outcome
    }

    /// Every line of standard error is a located diagnostic or the closing count; nothing of
    /// libxml2's own (such as "Bytes: 0x93 …") gets a line of its own.
    func expectOnlyDiagnosticLines(_ outcome: BridgesProcess.Outcome, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let located = try Regex(#"^[^:]+:\d+:\d+: (error|warning): "#)
        let summary = try Regex(#"^(error|warning): \d+ (error|warning)"#)
        #expect(!outcome.errorLines.isEmpty, "\(outcome)", sourceLocation: sourceLocation)
        for line in outcome.errorLines {
            let ok = line.prefixMatch(of: located) != nil || line.prefixMatch(of: summary) != nil
            #expect(ok, "not one diagnostic line: \(line)\n\(outcome)", sourceLocation: sourceLocation)
            #expect(!line.hasPrefix("Bytes:") && !line.contains("indicate encoding"), "libxml2's own words: \(line)", sourceLocation: sourceLocation)
        }
    }

    static func cp1252(_ text: String) -> [UInt8] {
        let data = try! #require(text.data(using: .windowsCP1252))
        return Array(data)
    }

    // MARK: 15: one line each, in teachers' words

    @Test func aWindows1252LessonWithSmartQuotesIsOneLineAtTheFirstBadByteSayingHowToSaveAsUTF8() throws {
        // Given a lesson saved by Word as Windows-1252, with “smart quotes”, and no encoding declared
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeFireProgram(to: folder)
        try folder.write("fire/fs-drill.xml", bytes: Self.cp1252(SchoolFiles.drillLesson
            .replacingOccurrences(of: #"<?xml version="1.0" encoding="UTF-8"?>"#, with: #"<?xml version="1.0"?>"#)
            .replacingOccurrences(of: "<title>The Fire Drill</title>", with: "<title>The \u{201C}Fire\u{201D} Drill</title>")))
        // When validated
        let outcome = try bridges("lesson", "validate", "fire", in: folder)
        // Then one error at the “ (line 3, column 14), saying how to save the file as UTF-8
        #expect(outcome.status == 65, "\(outcome)")
        try expectOnlyDiagnosticLines(outcome)
        #expect(outcome.errorLines.first?.hasPrefix("fire/fs-drill.xml:3:14: error: the file is not UTF-8 text") == true, "\(outcome)")
        #expect(outcome.errorLines.first?.contains("save it as UTF-8") == true, "\(outcome)")
        #expect(outcome.errorLines.count == 2, "\(outcome)")
    }

    @Test func anUnfinishedCDATASectionIsOneLineAtItsStart() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeFireProgram(to: folder)
        try folder.write("fire/fs-drill.xml", SchoolFiles.drillLesson
            .replacingOccurrences(of: "<step>Line up at the door</step>", with: "<step><![CDATA[Line up at the door</step>"))
        let outcome = try bridges("lesson", "validate", "fire", in: folder)
        #expect(outcome.status == 65, "\(outcome)")
        try expectOnlyDiagnosticLines(outcome)
        #expect(outcome.errorLines.first?.hasPrefix("fire/fs-drill.xml:11:13: error: this <![CDATA[ section is never closed") == true, "\(outcome)")
        #expect(outcome.errorLines.count == 2, "\(outcome)")
    }

    @Test(arguments: [
        ("UTF-8 mark, declared ISO-8859-1", [0xEF, 0xBB, 0xBF] + Array(#"<?xml version="1.0" encoding="ISO-8859-1"?>"#.utf8), "UTF-8"),
        ("UTF-16 mark, declared UTF-8", SchoolFiles.utf16(#"<?xml version="1.0" encoding="UTF-8"?>"#), "UTF-16"),
    ])
    func aByteOrderMarkThatContradictsTheDeclarationIsRefused(example: (String, [UInt8], String)) throws {
        // Given a lesson whose byte-order mark says one encoding and whose declaration another
        let (_, declaration, mark) = example
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeFireProgram(to: folder)
        let body = SchoolFiles.drillLesson.replacingOccurrences(of: #"<?xml version="1.0" encoding="UTF-8"?>"#, with: "")
        let bytes = mark == "UTF-16" ? declaration + Array(SchoolFiles.utf16(body).dropFirst(2)) : declaration + Array(body.utf8)
        try folder.write("fire/fs-drill.xml", bytes: bytes)
        // When loaded
        let outcome = try bridges("lesson", "load", "--db", "school.sqlite", "fire", in: folder)
        // Then it is refused at the declaration, and nothing is stored
        #expect(outcome.status == 65, "\(outcome)")
        try expectOnlyDiagnosticLines(outcome)
        #expect(outcome.errorLines.first?.hasPrefix("fire/fs-drill.xml:1:21: error: the file starts with a \(mark) byte-order mark but declares encoding=") == true, "\(outcome)")
        #expect(!folder.exists("school.sqlite"))
    }

    @Test func xsiSchemaLocationOnALessonIsAnErrorAtTheAttribute() throws {
        // Given a lesson written in an XML editor that added a schema hint
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeFireProgram(to: folder)
        try folder.write("fire/fs-drill.xml", SchoolFiles.drillLesson.replacingOccurrences(
            of: #"version="1">"#,
            with: "version=\"1\"\n    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n    xsi:schemaLocation=\"urn:bridges:lesson-plan:1 lesson-plan.xsd\">"))
        // When validated
        let outcome = try bridges("lesson", "validate", "fire", in: folder)
        // Then the attribute is an error, where it is written
        #expect(outcome.status == 65, "\(outcome)")
        try expectOnlyDiagnosticLines(outcome)
        #expect(outcome.errorLines.first?.hasPrefix("fire/fs-drill.xml:4:5: error: <lesson> has no attribute 'xsi:schemaLocation'") == true, "\(outcome)")
    }

    @Test func xsiTypeCannotChooseAnotherTypeToValidateWith() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeFireProgram(to: folder)
        try folder.write("fire/fs-drill.xml", SchoolFiles.drillLesson
            .replacingOccurrences(of: #"version="1">"#, with: #"version="1" xmlns:x="http://www.w3.org/2001/XMLSchema-instance">"#)
            .replacingOccurrences(of: "<minutes>25</minutes>", with: #"<minutes x:type="xs:string" xmlns:xs="http://www.w3.org/2001/XMLSchema">25</minutes>"#))
        let outcome = try bridges("lesson", "validate", "fire", in: folder)
        #expect(outcome.status == 65, "\(outcome)")
        try expectOnlyDiagnosticLines(outcome)
        #expect(outcome.errorLines.first?.hasPrefix("fire/fs-drill.xml:4:12: error: <minutes> has no attribute 'x:type'") == true, "\(outcome)")
    }

    @Test func xmlLangIsAnErrorNamedAsWrittenAtTheAttribute() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeFireProgram(to: folder)
        try folder.write("fire/fs-drill.xml", SchoolFiles.drillLesson.replacingOccurrences(of: #"version="1">"#, with: #"version="1" xml:lang="en">"#))
        let outcome = try bridges("lesson", "validate", "fire", in: folder)
        #expect(outcome.status == 65, "\(outcome)")
        try expectOnlyDiagnosticLines(outcome)
        #expect(outcome.errorLines.first?.hasPrefix("fire/fs-drill.xml:2:84: error: <lesson> has no attribute 'xml:lang'") == true, "\(outcome)")
    }

    // MARK: 16: UTF-8 text declared as a single-byte encoding

    @Test(arguments: ["ISO-8859-1", "windows-1252", "latin1"])
    func utf8TextDeclaredAsASingleByteEncodingWarnsAtTheDeclaration(name: String) throws {
        // Given a lesson saved as UTF-8 under a declaration copied from an older file
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeFireProgram(to: folder)
        try folder.write("fire/fs-drill.xml", SchoolFiles.drillLesson
            .replacingOccurrences(of: #"encoding="UTF-8""#, with: #"encoding="\#(name)""#)
            .replacingOccurrences(of: "<title>Walk the route</title>", with: "<title>Walk Maya\u{2019}s route</title>"))
        // When validated
        let outcome = try bridges("lesson", "validate", "fire", in: folder)
        // Then it is valid, with one warning at the declaration saying to declare UTF-8
        #expect(outcome.status == 0, "\(outcome)")
        try expectOnlyDiagnosticLines(outcome)
        let warning = try #require(outcome.errorLines.first)
        #expect(warning.hasPrefix("fire/fs-drill.xml:1:21: warning: the file declares encoding=\"\(name)\" but its text is UTF-8 (from line 10, column 23)"), "\(outcome)")
        #expect(warning.contains(#"change the declaration to encoding="UTF-8""#), "\(outcome)")
    }

    @Test func realWindows1252TextDeclaredSoLoadsWithoutAWarning() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeFireProgram(to: folder)
        try folder.write("fire/fs-drill.xml", bytes: Self.cp1252(SchoolFiles.drillLesson
            .replacingOccurrences(of: #"encoding="UTF-8""#, with: #"encoding="windows-1252""#)
            .replacingOccurrences(of: "<title>Walk the route</title>", with: "<title>Walk Maya\u{2019}s route</title>")))
        let outcome = try bridges("lesson", "load", "--db", "school.sqlite", "fire", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardError == "", "\(outcome)")
    }

    // MARK: 14: a lesson whose program is not stored

    @Test func loadingALessonAloneWhoseProgramIsNotStoredIsALocatedErrorAndChangesNothing() throws {
        // Given a database holding the water program, and the fire program's folder not loaded
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeWaterProgram(to: folder)
        try SchoolFiles.writeFireProgram(to: folder)
        try #require(try bridges("lesson", "load", "--db", "school.sqlite", "water", in: folder).status == 0)
        let before = try bridges("lesson", "list", "--db", "school.sqlite", in: folder).standardOutput
        // When one fire lesson is loaded on its own
        let outcome = try bridges("lesson", "load", "--db", "school.sqlite", "fire/fs-drill.xml", in: folder)
        // Then a located error at its program attribute says what to load first
        #expect(outcome.status == 65, "\(outcome)")
        try expectOnlyDiagnosticLines(outcome)
        let first = try #require(outcome.errorLines.first)
        #expect(first.hasPrefix(#"fire/fs-drill.xml:2:57: error: lesson fs-drill belongs to program "fire", which is not stored: load its folder (fire)"#), "\(outcome)")
        #expect(!outcome.standardError.contains("FOREIGN KEY"), "\(outcome)")
        // And the database is as it was
        #expect(try bridges("lesson", "list", "--db", "school.sqlite", in: folder).standardOutput == before)
        #expect(try bridges("lesson", "show", "fs-drill", "--db", "school.sqlite", in: folder).status != 0)
        // And validating it against the database says the same
        let validate = try bridges("lesson", "validate", "--db", "school.sqlite", "fire/fs-drill.xml", in: folder)
        #expect(validate.status == 65, "\(validate)")
        #expect(validate.errorLines.first == first, "\(validate)")
        // While loading the folder works
        #expect(try bridges("lesson", "load", "--db", "school.sqlite", "fire", in: folder).status == 0)
        #expect(try bridges("lesson", "load", "--db", "school.sqlite", "fire/fs-drill.xml", in: folder).status == 0)
    }

    @Test func loadingALessonAloneIntoANewDatabaseCreatesNoFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeFireProgram(to: folder)
        let outcome = try bridges("lesson", "load", "--db", "school.sqlite", "fire/fs-drill.xml", in: folder)
        #expect(outcome.status == 65, "\(outcome)")
        try expectOnlyDiagnosticLines(outcome)
        #expect(outcome.errorLines.first?.hasPrefix(#"fire/fs-drill.xml:2:57: error: lesson fs-drill belongs to program "fire", which is not stored"#) == true, "\(outcome)")
        #expect(!folder.exists("school.sqlite"))
    }

    @Test func aProgramWhoseLessonRefIsMissingIsALocatedErrorAtTheRef() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("fire/program.xml", SchoolFiles.fireProgram)
        let outcome = try bridges("lesson", "load", "--db", "school.sqlite", "fire/program.xml", in: folder)
        #expect(outcome.status == 65, "\(outcome)")
        try expectOnlyDiagnosticLines(outcome)
        #expect(outcome.errorLines.first?.hasPrefix("fire/program.xml:6:13: error: no lesson 'fs-drill' is being loaded or stored") == true, "\(outcome)")
        #expect(!folder.exists("school.sqlite"))
    }
}

import BridgesCore
import BridgesXML
import Testing

/// Every kind of schema error, each at the place a teacher must fix.
@Suite("Schema errors")
struct SchemaErrorTests {
    @Test func aValidLessonAndProgramHaveNoFindings() throws {
        _ = try readValid(Fixture.lesson())
        _ = try readValid(Fixture.program(), file: "program.xml")
    }

    // MARK: elements

    @Test func anUnknownElementIsAnErrorAtItsStartTag() throws {
        // Given an activity with an element the format does not have
        // When read
        // Then the error points at <note and says what was expected
        try assertDiagnostics(Fixture.lesson(activities: """
              <activities>
                <activity id="talk" kind="discussion" minutes="10">
                  <title>Pool rules</title>
                  <step>Ask who swims</step>
                  1️⃣<note>Bring towels</note>
                </activity>
              </activities>
            """), [.error("1️⃣", "<note> is not allowed here", "<step>")])
    }

    @Test func anElementOutOfOrderIsAnErrorAtItsStartTag() throws {
        // Given a lesson whose <summary> comes after <minutes>
        try assertDiagnostics(Fixture.lesson(head: """
              <title>Pool safety</title>
              <minutes>30</minutes>
              1️⃣<summary>Rules and help</summary>
            """), [.error("1️⃣", "<summary> is not allowed here", "in this order: <title>, <summary> (optional), <minutes>")])
    }

    @Test func aMissingRequiredElementIsAnErrorWhereItShouldHaveBeen() throws {
        // Given a lesson with no <minutes>
        // Then the error is at the element found in its place, saying <minutes> was expected
        try assertDiagnostics(Fixture.lesson(head: "  <title>Pool safety</title>", objectives: """
              1️⃣<objectives>
                <objective id="rules">Know the pool rules</objective>
              </objectives>
            """), [.error("1️⃣", "<objectives> is not allowed here", "<minutes>")])
    }

    @Test func aMissingLastChildIsAnErrorAtItsParent() throws {
        // Given an activity with a title but no step
        try assertDiagnostics(Fixture.lesson(activities: """
              <activities>
                1️⃣<activity id="talk" kind="discussion" minutes="10">
                  <title>Pool rules</title>
                </activity>
              </activities>
            """), [.error("1️⃣", "<activity> is missing <step>")])
    }

    @Test func aQuestionWithNeitherChoicesNorAnswersIsAnErrorAtTheQuestion() throws {
        try assertDiagnostics(Fixture.lesson(quiz: """
              <quiz>
                1️⃣<question id="q1" type="short">
                  <prompt>What number do you call?</prompt>
                </question>
              </quiz>
            """), [.error("1️⃣", "<question>", "<answer>", "<choice>")])
    }

    @Test func aSingleChoiceQuestionWithOneChoiceIsAnError() throws {
        try assertDiagnostics(Fixture.lesson(quiz: """
              <quiz>
                1️⃣<question id="q1" type="single">
                  <prompt>Who do you call?</prompt>
                  <choice id="a" correct="true">911</choice>
                </question>
              </quiz>
            """), [.error("1️⃣", "<question>", "<choice>")])
    }

    // MARK: attributes

    @Test func anUnknownAttributeIsAnErrorAtTheAttribute() throws {
        try assertDiagnostics(Fixture.lesson(activities: """
              <activities>
                <activity id="talk" kind="discussion" 1️⃣colour="blue" minutes="10">
                  <title>Pool rules</title>
                  <step>Ask who swims</step>
                </activity>
              </activities>
            """), [.error("1️⃣", "<activity> has no attribute 'colour'", "id, kind, minutes or objectives")])
    }

    @Test func aMisspelledAttributeGetsASuggestion() throws {
        try assertDiagnostics(Fixture.lesson(activities: """
              <activities>
                1️⃣<activity id="talk" 2️⃣knd="discussion" minutes="10">
                  <title>Pool rules</title>
                  <step>Ask who swims</step>
                </activity>
              </activities>
            """), [
                .error("1️⃣", "<activity> needs the attribute kind="),
                .error("2️⃣", "no attribute 'knd'", "did you mean \"kind\""),
            ])
    }

    /// The root's parent is the document, which has no name: an unknown attribute on the root
    /// must still be reported, not crash the reader. Run in a child process, because a crash
    /// here would end the whole test run.
    @Test func anUnknownAttributeOnTheRootIsReportedAtTheAttribute() async {
        await #expect(processExitsWith: .success) {
            let input = MarkedText(Fixture.lesson(root: #"<lesson xmlns="urn:bridges:lesson-plan:1" id="ws-pools" program="water" version="1" 1️⃣lang="en">"#))
            let reading = try LessonPlanReader().read(bytes: Array(input.text.utf8), file: "ws-pools.xml")
            let at = input.markers["1️⃣"]!
            let found = reading.diagnostics.contains {
                $0.isError && $0.line == at.line && $0.column == at.column && $0.message.contains("<lesson> has no attribute 'lang'")
            }
            if !found || reading.diagnostics.count != 1 { throw ReaderTestFailure(reading.diagnostics.map(\.description).joined(separator: "\n")) }
        }
    }

    @Test func aMissingAttributeIsAnErrorAtTheStartTag() throws {
        try assertDiagnostics(Fixture.lesson(activities: """
              <activities>
                1️⃣<activity id="talk" minutes="10">
                  <title>Pool rules</title>
                  <step>Ask who swims</step>
                </activity>
              </activities>
            """), [.error("1️⃣", "<activity> needs the attribute kind=")])
    }

    @Test func aMissingVersionOnTheRootIsAnErrorAtTheRoot() throws {
        try assertDiagnostics(Fixture.lesson(root: #"1️⃣<lesson xmlns="urn:bridges:lesson-plan:1" id="ws-pools" program="water">"#),
            [.error("1️⃣", "<lesson> needs the attribute version=", "a version is a whole number from 1 up")])
    }

    @Test(arguments: ["Pool_Rules", "-rules", "rules!", "règles", ""])
    func anIdOutsideThePatternIsAnErrorAtTheAttribute(id: String) throws {
        try assertDiagnostics(Fixture.lesson(objectives: """
              <objectives>
                <objective 1️⃣id="\(id)">Know the pool rules</objective>
              </objectives>
            """), [.error("1️⃣", "<objective> id", "use lower-case letters a–z, digits and dashes")])
    }

    @Test func anIdWithCapitalsAndUnderscoresGetsASuggestion() throws {
        try assertDiagnostics(Fixture.lesson(root: #"<lesson xmlns="urn:bridges:lesson-plan:1" 1️⃣id="WS_Pools" program="water" version="1">"#),
            [.error("1️⃣", #"id="WS_Pools" is not valid"#, #"did you mean "ws-pools"?"#)])
    }

    @Test func anIdOfSixtyFiveCharactersIsTooLong() throws {
        let long = String(repeating: "a", count: 65)
        try assertDiagnostics(Fixture.lesson(root: #"<lesson xmlns="urn:bridges:lesson-plan:1" 1️⃣id="\#(long)" program="water" version="1">"#),
            [.error("1️⃣", "<lesson> id=", "at most 64 characters")])
    }

    @Test(arguments: ["0", "-1", "1.5", "v2", "", "2147483648"])
    func aVersionThatIsNotAPositiveWholeNumberIsAnErrorAtTheAttribute(version: String) throws {
        try assertDiagnostics(Fixture.lesson(root: #"<lesson xmlns="urn:bridges:lesson-plan:1" id="ws-pools" program="water" 1️⃣version="\#(version)">"#),
            [.error("1️⃣", "<lesson> version", "a version is a whole number from 1 up")])
    }

    @Test(arguments: [4, 241, 0, -5])
    func lessonMinutesOutsideFiveTo240AreAnErrorAtTheElement(minutes: Int) throws {
        try assertDiagnostics(Fixture.lesson(head: "  <title>Pool safety</title>\n  1️⃣<minutes>\(minutes)</minutes>"),
            [.error("1️⃣", "<minutes>\(minutes)</minutes> is not valid", "from 5 to 240")])
    }

    @Test(arguments: [5, 240])
    func lessonMinutesOfFiveAnd240AreValid(minutes: Int) throws {
        let activities = Fixture.activities.replacingOccurrences(of: #"minutes="10""#, with: #"minutes="5""#)
        let document = try readValid(Fixture.lesson(head: "  <title>Pool safety</title>\n  <minutes>\(minutes)</minutes>", activities: activities))
        guard case .lesson(let lesson, _) = document else { Issue.record("not a lesson"); return }
        #expect(lesson.minutes == minutes)
    }

    @Test(arguments: [("1️⃣min=\"-1\" max=\"3\"", "min"), ("min=\"3\" 1️⃣max=\"13\"", "max"), ("1️⃣min=\"P\" max=\"3\"", "min"), ("min=\"K\" 1️⃣max=\"kg\"", "max")])
    func aGradeThatIsNotKOrZeroToTwelveIsAnErrorAtTheAttribute(attributes: String, name: String) throws {
        try assertDiagnostics(Fixture.lesson(head: "  <title>Pool safety</title>\n  <minutes>30</minutes>\n  <grades \(attributes)/>"),
            [.error("1️⃣", "<grades> \(name)=", "a grade is K (kindergarten) or a number from 0 to 12")])
    }

    @Test func anActivityKindOutsideTheListIsAnErrorListingTheKinds() throws {
        try assertDiagnostics(Fixture.lesson(activities: """
              <activities>
                <activity id="talk" 1️⃣kind="lecture" minutes="10">
                  <title>Pool rules</title>
                  <step>Ask who swims</step>
                </activity>
              </activities>
            """), [.error("1️⃣", #"<activity> kind="lecture" is not valid"#,
                         "discussion, demonstration, practice, role-play, video, game, reflection or assessment")])
    }

    @Test func aNearlyRightActivityKindGetsASuggestion() throws {
        try assertDiagnostics(Fixture.lesson(activities: """
              <activities>
                <activity id="talk" 1️⃣kind="roleplay" minutes="10">
                  <title>Pool rules</title>
                  <step>Ask who swims</step>
                </activity>
              </activities>
            """), [.error("1️⃣", #"did you mean "role-play"?"#)])
    }

    @Test func aQuestionTypeOutsideTheListIsAnErrorListingTheTypes() throws {
        try assertDiagnostics(Fixture.lesson(quiz: """
              <quiz>
                <question id="q1" 1️⃣type="essay">
                  <prompt>Why?</prompt>
                  <answer>Because</answer>
                </question>
              </quiz>
            """), [.error("1️⃣", #"<question> type="essay" is not valid"#, "single, multiple, true-false or short")])
    }

    @Test(arguments: ["101", "-1", "70%", "seventy"])
    func aPassPercentOutsideZeroTo100IsAnErrorAtTheAttribute(percent: String) throws {
        try assertDiagnostics(Fixture.lesson(quiz: """
              <quiz 1️⃣passPercent="\(percent)">
                <question id="q1" type="true-false">
                  <prompt>Run by the pool?</prompt>
                  <answer>false</answer>
                </question>
              </quiz>
            """), [.error("1️⃣", "<quiz> passPercent", "a whole number from 0 to 100")])
    }

    @Test func zeroPointsIsAnErrorAtTheAttribute() throws {
        try assertDiagnostics(Fixture.lesson(quiz: """
              <quiz>
                <question id="q1" type="true-false" 1️⃣points="0">
                  <prompt>Run by the pool?</prompt>
                  <answer>false</answer>
                </question>
              </quiz>
            """), [.error("1️⃣", #"<question> points="0" is not valid"#, "from 1 up")])
    }

    @Test func aCertificateRuleOutsideItsWordsIsAnErrorAtEachAttribute() throws {
        try assertDiagnostics(Fixture.program(certificate: #"  <certificate title="Water Safe" 1️⃣attendance="most" 2️⃣quizzes="some" 3️⃣validMonths="0"/>"#), file: "program.xml", [
            .error("1️⃣", #"<certificate> attendance="most" is not valid"#, "write all, or how many"),
            .error("2️⃣", #"<certificate> quizzes="some" is not valid"#, "pass-all"),
            .error("3️⃣", #"<certificate> validMonths="0" is not valid"#),
        ])
    }

    // MARK: text

    @Test func markupInsideTextIsAnErrorAtTheElementHoldingIt() throws {
        try assertDiagnostics(Fixture.lesson(activities: """
              <activities>
                <activity id="talk" kind="discussion" minutes="10">
                  <title>Pool rules</title>
                  1️⃣<step>Ask <b>who</b> swims</step>
                </activity>
              </activities>
            """), [.error("1️⃣", "<step> holds plain text only")])
    }

    @Test func looseTextInElementOnlyContentIsAnErrorAtTheElementHoldingIt() throws {
        try assertDiagnostics(Fixture.lesson(activities: """
              1️⃣<activities>
                Remember towels!
                <activity id="talk" kind="discussion" minutes="10">
                  <title>Pool rules</title>
                  <step>Ask who swims</step>
                </activity>
              </activities>
            """), [.error("1️⃣", "<activities> holds elements, not loose text")])
    }

    @Test func anEmptyTextElementIsAnErrorAtTheElement() throws {
        try assertDiagnostics(Fixture.lesson(head: "  1️⃣<title></title>\n  <minutes>30</minutes>"),
            [.error("1️⃣", "<title> is empty")])
    }

    // MARK: namespace and root

    @Test func aRootWithoutTheNamespaceIsAnErrorAtTheRoot() throws {
        try assertDiagnostics(Fixture.lesson(root: #"1️⃣<lesson id="ws-pools" program="water" version="1">"#).replacingOccurrences(of: "xmlns=\"urn:bridges:lesson-plan:1\" ", with: ""),
            [.error("1️⃣", "<lesson> is in no namespace", #"xmlns="urn:bridges:lesson-plan:1""#)])
    }

    @Test func aRootInAnotherNamespaceIsAnErrorNamingIt() throws {
        try assertDiagnostics(Fixture.lesson(root: #"1️⃣<lesson xmlns="urn:bridges:lesson-plan:2" id="ws-pools" program="water" version="1">"#),
            [.error("1️⃣", "<lesson> is in the namespace 'urn:bridges:lesson-plan:2'", #"xmlns="urn:bridges:lesson-plan:1""#)])
    }

    @Test func aProgramWithoutTheNamespaceIsToldToUseItOnProgram() throws {
        try assertDiagnostics(Fixture.program(root: #"1️⃣<program id="water" version="1">"#), file: "program.xml",
            [.error("1️⃣", "<program> is in no namespace", #"<program xmlns="urn:bridges:lesson-plan:1""#)])
    }

    @Test func anElementFromAnotherNamespaceInsideIsAnError() throws {
        try assertDiagnostics(Fixture.lesson(activities: """
              <activities xmlns:h="http://www.w3.org/1999/xhtml">
                <activity id="talk" kind="discussion" minutes="10">
                  <title>Pool rules</title>
                  <step>Ask who swims</step>
                  1️⃣<h:p>Bring towels</h:p>
                </activity>
              </activities>
            """), [.error("1️⃣", "<p> from the namespace 'http://www.w3.org/1999/xhtml' is not part of a lesson plan")])
    }

    @Test func aRootThatIsNeitherProgramNorLessonIsAnErrorAtTheRoot() throws {
        try assertDiagnostics("""
            <?xml version="1.0" encoding="UTF-8"?>
            1️⃣<course xmlns="urn:bridges:lesson-plan:1" id="water">
              <title>Water Safety</title>
            </course>
            """, [.error("1️⃣", "the root element must be <program> or <lesson>")])
    }

    @Test func xincludeIsNotFollowedAndIsAnErrorAtTheInclude() throws {
        // Given an XInclude of a file that exists
        // Then it is refused where it stands; nothing is pulled in
        try assertDiagnostics(Fixture.lesson(objectives: """
              <objectives xmlns:xi="http://www.w3.org/2001/XInclude">
                <objective id="rules">Know the pool rules</objective>
                1️⃣<xi:include href="/etc/hostname" parse="text"/>
              </objectives>
            """), [.error("1️⃣", "<xi:include> is not supported")])
    }

    // MARK: several at once

    @Test func everySchemaErrorInAFileIsReportedNotJustTheFirst() throws {
        // Given a lesson with five unrelated mistakes in different elements
        // When read
        // Then all five are reported, each at its place
        try assertDiagnostics("""
            <?xml version="1.0" encoding="UTF-8"?>
            <lesson xmlns="urn:bridges:lesson-plan:1" id="ws-pools" program="water" 1️⃣version="one">
              <title>Pool safety</title>
              2️⃣<minutes>300</minutes>
              <objectives>
                <objective 3️⃣id="Rules">Know the pool rules</objective>
              </objectives>
              <activities>
                <activity id="talk" 4️⃣kind="talk" minutes="10">
                  <title>Pool rules</title>
                  5️⃣<step>Ask <i>who</i> swims</step>
                </activity>
              </activities>
              <quiz 6️⃣passPercent="150">
                <question id="q1" 7️⃣type="yes-no">
                  <prompt>Run by the pool?</prompt>
                  <answer>no</answer>
                </question>
              </quiz>
            </lesson>
            """, [
                .error("1️⃣", "version"), .error("2️⃣", "<minutes>"), .error("3️⃣", "id=\"Rules\""),
                .error("4️⃣", "kind=\"talk\""), .error("5️⃣", "<step> holds plain text only"),
                .error("6️⃣", "passPercent=\"150\""), .error("7️⃣", "type=\"yes-no\""),
            ])
    }
}

struct ReaderTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

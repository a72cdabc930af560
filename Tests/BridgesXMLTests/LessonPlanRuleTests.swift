import BridgesCore
import BridgesXML
import Testing

/// The rules of lesson-plan-format.md beyond the schema that one file can break.
@Suite("Rules beyond the schema")
struct LessonPlanRuleTests {
    // MARK: unique ids

    @Test func aDuplicateObjectiveIdIsAnErrorAtTheSecondId() throws {
        // Given two objectives both called rules, the first on line 6
        // When read
        // Then the second id is marked and the first line named
        try assertDiagnostics(Fixture.lesson(objectives: """
              <objectives>
                <objective id="rules">Know the pool rules</objective>
                <objective 1️⃣id="rules">Know how to get help</objective>
              </objectives>
            """), [.error("1️⃣", "objective id 'rules' is already used on line 6")])
    }

    @Test func aDuplicateActivityIdIsAnErrorAtTheSecondId() throws {
        try assertDiagnostics(Fixture.lesson(activities: """
              <activities>
                <activity id="talk" kind="discussion" minutes="10">
                  <title>Pool rules</title>
                  <step>Ask who swims</step>
                </activity>
                <activity 1️⃣id="talk" kind="game" minutes="10">
                  <title>Lifeguard says</title>
                  <step>Play</step>
                </activity>
              </activities>
            """), [.error("1️⃣", "activity id 'talk' is already used on line 10")])
    }

    @Test func aDuplicateQuestionIdIsAnErrorAtTheSecondId() throws {
        try assertDiagnostics(Fixture.lesson(quiz: """
              <quiz>
                <question id="q1" type="true-false">
                  <prompt>Run by the pool?</prompt>
                  <answer>false</answer>
                </question>
                <question 1️⃣id="q1" type="short">
                  <prompt>What number do you call?</prompt>
                  <answer>911</answer>
                </question>
              </quiz>
            """), [.error("1️⃣", "question id 'q1' is already used on line 16")])
    }

    @Test func aDuplicateChoiceIdWithinAQuestionIsAnErrorAtTheSecondId() throws {
        try assertDiagnostics(Fixture.lesson(quiz: """
              <quiz>
                <question id="q1" type="single">
                  <prompt>Who do you call?</prompt>
                  <choice id="a" correct="true">911</choice>
                  <choice 1️⃣id="a">A friend</choice>
                </question>
              </quiz>
            """), [.error("1️⃣", "choice id 'a' is already used in this question on line 18")])
    }

    @Test func theSameChoiceIdsInDifferentQuestionsAreFine() throws {
        _ = try readValid(Fixture.lesson(quiz: """
              <quiz>
                <question id="q1" type="single">
                  <prompt>Who do you call?</prompt>
                  <choice id="a" correct="true">911</choice>
                  <choice id="b">A friend</choice>
                </question>
                <question id="q2" type="multiple">
                  <prompt>What helps?</prompt>
                  <choice id="a" correct="true">A float</choice>
                  <choice id="b" correct="true">A rope</choice>
                </question>
              </quiz>
            """))
    }

    @Test func idsAreUniquePerKindSoAnActivityMayShareAnObjectivesId() throws {
        _ = try readValid(Fixture.lesson(objectives: """
              <objectives>
                <objective id="talk">Talk about pools</objective>
              </objectives>
            """))
    }

    // MARK: references inside a file

    @Test func aQuestionNamingAMissingObjectiveIsAnErrorAtItsObjectiveAttribute() throws {
        try assertDiagnostics(Fixture.lesson(quiz: """
              <quiz>
                <question id="q1" type="true-false" 1️⃣objective="rule">
                  <prompt>Run by the pool?</prompt>
                  <answer>false</answer>
                </question>
              </quiz>
            """), [.error("1️⃣", #"objective="rule" names no objective of this lesson"#, "rules, help", #"did you mean "rules"?"#)])
    }

    // MARK: answer keys

    @Test(arguments: [0, 2])
    func aSingleChoiceQuestionNeedsExactlyOneCorrectChoice(correct: Int) throws {
        // Given a single-choice question with `correct` choices marked right
        let choices = (0..<3).map { #"<choice id="\#(["a", "b", "c"][$0])"\#($0 < correct ? #" correct="true""# : "")>Choice</choice>"# }
        // Then the error is at its type, saying how many it has
        try assertDiagnostics(Fixture.lesson(quiz: """
              <quiz>
                <question id="q1" 1️⃣type="single">
                  <prompt>Who do you call?</prompt>
                  \(choices.joined(separator: "\n      "))
                </question>
              </quiz>
            """), [.error("1️⃣", "question 'q1' is single choice, so exactly one choice must have correct=\"true\" (it has \(correct))")])
    }

    @Test func aMultipleChoiceQuestionWithNoCorrectChoiceIsAnError() throws {
        try assertDiagnostics(Fixture.lesson(quiz: """
              <quiz>
                <question id="q1" 1️⃣type="multiple">
                  <prompt>What helps?</prompt>
                  <choice id="a">A float</choice>
                  <choice id="b" correct="false">A rope</choice>
                </question>
              </quiz>
            """), [.error("1️⃣", "question 'q1' is multiple choice but no choice has correct=\"true\"")])
    }

    @Test func aMultipleChoiceQuestionWithEveryChoiceCorrectIsFine() throws {
        _ = try readValid(Fixture.lesson(quiz: """
              <quiz>
                <question id="q1" type="multiple">
                  <prompt>What helps?</prompt>
                  <choice id="a" correct="true">A float</choice>
                  <choice id="b" correct="1">A rope</choice>
                </question>
              </quiz>
            """))
    }

    @Test func aTrueFalseQuestionWithTwoAnswersIsAnErrorAtTheSecond() throws {
        try assertDiagnostics(Fixture.lesson(quiz: """
              <quiz>
                <question id="q1" type="true-false">
                  <prompt>Run by the pool?</prompt>
                  <answer>false</answer>
                  1️⃣<answer>true</answer>
                </question>
              </quiz>
            """), [.error("1️⃣", "question 'q1' is true-false, so it takes exactly one <answer>", "it has 2")])
    }

    @Test(arguments: ["yes", "no", "0", "F"])
    func aTrueFalseAnswerThatIsNotTrueOrFalseIsAnErrorAtTheAnswer(answer: String) throws {
        try assertDiagnostics(Fixture.lesson(quiz: """
              <quiz>
                <question id="q1" type="true-false">
                  <prompt>Run by the pool?</prompt>
                  1️⃣<answer>\(answer)</answer>
                </question>
              </quiz>
            """), [.error("1️⃣", "question 'q1' is true-false, so its answer must be true or false, not '\(answer)'")])
    }

    @Test func aTrueFalseAnswerMayBeWrittenWithCapitalsAndSpace() throws {
        _ = try readValid(Fixture.lesson(quiz: """
              <quiz>
                <question id="q1" type="true-false">
                  <prompt>Run by the pool?</prompt>
                  <answer> False </answer>
                </question>
              </quiz>
            """))
    }

    @Test func aTrueFalseQuestionWithChoicesIsAnErrorAtItsType() throws {
        try assertDiagnostics(Fixture.lesson(quiz: """
              <quiz>
                <question id="q1" 1️⃣type="true-false">
                  <prompt>Run by the pool?</prompt>
                  <choice id="t">True</choice>
                  <choice id="f" correct="true">False</choice>
                </question>
              </quiz>
            """), [.error("1️⃣", "question 'q1' is true-false, so it takes one <answer>true</answer> or <answer>false</answer>, not choices")])
    }

    @Test func aShortAnswerQuestionWithChoicesIsAnErrorAtItsType() throws {
        try assertDiagnostics(Fixture.lesson(quiz: """
              <quiz>
                <question id="q1" 1️⃣type="short">
                  <prompt>What number do you call?</prompt>
                  <choice id="a" correct="true">911</choice>
                  <choice id="b">112</choice>
                </question>
              </quiz>
            """), [.error("1️⃣", "question 'q1' is short answer, so it takes <answer> elements")])
    }

    @Test func aChoiceQuestionWithAnswersIsAnErrorAtItsType() throws {
        try assertDiagnostics(Fixture.lesson(quiz: """
              <quiz>
                <question id="q1" 1️⃣type="single">
                  <prompt>What number do you call?</prompt>
                  <answer>911</answer>
                </question>
              </quiz>
            """), [.error("1️⃣", #"question 'q1' is type="single", so it needs <choice> elements, not <answer>"#)])
    }

    // MARK: minutes and grades

    @Test func activitiesLongerThanTheLessonAreAWarningAtMinutesAndTheLessonStillReads() throws {
        // Given a 30-minute lesson whose activities plan 20 + 15 minutes
        let reading = try assertDiagnostics(Fixture.lesson(head: "  <title>Pool safety</title>\n  1️⃣<minutes>30</minutes>", activities: """
              <activities>
                <activity id="talk" kind="discussion" minutes="20">
                  <title>Pool rules</title>
                  <step>Ask who swims</step>
                </activity>
                <activity id="play" kind="game" minutes="15">
                  <title>Lifeguard says</title>
                  <step>Play</step>
                </activity>
              </activities>
            """), [.warning("1️⃣", "the activities add up to 35 minutes but the lesson has 30")])
        // Then a warning does not stop the lesson from loading
        #expect(reading.document != nil)
        #expect(!reading.hasErrors)
    }

    @Test func activitiesFillingTheLessonExactlyAreFine() throws {
        _ = try readValid(Fixture.lesson(head: "  <title>Pool safety</title>\n  <minutes>10</minutes>"))
    }

    @Test func gradesWithMinAboveMaxAreAnErrorAtMin() throws {
        try assertDiagnostics(Fixture.lesson(head: "  <title>Pool safety</title>\n  <minutes>30</minutes>\n  <grades 1️⃣min=\"5\" max=\"K\"/>"),
            [.error("1️⃣", #"min="5" is above max="K""#)])
        try assertDiagnostics(Fixture.program(grades: #"  <grades 1️⃣min="8" max="6"/>"#), file: "program.xml",
            [.error("1️⃣", #"min="8" is above max="6""#)])
    }

    // MARK: program.xml

    @Test func aCertificateAskingForMoreLessonsThanAreRequiredIsAnErrorAtAttendance() throws {
        // Given two lessons of which one is required, and a certificate asking for two
        try assertDiagnostics(Fixture.program(
            lessons: "  <lessons>\n    <lesson ref=\"ws-pools\"/>\n    <lesson ref=\"ws-rivers\" required=\"false\"/>\n  </lessons>",
            certificate: #"  <certificate title="Water Safe" 1️⃣attendance="2" quizzes="pass-all"/>"#), file: "program.xml",
            [.error("1️⃣", #"attendance="2" asks for more lessons than the program's 1 required ones"#)])
    }

    @Test func aCertificateAskingForAsManyLessonsAsAreRequiredIsFine() throws {
        let document = try readValid(Fixture.program(certificate: #"  <certificate title="Water Safe" attendance="2" quizzes="none"/>"#), file: "program.xml")
        guard case .program(let program, _) = document else { Issue.record("not a program"); return }
        #expect(program.certificate.attendance == .count(2))
    }

    @Test func aProgramWithNoRequiredLessonIsAnErrorAtTheCertificate() throws {
        try assertDiagnostics(Fixture.program(
            lessons: "  <lessons>\n    <lesson ref=\"ws-pools\" required=\"false\"/>\n  </lessons>",
            certificate: #"  1️⃣<certificate title="Water Safe" attendance="all" quizzes="pass-all"/>"#), file: "program.xml",
            [.error("1️⃣", "the program has no required lesson")])
    }

    @Test func aLessonListedTwiceIsAnErrorAtTheSecondRef() throws {
        try assertDiagnostics(Fixture.program(lessons: "  <lessons>\n    <lesson ref=\"ws-pools\"/>\n    <lesson 1️⃣ref=\"ws-pools\"/>\n  </lessons>"), file: "program.xml",
            [.error("1️⃣", "lesson 'ws-pools' is listed twice (first on line 6)")])
    }

    @Test func aProgramInAFileNotNamedProgramXMLIsAnErrorAtTheRoot() throws {
        try assertDiagnostics(Fixture.program(root: #"1️⃣<program xmlns="urn:bridges:lesson-plan:1" id="water" version="1">"#), file: "water/water.xml",
            [.error("1️⃣", "a <program> belongs in a file named program.xml")])
    }

    @Test func aLessonInAFileNamedProgramXMLIsAnErrorAtTheRoot() throws {
        try assertDiagnostics(Fixture.lesson(root: #"1️⃣<lesson xmlns="urn:bridges:lesson-plan:1" id="ws-pools" program="water" version="1">"#), file: "water/program.xml",
            [.error("1️⃣", "program.xml holds the <program>, but this file holds lesson 'ws-pools'", "ws-pools.xml")])
    }

    // MARK: blank text

    @Test func textOfOnlyWhiteSpaceIsAnErrorAtTheElement() throws {
        // Given a title of spaces and a step of a line break (the schema's minLength counts them)
        try assertDiagnostics(Fixture.lesson(head: "  1️⃣<title>   </title>\n  <minutes>30</minutes>", activities: """
              <activities>
                <activity id="talk" kind="discussion" minutes="10">
                  <title>Pool rules</title>
                  2️⃣<step>
                  </step>
                </activity>
              </activities>
            """), [.error("1️⃣", "<title> is empty"), .error("2️⃣", "<step> is empty")])
    }

    @Test func aCertificateTitleOfOnlySpacesIsAnErrorAtTheTitle() throws {
        try assertDiagnostics(Fixture.program(certificate: #"  <certificate 1️⃣title="   " attendance="all" quizzes="pass-all"/>"#), file: "program.xml",
            [.error("1️⃣", "the certificate's title is empty")])
    }

    // MARK: several at once

    @Test func everyRuleBrokenInAFileIsReported() throws {
        try assertDiagnostics("""
            <?xml version="1.0" encoding="UTF-8"?>
            <lesson xmlns="urn:bridges:lesson-plan:1" id="ws-pools" program="water" version="1">
              <title>Pool safety</title>
              1️⃣<minutes>10</minutes>
              <grades 2️⃣min="5" max="3"/>
              <objectives>
                <objective id="rules">Know the pool rules</objective>
                <objective 3️⃣id="rules">Know how to get help</objective>
              </objectives>
              <activities>
                <activity id="talk" kind="discussion" minutes="10">
                  <title>Pool rules</title>
                  <step>Ask who swims</step>
                </activity>
                <activity 4️⃣id="talk" kind="game" minutes="5">
                  <title>Lifeguard says</title>
                  5️⃣<step> </step>
                </activity>
              </activities>
              <quiz>
                <question id="q1" 6️⃣type="single" 7️⃣objective="safety">
                  <prompt>Who do you call?</prompt>
                  <choice id="a">911</choice>
                  <choice id="b">A friend</choice>
                </question>
                <question id="q2" type="true-false">
                  <prompt>Run by the pool?</prompt>
                  8️⃣<answer>never</answer>
                </question>
              </quiz>
            </lesson>
            """, [
                .warning("1️⃣", "15 minutes"), .error("2️⃣", "above"), .error("3️⃣", "objective id"),
                .error("4️⃣", "activity id"), .error("5️⃣", "<step> is empty"), .error("6️⃣", "exactly one"),
                .error("7️⃣", "names no objective"), .error("8️⃣", "true or false"),
            ])
    }

    @Test func rulesAreCheckedEvenWhenTheSchemaFailsSoEveryMistakeShowsAtOnce() throws {
        // Given a schema error and a duplicate id in the same file
        // Then both are reported at once, so a teacher fixes them in one go
        try assertDiagnostics(Fixture.lesson(head: "  <title>Pool safety</title>\n  1️⃣<minutes>1</minutes>", objectives: """
              <objectives>
                <objective id="rules">Know the pool rules</objective>
                <objective 2️⃣id="rules">Know how to get help</objective>
              </objectives>
            """), [.error("1️⃣", "<minutes>1</minutes>"), .error("2️⃣", "objective id 'rules' is already used")])
    }

    // MARK: locations in start tags written across several lines

    @Test func anErrorInAStartTagOverSeveralLinesPointsAtTheAttributesOwnLine() throws {
        // Given an activity whose attributes are on separate lines, the bad one not the last
        // When read
        // Then the error is on the attribute's own line and column, not on the line the tag ends
        try assertDiagnostics(Fixture.lesson(activities: """
              <activities>
                <activity id="talk"
                          1️⃣kind="lecture"
                          minutes="10">
                  <title>Pool rules</title>
                  <step>Ask who swims</step>
                </activity>
              </activities>
            """), [.error("1️⃣", #"kind="lecture""#)])
    }

    @Test func aRuleInAStartTagOverSeveralLinesPointsAtTheAttributesOwnLine() throws {
        try assertDiagnostics(Fixture.lesson(quiz: """
              <quiz>
                <question id="q1"
                          1️⃣type="single"
                          points="2">
                  <prompt>Who do you call?</prompt>
                  <choice id="a">911</choice>
                  <choice id="b">A friend</choice>
                </question>
              </quiz>
            """), [.error("1️⃣", "exactly one choice")])
    }

    @Test func aMissingAttributeOfAStartTagOverSeveralLinesPointsAtTheTag() throws {
        try assertDiagnostics(Fixture.lesson(activities: """
              <activities>
                1️⃣<activity id="talk"
                          minutes="10">
                  <title>Pool rules</title>
                  <step>Ask who swims</step>
                </activity>
              </activities>
            """), [.error("1️⃣", "needs the attribute kind=")])
    }

    @Test func anErrorOnTheLastLineOfAStartTagOverSeveralLinesIsFound() throws {
        try assertDiagnostics(Fixture.lesson(activities: """
              <activities>
                <activity id="talk"
                          kind="discussion"
                          1️⃣minutes="0">
                  <title>Pool rules</title>
                  <step>Ask who swims</step>
                </activity>
              </activities>
            """), [.error("1️⃣", #"minutes="0""#)])
    }

    // MARK: locations when several elements share a line

    @Test func aSchemaErrorInTheSecondOfTwoElementsOnOneLinePointsAtTheSecond() throws {
        // Given two activities written on one line, the second with a bad kind
        try assertDiagnostics(Fixture.lesson(activities: """
              <activities>
                <activity id="talk" kind="discussion" minutes="10"><title>Pool rules</title><step>Ask</step></activity><activity id="play" 1️⃣kind="gme" minutes="10"><title>Play</title><step>Play</step></activity>
              </activities>
            """), [.error("1️⃣", #"kind="gme""#)])
    }

    @Test func aRuleBrokenByTheSecondOfTwoElementsOnOneLinePointsAtTheSecond() throws {
        // Given a file written on one line, as a program might save it
        try assertDiagnostics(Fixture.lesson(objectives: """
              <objectives><objective id="rules">Know the pool rules</objective><objective 1️⃣id="rules">Again</objective></objectives>
            """, activities: """
              <activities><activity id="talk" kind="discussion" minutes="10"><title>Pool rules</title><step>Ask</step>2️⃣<step> </step></activity></activities>
            """), [.error("1️⃣", "objective id 'rules' is already used"), .error("2️⃣", "<step> is empty")])
    }

    @Test func columnsCountCharactersNotBytes() throws {
        // Given accented text before the error on the same line
        try assertDiagnostics(Fixture.lesson(head: "  <title>Sécurité à la piscine</title> 1️⃣<minutes>3</minutes>"),
            [.error("1️⃣", "<minutes>3</minutes>")])
    }
}

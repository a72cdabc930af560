import BridgesCore
import BridgesXML
import Testing

/// `<activity objectives="…">`: which of the lesson's objectives an activity teaches.
@Suite("Activity objectives")
struct ActivityObjectivesTests {
    static func activities(_ attributes: String) -> String {
        """
          <activities>
            <activity id="talk" kind="discussion" minutes="10"\(attributes)>
              <title>Pool rules</title>
              <step>Ask who swims</step>
            </activity>
            <activity id="shout" kind="practice" minutes="5">
              <title>Shout for help</title>
              <step>Everyone shouts</step>
            </activity>
          </activities>
        """
    }

    @Test func theListIsDecodedInOrderAndAnActivityWithoutItHasNone() throws {
        let document = try readValid(Fixture.lesson(activities: Self.activities(#" objectives="  help&#10;rules ""#)))
        guard case .lesson(let lesson, _) = document else {
            Issue.record("not a lesson")
            return
        }
        #expect(lesson.activities.map(\.objectiveIDs) == [["help", "rules"], []])
    }

    @Test func theIdsAreKeptWhenOnlyTheOutlineIsRead() throws {
        let reading = try LessonPlanReader().read(
            bytes: Array(Fixture.lesson(activities: Self.activities(#" objectives="rules""#)).utf8), file: "ws-pools.xml", keepsContent: false)
        guard case .lesson(let lesson, _)? = reading.document else {
            Issue.record("not read: \(reading.diagnostics)")
            return
        }
        #expect(lesson.activities.first?.objectiveIDs == ["rules"])
    }

    @Test func anIdThatNamesNoObjectiveIsAnErrorAtTheAttributeWithASuggestion() throws {
        try assertDiagnostics(Fixture.lesson(activities: Self.activities(#" 1️⃣objectives="rules hlep""#)), [
            .error("1️⃣", "activity 'talk' lists objective 'hlep', which names no objective of this lesson", "use one of rules, help", #"did you mean "help"?"#),
        ])
    }

    @Test func anIdFarFromEveryObjectiveGetsNoGuess() throws {
        let reading = try assertDiagnostics(Fixture.lesson(activities: Self.activities(#" 1️⃣objectives="swimming""#)), [
            .error("1️⃣", "lists objective 'swimming'", "use one of rules, help"),
        ])
        #expect(!reading.diagnostics[0].message.contains("did you mean"))
    }

    @Test func anObjectiveListedTwiceIsAWarning() throws {
        let reading = try assertDiagnostics(Fixture.lesson(activities: Self.activities(#" 1️⃣objectives="rules help rules rules""#)), [
            .warning("1️⃣", "activity 'talk' lists objective 'rules' more than once"),
        ])
        #expect(reading.document != nil, "a warning does not refuse the file")
    }

    @Test func anEmptyListIsAnError() throws {
        try assertDiagnostics(Fixture.lesson(activities: Self.activities(#" 1️⃣objectives=" ""#)), [
            .error("1️⃣", "activity 'talk' has an empty objectives", "or leave the attribute out"),
        ])
    }

    @Test func anIdThatIsNotAnIdentifierIsASchemaErrorWithTheFixedSpelling() throws {
        let reading = try LessonPlanReader().read(bytes: Array(Fixture.lesson(activities: Self.activities(#" objectives="rules Get_Help""#)).utf8), file: "ws-pools.xml")
        #expect(reading.document == nil)
        let messages = reading.diagnostics.map(\.description)
        #expect(messages.contains { $0.hasPrefix("ws-pools.xml:10:") && $0.contains(#"<activity> objectives="rules Get_Help" is not valid"#) && $0.contains(#"did you mean "rules get-help"?"#) }, "\(messages)")
    }

    @Test func theAttributeIsNamedWhenAnotherIsMisspelled() throws {
        let reading = try LessonPlanReader().read(bytes: Array(Fixture.lesson(activities: Self.activities(#" objective="rules""#)).utf8), file: "ws-pools.xml")
        #expect(reading.diagnostics.map(\.message).contains { $0.contains("has no attribute 'objective'") && $0.contains(#"did you mean "objectives"?"#) }, "\(reading.diagnostics)")
    }

    @Test func contentWrittenFromTheTreeEqualsTheDecodedLessonsWithAndWithoutTheAttribute() throws {
        for attributes in ["", #" objectives="help rules""#, #" objectives="rules""#] {
            let (decoded, written) = try LessonContentWriterTests.bothWays(Array(Fixture.lesson(activities: Self.activities(attributes)).utf8))
            #expect(written == decoded)
            #expect(decoded.contains("objectiveIDs") == !attributes.isEmpty, "\(decoded)")
        }
        let (decoded, _) = try LessonContentWriterTests.bothWays(Array(Fixture.lesson(activities: Self.activities(#" objectives="help rules""#)).utf8))
        #expect(decoded.contains(#"{"id":"talk","kind":"discussion","minutes":10,"objectiveIDs":["help","rules"],"steps":["Ask who swims"],"title":"Pool rules"}"#), "\(decoded)")
    }
}

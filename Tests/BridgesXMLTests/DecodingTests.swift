import BridgesCore
import BridgesXML
import Testing

/// A valid file becomes exactly the values it describes.
@Suite("Decoding")
struct DecodingTests {
    static let completeLesson = """
        <?xml version="1.0" encoding="UTF-8"?>
        <lesson xmlns="urn:bridges:lesson-plan:1" id="ws-pools" program="water" version="3">
          <title>  Pool safety  </title>
          <summary>Rules &amp; help at the pool</summary>
          <minutes>45</minutes>
          <grades min="K" max="2"/>
          <objectives>
            <objective id="rules">Know the pool rules</objective>
            <objective id="help">Know how to
              get help</objective>
          </objectives>
          <materials>
            <material>Pictures of a pool</material>
            <material>A whistle</material>
          </materials>
          <activities>
            <activity id="talk" kind="discussion" minutes="10">
              <title>Pool rules</title>
              <step>Ask who swims</step>
              <step>Show the pictures</step>
            </activity>
            <activity id="lifeguard-says" kind="role-play" minutes="20">
              <title>Lifeguard says</title>
              <step>Blow the whistle; everyone freezes</step>
            </activity>
            <activity id="check" kind="assessment" minutes="10">
              <title>Quiz</title>
              <step>Answer the quiz</step>
            </activity>
          </activities>
          <safety-note>Play on dry ground only.</safety-note>
          <safety-note>Keep the whistle clean.</safety-note>
          <quiz passPercent="80">
            <question id="q1" type="single" points="2" objective="help">
              <prompt>Who do you call?</prompt>
              <choice id="a">A friend</choice>
              <choice id="b" correct="true">The lifeguard</choice>
              <explanation>The lifeguard is trained.</explanation>
            </question>
            <question id="q2" type="multiple">
              <prompt>Which are pool rules?</prompt>
              <choice id="a" correct="true">Walk, do not run</choice>
              <choice id="b" correct="false">Dive anywhere</choice>
              <choice id="c" correct="1">Swim with a buddy</choice>
            </question>
            <question id="q3" type="true-false" objective="rules">
              <prompt>You may run by the pool.</prompt>
              <answer>false</answer>
            </question>
            <question id="q4" type="short" points="3">
              <prompt>What do you shout for help?</prompt>
              <answer>Help</answer>
              <answer>Help me</answer>
            </question>
          </quiz>
        </lesson>
        """

    @Test func aCompleteLessonDecodesFieldByField() throws {
        // Given a lesson using every element and attribute of the format
        // When read
        let document = try readValid(Self.completeLesson)
        // Then every value is as written, text trimmed at the ends only
        guard case .lesson(let lesson, let at) = document else { Issue.record("not a lesson"); return }
        #expect(lesson.id == "ws-pools")
        #expect(lesson.programID == "water")
        #expect(lesson.version == 3)
        #expect(lesson.title == "Pool safety")
        #expect(lesson.summary == "Rules & help at the pool")
        #expect(lesson.minutes == 45)
        #expect(lesson.grades == GradeRange(min: Grade(number: 0)!, max: Grade(number: 2)!))
        #expect(lesson.objectives == [
            Objective(id: "rules", text: "Know the pool rules"),
            Objective(id: "help", text: "Know how to\n      get help"),
        ])
        #expect(lesson.materials == ["Pictures of a pool", "A whistle"])
        #expect(lesson.activities == [
            Activity(id: "talk", kind: .discussion, minutes: 10, title: "Pool rules", steps: ["Ask who swims", "Show the pictures"]),
            Activity(id: "lifeguard-says", kind: .rolePlay, minutes: 20, title: "Lifeguard says", steps: ["Blow the whistle; everyone freezes"]),
            Activity(id: "check", kind: .assessment, minutes: 10, title: "Quiz", steps: ["Answer the quiz"]),
        ])
        #expect(lesson.plannedActivityMinutes == 40)
        #expect(lesson.safetyNotes == ["Play on dry ground only.", "Keep the whistle clean."])

        let quiz = try #require(lesson.quiz)
        #expect(quiz.passPercent == 80)
        #expect(quiz.questions.count == 4)
        #expect(quiz.questions[0] == Question(
            id: "q1", kind: .single, points: 2, objectiveID: "help", prompt: "Who do you call?",
            choices: [Choice(id: "a", correct: false, text: "A friend"), Choice(id: "b", correct: true, text: "The lifeguard")],
            explanation: "The lifeguard is trained."))
        #expect(quiz.questions[1] == Question(
            id: "q2", kind: .multiple, points: 1, prompt: "Which are pool rules?",
            choices: [Choice(id: "a", correct: true, text: "Walk, do not run"), Choice(id: "b", correct: false, text: "Dive anywhere"), Choice(id: "c", correct: true, text: "Swim with a buddy")]))
        #expect(quiz.questions[2] == Question(id: "q3", kind: .trueFalse, objectiveID: "rules", prompt: "You may run by the pool.", answers: ["false"]))
        #expect(quiz.questions[3] == Question(id: "q4", kind: .short, points: 3, prompt: "What do you shout for help?", answers: ["Help", "Help me"]))
        #expect(quiz.possiblePoints == 7)

        // And the places the cross-file rules point at are the attributes and elements
        #expect((at.root.line, at.root.column) == (2, 1))
        #expect((at.program.line, at.program.column) == (2, 57))
        #expect((at.version.line, at.version.column) == (2, 73))
        #expect(at.grades.map { ($0.line, $0.column) } ?? (0, 0) == (6, 3))
        #expect(at.root.file == "ws-pools.xml")
    }

    @Test func leftOutOptionalPartsTakeTheirDefaults() throws {
        // Given a lesson with no summary, grades, materials, notes or points, and a quiz with no passPercent
        let document = try readValid(Fixture.lesson(quiz: """
              <quiz>
                <question id="q1" type="true-false">
                  <prompt>Run by the pool?</prompt>
                  <answer>false</answer>
                </question>
              </quiz>
            """))
        guard case .lesson(let lesson, let at) = document else { Issue.record("not a lesson"); return }
        // Then they take the format's defaults
        #expect(lesson.summary == nil)
        #expect(lesson.grades == nil)
        #expect(at.grades == nil)
        #expect(lesson.materials == [])
        #expect(lesson.safetyNotes == [])
        #expect(lesson.quiz?.passPercent == 70)
        #expect(lesson.quiz?.questions.first?.points == 1)
        #expect(lesson.quiz?.questions.first?.objectiveID == nil)
        #expect(lesson.quiz?.questions.first?.explanation == nil)
    }

    @Test func aLessonWithoutAQuizHasNone() throws {
        guard case .lesson(let lesson, _) = try readValid(Fixture.lesson()) else { Issue.record("not a lesson"); return }
        #expect(lesson.quiz == nil)
    }

    static let completeProgram = """
        <?xml version="1.0" encoding="UTF-8"?>
        <program xmlns="urn:bridges:lesson-plan:1" id="water" version="2">
          <title>Water Safety</title>
          <summary>Three lessons for the summer</summary>
          <grades min="K" max="5"/>
          <lessons>
            <lesson ref="ws-pools"/>
            <lesson ref="ws-rivers" required="true"/>
            <lesson ref="ws-beach" required="false"/>
          </lessons>
          <certificate title="Water Safe &#8211; Junior" attendance="2" quizzes="none" validMonths="12"/>
        </program>
        """

    @Test func aCompleteProgramDecodesFieldByField() throws {
        let document = try readValid(Self.completeProgram, file: "water/program.xml")
        guard case .program(let program, let at) = document else { Issue.record("not a program"); return }
        #expect(program.id == "water")
        #expect(program.version == 2)
        #expect(program.title == "Water Safety")
        #expect(program.summary == "Three lessons for the summer")
        #expect(program.grades == GradeRange(min: Grade(number: 0)!, max: Grade(number: 5)!))
        #expect(program.lessons == [
            LessonReference(lessonID: "ws-pools", required: true),
            LessonReference(lessonID: "ws-rivers", required: true),
            LessonReference(lessonID: "ws-beach", required: false),
        ])
        #expect(program.requiredLessonIDs == ["ws-pools", "ws-rivers"])
        #expect(program.certificate == CertificateRule(title: "Water Safe – Junior", attendance: .count(2), quizzes: .none, validMonths: 12))
        #expect(at.lessonRefs.map { [$0.line, $0.column] } == [[7, 13], [8, 13], [9, 13]])
        #expect((at.version.line, at.version.column) == (2, 55))
        #expect((at.grades.line, at.grades.column) == (5, 3))
        #expect((at.certificate.line, at.certificate.column) == (11, 3))
        #expect(at.root.file == "water/program.xml")
    }

    @Test func aCertificateForAllLessonsWithQuizzesThatNeverExpires() throws {
        let document = try readValid(Fixture.program(), file: "program.xml")
        guard case .program(let program, _) = document else { Issue.record("not a program"); return }
        #expect(program.certificate == CertificateRule(title: "Water Safe", attendance: .all, quizzes: .passAll, validMonths: nil))
    }

    /// The same lesson as another school might write it: a namespace prefix, comments, CDATA,
    /// attributes over several lines in single quotes, entities and character references.
    static let anotherSchoolsLesson = """
        <?xml version='1.0' encoding='utf-8' standalone='yes'?>
        <!-- Pool safety, as written at Riverside Elementary -->
        <lp:lesson xmlns:lp='urn:bridges:lesson-plan:1'
                   id='ws-pools'
                   program='water'
                   version='3'>
          <lp:title><![CDATA[  Pool safety  ]]></lp:title>
          <lp:summary>Rules <!-- a comment -->&amp; help at the pool</lp:summary>
          <lp:minutes>
            45
          </lp:minutes>
          <lp:grades max="2" min="K" />
          <lp:objectives>
            <lp:objective id="rules">Know the pool rules</lp:objective>
            <lp:objective id="help">Know how to
              get help</lp:objective>
          </lp:objectives>
          <lp:materials>
            <lp:material>Pictures of a pool</lp:material>
            <lp:material>A whistle</lp:material>
          </lp:materials>
          <lp:activities>
            <lp:activity minutes="10" kind="discussion" id="talk"><lp:title>Pool rules</lp:title><lp:step>Ask who swims</lp:step><lp:step>Show the pictures</lp:step></lp:activity>
            <lp:activity
                id="lifeguard-says"
                kind=" role-play "
                minutes="20">
              <lp:title>Lifeguard says</lp:title>
              <lp:step>Blow the whistle<![CDATA[; everyone ]]>freezes</lp:step>
            </lp:activity>
            <lp:activity id="check" kind="assessment" minutes="10">
              <lp:title>Quiz</lp:title>
              <lp:step>Answer the quiz</lp:step>
            </lp:activity>
          </lp:activities>
          <lp:safety-note>Play on dry ground only.</lp:safety-note>
          <lp:safety-note>Keep the whistle clean.</lp:safety-note>
          <lp:quiz passPercent="80">
            <lp:question id="q1" type="single" points="2" objective="help">
              <lp:prompt>Who do you call?</lp:prompt>
              <lp:choice id="a">A friend</lp:choice>
              <lp:choice id="b" correct="true">The lifeguard</lp:choice>
              <lp:explanation>The lifeguard is trained.</lp:explanation>
            </lp:question>
            <lp:question id="q2" type="multiple">
              <lp:prompt>Which are pool rules?</lp:prompt>
              <lp:choice id="a" correct="true">Walk, do not run</lp:choice>
              <lp:choice id="b">Dive anywhere</lp:choice>
              <lp:choice id="c" correct="true">Swim with a buddy</lp:choice>
            </lp:question>
            <lp:question id="q3" type="true-false" objective="rules">
              <lp:prompt>You may run by the pool.</lp:prompt>
              <lp:answer>false</lp:answer>
            </lp:question>
            <lp:question id="q4" type="short" points="3">
              <lp:prompt>What do you shout for help?</lp:prompt>
              <lp:answer>&#72;elp</lp:answer>
              <lp:answer>Help&#x20;me</lp:answer>
            </lp:question>
          </lp:quiz>
        </lp:lesson>
        """

    @Test func anotherSchoolsWayOfWritingTheSameLessonGivesTheSameValues() throws {
        // Given the complete lesson, and the same lesson written very differently
        guard case .lesson(let ours, _) = try readValid(Self.completeLesson),
              case .lesson(let theirs, _) = try readValid(Self.anotherSchoolsLesson)
        else { Issue.record("not lessons"); return }
        // Then the lessons are equal, value for value
        #expect(theirs.title == ours.title)
        #expect(theirs.summary == ours.summary)
        #expect(theirs.minutes == ours.minutes)
        #expect(theirs.activities == ours.activities)
        #expect(theirs.quiz == ours.quiz)
        #expect(theirs == ours)
    }

    @Test func predefinedEntitiesAndCharacterReferencesAreDecoded() throws {
        let document = try readValid(Fixture.lesson(head: #"  <title>&lt;Pool&gt; &quot;safety&quot; &apos;&amp;&apos; caf&#233; &#x2014; &#128167;</title>"# + "\n  <minutes>30</minutes>"))
        guard case .lesson(let lesson, _) = document else { Issue.record("not a lesson"); return }
        #expect(lesson.title == "<Pool> \"safety\" '&' café — 💧")
    }
}

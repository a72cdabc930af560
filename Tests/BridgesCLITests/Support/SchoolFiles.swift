/// Lesson plans as another school writes them: their own formatting, comments, CDATA, attributes
/// over several lines, a namespace prefix, entities and character references. Every file here is
/// valid and follows lesson-plan-format.md.
enum SchoolFiles {
    /// Riverside Elementary's water-safety program: two required lessons and an optional one.
    static let waterProgram = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- Riverside Elementary, water safety.
             Coordinator: Ms. Okafor -->
        <program
            xmlns="urn:bridges:lesson-plan:1"
            id="water"
            version="1">
            <title>Water Safety</title>
            <summary><![CDATA[Pools, rivers & beaches]]></summary>
            <grades min="K"
                    max="5"/>
            <lessons>
                <!-- in teaching order -->
                <lesson ref="ws-pools"/>
                <lesson ref="ws-rivers"/>
                <lesson
                    ref="ws-beach"
                    required="false"/>
            </lessons>
            <certificate title="Water Safe &#8211; Junior"
                         attendance="all"
                         quizzes="pass-all"
                         validMonths="12"/>
        </program>
        """

    /// A namespace prefix, single quotes, CDATA, entities and character references.
    static let poolsLesson = """
        <?xml version='1.0' encoding='UTF-8'?>
        <lp:lesson xmlns:lp="urn:bridges:lesson-plan:1"
                   id='ws-pools' program='water'
                   version='1'>
          <lp:title>Pool Safety &amp; Rules</lp:title>
          <lp:minutes>30</lp:minutes>
          <lp:objectives>
            <lp:objective id="rules">Name three pool rules</lp:objective>
            <lp:objective id="help">Know how to call the lifeguard</lp:objective>
          </lp:objectives>
          <lp:materials>
            <lp:material>Pictures of a pool &#8212; from the caf&#233; poster</lp:material>
            <lp:material><![CDATA[A whistle & a float]]></lp:material>
          </lp:materials>
          <lp:activities>
            <lp:activity id="talk"
                         kind="discussion"
                         minutes="10">
              <lp:title>Pool rules</lp:title>
              <lp:step>Ask who swims</lp:step>
              <lp:step>Show the pictures</lp:step>
            </lp:activity>
            <lp:activity id="lifeguard-says" kind="game" minutes="15">
              <lp:title>Lifeguard says</lp:title>
              <lp:step>Blow the whistle; everyone freezes</lp:step>
            </lp:activity>
          </lp:activities>
          <lp:safety-note>Play on dry ground only.</lp:safety-note>
          <lp:quiz passPercent="50">
            <lp:question id="q1" type="single" objective="help">
              <lp:prompt>Who do you call at the pool?</lp:prompt>
              <lp:choice id="a">A friend</lp:choice>
              <lp:choice id="b" correct="true">The lifeguard</lp:choice>
              <lp:explanation>The lifeguard is trained to help.</lp:explanation>
            </lp:question>
            <lp:question id="q2" type="true-false" objective="rules">
              <lp:prompt>You may run by the pool.</lp:prompt>
              <lp:answer>false</lp:answer>
            </lp:question>
          </lp:quiz>
        </lp:lesson>
        """

    /// Tabs, a comment between elements, and a lesson of its own grades.
    static let riversLesson = """
        <?xml version="1.0" encoding="UTF-8"?>
        <lesson xmlns="urn:bridges:lesson-plan:1" id="ws-rivers" program="water" version="1">
        \t<title>Rivers and Currents</title>
        \t<summary>Why rivers are not pools</summary>
        \t<minutes>40</minutes>
        \t<grades min="2" max="5"/>
        \t<objectives><objective id="current">Explain why a current is dangerous</objective></objectives>
        \t<!-- no materials needed -->
        \t<activities>
        \t\t<activity id="video" kind="video" minutes="10"><title>River film</title><step>Watch the film</step></activity>
        \t\t<activity id="throw" kind="practice" minutes="20">
        \t\t\t<title>Throw, don't go</title>
        \t\t\t<step>Practise throwing a rope to a partner on dry land</step>
        \t\t</activity>
        \t</activities>
        \t<safety-note>Never practise near real water.</safety-note>
        \t<quiz>
        \t\t<question id="q1" type="short" points="2">
        \t\t\t<prompt>What do you do if a friend falls in? (three words)</prompt>
        \t\t\t<answer>throw don't go</answer>
        \t\t\t<answer>throw, don't go</answer>
        \t\t</question>
        \t\t<question id="q2" type="multiple">
        \t\t\t<prompt>What can you throw?</prompt>
        \t\t\t<choice id="a" correct="true">A rope</choice>
        \t\t\t<choice id="b">Yourself</choice>
        \t\t\t<choice id="c" correct="true">A float</choice>
        \t\t</question>
        \t</quiz>
        </lesson>
        """

    /// An optional lesson with no quiz, written on few lines.
    static let beachLesson = """
        <?xml version="1.0" encoding="UTF-8"?>
        <lesson xmlns="urn:bridges:lesson-plan:1" id="ws-beach" program="water" version="1"><title>At the Beach</title><minutes>20</minutes>
        <objectives><objective id="flags">Read the beach flags</objective></objectives>
        <activities><activity id="flags" kind="game" minutes="20"><title>Flag game</title><step>Hold up a flag; students say what it means</step></activity></activities>
        </lesson>
        """

    /// A second program, written plainly, to list programs apart.
    static let fireProgram = """
        <?xml version="1.0" encoding="UTF-8"?>
        <program xmlns="urn:bridges:lesson-plan:1" id="fire" version="1">
          <title>Fire Safety</title>
          <grades min="1" max="3"/>
          <lessons>
            <lesson ref="fs-drill"/>
          </lessons>
          <certificate title="Fire Safe" attendance="all" quizzes="none"/>
        </program>
        """

    static let drillLesson = """
        <?xml version="1.0" encoding="UTF-8"?>
        <lesson xmlns="urn:bridges:lesson-plan:1" id="fs-drill" program="fire" version="1">
          <title>The Fire Drill</title>
          <minutes>25</minutes>
          <objectives>
            <objective id="route">Follow the class's route out</objective>
          </objectives>
          <activities>
            <activity id="walk" kind="practice" minutes="20">
              <title>Walk the route</title>
              <step>Line up at the door</step>
            </activity>
          </activities>
        </lesson>
        """

    static func writeWaterProgram(to folder: TemporaryFolder, at path: String = "water") throws {
        try folder.write("\(path)/program.xml", waterProgram)
        try folder.write("\(path)/ws-pools.xml", poolsLesson)
        try folder.write("\(path)/ws-rivers.xml", riversLesson)
        try folder.write("\(path)/ws-beach.xml", beachLesson)
    }

    static func writeFireProgram(to folder: TemporaryFolder, at path: String = "fire") throws {
        try folder.write("\(path)/program.xml", fireProgram)
        try folder.write("\(path)/fs-drill.xml", drillLesson)
    }

    static func utf16(_ text: String) -> [UInt8] {
        [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    static func latin1(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
    }
}

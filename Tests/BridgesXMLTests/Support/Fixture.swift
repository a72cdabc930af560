/// Small lesson plans to build test inputs from. Every piece is valid on its own; a test swaps in
/// the piece it is about, with markers where the diagnostics must point.
enum Fixture {
    static let declaration = #"<?xml version="1.0" encoding="UTF-8"?>"#

    static let lessonRoot = #"<lesson xmlns="urn:bridges:lesson-plan:1" id="ws-pools" program="water" version="1">"#

    static let objectives = """
          <objectives>
            <objective id="rules">Know the pool rules</objective>
            <objective id="help">Know how to get help</objective>
          </objectives>
        """

    static let activities = """
          <activities>
            <activity id="talk" kind="discussion" minutes="10">
              <title>Pool rules</title>
              <step>Ask who swims</step>
            </activity>
          </activities>
        """

    /// A lesson of the water program, with pieces replaced as a test needs.
    static func lesson(
        root: String = lessonRoot, head: String = "  <title>Pool safety</title>\n  <minutes>30</minutes>",
        objectives: String = objectives, activities: String = activities, tail: String = ""
    ) -> String {
        [declaration, root, head, objectives, activities, tail, "</lesson>", ""].filter { !$0.isEmpty }.joined(separator: "\n") + "\n"
    }

    /// A lesson whose quiz is `quiz`.
    static func lesson(quiz: String) -> String {
        lesson(tail: quiz)
    }

    static let programRoot = #"<program xmlns="urn:bridges:lesson-plan:1" id="water" version="1">"#

    /// The water program, with pieces replaced as a test needs.
    static func program(
        root: String = programRoot, grades: String = #"  <grades min="3" max="5"/>"#,
        lessons: String = "  <lessons>\n    <lesson ref=\"ws-pools\"/>\n    <lesson ref=\"ws-rivers\"/>\n  </lessons>",
        certificate: String = #"  <certificate title="Water Safe" attendance="all" quizzes="pass-all"/>"#
    ) -> String {
        [declaration, root, "  <title>Water Safety</title>", grades, lessons, certificate, "</program>"].joined(separator: "\n") + "\n"
    }
}

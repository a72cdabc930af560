@testable import BridgesKit
import Testing

@Suite("A printable lesson plan and quiz handout")
struct PrintableLessonTests {
    static let hostile = "<script>alert(1)</script> & \"quoted\" 'single'"

    static func stored(_ lesson: Lesson = lesson()) -> StoredLesson {
        let program = Program(
            id: "water", version: 2, title: "Water Safety", grades: GradeRange(min: Grade(number: 3)!, max: Grade(number: 5)!),
            lessons: [LessonReference(lessonID: "ws-pools", required: true)],
            certificate: CertificateRule(title: "Water Safe", attendance: .all, quizzes: .passAll))
        return StoredLesson(lesson: lesson, program: program, versions: [1, 2], loadedAt: "2026-09-01 08:00", loadedBy: "okafor", sourcePath: "water/ws-pools.xml")
    }

    static func lesson(title: String = "Pool Safety", text: String = "plain") -> Lesson {
        Lesson(
            id: "ws-pools", programID: "water", version: 2, title: title, summary: "Summary \(text)", minutes: 30,
            objectives: [Objective(id: "rules", text: "Name three pool rules \(text)"), Objective(id: "help", text: "Get help \(text)")],
            materials: ["Whistle \(text)"],
            activities: [
                Activity(id: "talk", kind: .discussion, minutes: 10, title: "Pool rules \(text)", steps: ["Ask who swims \(text)", "Show pictures"], objectiveIDs: ["rules"]),
                Activity(id: "play", kind: .rolePlay, minutes: 15, title: "Shout for help", steps: ["Shout"], objectiveIDs: ["help", "rules"]),
            ],
            safetyNotes: ["Dry ground only \(text)"],
            quiz: Quiz(passPercent: 60, questions: [
                Question(id: "q1", kind: .single, points: 2, objectiveID: "help", prompt: "Who do you call? \(text)",
                         choices: [Choice(id: "a", text: "A friend"), Choice(id: "b", correct: true, text: "The lifeguard \(text)")],
                         explanation: "EXPLAINED-ONE lifeguards are trained \(text)"),
                Question(id: "q2", kind: .multiple, prompt: "Which are pool rules?",
                         choices: [Choice(id: "a", correct: true, text: "Walk"), Choice(id: "b", text: "Push"), Choice(id: "c", correct: true, text: "Shower first")]),
                Question(id: "q3", kind: .trueFalse, objectiveID: "rules", prompt: "You may run by the pool.", answers: ["false"], explanation: "EXPLAINED-THREE"),
                Question(id: "q4", kind: .short, prompt: "Who watches the pool?", answers: ["SECRET-ANSWER lifeguard", "guard"]),
            ]))
    }

    @Test("the plan has every part an officer teaches from, the activities' objectives and the answer key")
    func planHasEverything() {
        let html = PrintableLesson.plan(Self.stored())
        for part in ["Pool Safety", "Water Safety", "Grades 3–5", "30 minutes", "Required for “Water Safe”", "Summary plain",
                     "Name three pool rules plain", "Whistle plain", "Dry ground only plain", "Pool rules plain", "Ask who swims plain",
                     "Discussion · 10 min · minute 0–10", "Role-play · 15 min · minute 10–25", "25 of 30 minutes planned",
                     "4 questions · 5 points · passes at 60%", "EXPLAINED-ONE", "EXPLAINED-THREE", "SECRET-ANSWER lifeguard",
                     "q1=b,q2=a+c,q3=false,q4=SECRET-ANSWER lifeguard"] {
            #expect(html.contains(part), "missing \(part)")
        }
        #expect(html.contains(#"Teaches: objective 1 <span class="id">rules</span></p>"#))
        #expect(html.contains(#"Teaches: objective 2 <span class="id">help</span>, objective 1 <span class="id">rules</span></p>"#))
        #expect(html.contains(#"tests objective 2 <span class="id">help</span>"#))
        #expect(html.contains(#"<li class="correct"><span class="mark">✓</span><span class="label">b</span><span>The lifeguard plain"#))
        // An activity without objectives says nothing about them.
        #expect(html.components(separatedBy: "Teaches:").count == 3)
    }

    @Test("the handout has the questions and boxes but no answer key, no explanations and no objectives")
    func handoutHasNoAnswers() throws {
        let page = try #require(PrintableLesson.handout(Self.stored()))
        // What is printed: the page after its shared style sheet.
        let html = try #require(page.components(separatedBy: "</head>").last)
        for part in ["Pool Safety", "Name <i></i>", "Date <i></i>", "Who do you call? plain", "The lifeguard plain", "Push",
                     "You may run by the pool.", "Who watches the pool?", "<div class=\"lines\">", "(2 points)", "Choose all that are right."] {
            #expect(html.contains(part), "missing \(part)")
        }
        #expect(html.components(separatedBy: "class=\"question\"").count == 5)
        #expect(html.components(separatedBy: "<span class=\"box\"></span>").count == 1 + 2 + 3 + 2)
        for leak in ["EXPLAINED", "SECRET-ANSWER", "correct", "✓", "Why:", "q1=", "Teaches", "tests objective", "Name three pool rules", "Dry ground only",
                     "Ask who swims", ">false<", "passes at"] {
            #expect(!html.contains(leak), "the handout gives away \(leak)")
        }
        // Correct and wrong choices are written alike.
        #expect(html.contains(#"<li><span class="box"></span><span class="label">a</span><span>A friend</span></li>"#))
        #expect(html.contains(#"<li><span class="box"></span><span class="label">b</span><span>The lifeguard plain</span></li>"#))
    }

    @Test("a lesson without a quiz has no handout")
    func noQuizNoHandout() {
        var lesson = Self.lesson()
        lesson.quiz = nil
        #expect(PrintableLesson.handout(Self.stored(lesson)) == nil)
        #expect(!PrintableLesson.plan(Self.stored(lesson)).contains("Quiz with answer key"))
    }

    @Test("escapes every text of the lesson, so a lesson file can never become markup or a script")
    func escapesEverything() throws {
        let stored = Self.stored(Self.lesson(title: Self.hostile, text: Self.hostile))
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#39;single&#39;"
        for html in [PrintableLesson.plan(stored), try #require(PrintableLesson.handout(stored))] {
            #expect(!html.contains("<script"))
            #expect(!html.contains(Self.hostile))
            #expect(html.contains("<title>\(escaped) — "))
            #expect(html.contains("<h1>\(escaped)</h1>"))
            #expect(html.contains("The lifeguard \(escaped)"))
        }
        let plan = PrintableLesson.plan(stored)
        for part in ["Summary ", "Name three pool rules ", "Whistle ", "Dry ground only ", "Pool rules ", "Ask who swims ", "EXPLAINED-ONE lifeguards are trained "] {
            #expect(plan.contains(part + escaped), "\(part) is not escaped")
        }
    }

    @Test("fetches nothing from anywhere: no scripts, links or remote resources")
    func selfContained() throws {
        for html in [PrintableLesson.plan(Self.stored()), try #require(PrintableLesson.handout(Self.stored()))] {
            #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://") && !html.contains("<link") && !html.contains("url("))
            #expect(html.contains("default-src 'none'"))
            #expect(html.contains("break-inside: avoid"))
        }
    }
}

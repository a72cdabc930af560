import BridgesCore

/// A stored lesson as pages to print: the officer's lesson plan (everything, the quiz's answer key
/// included) or the students' quiz handout (the questions only: no key, no explanations, no
/// objectives). Self-contained HTML like `PrintableCertificate`: inline styles, nothing fetched,
/// no scripts, and every text escaped, since a lesson file may come from anywhere.
public enum PrintableLesson {
    /// The officer's lesson plan.
    public static func plan(_ stored: StoredLesson) -> String {
        let lesson = stored.lesson
        let number = objectiveNumbers(lesson)
        var body: [String] = []

        body.append("<header>")
        if let program = stored.program {
            body.append("<p class=\"kicker\">\(escape(program.title)) · lesson plan</p>")
        } else {
            body.append("<p class=\"kicker\">Lesson plan</p>")
        }
        body.append("<h1>\(escape(lesson.title))</h1>")
        body.append("<p class=\"facts\">\(facts(stored).map { "<span>\(escape($0))</span>" }.joined(separator: " "))</p>")
        if let summary = lesson.summary { body.append("<p class=\"summary\">\(escape(summary))</p>") }
        body.append("</header>")

        body.append("<section><h2>Objectives <small>by the end, students can</small></h2><ol class=\"objectives\">")
        for objective in lesson.objectives {
            body.append("<li>\(escape(objective.text)) <span class=\"id\">\(escape(objective.id))</span></li>")
        }
        body.append("</ol></section>")

        if !lesson.materials.isEmpty {
            body.append("<section><h2>Materials</h2><ul class=\"checklist\">")
            for material in lesson.materials { body.append("<li><span class=\"box\"></span><span>\(escape(material))</span></li>") }
            body.append("</ul></section>")
        }

        if !lesson.safetyNotes.isEmpty {
            body.append("<section class=\"safety\"><h2>Safety notes <small>read these before you start</small></h2><ul>")
            for note in lesson.safetyNotes { body.append("<li>\(escape(note))</li>") }
            body.append("</ul></section>")
        }

        body.append("<section><h2>Activities <small>\(lesson.plannedActivityMinutes) of \(lesson.minutes) minutes planned</small></h2>")
        var clock = 0
        for (index, activity) in lesson.activities.enumerated() {
            // A short activity stays on one page; a long one may break between steps rather than
            // leave most of a page blank.
            body.append("<article class=\"activity\(activity.steps.count > 8 ? " long" : "")\">")
            body.append("<div class=\"activity-head\"><span class=\"number\">\(index + 1)</span><h3>\(escape(activity.title))</h3>"
                + "<span class=\"meta\">\(escape(kindName(activity.kind))) · \(activity.minutes) min · minute \(clock)–\(clock + activity.minutes)</span></div>")
            clock += activity.minutes
            if !activity.objectiveIDs.isEmpty {
                body.append("<p class=\"teaches\">Teaches: \(activity.objectiveIDs.map { objectiveLabel($0, number) }.joined(separator: ", "))</p>")
            }
            body.append("<ol class=\"steps\">")
            for step in activity.steps { body.append("<li>\(escape(step))</li>") }
            body.append("</ol></article>")
        }
        body.append("</section>")

        if let quiz = lesson.quiz {
            body.append("<section class=\"quiz\"><h2>Quiz with answer key <small>\(quizFacts(quiz))</small></h2>")
            body.append("<p class=\"note\">For the officer only: the student handout (<code>bridges lesson print \(escape(lesson.id)) --handout</code>) has the questions without the answers.</p>")
            for (index, question) in quiz.questions.enumerated() {
                body.append("<article class=\"question\">")
                var meta = ["\(escape(question.id))", escape(questionKindName(question.kind)), "\(question.points) point\(question.points == 1 ? "" : "s")"]
                if let objective = question.objectiveID { meta.append("tests \(objectiveLabel(objective, number))") }
                body.append("<p class=\"prompt\"><span class=\"qnumber\">\(index + 1).</span>\(escape(question.prompt))</p>")
                body.append("<p class=\"qmeta\">\(meta.joined(separator: " · "))</p>")
                switch question.kind {
                case .single, .multiple:
                    body.append("<ul class=\"choices key\">")
                    for choice in question.choices {
                        if choice.correct {
                            body.append("<li class=\"correct\"><span class=\"mark\">✓</span><span class=\"label\">\(escape(choice.id))</span><span>\(escape(choice.text)) <span class=\"right\">correct</span></span></li>")
                        } else {
                            body.append("<li><span class=\"mark\"></span><span class=\"label\">\(escape(choice.id))</span><span>\(escape(choice.text))</span></li>")
                        }
                    }
                    body.append("</ul>")
                case .trueFalse:
                    body.append("<p class=\"answer\">Answer: <strong>\(escape(question.answers.first ?? ""))</strong></p>")
                case .short:
                    body.append("<p class=\"answer\">Accepted answers: \(question.answers.map { "<strong>\(escape($0))</strong>" }.joined(separator: "; "))</p>")
                }
                if let explanation = question.explanation {
                    body.append("<p class=\"explanation\"><em>Why:</em> \(escape(explanation))</p>")
                }
                body.append("</article>")
            }
            let key = quiz.questions.map { "\($0.id)=\(answerKey($0))" }.joined(separator: ",")
            body.append("<p class=\"keyline\">Answer key as <code>bridges quiz record --answers</code> takes it: <code>\(escape(key))</code></p>")
            body.append("</section>")
        }

        body.append("<footer>\(escape(lesson.id)) version \(lesson.version)\(stored.program.map { " · program \(escape($0.id)) version \($0.version)" } ?? "") · printed from Bridges</footer>")
        return page(title: "\(lesson.title) — lesson plan", body: body)
    }

    /// The students' quiz handout, or nil when the lesson has no quiz.
    public static func handout(_ stored: StoredLesson) -> String? {
        let lesson = stored.lesson
        guard let quiz = lesson.quiz else { return nil }
        var body: [String] = []
        body.append("<header class=\"handout\">")
        body.append("<p class=\"kicker\">\(escape(stored.program?.title ?? "Quiz")) · quiz</p>")
        body.append("<h1>\(escape(lesson.title))</h1>")
        body.append("<div class=\"who\"><span>Name <i></i></span><span>Class <i></i></span><span>Date <i></i></span></div>")
        body.append("<p class=\"instructions\">Answer every question on your own. Tick one box when it says <b>choose one</b>, every box that is right when it says <b>choose all that are right</b>, and write short answers on the lines.</p>")
        body.append("</header>")
        body.append("<section>")
        for (index, question) in quiz.questions.enumerated() {
            body.append("<article class=\"question\">")
            let points = question.points == 1 ? "" : " <span class=\"meta\">(\(question.points) points)</span>"
            body.append("<p class=\"prompt\"><span class=\"qnumber\">\(index + 1).</span>\(escape(question.prompt))\(points)</p>")
            switch question.kind {
            case .single, .multiple:
                body.append("<p class=\"how\">\(question.kind == .single ? "Choose one." : "Choose all that are right.")</p>")
                body.append("<ul class=\"choices\">")
                for choice in question.choices {
                    body.append("<li><span class=\"box\"></span><span class=\"label\">\(escape(choice.id))</span><span>\(escape(choice.text))</span></li>")
                }
                body.append("</ul>")
            case .trueFalse:
                body.append("<p class=\"how\">Choose one.</p>")
                body.append("<ul class=\"choices inline\"><li><span class=\"box\"></span>True</li><li><span class=\"box\"></span>False</li></ul>")
            case .short:
                body.append("<div class=\"lines\"><i></i><i></i></div>")
            }
            body.append("</article>")
        }
        body.append("</section>")
        body.append("<footer>\(escape(lesson.id)) version \(lesson.version) · quiz handout</footer>")
        return page(title: "\(lesson.title) — quiz", body: body)
    }

    /// The key in the form `quiz record --answers` takes.
    static func answerKey(_ question: Question) -> String {
        switch question.kind {
        case .single, .multiple: question.choices.filter(\.correct).map(\.id).joined(separator: "+")
        case .trueFalse, .short: question.answers.first ?? ""
        }
    }

    private static func facts(_ stored: StoredLesson) -> [String] {
        let lesson = stored.lesson
        var facts: [String] = []
        if let program = stored.program { facts.append("Program: \(program.title)") }
        if let grades = lesson.grades ?? stored.program?.grades {
            facts.append(grades.min == grades.max ? "Grade \(grades.min)" : "Grades \(grades.min)–\(grades.max)")
        }
        facts.append("\(lesson.minutes) minutes")
        if let program = stored.program, let reference = program.lessons.first(where: { $0.lessonID == lesson.id }) {
            facts.append(reference.required ? "Required for “\(program.certificate.title)”" : "Optional lesson")
        }
        facts.append("Lesson \(lesson.id), version \(lesson.version)")
        return facts
    }

    private static func quizFacts(_ quiz: Quiz) -> String {
        let count = quiz.questions.count
        return "\(count) question\(count == 1 ? "" : "s") · \(quiz.possiblePoints) point\(quiz.possiblePoints == 1 ? "" : "s") · passes at \(quiz.passPercent)%"
    }

    private static func objectiveNumbers(_ lesson: Lesson) -> [String: Int] {
        var numbers: [String: Int] = [:]
        for (index, objective) in lesson.objectives.enumerated() where numbers[objective.id] == nil { numbers[objective.id] = index + 1 }
        return numbers
    }

    /// "objective 2 (barrier)", escaped; the id alone if the lesson has no such objective.
    private static func objectiveLabel(_ id: String, _ numbers: [String: Int]) -> String {
        guard let number = numbers[id] else { return "<span class=\"id\">\(escape(id))</span>" }
        return "objective \(number) <span class=\"id\">\(escape(id))</span>"
    }

    private static func kindName(_ kind: Activity.Kind) -> String {
        switch kind {
        case .rolePlay: "Role-play"
        default: kind.rawValue.prefix(1).uppercased() + kind.rawValue.dropFirst()
        }
    }

    private static func questionKindName(_ kind: Question.Kind) -> String {
        switch kind {
        case .single: "single choice"
        case .multiple: "multiple choice"
        case .trueFalse: "true or false"
        case .short: "short answer"
        }
    }

    static func escape(_ text: String) -> String { PrintableCertificate.escape(text) }

    private static func page(title: String, body: [String]) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        \(body.joined(separator: "\n"))
        </body>
        </html>

        """
    }

    private static let style = """
        @page { size: auto; margin: 1.6cm 1.5cm; }
        * { box-sizing: border-box; }
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { font-family: 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; font-size: 11pt; line-height: 1.45; color: #1b2733; max-width: 18cm; margin: 1.2cm auto; padding: 0 0.6cm; }
        h1 { font-size: 20pt; line-height: 1.2; margin: 0.1em 0 0.3em; }
        h2 { font-size: 13pt; margin: 1.4em 0 0.5em; padding-bottom: 0.15em; border-bottom: 2px solid #2f5d8a; color: #1f4466; break-after: avoid; page-break-after: avoid; }
        h2 small { font-weight: normal; font-size: 9.5pt; color: #5a6b7c; margin-left: 0.5em; }
        h3 { font-size: 11.5pt; margin: 0; flex: 1; }
        .kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 8.5pt; color: #5a6b7c; margin: 0; }
        .facts { margin: 0 0 0.6em; }
        .facts span { display: inline-block; font-size: 9pt; background: #eef3f8; border: 1px solid #cfdbe7; border-radius: 3px; padding: 0.05em 0.5em; margin: 0 0.3em 0.3em 0; }
        .summary { margin: 0.4em 0 0; }
        .id { font-family: 'DejaVu Sans Mono', monospace; font-size: 8pt; color: #5a6b7c; background: #f3f5f7; border-radius: 3px; padding: 0 0.3em; white-space: nowrap; }
        code { font-family: 'DejaVu Sans Mono', monospace; font-size: 8.5pt; overflow-wrap: anywhere; }
        ol, ul { margin: 0.2em 0; padding-left: 1.6em; }
        li { margin: 0.15em 0; break-inside: avoid; page-break-inside: avoid; }
        .checklist, .choices { list-style: none; padding-left: 0.2em; }
        .checklist li, .choices li { display: flex; align-items: baseline; gap: 0.5em; }
        .box { flex: none; display: inline-block; width: 0.85em; height: 0.85em; border: 1.3px solid #1b2733; border-radius: 2px; position: relative; top: 0.12em; }
        .safety { -webkit-box-decoration-break: clone; box-decoration-break: clone; border: 2px solid #b3541e; background: #fff6ef; border-radius: 4px; padding: 0.2em 0.9em 0.6em; margin-top: 1.2em; }
        .safety h2 { color: #8a3a10; border-bottom-color: #e2b08f; margin-top: 0.5em; }
        .activity, .question { break-inside: avoid; page-break-inside: avoid; }
        .activity.long { break-inside: auto; page-break-inside: auto; }
        .activity-head { break-after: avoid; page-break-after: avoid; }
        .activity { -webkit-box-decoration-break: clone; box-decoration-break: clone; border: 1px solid #cfdbe7; border-radius: 4px; padding: 0.5em 0.8em 0.6em; margin: 0.7em 0; }
        .activity-head { display: flex; align-items: baseline; gap: 0.6em; border-bottom: 1px solid #e3eaf1; padding-bottom: 0.3em; margin-bottom: 0.3em; }
        .number { flex: none; display: inline-block; min-width: 1.6em; text-align: center; font-weight: bold; color: #fff; background: #2f5d8a; border-radius: 3px; }
        .meta { font-size: 9pt; color: #5a6b7c; font-weight: normal; white-space: nowrap; }
        .teaches { font-size: 9.5pt; color: #1f4466; margin: 0.2em 0; }
        .steps li { margin: 0.25em 0; }
        .question { margin: 0.9em 0; }
        .prompt { margin: 0 0 0.3em; padding-left: 1.6em; text-indent: -1.6em; font-weight: bold; }
        .prompt .meta { font-weight: normal; margin-left: 0.3em; }
        .qmeta { margin: -0.2em 0 0.3em 1.6em; font-size: 9pt; color: #5a6b7c; }
        .qnumber { display: inline-block; min-width: 1.6em; text-indent: 0; }
        .choices { margin-left: 1.6em; }
        .choices .label { font-family: 'DejaVu Sans Mono', monospace; font-size: 9pt; color: #5a6b7c; }
        .choices.inline li { display: inline-flex; margin-right: 2.5em; }
        .key .mark { flex: none; display: inline-block; width: 1em; font-weight: bold; color: #1d7a3a; }
        .key .correct { font-weight: bold; }
        .key .right { font-size: 8pt; font-weight: bold; color: #1d7a3a; border: 1px solid #1d7a3a; border-radius: 3px; padding: 0 0.3em; }
        .answer, .explanation { margin: 0.2em 0 0 1.6em; }
        .explanation { font-size: 10pt; color: #3a4a5a; }
        .note { font-size: 9.5pt; color: #5a6b7c; }
        .keyline { font-size: 9.5pt; margin-top: 1em; border-top: 1px dashed #cfdbe7; padding-top: 0.5em; }
        footer { margin-top: 2em; font-size: 8pt; color: #7a8a9a; border-top: 1px solid #e3eaf1; padding-top: 0.4em; }
        .handout .who { display: flex; gap: 1.2em; margin: 0.8em 0 0.6em; }
        .handout .who span { display: flex; flex: 1; align-items: flex-end; gap: 0.4em; font-weight: bold; }
        .handout .who span:first-child { flex: 2; }
        .handout .who i, .lines i { display: block; flex: 1; border-bottom: 1px solid #1b2733; height: 1.6em; }
        .instructions { font-size: 10pt; background: #f3f5f7; border-radius: 4px; padding: 0.4em 0.7em; }
        .how { margin: 0 0 0.2em 1.6em; font-size: 9pt; color: #5a6b7c; font-style: italic; }
        .lines { margin: 0.2em 0 0 1.6em; }
        .lines i { height: 2.2em; }
        @media print {
          body { margin: 0; padding: 0; max-width: none; }
          a { color: inherit; text-decoration: none; }
        }
        """
}

extension Registrar {
    /// A stored lesson as a page to print: the officer's plan, or with `handout` the students' quiz
    /// handout (refused for a lesson without a quiz).
    public func printableLesson(id: String, version: Int?, handout: Bool) async throws(BridgesError) -> (lesson: StoredLesson, html: String) {
        guard let stored = try await lesson(id: id, version: version) else {
            throw .notFound(.lesson(id), "no lesson '\(id)' is stored; `\(.lessonList)` shows what is")
        }
        guard handout else { return (stored, PrintableLesson.plan(stored)) }
        guard let html = PrintableLesson.handout(stored) else {
            throw .rejected("lesson \(id) version \(stored.lesson.version) has no quiz, so there is no handout to print; leave out \(field: .handout) for the lesson plan")
        }
        return (stored, html)
    }
}

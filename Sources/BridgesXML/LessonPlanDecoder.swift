import BridgesCore
import CLibXML2

/// Walks a schema-valid document into `Program` or `Lesson` values and checks the rules of
/// lesson-plan-format.md that one file can break on its own.
///
/// The schema has already vouched for the structure; the decoder still never traps on a surprise,
/// it reports it.
struct LessonPlanDecoder {
    let parsed: ParsedXML
    let file: String
    /// False when only the checks and the outline are wanted (`lesson validate` with no database
    /// to compare with): a lesson's teaching text (objectives, steps, prompts…) is then checked for
    /// blankness where it lies, and no string is made of it.
    let keepsContent: Bool
    private(set) var diagnostics: [Diagnostic] = []

    init(parsed: ParsedXML, file: String, keepsContent: Bool = true) {
        self.parsed = parsed
        self.file = file
        self.keepsContent = keepsContent
    }

    mutating func decode() -> LessonPlanDocument? {
        guard let root = parsed.root else { return nil }
        if root.isNamed("program") { return decodeProgram(root) }
        if root.isNamed("lesson") { return decodeLesson(root) }
        diagnostics.append(location(of: root).error(code: "lesson.root-element", "the root element must be <program> or <lesson>"))
        return nil
    }

    // MARK: program.xml

    private mutating func decodeProgram(_ root: xmlNodePtr) -> LessonPlanDocument? {
        let id = root.attribute("id") ?? ""
        let version = integer(root.attribute("version")) ?? 0
        var title = ""
        var summary: String?
        var grades: GradeRange?
        var gradesAt = location(of: root)
        var references: [LessonReference] = []
        var referenceLocations: [SourceLocation] = []
        var certificate: CertificateRule?
        var certificateAt = location(of: root)

        for child in root.elementChildren {
            if child.isNamed("title") {
                title = text(child)
            } else if child.isNamed("summary") {
                summary = text(child)
            } else if child.isNamed("grades") {
                gradesAt = location(of: child)
                grades = gradeRange(child)
            } else if child.isNamed("lessons") {
                var seen: [String: Int] = [:]
                for reference in child.elementChildren where reference.isNamed("lesson") {
                    let lessonID = reference.attribute("ref") ?? ""
                    let at = location(of: reference, attribute: "ref")
                    if let first = seen[lessonID] {
                        diagnostics.append(at.error(code: "program.lesson-listed-twice", "lesson '\(lessonID)' is listed twice (first on line \(first)); list each lesson once"))
                        continue
                    }
                    seen[lessonID] = at.line
                    references.append(LessonReference(lessonID: lessonID, required: boolean(reference.attribute("required")) ?? true))
                    referenceLocations.append(at)
                }
            } else if child.isNamed("certificate") {
                certificateAt = location(of: child)
                certificate = certificateRule(child)
            }
        }

        guard let grades, var certificate else { return nil }
        let required = references.filter(\.required).count
        if required == 0 {
            diagnostics.append(certificateAt.error(code: "program.no-required-lesson", "the program has no required lesson, so its certificate would need nothing; mark at least one <lesson> as required (required defaults to true)"))
        }
        if case .count(let count) = certificate.attendance, count > required {
            diagnostics.append(location(of: node(named: "certificate", in: root) ?? root, attribute: "attendance").error(code: "program.attendance-above-required",
                "attendance=\"\(count)\" asks for more lessons than the program's \(required) required ones; write a number up to \(required), or all"))
            certificate.attendance = .all
        }
        let program = Program(id: id, version: version, title: title, summary: summary, grades: grades, lessons: references, certificate: certificate)
        return .program(program, ProgramLocations(
            root: location(of: root), version: location(of: root, attribute: "version"),
            lessonRefs: referenceLocations, grades: gradesAt, certificate: certificateAt))
    }

    private mutating func certificateRule(_ element: xmlNodePtr) -> CertificateRule {
        let title = (element.attribute("title") ?? "").collapsingWhitespace()
        if title.isEmpty {
            diagnostics.append(location(of: element, attribute: "title").error(code: "program.certificate-title-empty", "the certificate's title is empty; write what the certificate says, e.g. title=\"Junior First Aider\""))
        }
        let attendanceText = (element.attribute("attendance") ?? "all").trimmingWhitespace()
        let attendance: CertificateRule.Attendance = attendanceText == "all" ? .all : .count(integer(attendanceText) ?? 1)
        let quizzes = CertificateRule.QuizRequirement(rawValue: (element.attribute("quizzes") ?? "pass-all").trimmingWhitespace()) ?? .passAll
        let validMonths = integer(element.attribute("validMonths"))
        return CertificateRule(title: title, attendance: attendance, quizzes: quizzes, validMonths: validMonths)
    }

    // MARK: lesson files

    private mutating func decodeLesson(_ root: xmlNodePtr) -> LessonPlanDocument? {
        let id = root.attribute("id") ?? ""
        let programID = root.attribute("program") ?? ""
        let version = integer(root.attribute("version")) ?? 0
        var lesson = Lesson(id: id, programID: programID, version: version, title: "", minutes: 0, objectives: [], activities: [])
        var gradesAt: SourceLocation?
        var minutesAt: SourceLocation?
        var objectiveLines: [String: Int] = [:]
        var questionObjectives: [(String, xmlNodePtr)] = []
        var activityElements: [xmlNodePtr] = []

        for child in root.elementChildren {
            if child.isNamed("title") {
                lesson.title = text(child)
            } else if child.isNamed("summary") {
                let summary = text(child, isContent: true)
                lesson.summary = keepsContent ? summary : nil
            } else if child.isNamed("minutes") {
                minutesAt = location(of: child)
                lesson.minutes = integer(child.textContent) ?? 0
            } else if child.isNamed("grades") {
                gradesAt = location(of: child)
                lesson.grades = gradeRange(child)
            } else if child.isNamed("objectives") {
                for objective in child.elementChildren {
                    let objectiveID = objective.attribute("id") ?? ""
                    if let first = objectiveLines[objectiveID] {
                        diagnostics.append(location(of: objective, attribute: "id").error(code: "lesson.objective-id-twice", "objective id '\(objectiveID)' is already used on line \(first); give each objective its own id"))
                    } else {
                        objectiveLines[objectiveID] = objective.lineNumber
                    }
                    lesson.objectives.append(Objective(id: objectiveID, text: text(objective, isContent: true)))
                }
            } else if child.isNamed("materials") {
                for material in child.elementChildren {
                    let text = text(material, isContent: true)
                    if keepsContent { lesson.materials.append(text) }
                }
            } else if child.isNamed("activities") {
                var seen: [String: Int] = [:]
                for element in child.elementChildren {
                    let activity = decodeActivity(element)
                    if let first = seen[activity.id] {
                        diagnostics.append(location(of: element, attribute: "id").error(code: "lesson.activity-id-twice", "activity id '\(activity.id)' is already used on line \(first); give each activity its own id"))
                    } else {
                        seen[activity.id] = element.lineNumber
                    }
                    lesson.activities.append(activity)
                    activityElements.append(element)
                }
            } else if child.isNamed("safety-note") {
                let note = text(child, isContent: true)
                if keepsContent { lesson.safetyNotes.append(note) }
            } else if child.isNamed("quiz") {
                var quiz = Quiz(passPercent: integer(child.attribute("passPercent")) ?? Quiz.defaultPassPercent, questions: [])
                var seen: [String: Int] = [:]
                for element in child.elementChildren {
                    let question = decodeQuestion(element)
                    if let first = seen[question.id] {
                        diagnostics.append(location(of: element, attribute: "id").error(code: "lesson.question-id-twice", "question id '\(question.id)' is already used on line \(first); give each question its own id"))
                    } else {
                        seen[question.id] = element.lineNumber
                    }
                    if let objective = question.objectiveID {
                        questionObjectives.append((objective, element))
                    }
                    quiz.questions.append(question)
                }
                lesson.quiz = quiz
            }
        }

        for (objective, element) in questionObjectives where objectiveLines[objective] == nil {
            let known = lesson.objectives.map(\.id)
            diagnostics.append(location(of: element, attribute: "objective").error(code: "quiz.unknown-objective", "objective=\"\(objective)\" names no objective of this lesson; use one of \(known.joined(separator: ", "))\(SchemaMessage.suggestion(for: objective, among: known))"))
        }
        for (activity, element) in zip(lesson.activities, activityElements) {
            checkObjectives(of: activity, at: element, known: lesson.objectives.map(\.id), declared: objectiveLines)
        }
        // Only against minutes the file gives: a missing <minutes> is the schema's to report.
        let planned = lesson.plannedActivityMinutes
        if let minutesAt, planned > lesson.minutes {
            diagnostics.append(minutesAt.warning(code: "lesson.minutes-mismatch", "the activities add up to \(planned) minutes but the lesson has \(lesson.minutes); shorten the activities or raise <minutes>"))
        }
        return .lesson(lesson, LessonLocations(
            root: location(of: root), version: location(of: root, attribute: "version"),
            program: location(of: root, attribute: "program"), grades: gradesAt))
    }

    private mutating func decodeActivity(_ element: xmlNodePtr) -> Activity {
        var activity = Activity(
            id: element.attribute("id") ?? "",
            kind: Activity.Kind(rawValue: (element.attribute("kind") ?? "").trimmingWhitespace()) ?? .discussion,
            minutes: integer(element.attribute("minutes")) ?? 0,
            title: "", steps: [],
            objectiveIDs: element.attribute("objectives")?.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init) ?? [])
        for child in element.elementChildren {
            if child.isNamed("step") {
                let step = text(child, isContent: true)
                if keepsContent { activity.steps.append(step) }
            } else if child.isNamed("title") {
                activity.title = text(child, isContent: true)
            }
        }
        return activity
    }

    /// Each id in an activity's `objectives` names an objective of the lesson, once.
    private mutating func checkObjectives(of activity: Activity, at element: xmlNodePtr, known: [String], declared: [String: Int]) {
        if activity.objectiveIDs.isEmpty, element.attribute("objectives") != nil {
            diagnostics.append(location(of: element, attribute: "objectives").error(code: "lesson.activity-objectives-empty",
                "activity '\(activity.id)' has an empty objectives=\"\"; list the ids of the objectives it teaches, separated by spaces (e.g. objectives=\"\(known.first ?? "")\"), or leave the attribute out"))
            return
        }
        var listed: Set<String> = []
        var reported: Set<String> = []
        for objective in activity.objectiveIDs {
            if declared[objective] == nil {
                guard reported.insert(objective).inserted else { continue }
                diagnostics.append(location(of: element, attribute: "objectives").error(code: "lesson.activity-unknown-objective",
                    "activity '\(activity.id)' lists objective '\(objective)', which names no objective of this lesson; use one of \(known.joined(separator: ", "))\(SchemaMessage.suggestion(for: objective, among: known))"))
            } else if !listed.insert(objective).inserted, reported.insert(objective).inserted {
                diagnostics.append(location(of: element, attribute: "objectives").warning(code: "lesson.activity-objective-twice",
                    "activity '\(activity.id)' lists objective '\(objective)' more than once; list each objective once"))
            }
        }
    }

    private mutating func decodeQuestion(_ element: xmlNodePtr) -> Question {
        let kind = Question.Kind(rawValue: (element.attribute("type") ?? "").trimmingWhitespace()) ?? .short
        var question = Question(
            id: element.attribute("id") ?? "", kind: kind, points: integer(element.attribute("points")) ?? 1,
            objectiveID: element.attribute("objective"), prompt: "")
        var choiceLines: [String: Int] = [:]
        var answerElements: [xmlNodePtr] = []
        for child in element.elementChildren {
            if child.isNamed("prompt") {
                question.prompt = text(child, isContent: true)
            } else if child.isNamed("choice") {
                let choice = Choice(id: child.attribute("id") ?? "", correct: boolean(child.attribute("correct")) ?? false, text: text(child, isContent: true))
                if let first = choiceLines[choice.id] {
                    diagnostics.append(location(of: child, attribute: "id").error(code: "quiz.choice-id-twice", "choice id '\(choice.id)' is already used in this question on line \(first); give each choice its own id"))
                } else {
                    choiceLines[choice.id] = child.lineNumber
                }
                question.choices.append(choice)
            } else if child.isNamed("answer") {
                answerElements.append(child)
                question.answers.append(text(child))
            } else if child.isNamed("explanation") {
                let explanation = text(child, isContent: true)
                question.explanation = keepsContent ? explanation : nil
            }
        }

        let parsed = self.parsed, file = self.file
        let here = LazyLocation { Self.location(of: element, attribute: "type", parsed: parsed, file: file) }
        let name = "question '\(question.id)'"
        switch kind {
        case .single, .multiple:
            if question.choices.isEmpty {
                diagnostics.append(here.error(code: "quiz.choices-needed", "\(name) is type=\"\(kind.rawValue)\", so it needs <choice> elements, not <answer>; use type=\"short\" or type=\"true-false\" for written answers"))
            } else {
                let correct = question.choices.filter(\.correct).count
                if kind == .single && correct != 1 {
                    diagnostics.append(here.error(code: "quiz.single-choice-correct-count", "\(name) is single choice, so exactly one choice must have correct=\"true\" (it has \(correct)); use type=\"multiple\" if several are right"))
                } else if kind == .multiple && correct == 0 {
                    diagnostics.append(here.error(code: "quiz.multiple-choice-none-correct", "\(name) is multiple choice but no choice has correct=\"true\"; mark the right ones"))
                }
            }
        case .trueFalse:
            if !question.choices.isEmpty {
                diagnostics.append(here.error(code: "quiz.true-false-choices", "\(name) is true-false, so it takes one <answer>true</answer> or <answer>false</answer>, not choices"))
            } else if question.answers.count != 1 {
                diagnostics.append(location(of: answerElements.dropFirst().first ?? element).error(code: "quiz.true-false-answer-count", "\(name) is true-false, so it takes exactly one <answer> (true or false); it has \(question.answers.count)"))
            } else if !["true", "false"].contains(question.answers[0].lowercased()) {
                diagnostics.append(location(of: answerElements[0]).error(code: "quiz.true-false-answer-value", "\(name) is true-false, so its answer must be true or false, not '\(question.answers[0])'"))
            }
        case .short:
            if !question.choices.isEmpty {
                diagnostics.append(here.error(code: "quiz.short-answer-choices", "\(name) is short answer, so it takes <answer> elements (each an accepted answer), not choices; use type=\"single\" or type=\"multiple\" for choices"))
            }
        }
        return question
    }

    // MARK: values

    /// A location worked out only if a diagnostic needs it: finding columns costs a scan.
    private struct LazyLocation {
        let make: () -> SourceLocation
        func error(code: String, _ message: String) -> Diagnostic { make().error(code: code, message) }
    }

    /// An element's text, trimmed; blank text is an error, since every text element says something.
    /// Teaching text (`isContent`) comes back empty when the decoder does not keep content: it is
    /// only checked.
    private mutating func text(_ element: xmlNodePtr, isContent: Bool = false) -> String {
        let value: String
        let blank: Bool
        if isContent && !keepsContent {
            value = ""
            blank = element.withTextBytes(TrimmedText.isBlank)
        } else {
            value = element.withTextBytes(TrimmedText.string)
            blank = value.isEmpty
        }
        if blank {
            let name = element.localName
            diagnostics.append(location(of: element).error(code: "lesson.empty-text", "<\(name)> is empty; write its text between <\(name)> and </\(name)>, or leave the element out if it is optional"))
        }
        return value
    }

    private mutating func gradeRange(_ element: xmlNodePtr) -> GradeRange? {
        guard let min = Grade(element.attribute("min") ?? ""), let max = Grade(element.attribute("max") ?? "") else { return nil }
        if min > max {
            diagnostics.append(location(of: element, attribute: "min").error(code: "lesson.grades-reversed", "min=\"\(min)\" is above max=\"\(max)\"; the lowest grade comes first"))
            return GradeRange(min: max, max: min)
        }
        return GradeRange(min: min, max: max)
    }

    private func integer(_ text: String?) -> Int? {
        guard let text else { return nil }
        return Int(text.trimmingWhitespace())
    }

    private func boolean(_ text: String?) -> Bool? {
        switch text?.trimmingWhitespace() {
        case "true", "1": true
        case "false", "0": false
        default: nil
        }
    }

    private func node(named name: StaticString, in parent: xmlNodePtr) -> xmlNodePtr? {
        parent.elementChildren.first { $0.isNamed(name) }
    }

    /// Where an element (or one of its attributes) is written.
    func location(of element: xmlNodePtr, attribute: String? = nil) -> SourceLocation {
        Self.location(of: element, attribute: attribute, parsed: parsed, file: file)
    }

    static func location(of element: xmlNodePtr, attribute: String?, parsed: ParsedXML, file: String) -> SourceLocation {
        let (line, column) = parsed.location(of: element, attribute: attribute)
        return SourceLocation(file: file, line: line, column: column)
    }
}

import BridgesKit

/// A stored lesson as text an officer can teach from, top to bottom.
enum LessonRendering {
    static func render(_ stored: StoredLesson) -> String {
        let lesson = stored.lesson
        var out: [String] = []
        out.append(lesson.title)
        out.append(String(repeating: "=", count: min(max(lesson.title.count, 8), 80)))
        var facts = ["lesson \(lesson.id) version \(lesson.version)", "program \(lesson.programID)", "\(lesson.minutes) minutes"]
        if let grades = lesson.grades ?? stored.program?.grades { facts.append(grades.description) }
        if let program = stored.program, let reference = program.lessons.first(where: { $0.lessonID == lesson.id }) {
            facts.append(reference.required ? "required for \"\(program.certificate.title)\"" : "optional")
        }
        out.append(facts.joined(separator: " · "))
        if let summary = lesson.summary { out += ["", summary] }

        out += ["", "OBJECTIVES — by the end, students can:"]
        for objective in lesson.objectives { out.append("  • \(objective.text)  [\(objective.id)]") }

        if !lesson.materials.isEmpty {
            out += ["", "MATERIALS"]
            for material in lesson.materials { out.append("  • \(material)") }
        }

        if !lesson.safetyNotes.isEmpty {
            out += ["", "SAFETY NOTES — read these before you start"]
            for note in lesson.safetyNotes { out.append("  ! \(note)") }
        }

        out += ["", "ACTIVITIES — \(lesson.plannedActivityMinutes) of \(lesson.minutes) minutes planned"]
        var clock = 0
        for (number, activity) in lesson.activities.enumerated() {
            out.append("  \(number + 1). \(activity.title)  (\(activity.kind.rawValue), \(activity.minutes) min, at \(clock)–\(clock + activity.minutes))")
            clock += activity.minutes
            if !activity.objectiveIDs.isEmpty { out.append("       teaches: \(activity.objectiveIDs.joined(separator: ", "))") }
            for (index, step) in activity.steps.enumerated() { out.append("       \(index + 1)) \(step)") }
        }

        if let quiz = lesson.quiz {
            out += ["", "QUIZ — \(quiz.questions.count) question\(quiz.questions.count == 1 ? "" : "s"), \(quiz.possiblePoints) point\(quiz.possiblePoints == 1 ? "" : "s"), passes at \(quiz.passPercent)%"]
            for question in quiz.questions {
                var head = "  \(question.id). \(question.prompt)  (\(question.kind.rawValue), \(question.points) pt"
                if let objective = question.objectiveID { head += ", objective \(objective)" }
                out.append(head + ")")
                for choice in question.choices {
                    out.append("       \(choice.id)) \(choice.text)\(choice.correct ? "   ✓ correct" : "")")
                }
                switch question.kind {
                case .trueFalse: out.append("       Answer: \(question.answers.first ?? "")")
                case .short: out.append("       Accepted answers: \(question.answers.map { "\"\($0)\"" }.joined(separator: ", "))")
                default: break
                }
                if let explanation = question.explanation { out.append("       Why: \(explanation)") }
            }
            out += ["", "ANSWER KEY: " + quiz.questions.map { "\($0.id)=\(answerKey($0))" }.joined(separator: ", ")]
        }

        out += ["", "Stored versions: \(stored.versions.map(String.init).joined(separator: ", ")) · this one loaded \(stored.loadedAt) by \(stored.loadedBy) from \(stored.sourcePath)"]
        return out.joined(separator: "\n")
    }

    /// The key in the form `quiz record --answers` takes.
    static func answerKey(_ question: Question) -> String {
        switch question.kind {
        case .single, .multiple: question.choices.filter(\.correct).map(\.id).joined(separator: "+")
        case .trueFalse, .short: question.answers.first ?? ""
        }
    }

    static func render(_ stored: StoredProgram) -> String {
        let program = stored.program
        var out: [String] = []
        out.append(program.title)
        out.append(String(repeating: "=", count: min(max(program.title.count, 8), 80)))
        out.append("program \(program.id) version \(program.version) · \(program.grades)")
        if let summary = program.summary { out += ["", summary] }
        out += ["", "LESSONS, in teaching order"]
        for (number, lesson) in stored.lessons.enumerated() {
            let required = lesson.required.map { $0 ? "required" : "optional" } ?? "not listed"
            out.append("  \(number + 1). \(lesson.title)  [\(lesson.lessonID) v\(lesson.version), \(lesson.minutes) min, \(required)]")
        }
        let missing = program.lessons.filter { reference in !stored.lessons.contains { $0.lessonID == reference.lessonID } }
        for reference in missing { out.append("  –  \(reference.lessonID) (listed, not stored)") }
        let rule = program.certificate
        out += ["", "CERTIFICATE: \"\(rule.title)\""]
        let attendance = switch rule.attendance {
        case .all: "every required lesson attended (present or late, make-ups count)"
        case .count(let n): "at least \(n) required lesson\(n == 1 ? "" : "s") attended (present or late, make-ups count)"
        }
        out.append("  • \(attendance)")
        out.append(rule.quizzes == .passAll ? "  • every quiz of an attended required lesson passed (best attempt)" : "  • no quiz needed")
        out.append("  • " + (rule.validMonths.map { "valid for \($0) months" } ?? "never expires"))
        out += ["", "Stored versions: \(stored.versions.map(String.init).joined(separator: ", ")) · loaded \(stored.loadedAt) by \(stored.loadedBy)"]
        return out.joined(separator: "\n")
    }
}

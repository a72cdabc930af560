import BridgesCore
import CLibXML2

/// Writes a lesson's canonical JSON (`Lesson.canonicalJSON`) straight from the parsed tree.
///
/// Loading thousands of lessons spent a third of its reading in making a Swift string of every
/// step, prompt and note only to copy it into the JSON and free it. This takes the lesson's ids,
/// numbers and kinds from the decoded outline (the decoder's fallbacks included) and copies each
/// text, trimmed and escaped, from where libxml2 holds it. It follows the decoder's reading of
/// the tree exactly (which children count, the last of a repeated element wins); a test holds the
/// two to the same bytes on every lesson the tests know.
struct LessonContentWriter {
    let root: xmlNodePtr
    /// The lesson as the decoder read it without its teaching text.
    let lesson: Lesson

    func json() -> String {
        var out = JSONBytes(capacity: 32 * 1024)
        out.beginObject()

        out.key("activities"); out.beginArray()
        var activities = lesson.activities.makeIterator()
        for container in root.elementChildren where container.isNamed("activities") {
            for element in container.elementChildren {
                guard let activity = activities.next() else { break }
                out.beginObject()
                out.key("id"); out.string(activity.id)
                out.key("kind"); out.string(activity.kind.rawValue)
                out.key("minutes"); out.number(activity.minutes)
                if !activity.objectiveIDs.isEmpty { out.key("objectiveIDs"); out.strings(activity.objectiveIDs) }
                out.key("steps"); out.beginArray()
                for step in element.elementChildren where step.isNamed("step") { text(step, into: &out) }
                out.endArray()
                out.key("title"); optionalText(last("title", in: element), into: &out, orEmpty: true)
                out.endObject()
            }
        }
        out.endArray()

        if let grades = lesson.grades {
            out.key("grades"); out.beginObject()
            out.key("max"); out.number(grades.max.number)
            out.key("min"); out.number(grades.min.number)
            out.endObject()
        }
        out.key("id"); out.string(lesson.id)

        out.key("materials"); out.beginArray()
        for container in root.elementChildren where container.isNamed("materials") {
            for material in container.elementChildren { text(material, into: &out) }
        }
        out.endArray()

        out.key("minutes"); out.number(lesson.minutes)

        out.key("objectives"); out.beginArray()
        var objectives = lesson.objectives.makeIterator()
        for container in root.elementChildren where container.isNamed("objectives") {
            for element in container.elementChildren {
                guard let objective = objectives.next() else { break }
                out.beginObject()
                out.key("id"); out.string(objective.id)
                out.key("text"); text(element, into: &out)
                out.endObject()
            }
        }
        out.endArray()

        out.key("programID"); out.string(lesson.programID)

        if let quiz = lesson.quiz, let quizElement = last("quiz", in: root) {
            out.key("quiz"); out.beginObject()
            out.key("passPercent"); out.number(quiz.passPercent)
            out.key("questions"); out.beginArray()
            for (question, element) in zip(quiz.questions, quizElement.elementChildren) {
                out.beginObject()
                out.key("answers"); out.strings(question.answers)
                out.key("choices"); out.beginArray()
                let choiceElements = element.elementChildren.lazy.filter { $0.isNamed("choice") }
                for (choice, choiceElement) in zip(question.choices, choiceElements) {
                    out.beginObject()
                    out.key("correct"); out.bool(choice.correct)
                    out.key("id"); out.string(choice.id)
                    out.key("text"); text(choiceElement, into: &out)
                    out.endObject()
                }
                out.endArray()
                if let explanation = last("explanation", in: element) {
                    out.key("explanation"); text(explanation, into: &out)
                }
                out.key("id"); out.string(question.id)
                out.key("kind"); out.string(question.kind.rawValue)
                if let objective = question.objectiveID { out.key("objectiveID"); out.string(objective) }
                out.key("points"); out.number(question.points)
                out.key("prompt"); optionalText(last("prompt", in: element), into: &out, orEmpty: true)
                out.endObject()
            }
            out.endArray()
            out.endObject()
        }

        out.key("safetyNotes"); out.beginArray()
        for note in root.elementChildren where note.isNamed("safety-note") { text(note, into: &out) }
        out.endArray()
        if let summary = last("summary", in: root) {
            out.key("summary"); text(summary, into: &out)
        }
        out.key("title"); out.string(lesson.title)
        out.key("version"); out.number(lesson.version)
        out.endObject()
        return out.text
    }

    /// The last child element named `name` (the decoder lets a repeated element's last one win).
    private func last(_ name: StaticString, in parent: xmlNodePtr) -> xmlNodePtr? {
        var found: xmlNodePtr?
        for child in parent.elementChildren where child.isNamed(name) { found = child }
        return found
    }

    private func optionalText(_ element: xmlNodePtr?, into out: inout JSONBytes, orEmpty: Bool) {
        if let element { text(element, into: &out) } else if orEmpty { out.string("") }
    }

    /// An element's text, trimmed as the decoder trims it, written as a JSON string.
    private func text(_ element: xmlNodePtr, into out: inout JSONBytes) {
        element.withTextBytes { bytes in
            if let trimmed = TrimmedText.asciiTrimmed(bytes) {
                out.string(utf8: trimmed)
            } else {
                out.string(TrimmedText.string(bytes))
            }
        }
    }
}

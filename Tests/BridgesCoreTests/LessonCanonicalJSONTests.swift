import BridgesCore
import Foundation
import Testing

@Suite("A lesson's canonical JSON")
struct LessonCanonicalJSONTests {
    static let lesson = Lesson(
        id: "fa-bleeding", programID: "first-aid", version: 2, title: "Stop \"the\" bleeding\\now", summary: "Line one\nline two\ttabbed \u{1} é 安全 🚑",
        minutes: 45, grades: GradeRange(min: Grade(number: 0)!, max: Grade(number: 8)!),
        objectives: [Objective(id: "o1", text: "Press firmly </script>")],
        materials: ["Gloves", "Gauze / pads"],
        activities: [Activity(id: "a1", kind: .rolePlay, minutes: 10, title: "Practice", steps: ["One", "Two, three"])],
        safetyNotes: ["Pretend wounds only."],
        quiz: Quiz(passPercent: 80, questions: [
            Question(id: "q1", kind: .single, points: 2, objectiveID: "o1", prompt: "What first?", choices: [Choice(id: "a", correct: true, text: "Press"), Choice(id: "b", text: "Wait")], explanation: "Pressure."),
            Question(id: "q2", kind: .short, prompt: "Who do you call?", answers: ["911", "9-1-1"]),
        ]))

    @Test("decodes back into an equal lesson with the standard decoder")
    func roundTrip() throws {
        let decoded = try JSONDecoder().decode(Lesson.self, from: Data(Self.lesson.canonicalJSON().utf8))
        #expect(decoded == Self.lesson)
    }

    @Test("leaves out what a lesson does not have, and still decodes")
    func optionalsLeftOut() throws {
        let bare = Lesson(id: "x", programID: "p", version: 1, title: "T", minutes: 5, objectives: [], activities: [])
        let json = bare.canonicalJSON()
        #expect(!json.contains("quiz") && !json.contains("summary") && !json.contains("grades"))
        #expect(try JSONDecoder().decode(Lesson.self, from: Data(json.utf8)) == bare)
    }

    @Test("says the same content the same way every time, and different content differently")
    func canonical() {
        var changed = Self.lesson
        changed.activities[0].steps[1] = "Two, four"
        #expect(Self.lesson.canonicalJSON() == Self.lesson.canonicalJSON())
        #expect(changed.canonicalJSON() != Self.lesson.canonicalJSON())
    }

    @Test("escapes a special character wherever it falls in a string, eight-byte words included")
    func escapesAtEveryOffset() throws {
        func reference(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        for special in ["\"", "\\", "\n", "\u{1}", "\u{1F}", "\u{7F}", " ", "é", "🚑"] {
            for offset in 0..<20 {
                let title = String(repeating: "a", count: offset) + special + String(repeating: "b", count: 23 - offset)
                var lesson = Self.lesson
                lesson.title = title
                let json = lesson.canonicalJSON()
                #expect(json.contains("\"title\":" + reference(title) + ","), "\(special.debugDescription) at \(offset)")
                #expect(try JSONDecoder().decode(Lesson.self, from: Data(json.utf8)).title == title)
            }
        }
    }
}

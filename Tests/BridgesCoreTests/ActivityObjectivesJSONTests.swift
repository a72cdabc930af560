import BridgesCore
import Foundation
import Testing

/// An activity's objectives in a lesson's canonical JSON: present only when the file names them,
/// so lessons stored before the attribute existed keep their exact content.
@Suite("Activity objectives in the canonical JSON")
struct ActivityObjectivesJSONTests {
    static func lesson(objectiveIDs: [String]) -> Lesson {
        Lesson(
            id: "x", programID: "p", version: 1, title: "T", minutes: 20,
            objectives: [Objective(id: "o1", text: "One"), Objective(id: "o2", text: "Two")],
            activities: [Activity(id: "a1", kind: .practice, minutes: 10, title: "Do", steps: ["s"], objectiveIDs: objectiveIDs)])
    }

    @Test("without objectives the JSON is exactly what it was before the attribute existed")
    func absentIsUnchanged() throws {
        let json = Self.lesson(objectiveIDs: []).canonicalJSON()
        #expect(json == #"{"activities":[{"id":"a1","kind":"practice","minutes":10,"steps":["s"],"title":"Do"}],"id":"x","materials":[],"minutes":20,"objectives":[{"id":"o1","text":"One"},{"id":"o2","text":"Two"}],"programID":"p","safetyNotes":[],"title":"T","version":1}"#)
        // A stored lesson of that form reads back with no objectives.
        #expect(try JSONDecoder().decode(Lesson.self, from: Data(json.utf8)) == Self.lesson(objectiveIDs: []))
    }

    @Test("with objectives they sit between minutes and steps, in the order written, and read back")
    func presentRoundTrips() throws {
        let lesson = Self.lesson(objectiveIDs: ["o2", "o1"])
        let json = lesson.canonicalJSON()
        #expect(json.contains(#""minutes":10,"objectiveIDs":["o2","o1"],"steps":["s"]"#), "\(json)")
        #expect(try JSONDecoder().decode(Lesson.self, from: Data(json.utf8)) == lesson)
        #expect(json != Self.lesson(objectiveIDs: []).canonicalJSON())
    }

    @Test("the standard encoder with sorted keys writes the same bytes, with and without")
    func sameAsCodable() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for ids in [[], ["o1"], ["o1", "o2"]] {
            let lesson = Self.lesson(objectiveIDs: ids)
            #expect(String(decoding: try encoder.encode(lesson), as: UTF8.self) == lesson.canonicalJSON())
        }
    }
}

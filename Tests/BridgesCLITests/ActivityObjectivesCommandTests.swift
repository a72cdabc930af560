import Foundation
import Testing

/// `<activity objectives="…">` through the built `bridges`: refused with a located error when an id
/// names no objective, stored and shown by `lesson show` when sound.
@Suite("bridges lesson: activity objectives", .timeLimit(.minutes(2)))
struct ActivityObjectivesCommandTests {
    static func pools(objectives: String) -> String {
        SchoolFiles.poolsLesson.replacingOccurrences(of: #"kind="game" minutes="15""#, with: #"kind="game" minutes="15" objectives="\#(objectives)""#)
    }

    @Test func anUnknownObjectiveIsALocatedErrorAndNothingIsStored() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeWaterProgram(to: folder)
        try folder.write("water/ws-pools.xml", Self.pools(objectives: "rules hepl"))
        let outcome = try BridgesProcess.run(["lesson", "load", "--db", "school.sqlite", "water"], in: folder)
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.standardError.contains(
            #"water/ws-pools.xml:23:63: error: activity 'lifeguard-says' lists objective 'hepl', which names no objective of this lesson; use one of rules, help; did you mean "help"?"#),
            "\(outcome.standardError)")
        let list = try BridgesProcess.run(["lesson", "list", "--db", "school.sqlite"], in: folder)
        #expect(!list.standardOutput.contains("ws-pools"), "\(list)")
    }

    @Test func loadedObjectivesAreShownUnderTheirActivity() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeWaterProgram(to: folder)
        try folder.write("water/ws-pools.xml", Self.pools(objectives: "help rules"))
        let load = try BridgesProcess.run(["lesson", "load", "--db", "school.sqlite", "water"], in: folder)
        try #require(load.status == 0, "\(load)")
        let show = try BridgesProcess.run(["lesson", "show", "--db", "school.sqlite", "ws-pools"], in: folder)
        #expect(show.status == 0, "\(show)")
        #expect(show.standardOutput.contains("""
              2. Lifeguard says  (game, 15 min, at 10–25)
                   teaches: help, rules
            """), "\(show.standardOutput)")
        // The activity without the attribute says nothing about objectives.
        #expect(show.standardOutput.components(separatedBy: "teaches:").count == 2)
    }

    @Test func loadingAStoredLessonAgainWithObjectivesAddedAsksForANewVersion() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SchoolFiles.writeWaterProgram(to: folder)
        let first = try BridgesProcess.run(["lesson", "load", "--db", "school.sqlite", "water"], in: folder)
        try #require(first.status == 0, "\(first)")
        // The same files again are unchanged: content without the attribute is what it was.
        let again = try BridgesProcess.run(["lesson", "load", "--db", "school.sqlite", "water"], in: folder)
        #expect(again.status == 0, "\(again)")
        try folder.write("water/ws-pools.xml", Self.pools(objectives: "help"))
        let changed = try BridgesProcess.run(["lesson", "load", "--db", "school.sqlite", "water"], in: folder)
        #expect(changed.status == 65, "\(changed)")
        #expect(changed.standardError.contains("version"), "\(changed.standardError)")
    }
}

import Foundation
import Testing

/// `bridges lesson print ID [--version N] [--handout] [--out PATH]` end to end: a loaded program,
/// the pages it writes, and what a student's handout must never show.
@Suite("bridges lesson print", .timeLimit(.minutes(2)))
struct LessonPrintCommandTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        let outcome = try BridgesProcess.run(arguments, in: folder, sourceLocation: sourceLocation)
        #expect(!outcome.timedOut, "bridges \(arguments.joined(separator: " ")) hung", sourceLocation: sourceLocation)
        return outcome
    }

    /// The water program loaded, ws-pools naming the objectives of its activities.
    func loaded() throws -> TemporaryFolder {
        return try TemporaryFolder.prepared { folder in
            try SchoolFiles.writeWaterProgram(to: folder)
            try folder.write("water/ws-pools.xml", SchoolFiles.poolsLesson.replacingOccurrences(of: #"kind="game" minutes="15""#, with: #"kind="game" minutes="15" objectives="help""#))
            let load = try bridges("lesson", "load", "--db", "school.sqlite", "water", in: folder)
            try #require(load.status == 0, "\(load)")
        }
    }

    func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
    }

    @Test func thePlanIsWrittenNextToThePersonReadableByThemOnly() throws {
        let folder = try loaded()
        defer { folder.remove() }
        let outcome = try bridges("lesson", "print", "--db", "school.sqlite", "ws-pools", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardOutput == "")
        #expect(outcome.standardError == "wrote ws-pools-v1.html\n")
        let html = try String(contentsOfFile: folder.path("ws-pools-v1.html"), encoding: .utf8)
        #expect(try mode(folder.path("ws-pools-v1.html")) == 0o600)
        // The title escaped, the activities with what they teach, the quiz with its key.
        #expect(html.contains("<h1>Pool Safety &amp; Rules</h1>"))
        #expect(html.contains("Pictures of a pool — from the café poster"))
        #expect(html.contains("A whistle &amp; a float"))
        #expect(html.contains(#"Teaches: objective 2 <span class="id">help</span>"#))
        #expect(html.contains(#"<li class="correct"><span class="mark">✓</span><span class="label">b</span><span>The lifeguard"#))
        #expect(html.contains("The lifeguard is trained to help."))
        #expect(html.contains("q1=b,q2=false"))
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
    }

    @Test func theHandoutHasTheQuestionsWithoutTheAnswers() throws {
        let folder = try loaded()
        defer { folder.remove() }
        let outcome = try bridges("lesson", "print", "--db", "school.sqlite", "ws-pools", "--handout", in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.standardError == "wrote ws-pools-v1-handout.html\n")
        #expect(try mode(folder.path("ws-pools-v1-handout.html")) == 0o600)
        let page = try String(contentsOfFile: folder.path("ws-pools-v1-handout.html"), encoding: .utf8)
        let body = try #require(page.components(separatedBy: "</head>").last)
        #expect(body.contains("Who do you call at the pool?") && body.contains("You may run by the pool."))
        #expect(body.contains(#"<span class="label">a</span><span>A friend</span>"#))
        #expect(body.contains(#"<li><span class="box"></span><span class="label">b</span><span>The lifeguard</span></li>"#))
        #expect(body.contains("Name <i></i>"))
        for leak in ["correct", "✓", "trained to help", "q1=", ">false<", "Teaches", "Play on dry ground", "Ask who swims"] {
            #expect(!body.contains(leak), "the handout gives away \(leak)")
        }
    }

    @Test func outChoosesThePathAndDashIsStandardOutput() throws {
        let folder = try loaded()
        defer { folder.remove() }
        let toFile = try bridges("lesson", "print", "--db", "school.sqlite", "ws-pools", "--handout", "--out", "quiz.html", in: folder)
        #expect(toFile.status == 0, "\(toFile)")
        #expect(folder.exists("quiz.html") && !folder.exists("ws-pools-v1-handout.html"))
        let toOutput = try bridges("lesson", "print", "--db", "school.sqlite", "ws-pools", "--out", "-", in: folder)
        #expect(toOutput.status == 0, "\(toOutput)")
        #expect(toOutput.standardOutput.hasPrefix("<!DOCTYPE html>") && toOutput.standardOutput.contains("Pool Safety &amp; Rules"))
        #expect(!folder.exists("ws-pools-v1.html"))
        let nowhere = try bridges("lesson", "print", "--db", "school.sqlite", "ws-pools", "--out", "no/such/folder/plan.html", in: folder)
        #expect(nowhere.status == 74, "\(nowhere)")
        #expect(nowhere.standardError.contains("cannot create no/such/folder/plan.html"))
    }

    @Test func anOlderVersionPrintsWithItsOwnNumber() throws {
        let folder = try loaded()
        defer { folder.remove() }
        try folder.write("water/ws-pools.xml", SchoolFiles.poolsLesson
            .replacingOccurrences(of: "version='1'", with: "version='2'")
            .replacingOccurrences(of: "Pool Safety &amp; Rules", with: "Pool Safety, second edition"))
        let reload = try bridges("lesson", "load", "--db", "school.sqlite", "water", in: folder)
        try #require(reload.status == 0, "\(reload)")
        let latest = try bridges("lesson", "print", "--db", "school.sqlite", "ws-pools", in: folder)
        #expect(latest.standardError == "wrote ws-pools-v2.html\n", "\(latest)")
        let older = try bridges("lesson", "print", "--db", "school.sqlite", "ws-pools", "--version", "1", in: folder)
        #expect(older.standardError == "wrote ws-pools-v1.html\n", "\(older)")
        #expect(try String(contentsOfFile: folder.path("ws-pools-v1.html"), encoding: .utf8).contains("<h1>Pool Safety &amp; Rules</h1>"))
        #expect(try String(contentsOfFile: folder.path("ws-pools-v2.html"), encoding: .utf8).contains("<h1>Pool Safety, second edition</h1>"))
        let missing = try bridges("lesson", "print", "--db", "school.sqlite", "ws-pools", "--version", "7", in: folder)
        #expect(missing.status == 66, "\(missing)")
        #expect(missing.standardError.contains("stored versions: 1, 2"), "\(missing)")
    }

    @Test func anUnknownLessonOrAHandoutWithoutAQuizIsRefusedAndWritesNothing() throws {
        let folder = try loaded()
        defer { folder.remove() }
        let unknown = try bridges("lesson", "print", "--db", "school.sqlite", "ws-lakes", in: folder)
        #expect(unknown.status == 66, "\(unknown)")
        #expect(unknown.standardError.contains("no lesson 'ws-lakes' is stored"), "\(unknown)")
        let noQuiz = try bridges("lesson", "print", "--db", "school.sqlite", "ws-beach", "--handout", in: folder)
        #expect(noQuiz.status == 65, "\(noQuiz)")
        #expect(noQuiz.standardError.contains("has no quiz"), "\(noQuiz)")
        #expect(!folder.exists("ws-lakes-v1.html") && !folder.exists("ws-beach-v1-handout.html"))
        // Its plan prints.
        let plan = try bridges("lesson", "print", "--db", "school.sqlite", "ws-beach", in: folder)
        #expect(plan.status == 0 && folder.exists("ws-beach-v1.html"), "\(plan)")
    }
}

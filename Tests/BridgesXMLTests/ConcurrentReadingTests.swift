import BridgesCore
import BridgesXML
import Foundation
import Testing

/// `readAll` reads on every core, each thread with its own reader; the results must be the
/// same as reading one file after another, in the order the files were named.
@Suite("Reading many files")
struct ConcurrentReadingTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shipped curricula, every file.
    static func curriculumFiles() throws -> [String] {
        let curricula = repository.appendingPathComponent("Curricula")
        let walker = try #require(FileManager.default.enumerator(atPath: curricula.path))
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(".xml") { files.append(curricula.appendingPathComponent(relative).path) }
        }
        return files.sorted()
    }

    @Test func everyShippedCurriculumFileReadsWithoutFindings() throws {
        let files = try Self.curriculumFiles()
        #expect(files.count >= 3)
        let readings = try LessonPlanReader.readAll(files: files, threads: 4)
        for reading in readings {
            #expect(reading.diagnostics == [], "\(reading.file)")
            #expect(reading.document != nil, "\(reading.file)")
        }
    }

    @Test func readingOnSeveralThreadsGivesTheSameResultsAsOneAfterAnother() throws {
        // Given the shipped curricula plus broken and hostile files, many times over
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("BridgesXMLTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken: [(String, String)] = [
            ("bad-kind.xml", Fixture.lesson().replacingOccurrences(of: "discussion", with: "lecture")),
            ("bad-quiz.xml", Fixture.lesson(quiz: "<quiz><question id=\"q1\" type=\"single\"><prompt>?</prompt><choice id=\"a\">A</choice><choice id=\"a\">B</choice></question></quiz>")),
            ("doctype.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE lesson>\n<lesson/>"),
            ("empty.xml", ""),
            ("warning.xml", Fixture.lesson(head: "  <title>Pool safety</title>\n  <minutes>5</minutes>")),
        ]
        var extra: [String] = []
        for (name, text) in broken {
            let url = folder.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            extra.append(url.path)
        }
        let files = Array(repeating: try Self.curriculumFiles() + extra, count: 8).flatMap { $0 }
        // When read with one thread, then with several
        let sequential = try LessonPlanReader.readAll(files: files, threads: 1)
        let parallel = try LessonPlanReader.readAll(files: files, threads: 8)
        // Then every reading is the same, in the same order
        #expect(sequential.map(\.file) == files)
        #expect(parallel.map(\.file) == files)
        #expect(parallel.map(\.diagnostics) == sequential.map(\.diagnostics))
        #expect(parallel.map(\.document) == sequential.map(\.document))
        #expect(sequential.filter(\.hasErrors).count == 8 * 4)
    }

    @Test func readersOnSeparateTasksDoNotDisturbEachOther() async throws {
        // Given texts with different errors, each read alone first
        let texts = [
            Fixture.lesson(),
            Fixture.lesson().replacingOccurrences(of: "discussion", with: "lecture"),
            Fixture.lesson(head: "  <title>Pool safety</title>\n  <minutes>1</minutes>"),
            "<?xml version=\"1.0\"?>\n<!DOCTYPE lesson>\n<lesson/>",
        ]
        let expected = try texts.map { try LessonPlanReader().read(bytes: Array($0.utf8), file: "ws-pools.xml").diagnostics }
        // When many tasks read them at once, each with its own reader
        let results = try await withThrowingTaskGroup(of: (Int, [Diagnostic]).self) { group in
            for round in 0..<64 {
                group.addTask {
                    let index = round % texts.count
                    let reader = try LessonPlanReader()
                    var last: [Diagnostic] = []
                    for _ in 0..<10 { last = reader.read(bytes: Array(texts[index].utf8), file: "ws-pools.xml").diagnostics }
                    return (index, last)
                }
            }
            var all: [(Int, [Diagnostic])] = []
            for try await result in group { all.append(result) }
            return all
        }
        // Then each gets what it got alone
        #expect(results.count == 64)
        for (index, diagnostics) in results {
            #expect(diagnostics == expected[index])
        }
    }
}

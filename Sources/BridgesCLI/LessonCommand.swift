import ArgumentParser
import BridgesKit
import Foundation

/// `bridges lesson …`: lesson plans in and out.
struct LessonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Validate, load, list and show lesson plans (XML, see Curricula/README.md).",
        subcommands: [Validate.self, Load.self, List.self, Show.self, Print.self, Schema.self]
    )
}

extension LessonCommand {
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check lesson-plan files or folders against the schema and every rule; writes nothing.",
            discussion: "When the database exists, versions are also compared with the stored ones.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("Lesson-plan files, or folders to search for *.xml.", valueName: "path"))
        var paths: [String] = []

        func run() async throws {
            try await Console.run {
                let progress = ProgressLine()
                defer { progress.finish() }
                let records = try await Registrar.openIfPresent(database.location)
                let check = try await Registrar.validateLessonPlans(
                    paths: paths, against: records, processors: ProcessInfo.processInfo.activeProcessorCount, progress: progress.handler)
                progress.finish()
                Console.diagnostics(check.diagnostics)
                let counts = "\(check.files) file\(check.files == 1 ? "" : "s") (\(check.programs) program\(check.programs == 1 ? "" : "s"), \(check.lessons) lesson\(check.lessons == 1 ? "" : "s"))"
                let warnings = check.diagnostics.warningCount
                let warningText = warnings == 0 ? "" : ", \(warnings) warning\(warnings == 1 ? "" : "s")"
                if check.diagnostics.hasErrors {
                    let errors = check.diagnostics.errorCount
                    Console.say("error: \(errors) error\(errors == 1 ? "" : "s")\(warningText) in \(check.files) file\(check.files == 1 ? "" : "s")")
                    throw ExitCode(65)
                }
                Console.result("valid: \(counts)\(warningText)")
            }
        }
    }

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load",
            abstract: "Validate, then store programs, lessons and new versions (all or nothing).")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions

        @Argument(help: ArgumentHelp("Lesson-plan files, or folders to search for *.xml.", valueName: "path"))
        var paths: [String] = []

        func run() async throws {
            try await Console.run {
                if paths.isEmpty { throw BridgesError.usage("name at least one lesson-plan file or folder, e.g. bridges lesson load Curricula") }
                let progress = ProgressLine()
                defer { progress.finish() }
                let load = try await Registrar.loadLessonPlans(
                    paths: paths, into: database.location, caller: .local(actor.name), processors: ProcessInfo.processInfo.activeProcessorCount,
                    progress: progress.handler)
                progress.finish()
                Console.diagnostics(load.diagnostics)
                Console.result("added \(load.added), updated to a new version \(load.updated), unchanged \(load.unchanged) (from \(load.files) file\(load.files == 1 ? "" : "s"))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List stored lessons in each program's teaching order.")

        @OptionGroup var database: DatabaseOptions

        @Option(parsing: .unconditional, help: ArgumentHelp("Only this program's lessons.", valueName: "id"))
        var program: String?

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location, access: .read)
                let lessons = try await records.lessonListing(programID: program, caller: .commandLine)
                if lessons.isEmpty {
                    Console.say("No lesson plans are stored yet; load some with: bridges lesson load Curricula")
                    return
                }
                let rows = lessons.map { lesson in
                    [lesson.programID, lesson.lessonID, String(lesson.version), String(lesson.minutes),
                     lesson.required.map { $0 ? "yes" : "no" } ?? "unlisted", lesson.title]
                }
                Console.result(TextTable.render(header: ["PROGRAM", "LESSON", "VERSION", "MINUTES", "REQUIRED", "TITLE"], rows: rows))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a lesson readably enough to teach from (or a program's overview).")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("A lesson id (or a program id for its overview).", valueName: "id"))
        var id: String

        @Option(help: ArgumentHelp("A stored version other than the latest.", valueName: "n"))
        var version: Int?

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location, access: .read)
                if let stored = try await records.lesson(id: id, version: version, caller: .commandLine) {
                    Console.result(LessonRendering.render(stored))
                } else if let program = try await records.program(id: id, version: version, caller: .commandLine) {
                    Console.result(LessonRendering.render(program))
                } else {
                    throw BridgesError.notFound(.lesson(id), "no lesson or program '\(id)' is stored; `bridges lesson list` shows what is")
                }
            }
        }
    }

    struct Print: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "print",
            abstract: "Write a lesson as a page to print: the officer's lesson plan, or the students' quiz handout.",
            discussion: """
                Without --handout: the lesson plan with objectives, materials, safety notes, every activity and \
                the quiz with its answer key. With --handout: the quiz for students, without answers. Self-contained \
                HTML; open it in a browser and print. Writes ID-vN.html (or ID-vN-handout.html) in the current \
                folder unless --out says otherwise (- is standard output). The file is readable by its owner only.
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("The lesson id.", valueName: "id"))
        var id: String

        @Option(help: ArgumentHelp("A stored version other than the latest.", valueName: "n"))
        var version: Int?

        @Flag(help: "The students' quiz handout (no answer key) instead of the lesson plan.")
        var handout = false

        @Option(help: ArgumentHelp("Where to write the page.", valueName: "path"))
        var out: String?

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location, access: .read)
                let (stored, html) = try await records.printableLesson(id: id, version: version, handout: handout)
                if out == "-" {
                    print(html, terminator: "")
                    return
                }
                let path = out ?? "\(stored.lesson.id)-v\(stored.lesson.version)\(handout ? "-handout" : "").html"
                try Self.writeOwnerOnly(html, to: path)
                Console.say("wrote \(path)")
            }
        }

        /// The one place this command creates a file, as `certificate print` does: a private new
        /// file (0600 from its first byte, never through a planted link) that replaces an earlier
        /// print of the same lesson.
        static func writeOwnerOnly(_ text: String, to path: String) throws {
            try Registrar.writePrivateFile(text, to: path)
        }
    }

    struct Schema: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schema",
            abstract: "Print the lesson-plan XSD this program validates with (the same as Curricula/lesson-plan.xsd).")

        func run() async throws {
            print(Registrar.lessonPlanSchema, terminator: "")
        }
    }
}

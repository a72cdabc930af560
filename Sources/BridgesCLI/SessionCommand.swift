import ArgumentParser
import BridgesKit
import Foundation

extension AttendanceStatus: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// `bridges session …`: the sessions officers teach.
struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Log, list, show, correct and void taught sessions; import them from CSV.",
        subcommands: [Log.self, List.self, Show.self, Amend.self, Void.self, Import.self]
    )
}

/// A comma-separated list of student ids, as `--present 1001,1002`.
struct StudentIDs: ExpressibleByArgument {
    var ids: [String]
    init?(argument: String) {
        ids = argument.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }
}

extension SessionCommand {
    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log",
            abstract: "Log a session taught, with every enrolled student's status.",
            discussion: """
                Every student enrolled in the class gets exactly one status: name them with --present, --late, \
                --absent, --excused (comma-separated ids) or a --sheet CSV (student_id,status), and give everyone \
                else one with --others. Prints the new session's id alone on standard output, so a script can keep \
                it: id=$(bridges session log …)
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions

        @Option(parsing: .unconditional, help: ArgumentHelp("The lesson taught (its latest version is recorded).", valueName: "id")) var lesson: String
        @Option(name: .customLong("class"), parsing: .unconditional, help: ArgumentHelp("The class taught.", valueName: "id")) var classID: String
        @Option(parsing: .unconditional, help: ArgumentHelp("The officer who taught it.", valueName: "id")) var officer: String
        @Option(help: ArgumentHelp("The day it was taught.", valueName: "YYYY-MM-DD")) var date: String
        @Option(help: ArgumentHelp("Minutes taught (default: the lesson's planned minutes).", valueName: "n")) var minutes: Int?
        @Option(help: ArgumentHelp("Students present.", valueName: "ids")) var present: [StudentIDs] = []
        @Option(help: ArgumentHelp("Students who came late (counts as attended).", valueName: "ids")) var late: [StudentIDs] = []
        @Option(help: ArgumentHelp("Students absent.", valueName: "ids")) var absent: [StudentIDs] = []
        @Option(help: ArgumentHelp("Students excused.", valueName: "ids")) var excused: [StudentIDs] = []
        @Option(help: ArgumentHelp("The status of every enrolled student not named.", valueName: "status")) var others: AttendanceStatus?
        @Option(help: ArgumentHelp("A CSV with the columns student_id,status.", valueName: "file")) var sheet: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("A note for the record.", valueName: "text")) var note: String?

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location)
                let logged = try await records.logSession(
                    lessonID: lesson, classID: classID, officerID: officer, date: date, minutes: minutes,
                    present: present.flatMap(\.ids), late: late.flatMap(\.ids), absent: absent.flatMap(\.ids), excused: excused.flatMap(\.ids),
                    others: others, sheet: sheet, note: note, caller: .local(actor.name))
                for warning in logged.warnings { Console.say("warning: \(warning.forCommandLine)") }
                Console.result(String(logged.id))
                let counts = AttendanceStatus.allCases.map { "\(logged.counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
                Console.say("logged session \(logged.id): \(lesson) v\(logged.lessonVersion), class \(classID), \(date), \(logged.minutes) min; \(counts)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List sessions, oldest first.")

        @OptionGroup var database: DatabaseOptions
        @Option(name: .customLong("class"), parsing: .unconditional, help: ArgumentHelp("Only this class.", valueName: "id")) var classID: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("Only this program.", valueName: "id")) var program: String?
        @Option(help: ArgumentHelp("From this day on.", valueName: "YYYY-MM-DD")) var from: String?
        @Option(help: ArgumentHelp("Up to this day.", valueName: "YYYY-MM-DD")) var to: String?

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location, access: .read)
                let sessions = try await records.sessions(classID: classID, programID: program, from: from, to: to, caller: .commandLine)
                if sessions.isEmpty {
                    Console.say("No sessions match.")
                    return
                }
                let rows = sessions.map { s in
                    [String(s.id), s.date, s.programID, "\(s.lessonID) v\(s.lessonVersion)", s.classID, s.officerID, String(s.minutes),
                     "\(s.counts[.present] ?? 0)/\(s.counts[.late] ?? 0)/\(s.counts[.absent] ?? 0)/\(s.counts[.excused] ?? 0)",
                     s.voidedAt == nil ? "" : "voided"]
                }
                Console.result(TextTable.render(header: ["ID", "DATE", "PROGRAM", "LESSON", "CLASS", "OFFICER", "MINUTES", "PRES/LATE/ABS/EXC", ""], rows: rows))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a session: lesson, class, officer, each student's status and quiz, and every correction.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: ArgumentHelp("The session id.", valueName: "id")) var id: Int64

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location, access: .read)
                let detail = try await records.session(id: id, caller: .commandLine)
                Console.result(lines: SessionRendering.render(detail))
            }
        }
    }

    struct Amend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "amend",
            abstract: "Correct a session: a student's status, its date, officer, minutes or lesson version; the old values and the reason stay in the audit trail.",
            discussion: """
                Give one or more corrections and a --reason; they are made together or not at all. A lesson is still \
                logged once per class and day, and a student with quiz attempts in the session keeps a status of \
                present or late until those attempts are voided (bridges quiz void).
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("The session id.", valueName: "id")) var id: Int64
        @Option(parsing: .unconditional, help: ArgumentHelp("The student whose status changes (with --status).", valueName: "id")) var student: String?
        @Option(help: ArgumentHelp("The student's right status.", valueName: "status")) var status: AttendanceStatus?
        @Option(help: ArgumentHelp("The day it was really taught.", valueName: "YYYY-MM-DD")) var date: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("The officer who really taught it.", valueName: "id")) var officer: String?
        @Option(help: ArgumentHelp("The minutes really taught.", valueName: "n")) var minutes: Int?
        @Option(help: ArgumentHelp("The version of the lesson really taught.", valueName: "n")) var lessonVersion: Int?
        @Option(parsing: .unconditional, help: ArgumentHelp("Why it changes.", valueName: "text")) var reason: String

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location)
                let correction = Registrar.SessionCorrection(date: date, officerID: officer, minutes: minutes, lessonVersion: lessonVersion, student: student, status: status)
                let changes = try await records.amendSession(id: id, correction: correction, reason: reason, caller: .local(actor.name))
                if changes.isEmpty {
                    if let student, let status {
                        Console.result("student \(student) is already \(status) in session \(id); nothing changed")
                    } else {
                        Console.result("session \(id) already records that; nothing changed")
                    }
                }
                for change in changes {
                    if change.field.hasPrefix("status of "), let student {
                        Console.result("session \(id): student \(student) \(change.oldValue == "(none)" ? "(no status)" : change.oldValue) → \(change.newValue)")
                    } else {
                        Console.result("session \(id): \(change.field) \(change.oldValue) → \(change.newValue)")
                    }
                }
            }
        }
    }

    struct Void: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "void", abstract: "Void a session logged in error; it leaves every report but stays in the audit trail.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("The session id.", valueName: "id")) var id: Int64
        @Option(parsing: .unconditional, help: ArgumentHelp("Why it is voided.", valueName: "text")) var reason: String

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location)
                try await records.voidSession(id: id, reason: reason, caller: .local(actor.name))
                Console.result("session \(id) voided")
            }
        }
    }
}

extension SessionCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import sessions and marks from a CSV in the attendance report's columns (all or nothing).",
            discussion: """
                Needs the columns \(Registrar.sessionImportColumns.joined(separator: ",")) (recorded_at and recorded_by are \
                kept when present). A session is matched by class, lesson and date; marks equal to stored ones change \
                nothing; any contradiction or unknown id is an error naming file:line, and then nothing is written.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("The CSV file.", valueName: "file")) var file: String
        @Flag(help: "Check everything and say what would change, writing nothing.") var dryRun = false

        func run() async throws {
            try await Console.run {
                let progress = ProgressLine()
                defer { progress.finish() }
                let records = try await Registrar(database.location)
                let result = try await records.importSessions(path: file, caller: .local(actor.name), dryRun: dryRun, progress: progress.handler)
                progress.finish()
                Console.diagnostics(result.warnings)
                Console.result("\(result.rows) rows: sessions \(result.sessionsCreated) new, \(result.sessionsExtended) matched; marks \(result.marksAdded) added, \(result.marksUnchanged) unchanged\(dryRun ? " (dry run: nothing was written)" : "")")
            }
        }
    }
}

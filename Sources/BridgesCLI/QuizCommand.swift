import ArgumentParser
import BridgesKit
import Foundation

/// `bridges quiz …`: quiz answers, marked as lesson-plan-format.md says.
struct QuizCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quiz",
        abstract: "Record and mark quiz attempts.",
        subcommands: [Record.self]
    )
}

extension QuizCommand {
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: "Mark and record attempts at a session's quiz; every attempt is kept and the best counts.",
            discussion: """
                One student: --student SID --answers "q1=a,q2=a+c,q3=true,q4=call 911". A class: --sheet FILE, a CSV \
                with student_id then one column per question id. Only students marked present or late in the session \
                can have attempts.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: ArgumentHelp("The session whose lesson's quiz was taken.", valueName: "id")) var session: Int64
        @Option(parsing: .unconditional, help: ArgumentHelp("The student (with --answers).", valueName: "id")) var student: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("The answers, e.g. \"q1=a,q2=a+c,q3=true,q4=call 911\".", valueName: "answers")) var answers: String?
        @Option(help: ArgumentHelp("A CSV: student_id, then one column per question id.", valueName: "file")) var sheet: String?

        func validate() throws {
            switch (student, answers, sheet) {
            case (.some, .some, nil), (nil, nil, .some): break
            default: throw ValidationError("give --student and --answers for one student, or --sheet FILE for several")
            }
        }

        func run() throws {
            try Console.run {
                let records = try Records(databasePath: database.path)
                let results: [QuizAttemptResult]
                if let sheet {
                    results = try records.recordQuiz(session: session, sheet: sheet, actor: actor.name)
                } else {
                    results = try records.recordQuiz(session: session, student: student!, answers: answers!, actor: actor.name)
                }
                let rows = results.map { r in
                    [r.studentID, "\(r.earned)/\(r.possible)", percent(r.percent), r.passed ? "passed" : "not passed", String(r.attempt),
                     "\(percent(r.bestPercent)) \(r.bestPassed ? "passed" : "not passed")"]
                }
                Console.result(TextTable.render(header: ["STUDENT", "POINTS", "SCORE", "RESULT", "ATTEMPT", "BEST"], rows: rows))
            }
        }

        private func percent(_ value: Double) -> String {
            value.rounded() == value ? "\(Int(value))%" : String(format: "%.1f%%", value)
        }
    }
}

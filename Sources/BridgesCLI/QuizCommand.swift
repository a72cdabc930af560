import ArgumentParser
import BridgesKit
import Foundation

/// `bridges quiz …`: quiz answers, marked as lesson-plan-format.md says.
struct QuizCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quiz",
        abstract: "Record and mark quiz attempts.",
        subcommands: [Record.self, Void.self]
    )
}

extension QuizCommand {
    struct Record: AsyncParsableCommand {
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

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location)
                let results: [QuizAttemptResult]
                if let sheet {
                    results = try await records.recordQuiz(session: session, sheet: sheet, caller: .local(actor.name))
                } else {
                    results = try await records.recordQuiz(session: session, student: student!, answers: answers!, caller: .local(actor.name))
                }
                let rows = results.map { r in
                    [r.studentID, "\(r.earned)/\(r.possible)", percent(r.percent), r.passed ? "passed" : "not passed", String(r.attempt),
                     "\(percent(r.bestPercent)) \(r.bestPassed ? "passed" : "not passed")"]
                }
                Console.result(TextTable.render(header: ["STUDENT", "POINTS", "SCORE", "RESULT", "ATTEMPT", "BEST"], rows: rows))
                for r in results where !r.unanswered.isEmpty {
                    let questions = "\(r.unanswered.count == 1 ? "question" : "questions") \(r.unanswered.joined(separator: ", "))"
                    let place = sheet.map { "\($0):\(r.line.map(String.init) ?? "?"): " } ?? ""
                    Console.say("\(place)warning: student \(r.studentID) left \(questions) unanswered; marked wrong in attempt \(r.attempt)")
                }
            }
        }

        private func percent(_ value: Double) -> String {
            value.rounded() == value ? "\(Int(value))%" : String(format: "%.1f%%", value)
        }
    }
}

extension QuizCommand {
    struct Void: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "void",
            abstract: "Void a quiz attempt recorded in error; it stays in the audit trail and no longer counts.",
            discussion: """
                `bridges session show ID` lists each student's attempts with their numbers. A voided attempt no longer \
                counts for the best score, certificate eligibility or reports; it cannot be voided twice.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: ArgumentHelp("The session of the attempt.", valueName: "id")) var session: Int64
        @Option(parsing: .unconditional, help: ArgumentHelp("The student.", valueName: "id")) var student: String
        @Option(help: ArgumentHelp("The attempt's number, as `session show` lists it.", valueName: "n")) var attempt: Int
        @Option(parsing: .unconditional, help: ArgumentHelp("Why it is voided.", valueName: "text")) var reason: String

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location)
                let voided = try await records.voidQuizAttempt(session: session, student: student, attempt: attempt, reason: reason, caller: .local(actor.name))
                Console.result("session \(session): quiz attempt \(attempt) of student \(student) (\(voided.earned)/\(voided.possible) \(voided.passed ? "passed" : "not passed")) voided")
            }
        }
    }
}

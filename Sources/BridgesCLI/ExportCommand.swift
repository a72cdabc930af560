import ArgumentParser
import BridgesKit
import Foundation

/// `bridges export REPORT`: a report as CSV, for a spreadsheet or a funder.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a report as CSV: attendance, summary, certificates or program-report.",
        discussion: """
            Writes Exports/REPORT-YYYY-MM-DD.csv (today's date; the folder is created; filters are in the name, \
            e.g. attendance-school-A-YYYY-MM-DD.csv, and a name already taken gets -2, -3 …) unless --out names \
            a file, a folder, or - for standard output. An existing file named with --out is replaced only with \
            --force. The file is readable by its owner only; a folder others can write to is refused. \
            Says where and how many rows on standard error. \
            Voided sessions are left out of every report. --from and --to (inclusive) apply to the session \
            date, or to the issue date for certificates; the summary judges eligibility as of --to (default \
            today).
            Reports: \(Report.allCases.map(\.rawValue).joined(separator: ", ")).
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp("The report: \(Report.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "report"),
              completion: .list(Report.allCases.map(\.rawValue)))
    var report: String
    @Option(parsing: .unconditional, help: ArgumentHelp("Only this program.", valueName: "id")) var program: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Only this school.", valueName: "id")) var school: String?
    @Option(help: ArgumentHelp("From this day on.", valueName: "YYYY-MM-DD")) var from: String?
    @Option(help: ArgumentHelp("Up to and including this day.", valueName: "YYYY-MM-DD")) var to: String?
    @Option(help: ArgumentHelp("Where to write it: a file, a folder, or - for standard output.", valueName: "path"))
    var out: String?
    @Flag(help: "Start the file with a UTF-8 byte-order mark, which Excel needs to read names in any script.")
    var excel = false
    @Flag(help: "Replace the file named with --out if it exists.")
    var force = false

    func run() throws {
        try Console.run {
            let kind = try Report.named(report)
            let destination: ReportDestination
            switch out {
            case nil: destination = .exportsFolder
            case "-": destination = .standardOutput
            case let path?:
                guard !path.isEmpty else { throw BridgesError.usage("--out is empty; name a file, a folder, or - for standard output") }
                destination = .path(path)
            }
            guard let records = try Records.openIfPresent(database.location) else {
                throw BridgesError.notFound("there is no database at \(database.path); name it with --db PATH or $BRIDGES_DB")
            }
            let progress = ProgressLine()
            defer { progress.finish() }
            let written = try records.exportReport(
                kind, programID: program, schoolID: school, from: from, to: to, destination: destination, excel: excel,
                replacing: force, progress: progress.handler)
            progress.finish()
            let rows = "\(written.rows) row\(written.rows == 1 ? "" : "s")"
            Console.say("wrote \(rows) to \(written.path ?? "standard output") (\(kind))")
        }
    }
}

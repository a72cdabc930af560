import ArgumentParser
import BridgesKit
import Foundation

/// `bridges export REPORT`: a report as CSV, for a spreadsheet or a funder.
struct ExportCommand: AsyncParsableCommand {
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
            Reports: \(Report.allCases.map(\.rawValue).joined(separator: ", ")), and community-report (counts per \
            school and program for a public meeting, small counts suppressed; --format csv or html, --min-cell N).
            Every export is recorded in the disclosure log (bridges disclosure list): who (--actor), when, the \
            report, its filters, the rows, where it went, and --purpose. Give --purpose for reports that name \
            students (attendance, summary, certificates): without it the export still runs, is logged as \
            "purpose not given", and says so on standard error.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions

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
    @Option(parsing: .unconditional, help: ArgumentHelp("Why, and for whom: kept in the disclosure log (expected for reports that name students).", valueName: "text"))
    var purpose: String?
    @Option(help: ArgumentHelp("community-report only: csv (default) or html, one page with charts.", valueName: "format"))
    var format: String?
    @Option(name: .customLong("min-cell"), help: ArgumentHelp("community-report only: counts of students below this are suppressed (default 10).", valueName: "n"))
    var minCell: Int?

    func run() async throws {
        try await Console.run {
            if report.trimmingCharacters(in: .whitespaces).lowercased() == CommunityReport.name {
                try await runCommunityReport()
                return
            }
            if format != nil || minCell != nil {
                throw BridgesError.usage("--format and --min-cell are for community-report only")
            }
            let kind = try Report.named(report)
            let destination: ReportDestination
            switch out {
            case nil: destination = .exportsFolder
            case "-": destination = .standardOutput
            case let path?: destination = try .typed(path, accepted: "a file, a folder")
            }
            // An export records its disclosure: the database is opened to write.
            guard let records = try await Registrar.openIfPresent(database.location, access: .write) else {
                throw BridgesError.notFound(.database(database.name), "there is no database at \(database.name); name it with --db PATH or $BRIDGES_DB")
            }
            let progress = ProgressLine()
            defer { progress.finish() }
            let written = try await records.exportReport(
                kind, programID: program, schoolID: school, from: from, to: to, destination: destination, excel: excel,
                replacing: force, progress: progress.handler, caller: .local(actor.name), purpose: purpose)
            progress.finish()
            let rows = "\(written.rows) row\(written.rows == 1 ? "" : "s")"
            Console.say("wrote \(rows) to \(written.path ?? "standard output") (\(kind))")
            if purpose == nil, kind.namesStudents {
                Console.say("warning: no --purpose given; the disclosure log records this \(kind) export of students' names as \"purpose not given\"")
            }
        }
    }

    private func runCommunityReport() async throws {
        let destination: ReportDestination
        switch out {
        case nil: destination = .exportsFolder
        case "-": destination = .standardOutput
        case let path?: destination = try .typed(path, accepted: "a file, a folder")
        }
        if program != nil || school != nil {
            throw BridgesError.usage("community-report covers every school and program; --program and --school are for the other reports")
        }
        let chosen = try CommunityReport.Format.named(format ?? "csv")
        guard let records = try await Registrar.openIfPresent(database.location, access: .write) else {
            throw BridgesError.notFound(.database(database.name), "there is no database at \(database.name); name it with --db PATH or $BRIDGES_DB")
        }
        let written = try await records.exportCommunityReport(
            from: from, to: to, format: chosen, minimumCell: minCell ?? CommunityReport.defaultMinimumCell, destination: destination,
            excel: excel, replacing: force, caller: .local(actor.name), purpose: purpose)
        Console.say("wrote the community report (\(written.rows) rows, \(written.suppressed) counts suppressed) to \(written.path ?? "standard output"): \(written.period)")
    }
}

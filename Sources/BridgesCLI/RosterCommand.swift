import ArgumentParser
import BridgesKit
import Foundation

/// `bridges roster …`: schools, classes and students in and out.
struct RosterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "Import and list rosters: schools, classes, students and who is in which class.",
        subcommands: [Import.self, List.self]
    )
}

extension RosterCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import a roster CSV, or a OneRoster 1.1 CSV export (a folder or a .zip); all or nothing.",
            discussion: """
                A roster CSV has a header naming the columns school_id, school_name, class_id, class_name, \
                student_id, given_name, family_name and grade, and one row per student in a class (grade K or \
                0-12). A OneRoster export has manifest.csv, orgs.csv, users.csv, classes.csv and enrollments.csv; \
                only users with role student are imported.

                Importing again updates names and grades, and makes each class in the file hold exactly the \
                file's students (classes not in the file are left alone). Ids are kept exactly as written. \
                Every bad row is reported as file:line: error: …, and then nothing is written (exit 65).
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions

        @Argument(help: ArgumentHelp("A roster CSV file, or a OneRoster folder or .zip.", valueName: "path"))
        var path: String

        @Flag(help: "Check everything and say what would change, writing nothing.")
        var dryRun = false

        func run() async throws {
            try await Console.run {
                let progress = ProgressLine()
                defer { progress.finish() }
                // Progress needs a line count first; skip it when nobody would see it.
                let handler = Console.standardErrorIsTerminal ? progress.handler : nil
                let result: RosterImport
                if dryRun {
                    result = try await Registrar.dryRunRosterImport(path: path, location: database.location, caller: .local(actor.name), progress: handler)
                } else {
                    let records = try await Registrar(database.location)
                    result = try await records.importRoster(path: path, caller: .local(actor.name), progress: handler)
                }
                progress.finish()
                Console.diagnostics(result.diagnostics)
                Console.result(result.summary)
                if result.dryRun { Console.result("dry run: nothing was written") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List enrolled students by school and class (grade K is kindergarten).")

        @OptionGroup var database: DatabaseOptions

        @Option(parsing: .unconditional, help: ArgumentHelp("Only this school's classes.", valueName: "id"))
        var school: String?

        @Option(name: .customLong("class"), parsing: .unconditional, help: ArgumentHelp("Only this class.", valueName: "id"))
        var schoolClass: String?

        @Option(
            help: ArgumentHelp(
                "Only this student, by id or by the district's student number (OneRoster identifier).",
                valueName: "id"))
        var student: String?

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location, access: .read)
                var header = ["SCHOOL", "CLASS", "STUDENT", "FAMILY NAME", "GIVEN NAME", "GRADE"]
                var table: RosterListingTable?
                // The district's numbers are shown when the roster gave any.
                var showsIdentifier = false
                try await records.listRoster(
                    schoolID: school, classID: schoolClass, student: student, caller: .commandLine,
                    shape: { shape in
                        guard shape.rows > 0 else { return }
                        showsIdentifier = shape.longest.count > 5 && shape.longest[5] > 0
                        var longest = Array(shape.longest.prefix(5)) + [5]
                        if showsIdentifier {
                            header.append("IDENTIFIER")
                            longest.append(shape.longest[5])
                        }
                        table = RosterListingTable(header: header, longest: longest)
                    },
                    row: { row in
                        var cells = [row.schoolID, row.classID, row.studentID, row.familyName, row.givenName, row.grade]
                        // (An empty last cell would leave the line ending in spaces.)
                        if showsIdentifier && !row.identifier.isEmpty { cells.append(row.identifier) }
                        table?.print(cells)
                    })
                if table == nil {
                    if let student {
                        Console.say("No enrolled student has the id or identifier \(student).")
                    } else if let schoolClass {
                        Console.say("No students are enrolled in class \(schoolClass).")
                    } else if let school {
                        Console.say("No students are enrolled in school \(school)'s classes.")
                    } else {
                        Console.say("No students are enrolled yet; import a roster with: bridges roster import FILE")
                    }
                }
            }
        }
    }
}

/// Aligned columns printed a row at a time, for listings too long to hold: the widths come from
/// the most columns each value could take, known before the first row, capped at
/// `TextTable.cellWidth`. Cells are shown as `TextTable` shows them (escaped by `DisplayText`, cut
/// with "…" at the same limits, padded by the columns they take on screen).
struct RosterListingTable {
    private let widths: [Int]
    private static let spaces = String(repeating: " ", count: 256)

    init(header: [String], longest: [Int]) {
        widths = header.indices.map { index in
            min(max(DisplayText.width(header[index]), index < longest.count ? longest[index] : 0), TextTable.cellWidth)
        }
        print(header)
    }

    /// Writes one line to standard output.
    func print(_ cells: [String]) {
        var text = ""
        text.reserveCapacity(widths.reduce(16) { $0 + $1 + 2 })
        for (index, cell) in cells.enumerated() {
            let width = index < widths.count ? widths[index] : 0
            // Cut at the table's cell limit, not at the column: a value with escaped control
            // characters is wider than its stored length, and is shown whole (up to the limit)
            // even though its row then stands out.
            let limit = index < cells.count - 1 ? TextTable.cellWidth : TextTable.lastCellWidth
            let shown = DisplayText.cell(cell, limit: limit)
            text += shown.text
            if index < cells.count - 1 {
                var pad = max(width - shown.width, 0) + 2
                while pad > 0 {
                    let run = min(pad, Self.spaces.utf8.count)
                    text += Self.spaces.prefix(run)
                    pad -= run
                }
            }
        }
        Swift.print(text)
    }
}

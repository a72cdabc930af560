import BridgesCSV
import BridgesCore
import BridgesStore
import BridgesSystem
import Foundation

/// The program's numbers for a town hall (`export community-report`): per school and program,
/// sessions, instruction hours, officers, students reached and certificates, beside the previous
/// period of the same length, with small counts of children hidden (`SmallCountSuppression`) so
/// that no child can be picked out, directly or from the totals. Never a row about one student.
public struct CommunityReport: Sendable {
    public static let name = "community-report"
    /// Counts of children below this are hidden unless told otherwise (`--min-cell`).
    public static let defaultMinimumCell = 10

    public enum Format: String, Sendable, CaseIterable {
        case csv, html

        public static func named(_ name: String) throws(BridgesError) -> Format {
            guard let format = Format(rawValue: name.trimmingWhitespace().lowercased()) else {
                throw .usage("there is no format '\(name)' for the community report; use csv or html")
            }
            return format
        }
    }

    /// One period's counts for a school and program (or a total of them).
    public struct Counts: Sendable, Hashable {
        public var sessions = 0
        public var minutes = 0
        /// Distinct officers who taught (not added up in totals: one officer teaches at several schools).
        public var officers = 0
        public var studentsReached = 0
        public var certificates = 0

        public init() {}
    }

    /// A place people know by id and name.
    public struct Named: Sendable, Hashable {
        public var id: String
        public var name: String
    }

    /// The two measures about children, which are suppressed when small.
    public enum Measure: String, Sendable, CaseIterable {
        case studentsReached = "students_reached"
        case certificates
    }

    public var from: SchoolDate
    public var to: SchoolDate
    public var previousFrom: SchoolDate
    public var previousTo: SchoolDate
    public var minimum: Int
    /// The grid's rows and columns, by id.
    public var schools: [Named]
    public var programs: [Named]
    /// `current[school][program]`, nil where nothing happened in the period.
    public var current: [[Counts?]]
    public var previous: [[Counts?]]
    /// What is hidden, per measure, for the period and the previous one.
    public var suppressionNow: [Measure: SmallCountSuppression]
    public var suppressionBefore: [Measure: SmallCountSuppression]

    init(from: SchoolDate, to: SchoolDate, minimum: Int, schools: [Named], programs: [Named], current: [[Counts?]], previous: [[Counts?]]) {
        self.from = from
        self.to = to
        let length = from.days(until: to) + 1
        previousTo = from.adding(days: -1) ?? from
        previousFrom = from.adding(days: -length) ?? from
        self.minimum = minimum
        self.schools = schools
        self.programs = programs
        self.current = current
        self.previous = previous
        func grid(_ counts: [[Counts?]], _ measure: Measure) -> [[Int?]] {
            counts.map { row in row.map { $0.map { measure == .studentsReached ? $0.studentsReached : $0.certificates } } }
        }
        var now: [Measure: SmallCountSuppression] = [:]
        var before: [Measure: SmallCountSuppression] = [:]
        for measure in Measure.allCases {
            now[measure] = SmallCountSuppression(cells: grid(current, measure), minimum: minimum)
            before[measure] = SmallCountSuppression(cells: grid(previous, measure), minimum: minimum)
        }
        suppressionNow = now
        suppressionBefore = before
    }

    /// How many counts are hidden in all.
    public var suppressedCount: Int {
        Measure.allCases.reduce(0) { $0 + suppressionNow[$1]!.suppressed.count + suppressionBefore[$1]!.suppressed.count }
    }

    /// One printed line: a school and program, or a total (`school`/`program` nil: all of them).
    public struct Line: Sendable {
        public var school: Named?
        public var program: Named?
        public var now: Counts
        public var before: Counts
        /// Each measure's printed value now and before; nil when hidden.
        public var shownNow: [Measure: Int]
        public var shownBefore: [Measure: Int]
        /// Whether the line has a row in the grid (a combination that never happened in either
        /// period is not printed).
        var present: Bool
    }

    /// The lines as printed: each school's programs, then its total; then each program's total
    /// over every school; last the grand total.
    public var lines: [Line] {
        var lines: [Line] = []
        func line(row: Int, column: Int) -> Line {
            let isTotalRow = row == schools.count, isTotalColumn = column == programs.count
            func add(_ counts: [[Counts?]]) -> Counts {
                var sum = Counts()
                for r in 0..<schools.count where isTotalRow || r == row {
                    for c in 0..<programs.count where isTotalColumn || c == column {
                        guard let cell = counts[r][c] else { continue }
                        sum.sessions += cell.sessions
                        sum.minutes += cell.minutes
                        sum.officers += cell.officers
                        sum.studentsReached += cell.studentsReached
                        sum.certificates += cell.certificates
                    }
                }
                if isTotalRow || isTotalColumn { sum.officers = 0 }
                return sum
            }
            var shownNow: [Measure: Int] = [:], shownBefore: [Measure: Int] = [:]
            let cell = SmallCountSuppression.Cell(row: row, column: column)
            for measure in Measure.allCases {
                shownNow[measure] = suppressionNow[measure]!.shown(cell) ?? (suppressionNow[measure]!.values[row][column] == nil && !suppressionNow[measure]!.suppressed.contains(cell) ? 0 : nil)
                shownBefore[measure] = suppressionBefore[measure]!.shown(cell) ?? (suppressionBefore[measure]!.values[row][column] == nil && !suppressionBefore[measure]!.suppressed.contains(cell) ? 0 : nil)
            }
            let present = isTotalRow || isTotalColumn || current[row][column] != nil || previous[row][column] != nil
            return Line(
                school: isTotalRow ? nil : schools[row], program: isTotalColumn ? nil : programs[column], now: add(current),
                before: add(previous), shownNow: shownNow, shownBefore: shownBefore, present: present)
        }
        for row in 0..<schools.count {
            for column in 0..<programs.count where current[row][column] != nil || previous[row][column] != nil {
                lines.append(line(row: row, column: column))
            }
            lines.append(line(row: row, column: programs.count))
        }
        for column in 0..<programs.count { lines.append(line(row: schools.count, column: column)) }
        lines.append(line(row: schools.count, column: programs.count))
        return lines
    }

    static let columns = [
        "from", "to", "school_id", "school_name", "program_id", "program_title",
        "sessions", "instruction_hours", "officers", "students_reached", "certificates",
        "previous_from", "previous_to", "previous_sessions", "previous_instruction_hours", "previous_officers",
        "previous_students_reached", "previous_certificates",
        "change_sessions", "change_instruction_hours", "change_students_reached", "change_certificates",
    ]

    /// Minutes as hours with one decimal.
    static func hours(_ minutes: Int) -> Decimal {
        Decimal((minutes * 10 + 30) / 60) / 10
    }

    /// The CSV cells of each line; a hidden count is the text `suppressed`, and so is any change
    /// computed from one.
    var csvRows: [[CSVCell]] {
        lines.map { line in
            func count(_ value: Int?) -> CSVCell { value.map(CSVCell.number) ?? .text("suppressed") }
            func change(_ now: Int?, _ before: Int?) -> CSVCell {
                guard let now, let before else { return .text("suppressed") }
                return .number(now - before)
            }
            let total = line.school == nil || line.program == nil
            return [
                .date(from.description), .date(to.description),
                .text(line.school?.id ?? "all"), .text(line.school?.name ?? "All schools"),
                .text(line.program?.id ?? "all"), .text(line.program?.name ?? "All programs"),
                .number(line.now.sessions), .decimal(Self.hours(line.now.minutes)), total ? .empty : .number(line.now.officers),
                count(line.shownNow[.studentsReached]), count(line.shownNow[.certificates]),
                .date(previousFrom.description), .date(previousTo.description),
                .number(line.before.sessions), .decimal(Self.hours(line.before.minutes)), total ? .empty : .number(line.before.officers),
                count(line.shownBefore[.studentsReached]), count(line.shownBefore[.certificates]),
                .number(line.now.sessions - line.before.sessions), .decimal(Self.hours(line.now.minutes) - Self.hours(line.before.minutes)),
                change(line.shownNow[.studentsReached], line.shownBefore[.studentsReached]),
                change(line.shownNow[.certificates], line.shownBefore[.certificates]),
            ]
        }
    }
}

/// What `export community-report` wrote.
public struct CommunityReportExport: Sendable {
    /// The file written; nil for a sink.
    public var path: String?
    /// Lines written (school and program lines and totals).
    public var rows: Int
    /// How many counts were hidden.
    public var suppressed: Int
    /// The periods compared, for people.
    public var period: String
}

extension Registrar {
    /// Counts per school and program for `from`…`to` (default: the year up to today) and the
    /// period of the same length before it, small counts hidden (`minimumCell`, at least 2).
    func communityReport(from: String?, to: String?, minimumCell: Int = CommunityReport.defaultMinimumCell) async throws(BridgesError) -> CommunityReport {
        try await communityReport(from: from, to: to, minimumCell: minimumCell, on: clock.today)
    }

    /// The community report as of `today`, the one reading of the clock of the operation.
    func communityReport(from: String?, to: String?, minimumCell: Int, on today: SchoolDate) async throws(BridgesError) -> CommunityReport {
        guard minimumCell >= 2 else { throw .usage("\(field: .minCell) must be 2 or more (counts below it are hidden); the default is \(CommunityReport.defaultMinimumCell)") }
        let toDate = try to.map { (text) throws(BridgesError) in try Self.date(text, field: .to) } ?? today
        let fromDate = try from.map { (text) throws(BridgesError) in try Self.date(text, field: .from) }
            ?? (toDate.adding(days: -364) ?? toDate)
        if toDate < fromDate { throw .usage("\(field: .from) \(fromDate) is after \(field: .to) \(toDate); give the earlier date first") }
        let length = fromDate.days(until: toDate) + 1
        guard let previousTo = fromDate.adding(days: -1), let previousFrom = fromDate.adding(days: -length) else {
            throw .usage("\(field: .from) \(fromDate) is too early to compare with a period before it")
        }
        func counts(_ filter: ReportFilter) async throws(BridgesError) -> [ProgramReportRow] {
            var rows: [ProgramReportRow] = []
            try await Self.store({ try await database.programReport(filter) { rows.append($0) } }, other: { .internalError("the community report failed: \($0)") })
            return rows
        }
        let now = try await counts(ReportFilter(from: fromDate.description, to: toDate.description))
        let before = try await counts(ReportFilter(from: previousFrom.description, to: previousTo.description))
        let schoolIDs = Set(now.map(\.schoolID) + before.map(\.schoolID)).sorted()
        let programIDs = Set(now.map(\.programID) + before.map(\.programID)).sorted()
        let titles = await Dictionary(try programs().map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        var schools: [CommunityReport.Named] = []
        for id in schoolIDs {
            let name = try await store { () async throws(StoreError) in try await database.school(id: id) }?.name ?? id
            schools.append(.init(id: id, name: name))
        }
        let programs = programIDs.map { CommunityReport.Named(id: $0, name: titles[$0] ?? $0) }
        func grid(_ rows: [ProgramReportRow]) -> [[CommunityReport.Counts?]] {
            var grid = [[CommunityReport.Counts?]](repeating: [CommunityReport.Counts?](repeating: nil, count: programs.count), count: schools.count)
            let schoolIndex = Dictionary(uniqueKeysWithValues: schoolIDs.enumerated().map { ($1, $0) })
            let programIndex = Dictionary(uniqueKeysWithValues: programIDs.enumerated().map { ($1, $0) })
            for row in rows {
                guard let s = schoolIndex[row.schoolID], let p = programIndex[row.programID] else { continue }
                var counts = CommunityReport.Counts()
                counts.sessions = row.sessions
                counts.minutes = row.instructionMinutes
                counts.officers = row.officers
                counts.studentsReached = row.studentsReached
                counts.certificates = row.certificatesIssued
                grid[s][p] = counts
            }
            return grid
        }
        return CommunityReport(
            from: fromDate, to: toDate, minimum: minimumCell, schools: schools, programs: programs, current: grid(now), previous: grid(before))
    }

    /// Writes the community report as CSV or one HTML page to `destination` (as `exportReport`:
    /// `community-report-…-DATE.csv|html` in the front door's default folder, a taken name numbered) and records
    /// it as a disclosure naming no student (`purpose` optional).
    public func exportCommunityReport(
        from: String?, to: String?, format: CommunityReport.Format, minimumCell: Int = CommunityReport.defaultMinimumCell,
        destination: ReportDestination, excel: Bool = false, replacing: Bool = false,
        caller: Caller, purpose: String?
    ) async throws(BridgesError) -> CommunityReportExport {
        let today = clock.today
        try caller.require(.exportCountReports)
        let actor = caller.name
        let purpose = try Self.checkedPurpose(purpose)
        let report = try await communityReport(from: from, to: to, minimumCell: minimumCell, on: today)
        let lines = report.lines
        let filters: [(String, String?)] = [
            ("from", report.from.description), ("to", report.to.description), ("min-cell", String(report.minimum)), ("format", format.rawValue),
        ]
        let period = "\(report.from) to \(report.to), compared with \(report.previousFrom) to \(report.previousTo)"
        var name = "\(CommunityReport.name)"
        if let from { name += "-from-\(Self.fileNamePart(from))" }
        if let to { name += "-to-\(Self.fileNamePart(to))" }
        name += "-\(today).\(format.rawValue)"
        switch format {
        case .html:
            let page = report.html
            // A folder given gets the usual name, numbered, as the default folder does.
            var place = destination
            var naming: Naming = replacing ? .replacing : .refusingToReplace
            try destination.checkFromRoot()
            if case .path(let given, let shownIn) = destination {
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: given, isDirectory: &isFolder), isFolder.boolValue {
                    place = .path(given.hasSuffix("/") ? given + name : given + "/" + name, shownIn: shownIn)
                    naming = .numbered
                }
            }
            if case .defaultFolder(let folder) = destination { try folder.make() }
            let written = try await writeDisclosed(
                page, to: place, name: name, naming: naming, inFolder: .numbered, kind: "export \(CommunityReport.name)", filters: filters,
                rows: lines.count, purpose: purpose, actor: actor, students: [])
            return CommunityReportExport(path: written, rows: lines.count, suppressed: report.suppressedCount, period: period)
        case .csv:
            let output = try ReportFile.open(.place(destination), name: name, byteOrderMark: excel, replacing: replacing, scratch: temporaryFolder)
            defer { output.cleanUp() }
            do {
                try output.writer.writeHeader(CommunityReport.columns)
                for row in report.csvRows { try output.writer.write(row) }
                try output.writer.finish()
                try await recordDisclosure(
                    kind: "export \(CommunityReport.name)", filters: filters, rows: lines.count, purpose: purpose, actor: actor,
                    namesStudents: false, students: []
                ) { () throws(BridgesError) -> String in
                    try output.commit()
                    return output.shownPath ?? output.recipient
                }
                try output.deliver()
            } catch {
                output.discard()
                output.withdraw()
                switch error {
                case let error as BridgesError: throw error
                case let error as CSVWriteError: throw output.failure(error)
                default: throw .internalError("the community report failed: \(error)")
                }
            }
            return CommunityReportExport(path: output.shownPath, rows: lines.count, suppressed: report.suppressedCount, period: period)
        }
    }
}

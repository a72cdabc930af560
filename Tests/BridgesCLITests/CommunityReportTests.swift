import BridgesKit
import Foundation
import Testing

/// `bridges export community-report` end to end (issue 15, part 5): counts per school and
/// program beside the previous period, small counts of children hidden so that none can be
/// worked back from the totals, never a row about a student.
@Suite("bridges export community-report", .timeLimit(.minutes(3)))
struct CommunityReportTests {
    /// Three schools: Hillside (30 students), Lakeview (12), Meadow (4); fire and water taught.
    /// Before 2026-01-01 only Hillside had fire (25 of 30 present, certificates to them); from
    /// 2026-01-01 to 2026-06-30 Hillside had fire (30 present: 5 new certificates) and water
    /// (30), Lakeview fire (8 present) and water (12), Meadow fire (4).
    static func term() async throws -> TemporaryFolder {
        return try await TemporaryFolder.prepared { folder in
            try SchoolFiles.writeWaterProgram(to: folder)
            try SchoolFiles.writeFireProgram(to: folder)
            var roster = "school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade\n"
            for (school, name, classID, size) in [("H", "Hillside Elementary", "H1", 30), ("L", "Lakeview School", "L1", 12), ("M", "Meadow Primary", "M1", 4)] {
                for n in 0..<size { roster += "\(school),\(name),\(classID),Room \(classID),\(classID)-\(n),Given\(n),Family\(n),2\n" }
            }
            try folder.write("roster.csv", roster)
            let records = try await Registrar(testDatabase(folder.path("term.sqlite")))
            _ = try await records.loadLessonPlans(paths: [folder.path("water"), folder.path("fire")], caller: .local("coordinator"), processors: 2)
            _ = try await records.importRoster(path: folder.path("roster.csv"), caller: .local("registrar"))
            _ = try await records.saveOfficer(id: "o-1", name: "Officer Reyes", caller: .local("admin"))
            _ = try await records.saveOfficer(id: "o-2", name: "Officer Chen", caller: .local("admin"))
            func session(_ lesson: String, _ classID: String, _ date: String, absent: [String] = [], officer: String = "o-1") async throws {
                _ = try await records.logSession(
                    lessonID: lesson, classID: classID, officerID: officer, date: date, minutes: nil, present: [], late: [], absent: absent, excused: [],
                    others: .present, sheet: nil, note: nil, caller: .local(officer))
            }
            try await session("fs-drill", "H1", "2025-09-10", absent: (25..<30).map { "H1-\($0)" })
            _ = try await records.issueCertificates(programID: "fire", asOf: "2025-09-15", caller: .local("coordinator"))
            try await session("fs-drill", "H1", "2026-02-10")
            try await session("ws-pools", "H1", "2026-02-11", officer: "o-2")
            try await session("fs-drill", "L1", "2026-02-12", absent: (8..<12).map { "L1-\($0)" })
            try await session("ws-pools", "L1", "2026-02-13")
            try await session("fs-drill", "M1", "2026-02-14")
            _ = try await records.issueCertificates(programID: "fire", asOf: "2026-03-01", caller: .local("coordinator"))
        }
    }

    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try ExportTerm.run(arguments, in: folder, sourceLocation: sourceLocation)
    }

    /// One measure of one period as the CSV prints it: rows are schools then `all`, columns
    /// programs then `all`; nil where the line is not printed (known 0), `.some(nil)` where hidden.
    static func grid(_ rows: [[String]], column: String, schools: [String], programs: [String]) throws -> [[Int??]] {
        let header = rows[0]
        let s = try #require(header.firstIndex(of: "school_id")), p = try #require(header.firstIndex(of: "program_id"))
        let c = try #require(header.firstIndex(of: column))
        var grid = [[Int??]](repeating: [Int??](repeating: .none, count: programs.count + 1), count: schools.count + 1)
        for row in rows.dropFirst() {
            let r = try #require((schools + ["all"]).firstIndex(of: row[s])), k = try #require((programs + ["all"]).firstIndex(of: row[p]))
            grid[r][k] = row[c] == "suppressed" ? .some(nil) : .some(Int(row[c]))
        }
        return grid
    }

    @Test func smallCountsAreHiddenAndNoneCanBeWorkedBackFromTheTotals() async throws {
        let folder = try await Self.term()
        defer { folder.remove() }
        let outcome = try bridges("export", "community-report", "--from", "2026-01-01", "--to", "2026-06-30", "--out", "community.csv", in: folder)
        try #require(outcome.status == 0, "\(outcome)")
        #expect(!outcome.standardError.contains("warning"), "\(outcome)")
        let rows = try ExportCSV.read(folder.path("community.csv"))
        let header = rows[0]
        // Never a student-level column or value
        #expect(!header.contains { $0.contains("student_id") || $0.contains("name") && $0 != "school_name" })
        let text = String(decoding: try Data(contentsOf: folder.url.appendingPathComponent("community.csv")), as: UTF8.self)
        #expect(!text.contains("Given") && !text.contains("Family") && !text.contains("H1-"))

        let schools = ["H", "L", "M"], programs = ["fire", "water"]
        // The small counts themselves are hidden: Lakeview's 8 at fire, Meadow's 4, Hillside's 5 new certificates
        let reached = try Self.grid(rows, column: "students_reached", schools: schools, programs: programs)
        #expect(reached[1][0] == .some(nil) && reached[2][0] == .some(nil))
        let certificates = try Self.grid(rows, column: "certificates", schools: schools, programs: programs)
        #expect(certificates[0][0] == .some(nil))
        // The previous period showed Hillside's 25 at fire
        let before = try Self.grid(rows, column: "previous_students_reached", schools: schools, programs: programs)
        #expect(before[0][0] == .some(25))

        // For every hidden cell, in every row and column, the total less the shown cells must not
        // give it: a hidden count is never the only one of its line
        for (name, grid) in [("reached", reached), ("certificates", certificates), ("before", before),
                             ("previous certificates", try Self.grid(rows, column: "previous_certificates", schools: schools, programs: programs))] {
            var lines: [[Int??]] = grid
            for k in 0...programs.count { lines.append(grid.map { $0[k] }) }
            for line in lines {
                let printed = line.compactMap { $0 }
                let hidden = printed.filter { $0 == nil }.count
                #expect(hidden != 1 || printed.count == 1, "\(name): a lone hidden count in \(line)")
            }
        }
        // The change is hidden wherever either period's count is
        let change = try #require(header.firstIndex(of: "change_students_reached"))
        let now = try #require(header.firstIndex(of: "students_reached")), previous = try #require(header.firstIndex(of: "previous_students_reached"))
        for row in rows.dropFirst() {
            if row[now] == "suppressed" || row[previous] == "suppressed" {
                #expect(row[change] == "suppressed")
            } else {
                #expect(Int(row[change]) == Int(row[now])! - Int(row[previous])!)
            }
        }
        // Sessions and hours are not about children: always shown, and they add up
        let grand = try #require(rows.last)
        #expect(grand[header.firstIndex(of: "school_id")!] == "all" && grand[header.firstIndex(of: "sessions")!] == "5")
        #expect(grand[header.firstIndex(of: "previous_sessions")!] == "1")
        #expect(grand[header.firstIndex(of: "change_sessions")!] == "4")
        #expect(grand[header.firstIndex(of: "previous_from")!] == "2025-07-04" && grand[header.firstIndex(of: "previous_to")!] == "2025-12-31")

        // With --min-cell 2 nothing here is small
        let low = try bridges("export", "community-report", "--from", "2026-01-01", "--to", "2026-06-30", "--min-cell", "2", "--out", "-", in: folder)
        #expect(low.status == 0, "\(low)")
        #expect(!low.standardOutput.contains("suppressed"))
        #expect(low.standardOutput.contains("Lakeview School"))
        // And each is in the disclosure log, naming no student
        let log = try bridges("disclosure", "list", "--json", in: folder)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(log.standardOutput.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["kind"] as? String } == ["export community-report", "export community-report"])
        #expect(entries.allSatisfy { $0["students"] as? Int == 0 })
        #expect((entries[1]["filters"] as? [String: String])?["min-cell"] == "2")
    }

    @Test func theHTMLPageIsSelfContainedWithChartsAndNoScripts() async throws {
        let folder = try await Self.term()
        defer { folder.remove() }
        let outcome = try bridges("export", "community-report", "--from", "2026-01-01", "--to", "2026-06-30", "--format", "html", "--purpose", "town hall, 12 March", in: folder)
        try #require(outcome.status == 0, "\(outcome)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path("Exports"))
        let name = try #require(files.first { $0.hasSuffix(".html") }, "\(files)")
        #expect(name.hasPrefix("community-report-from-2026-01-01-to-2026-06-30-"))
        let page = String(decoding: try Data(contentsOf: folder.url.appendingPathComponent("Exports/\(name)")), as: UTF8.self)
        #expect(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'"))
        #expect(!page.lowercased().contains("<script"))
        #expect(!page.contains("src=") && !page.contains("href=") && !page.contains("@import") && !page.contains("url(http"))
        #expect(page.components(separatedBy: "<svg role=\"img\"").count - 1 == 4)
        #expect(page.contains("Hillside Elementary") && page.contains("Fire Safety") && page.contains("hidden"))
        #expect(!page.contains("Given") && !page.contains("H1-"))
        let mode = try FileManager.default.attributesOfItem(atPath: folder.path("Exports/\(name)"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func wrongOptionsAreUsageErrors() async throws {
        let folder = try await Self.term()
        defer { folder.remove() }
        #expect(try bridges("export", "community-report", "--format", "pdf", in: folder).status == 64)
        #expect(try bridges("export", "community-report", "--min-cell", "1", in: folder).status == 64)
        #expect(try bridges("export", "community-report", "--school", "H", in: folder).status == 64)
        #expect(try bridges("export", "attendance", "--min-cell", "5", in: folder).status == 64)
    }
}

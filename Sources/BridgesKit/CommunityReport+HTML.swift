import BridgesCore
import Foundation

extension CommunityReport {
    /// One self-contained page for a community meeting: the totals, then each program's schools
    /// as bar charts (inline SVG) and a table. No scripts, nothing fetched (its Content Security
    /// Policy forbids both); hidden counts are drawn as a hatched stub and said in words.
    public var html: String {
        func e(_ text: String) -> String { MarkupText.escaped(text) }
        func number(_ value: Int?) -> String { value.map { Self.grouped($0) } ?? "hidden" }
        func signed(_ now: Int?, _ before: Int?) -> String {
            guard let now, let before else { return "hidden" }
            let change = now - before
            return change > 0 ? "+\(Self.grouped(change))" : change < 0 ? "−\(Self.grouped(-change))" : "no change"
        }
        func hours(_ minutes: Int) -> String { "\(CommunityReport.hours(minutes))" }
        let all = lines
        let grand = all.last!
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>School safety education: community report, \(e(Self.day(from))) to \(e(Self.day(to)))</title>
            <style>
            body { font-family: system-ui, "Segoe UI", sans-serif; margin: 0; color: #1d2430; background: #fff; }
            header { background: #1f3b5c; color: #fff; padding: 1.6rem 2rem 1.2rem; }
            header h1 { margin: 0 0 .3rem; font-size: 1.7rem; } header p { margin: 0; opacity: .9; }
            main { padding: 1rem 2rem 2rem; max-width: 64rem; }
            .tiles { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0 1.5rem; }
            .tile { border: 1px solid #d5dbe3; border-radius: .5rem; padding: .7rem 1rem; min-width: 9rem; }
            .tile .value { font-size: 1.8rem; font-weight: 700; color: #1f3b5c; } .tile .label { font-size: .85rem; color: #4a5564; }
            .tile .change { font-size: .85rem; color: #4a5564; }
            h2 { font-size: 1.25rem; margin: 2rem 0 .4rem; border-bottom: 2px solid #1f3b5c; padding-bottom: .2rem; }
            h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
            table { border-collapse: collapse; width: 100%; font-size: .88rem; margin-top: .5rem; }
            th, td { padding: .3rem .5rem; border-bottom: 1px solid #e3e7ec; text-align: right; }
            th:first-child, td:first-child { text-align: left; } th { background: #eef2f6; }
            tr.total td { font-weight: 700; }
            .note { font-size: .85rem; color: #4a5564; } .legend span { display: inline-block; margin-right: 1rem; }
            .swatch { display: inline-block; width: .9rem; height: .9rem; vertical-align: middle; margin-right: .3rem; }
            @media print { header { background: none; color: #000; } }
            </style>
            </head>
            <body>
            <header>
            <h1>School safety education in our schools</h1>
            <p>\(e(Self.day(from))) to \(e(Self.day(to))), compared with the \(from.days(until: to) + 1) days before (\(e(Self.day(previousFrom))) to \(e(Self.day(previousTo)))).</p>
            </header>
            <main>
            <div class="tiles">
            \(tile("Sessions taught", Self.grouped(grand.now.sessions), signed(grand.now.sessions, grand.before.sessions)))
            \(tile("Hours of instruction", hours(grand.now.minutes), "before: \(hours(grand.before.minutes))"))
            \(tile("Students reached", number(grand.shownNow[.studentsReached]), signed(grand.shownNow[.studentsReached], grand.shownBefore[.studentsReached])))
            \(tile("Certificates earned", number(grand.shownNow[.certificates]), signed(grand.shownNow[.certificates], grand.shownBefore[.certificates])))
            </div>
            <p class="note">Students reached: students present at least once, counted in each program they took part in. \
            To protect children's privacy, any count of students or certificates below \(minimum) is hidden, and so are \
            other counts that would let it be worked out from the totals. No student is named or counted alone in this report.</p>
            <p class="legend note"><span><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="#2c6ea8"/></svg>this period</span>\
            <span><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="#b7c4d3"/></svg>the period before</span>\
            <span><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="#fff" stroke="#8a96a5"/><path d="M0 10 L10 0" stroke="#8a96a5"/></svg>hidden (small count)</span></p>

            """
        for (column, program) in programs.enumerated() {
            let rows = all.filter { $0.program == program && $0.school != nil }
            let total = all.first { $0.program == program && $0.school == nil }!
            page += "<h2>\(e(program.name))</h2>\n"
            page += "<p class=\"note\">\(Self.grouped(total.now.sessions)) sessions, \(hours(total.now.minutes)) hours of instruction; students reached: \(number(total.shownNow[.studentsReached])) (before: \(number(total.shownBefore[.studentsReached]))).</p>\n"
            page += "<h3>Students reached, by school</h3>\n"
            page += Self.barChart(rows.map { (label: $0.school!.name, now: $0.shownNow[.studentsReached], before: $0.shownBefore[.studentsReached]) }, id: "reached-\(column)")
            page += "<h3>Certificates earned, by school</h3>\n"
            page += Self.barChart(rows.map { (label: $0.school!.name, now: $0.shownNow[.certificates], before: $0.shownBefore[.certificates]) }, id: "certificates-\(column)")
            page += """
                <table>
                <thead><tr><th>School</th><th>Sessions</th><th>Hours</th><th>Officers</th><th>Students reached</th><th>Change</th><th>Certificates</th><th>Change</th></tr></thead>
                <tbody>

                """
            for row in rows + [total] {
                let isTotal = row.school == nil
                page += "<tr\(isTotal ? " class=\"total\"" : "")><td>\(e(row.school?.name ?? "All schools"))</td><td>\(Self.grouped(row.now.sessions))</td><td>\(hours(row.now.minutes))</td>"
                page += "<td>\(isTotal ? "" : Self.grouped(row.now.officers))</td><td>\(number(row.shownNow[.studentsReached]))</td><td>\(signed(row.shownNow[.studentsReached], row.shownBefore[.studentsReached]))</td>"
                page += "<td>\(number(row.shownNow[.certificates]))</td><td>\(signed(row.shownNow[.certificates], row.shownBefore[.certificates]))</td></tr>\n"
            }
            page += "</tbody>\n</table>\n"
        }
        page += "<h2>Every school, all programs</h2>\n<table>\n<thead><tr><th>School</th><th>Sessions</th><th>Hours</th><th>Students reached</th><th>Certificates</th></tr></thead>\n<tbody>\n"
        for row in all where row.program == nil {
            page += "<tr\(row.school == nil ? " class=\"total\"" : "")><td>\(e(row.school?.name ?? "All schools"))</td><td>\(Self.grouped(row.now.sessions))</td><td>\(hours(row.now.minutes))</td>"
            page += "<td>\(number(row.shownNow[.studentsReached]))</td><td>\(number(row.shownNow[.certificates]))</td></tr>\n"
        }
        page += "</tbody>\n</table>\n<p class=\"note\">Made by Bridges from the program's own records. Sessions voided as mistakes are not counted.</p>\n</main>\n</body>\n</html>\n"
        return page
    }

    private func tile(_ label: String, _ value: String, _ change: String) -> String {
        "<div class=\"tile\"><div class=\"value\">\(MarkupText.escaped(value))</div><div class=\"label\">\(MarkupText.escaped(label))</div><div class=\"change\">\(MarkupText.escaped(change))</div></div>"
    }

    /// Horizontal bars, two per school (this period, the one before); a hidden count is a hatched
    /// stub labelled "hidden".
    static func barChart(_ rows: [(label: String, now: Int?, before: Int?)], id: String) -> String {
        let labelWidth = 220.0, barArea = 400.0, rowHeight = 34.0, width = labelWidth + barArea + 90
        let height = Double(rows.count) * rowHeight + 8
        let largest = max(1, rows.flatMap { [$0.now ?? 0, $0.before ?? 0] }.max() ?? 1)
        var svg = "<svg role=\"img\" aria-label=\"bar chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" style=\"max-width:100%;height:auto\">\n"
        svg += "<defs><pattern id=\"hatch-\(id)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#8a96a5\" stroke-width=\"2\"/></pattern></defs>\n"
        for (index, row) in rows.enumerated() {
            let top = Double(index) * rowHeight + 4
            let label = row.label.count > 30 ? String(row.label.prefix(29)) + "…" : row.label
            svg += "<text x=\"\(Int(labelWidth - 8))\" y=\"\(Int(top + 19))\" text-anchor=\"end\" font-size=\"13\" font-family=\"sans-serif\" fill=\"#1d2430\">\(MarkupText.escaped(label))</text>\n"
            for (offset, value, colour) in [(0.0, row.now, "#2c6ea8"), (14.0, row.before, "#b7c4d3")] {
                let y = Int(top + offset + 1)
                if let value {
                    let length = max(value > 0 ? 2 : 0, barArea * Double(value) / Double(largest))
                    svg += "<rect x=\"\(Int(labelWidth))\" y=\"\(y)\" width=\"\(Int(length.rounded()))\" height=\"12\" fill=\"\(colour)\"/>"
                    svg += "<text x=\"\(Int(labelWidth + length + 6))\" y=\"\(y + 10)\" font-size=\"11\" font-family=\"sans-serif\" fill=\"#4a5564\">\(grouped(value))</text>\n"
                } else {
                    svg += "<rect x=\"\(Int(labelWidth))\" y=\"\(y)\" width=\"24\" height=\"12\" fill=\"url(#hatch-\(id))\" stroke=\"#8a96a5\"/>"
                    svg += "<text x=\"\(Int(labelWidth + 30))\" y=\"\(y + 10)\" font-size=\"11\" font-family=\"sans-serif\" fill=\"#4a5564\">hidden</text>\n"
                }
            }
        }
        return svg + "</svg>\n"
    }

    /// `12,345`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// `4 December 2026`.
    static func day(_ date: SchoolDate) -> String {
        PrintableCertificate.dateInWords(date.description)
    }
}

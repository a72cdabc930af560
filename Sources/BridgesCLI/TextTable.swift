import BridgesKit

/// Plain aligned columns for listings, readable in a terminal and easy to `cut`.
///
/// Every cell is shown by `DisplayText`'s one rule (control characters escaped), aligned by the
/// columns it takes on screen (a CJK character or an emoji takes two, a combining accent none), and
/// cut with "…" at `cellWidth` columns (`lastCellWidth` for the last column, which nothing follows),
/// so one enormous value cannot make an enormous line.
enum TextTable {
    static let cellWidth = 40
    static let lastCellWidth = 80

    static func render(header: [String], rows: [[String]]) -> String {
        let columns = header.count
        let shown = ([header] + rows).map { row in
            row.enumerated().map { index, cell in DisplayText.cell(cell, limit: index >= columns - 1 ? lastCellWidth : cellWidth) }
        }
        let cells = shown.map { row in row.map(\.text) }
        let measured = shown.map { row in row.map(\.width) }
        var widths = Array(repeating: 0, count: columns)
        for row in measured {
            for (index, width) in row.enumerated() where index < columns {
                widths[index] = max(widths[index], width)
            }
        }
        func line(_ row: Int) -> String {
            var text = ""
            for (index, cell) in cells[row].enumerated() {
                text += cell
                if index < cells[row].count - 1 {
                    let width = index < columns ? widths[index] : 0
                    text += String(repeating: " ", count: max(width - measured[row][index], 0) + 2)
                }
            }
            return String(text.reversed().drop(while: { $0 == " " }).reversed())
        }
        return cells.indices.map(line).joined(separator: "\n")
    }
}

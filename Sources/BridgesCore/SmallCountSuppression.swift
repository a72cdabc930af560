/// Which counts of a published table to hide so that no small count of children can be read off
/// it, directly or worked back from the totals printed beside it.
///
/// The table is a grid of counts with a total column (each row's cells added up), a total row
/// (each column's cells added up) and a grand total in the corner. A cell may be absent (the
/// combination never happened and is not printed: everyone reading knows it is 0).
///
/// 1. Primary suppression: every count from 1 to `minimum - 1` is hidden (0 is shown: "no child"
///    is not about any child).
/// 2. Complementary suppression, repeated until nothing changes:
///    - in every row and column (its cells and its total), a hidden count is never alone: one
///      hidden cell and a printed total would give it away by subtraction;
///    - when every hidden count of a line is a small one and they add up to a sum that only one
///      choice fits (all 1s, or all `minimum - 1`), one more is hidden;
///    - no hidden count may follow from all the totals together: the sums printed form a system
///      of linear equations over the hidden counts, and a count is exposed when that system fixes
///      it (a row of its reduced echelon form names it alone). Any such count gets another
///      hidden beside it.
///    Each complement is the smallest printed count of the line that is not 0 (hiding a 0 hides
///    nothing), else the line's total.
public struct SmallCountSuppression: Sendable {
    /// A place in the grid: `row == rows` is the total row, `column == columns` the total column.
    public struct Cell: Sendable, Hashable, Comparable {
        public var row: Int
        public var column: Int

        public init(row: Int, column: Int) {
            self.row = row
            self.column = column
        }

        public static func < (a: Cell, b: Cell) -> Bool { (a.row, a.column) < (b.row, b.column) }
    }

    public let rows: Int
    public let columns: Int
    public let minimum: Int
    /// The counts, `values[row][column]`, nil for an absent cell; totals included.
    public let values: [[Int?]]
    /// What is hidden.
    public private(set) var suppressed: Set<Cell> = []
    /// The cells hidden because they are small themselves.
    public private(set) var primary: Set<Cell> = []

    /// Works out what to hide in a grid of `cells[row][column]` (nil: absent) whose totals are
    /// the sums of its cells.
    public init(cells: [[Int?]], minimum: Int) {
        rows = cells.count
        columns = cells.first?.count ?? 0
        self.minimum = minimum
        var grid = cells.map { row in row + [row.reduce(0) { $0 + ($1 ?? 0) }] }
        var totals: [Int?] = []
        for column in 0...columns { totals.append(grid.reduce(0) { $0 + ($1[column] ?? 0) }) }
        grid.append(totals)
        values = grid
        for row in 0...rows {
            for column in 0...columns {
                if let value = grid[row][column], value > 0, value < minimum {
                    primary.insert(Cell(row: row, column: column))
                }
            }
        }
        suppressed = primary
        while addComplement() {}
    }

    /// The value printed at a place; nil when hidden or absent.
    public func shown(_ cell: Cell) -> Int? {
        suppressed.contains(cell) ? nil : values[cell.row][cell.column]
    }

    /// Every line of the grid: each row and each column, its cells and then its total.
    public var lines: [[Cell]] {
        var lines: [[Cell]] = []
        for row in 0...rows { lines.append((0...columns).map { Cell(row: row, column: $0) }) }
        for column in 0...columns { lines.append((0...rows).map { Cell(row: $0, column: column) }) }
        return lines
    }

    /// Hides one more count when some hidden count could still be worked out; false when none can.
    private mutating func addComplement() -> Bool {
        for line in lines {
            let present = line.filter { values[$0.row][$0.column] != nil }
            let hidden = present.filter(suppressed.contains)
            guard !hidden.isEmpty else { continue }
            if hidden.count == 1, present.count > 1 {
                return hideBeside(line: present)
            }
            if hidden.allSatisfy(primary.contains), hidden.count < present.count {
                // The hidden cells of a line add up to its total less what is shown (or, with
                // the total hidden, are themselves the total's parts): when that sum can be
                // split into small counts in one way only, they are all known.
                let total = present.last!
                if !suppressed.contains(total) {
                    let sum = hidden.reduce(0) { $0 + values[$1.row][$1.column]! }
                    if sum == hidden.count || sum == hidden.count * (minimum - 1) {
                        return hideBeside(line: present)
                    }
                }
            }
        }
        if let exposed = exposedCells().first {
            let rowLine = (0...columns).map { Cell(row: exposed.row, column: $0) }.filter { values[$0.row][$0.column] != nil }
            if hideBeside(line: rowLine) { return true }
            let columnLine = (0...rows).map { Cell(row: $0, column: exposed.column) }.filter { values[$0.row][$0.column] != nil }
            if hideBeside(line: columnLine) { return true }
            // Every count in both of its lines is hidden already; hide the grand total as well,
            // and anything still shown anywhere next.
            for cell in allCells where !suppressed.contains(cell) && values[cell.row][cell.column] != nil {
                suppressed.insert(cell)
                return true
            }
        }
        return false
    }

    private var allCells: [Cell] {
        (0...rows).flatMap { row in (0...columns).map { Cell(row: row, column: $0) } }
    }

    /// Hides the smallest shown count of the line above 0, else its total, else any shown 0.
    private mutating func hideBeside(line: [Cell]) -> Bool {
        let shown = line.filter { !suppressed.contains($0) }
        let members = shown.filter { $0 != line.last }
        let candidate = members.filter { values[$0.row][$0.column]! > 0 }
            .min { (values[$0.row][$0.column]!, $0) < (values[$1.row][$1.column]!, $1) }
            ?? (shown.contains(line.last!) ? line.last! : members.first)
        guard let candidate else { return false }
        suppressed.insert(candidate)
        return true
    }

    /// The hidden counts that the printed sums fix all the same, found by reducing the system of
    /// line equations (hidden counts as unknowns, printed ones moved to the other side) to row
    /// echelon form.
    public func exposedCells() -> [Cell] {
        let unknowns = suppressed.sorted()
        guard !unknowns.isEmpty else { return [] }
        let index = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($1, $0) })
        var matrix: [[Double]] = []
        for line in lines {
            // members - total = 0
            var equation = [Double](repeating: 0, count: unknowns.count)
            var any = false
            for cell in line where values[cell.row][cell.column] != nil {
                guard let position = index[cell] else { continue }
                equation[position] += cell == line.last! ? -1 : 1
                any = true
            }
            if any { matrix.append(equation) }
        }
        let reduced = Self.reducedRowEchelon(matrix, width: unknowns.count)
        var exposed: [Cell] = []
        for row in reduced {
            let nonZero = row.indices.filter { abs(row[$0]) > 1e-9 }
            if nonZero.count == 1 { exposed.append(unknowns[nonZero[0]]) }
        }
        return exposed.sorted()
    }

    /// Gauss–Jordan elimination with partial pivoting; the coefficients are small integers, so
    /// doubles keep them exactly enough at the sizes of a district's report.
    static func reducedRowEchelon(_ input: [[Double]], width: Int) -> [[Double]] {
        var m = input
        var pivotRow = 0
        for column in 0..<width where pivotRow < m.count {
            var best = pivotRow
            for r in pivotRow..<m.count where abs(m[r][column]) > abs(m[best][column]) { best = r }
            guard abs(m[best][column]) > 1e-9 else { continue }
            m.swapAt(best, pivotRow)
            let pivot = m[pivotRow][column]
            for c in 0..<width { m[pivotRow][c] /= pivot }
            for r in 0..<m.count where r != pivotRow && abs(m[r][column]) > 1e-9 {
                let factor = m[r][column]
                for c in 0..<width { m[r][c] -= factor * m[pivotRow][c] }
            }
            pivotRow += 1
        }
        return Array(m.prefix(pivotRow))
    }
}

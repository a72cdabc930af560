import BridgesCore
import Testing

/// The community report's rule: no hidden count can be read off, or worked back from, the
/// totals printed beside it. Checked here with exact fractions, independently of the doubles
/// `SmallCountSuppression` reduces with.
@Suite("Small count suppression")
struct SmallCountSuppressionTests {
    /// Whether the hidden cell `target` follows from the line sums (hidden cells unknown, shown
    /// ones known): it does when its unit vector lies in the row space of the equations.
    static func isDetermined(_ target: SmallCountSuppression.Cell, in s: SmallCountSuppression) -> Bool {
        let unknowns = s.suppressed.sorted()
        let index = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($1, $0) })
        var rows: [[Fraction]] = []
        for line in s.lines {
            var equation = [Fraction](repeating: .zero, count: unknowns.count)
            for cell in line where s.values[cell.row][cell.column] != nil {
                if let position = index[cell] { equation[position] = equation[position] + Fraction(cell == line.last! ? -1 : 1) }
            }
            if equation.contains(where: { !$0.isZero }) { rows.append(equation) }
        }
        let before = rank(rows, width: unknowns.count)
        var unit = [Fraction](repeating: .zero, count: unknowns.count)
        unit[index[target]!] = Fraction(1)
        return rank(rows + [unit], width: unknowns.count) == before
    }

    static func rank(_ input: [[Fraction]], width: Int) -> Int {
        var m = input
        var rank = 0
        for column in 0..<width where rank < m.count {
            guard let pivot = (rank..<m.count).first(where: { !m[$0][column].isZero }) else { continue }
            m.swapAt(pivot, rank)
            for r in 0..<m.count where r != rank && !m[r][column].isZero {
                let factor = m[r][column] / m[rank][column]
                for c in 0..<width { m[r][c] = m[r][c] - factor * m[rank][c] }
            }
            rank += 1
        }
        return rank
    }

    static func checkProtected(_ s: SmallCountSuppression, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        // Every count from 1 to minimum-1 is hidden, totals included.
        for row in 0...s.rows {
            for column in 0...s.columns {
                if let value = s.values[row][column], value > 0, value < s.minimum {
                    #expect(s.suppressed.contains(.init(row: row, column: column)), "\(value) at \(row),\(column) is shown", sourceLocation: sourceLocation)
                }
            }
        }
        // No line has a lone hidden count.
        for line in s.lines {
            let present = line.filter { s.values[$0.row][$0.column] != nil }
            let hidden = present.filter(s.suppressed.contains)
            #expect(hidden.count != 1 || present.count == 1, "a lone hidden count in \(line)", sourceLocation: sourceLocation)
        }
        // No hidden count follows from all the sums together.
        for cell in s.suppressed {
            #expect(!isDetermined(cell, in: s), "\(cell) can be worked out from the totals: \(s.values)", sourceLocation: sourceLocation)
        }
    }

    @Test func aSmallCountAloneInItsRowAndColumnGetsComplementsAndNothingCanBeWorkedBack() {
        // Given three schools by two programs, one small count
        let s = SmallCountSuppression(cells: [[30, 25], [40, 4], [22, 18]], minimum: 10)
        // Then it is hidden, with at least one more in its row and in its column
        #expect(s.suppressed.contains(.init(row: 1, column: 1)))
        #expect(s.suppressed.count >= 4)
        #expect(s.shown(.init(row: 3, column: 2)) == 139)
        Self.checkProtected(s)
    }

    @Test func zerosAndAbsentCellsAreShownAndNeverServeAsAComplement() {
        let s = SmallCountSuppression(cells: [[0, 12], [nil, 3], [15, 40]], minimum: 10)
        #expect(s.shown(.init(row: 0, column: 0)) == 0)
        #expect(s.shown(.init(row: 1, column: 0)) == nil)
        #expect(!s.suppressed.contains(.init(row: 1, column: 0)))
        // School 1 has one program only: its total is the same count and is hidden with it.
        #expect(s.suppressed.contains(.init(row: 1, column: 2)))
        Self.checkProtected(s)
    }

    @Test func twoOnesThatAddUpToTwoAreNotLeftAsTheOnlyHiddenCountsOfALine() {
        let s = SmallCountSuppression(cells: [[1, 1, 50], [30, 40, 20]], minimum: 10)
        let rowZero = (0...3).map { SmallCountSuppression.Cell(row: 0, column: $0) }.filter(s.suppressed.contains)
        #expect(rowZero.count >= 3 || s.suppressed.contains(.init(row: 0, column: 3)), "\(s.suppressed.sorted())")
        Self.checkProtected(s)
    }

    @Test func nothingSmallNothingHidden() {
        let s = SmallCountSuppression(cells: [[30, 25], [0, 40]], minimum: 10)
        #expect(s.suppressed.isEmpty)
    }

    @Test(arguments: 0..<150)
    func randomGridsAreAlwaysProtected(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        let rows = Int.random(in: 1...7, using: &generator), columns = Int.random(in: 1...5, using: &generator)
        let cells: [[Int?]] = (0..<rows).map { _ in
            (0..<columns).map { _ in
                switch Int.random(in: 0..<10, using: &generator) {
                case 0: nil
                case 1: 0
                case 2...4: Int.random(in: 1...9, using: &generator)
                default: Int.random(in: 10...60, using: &generator)
                }
            }
        }
        let s = SmallCountSuppression(cells: cells, minimum: 10)
        Self.checkProtected(s)
    }
}

/// A fraction of integers in lowest terms, for exact elimination.
struct Fraction: Equatable {
    var numerator: Int
    var denominator: Int

    init(_ numerator: Int, _ denominator: Int = 1) {
        let sign = denominator < 0 ? -1 : 1
        let divisor = Self.gcd(abs(numerator), abs(denominator))
        self.numerator = sign * numerator / max(divisor, 1)
        self.denominator = sign * denominator / max(divisor, 1)
    }

    static let zero = Fraction(0)
    var isZero: Bool { numerator == 0 }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
    static func + (a: Fraction, b: Fraction) -> Fraction { Fraction(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator) }
    static func - (a: Fraction, b: Fraction) -> Fraction { Fraction(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator) }
    static func * (a: Fraction, b: Fraction) -> Fraction { Fraction(a.numerator * b.numerator, a.denominator * b.denominator) }
    static func / (a: Fraction, b: Fraction) -> Fraction { Fraction(a.numerator * b.denominator, a.denominator * b.numerator) }
}

/// SplitMix64: the same grids on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

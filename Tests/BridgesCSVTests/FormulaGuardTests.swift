import BridgesCSV
import Testing

/// Issue 10 item 9: reading a report back takes off exactly the `'` its formula guard added.
@Suite("Formula guard inverse")
struct FormulaGuardTests {
    static let texts = ["-0042", "=1+1", "+7", "@bob", "\tx", "\rx", "\nx", "'-0043", "''=x", "'", "'plain", "plain", "", "x-1", "'a=b", "0042"]

    @Test(arguments: texts) func unguardingWhatTheGuardWroteGivesBackTheText(text: String) {
        #expect(FormulaGuard.unguarded(FormulaGuard.guarded(text)) == text)
    }

    @Test func onlyFormulaStartsAndApostrophesBeforeThemAreGuarded() {
        #expect(FormulaGuard.guarded("-0042") == "'-0042")
        #expect(FormulaGuard.guarded("'-0043") == "''-0043")
        #expect(FormulaGuard.guarded("'plain") == "'plain")
        #expect(FormulaGuard.unguarded("'plain") == "'plain")
        #expect(FormulaGuard.unguarded("'=x") == "=x")
    }
}

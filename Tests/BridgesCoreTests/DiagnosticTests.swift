import BridgesCore
import Testing

@Suite("Diagnostic")
struct DiagnosticTests {
    @Test func anErrorWithAColumnPrintsPathLineColumn() {
        let diagnostic = Diagnostic.error(code: "test.finding", "kind=\"lecture\" is not valid", file: "Curricula/first-aid/fa-bleeding.xml", line: 12, column: 23)
        #expect(diagnostic.description == "Curricula/first-aid/fa-bleeding.xml:12:23: error: kind=\"lecture\" is not valid")
    }

    @Test func anErrorWithoutAColumnPrintsPathLine() {
        let diagnostic = Diagnostic.error(code: "test.finding", "bad grade", file: "roster.csv", line: 4)
        #expect(diagnostic.description == "roster.csv:4: error: bad grade")
    }

    @Test func aWarningSaysWarning() {
        let diagnostic = Diagnostic.warning(code: "test.finding", "the activities add up to 50 minutes", file: "a.xml", line: 3, column: 3)
        #expect(diagnostic.description == "a.xml:3:3: warning: the activities add up to 50 minutes")
        #expect(!diagnostic.isError)
    }

    @Test func aFindingAboutTheWholeFileHasNoLine() {
        let diagnostic = Diagnostic.error(code: "test.finding", "cannot open the file", file: "missing.xml", line: 0)
        #expect(diagnostic.description == "missing.xml: error: cannot open the file")
    }

    @Test func thePathIsKeptAsTheUserWroteIt() {
        #expect(Diagnostic.error(code: "test.finding", "x", file: "./lessons/../a b.xml", line: 1, column: 1).description == "./lessons/../a b.xml:1:1: error: x")
    }

    @Test func countsAndOrderByLocation() {
        let diagnostics: [Diagnostic] = [
            .warning(code: "test.finding", "w", file: "b.xml", line: 1, column: 1),
            .error(code: "test.finding", "late", file: "a.xml", line: 9, column: 1),
            .error(code: "test.finding", "right", file: "a.xml", line: 2, column: 7),
            .error(code: "test.finding", "left", file: "a.xml", line: 2, column: 3),
        ]
        #expect(diagnostics.hasErrors)
        #expect(diagnostics.errorCount == 3)
        #expect(diagnostics.warningCount == 1)
        #expect(diagnostics.sortedByLocation().map(\.message) == ["left", "right", "late", "w"])
        #expect(![Diagnostic.warning(code: "test.finding", "w", file: "a", line: 1)].hasErrors)
    }
}

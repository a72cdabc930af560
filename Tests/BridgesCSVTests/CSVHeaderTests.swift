import BridgesCSV
import BridgesCore
import Testing

@Suite("CSVHeader")
struct CSVHeaderTests {
    private func header(_ names: [String], line: Int = 1) -> CSVHeader {
        CSVHeader(CSVRecord(fields: names, line: line))
    }

    @Test func columnsAreFoundTrimmedAndInAnyLetterCase() {
        let header = header(["\u{FEFF}School_ID ", " GIVEN_NAME", "grade"])
        #expect(header.column("school_id")?.index == 0)
        #expect(header.column("given_name")?.index == 1)
        #expect(header.column("Grade")?.index == 2)
        #expect(header.column("family_name") == nil)
        #expect(header.names == ["School_ID", "GIVEN_NAME", "grade"])
    }

    @Test func allMissingRequiredColumnsAreOneFindingThatListsWhatWasFound() {
        let header = header(["student_id", "name", "grade"])
        let findings = header.check(required: ["student_id", "given_name", "family_name", "grade"], file: "r.csv")
        #expect(findings.count == 1)
        let finding = findings[0]
        #expect(finding.line == 1)
        #expect(finding.description.hasPrefix("r.csv:1: error: the header lacks the columns given_name, family_name;"))
        #expect(finding.message.contains("it has student_id,name,grade"))
    }

    @Test func completeHeaderHasNoFindings() {
        let header = header(["grade", "student_id"])
        #expect(header.check(required: ["student_id", "grade"], file: "r.csv").isEmpty)
        #expect(header.missing(["student_id", "grade"]).isEmpty)
    }

    @Test func requiredColumnGivenTwiceIsReported() {
        let header = header(["student_id", "grade", "Student_ID"])
        let findings = header.check(required: ["student_id", "grade"], file: "r.csv")
        #expect(findings.count == 1)
        #expect(findings.first?.message.contains("columns 1 and 3") == true)
        #expect(header.column("student_id")?.index == 0)
    }

    @Test func rowFieldsAreReadByNameWithEmptyTextForAbsentColumns() {
        let header = header(["id", "name", "note"])
        let row = header.row(CSVRecord(fields: ["7", "Ana"], line: 4))
        #expect(row["ID"] == "7")
        #expect(row["name"] == "Ana")
        #expect(row["note"] == "")
        #expect(row["nickname"] == "")
        #expect(row.line == 4)
        let name = header.column("name")
        #expect(row[name] == "Ana")
    }
}

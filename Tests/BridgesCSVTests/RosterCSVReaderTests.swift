import BridgesCSV
import BridgesCore
import Testing

@Suite("RosterCSVReader")
struct RosterCSVReaderTests {
    static let header = "school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade\n"

    /// Reads `text` as the file `roster.csv`: the entries passed on and the findings.
    private func read(_ text: String) throws -> (entries: [RosterEntry], findings: [Diagnostic]) {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("roster.csv", text)
        var entries: [RosterEntry] = []
        let findings = try RosterCSVReader(path: path, name: "roster.csv").read { entries.append($0) }
        return (entries, findings)
    }

    @Test func goodRowsBecomeSchoolsClassesStudentsAndEnrollments() throws {
        let text =
            Self.header + """
                001,Lincoln Elementary,003B,Grade 3 B,000123,Ana,García,3
                001,Lincoln Elementary,003B,Grade 3 B,000124,مريم,الحسن,03
                001,Lincoln Elementary,00K,Kindergarten,000125,小明,王,K
                002,Hill School,H12,Seniors,000126,Jo,,12

                """
        let (entries, findings) = try read(text)
        #expect(findings.isEmpty)
        #expect(entries.count == 4)
        let first = try #require(entries.first)
        #expect(first.school == School(id: "001", name: "Lincoln Elementary"))
        #expect(first.schoolClass == SchoolClass(id: "003B", schoolID: "001", name: "Grade 3 B"))
        #expect(
            first.student == Student(id: "000123", givenName: "Ana", familyName: "García", grade: Grade(number: 3)!))
        #expect(first.enrollment == Enrollment(classID: "003B", studentID: "000123"))
        #expect(first.line == 2)
        #expect(entries.map(\.student.grade?.number) == [3, 3, 0, 12])
        #expect(entries[1].student.givenName == "مريم")
        #expect(entries[3].student.familyName == "")
    }

    @Test func columnsAreMatchedByNameInAnyOrderAndExtraColumnsIgnored() throws {
        let text = """
            Grade,Student_ID,notes,given_name,family_name,class_name,class_id,school_name,school_id
            KG, 0042 ,likes maps,Ana,Díaz,Room 1,C1,Lincoln,S1
            00,0043,,Ben,Ng,Room 1,C1,Lincoln,S1
            """
        let (entries, findings) = try read(text)
        #expect(findings.isEmpty)
        #expect(entries.map(\.student.id) == ["0042", "0043"])
        #expect(entries.map(\.student.grade) == [Grade(number: 0)!, Grade(number: 0)!])
        #expect(entries.first?.school == School(id: "S1", name: "Lincoln"))
    }

    @Test func blankSpreadsheetRowsAreSkipped() throws {
        let text = Self.header + "S1,Lincoln,C1,Room 1,1,Ana,Díaz,1\n,,,,,,,\n \n"
        let (entries, findings) = try read(text)
        #expect(findings.isEmpty)
        #expect(entries.count == 1)
    }

    @Test func everyBadRowIsReportedWithItsLineAndNoneIsPassedOn() throws {
        let text =
            Self.header + """
                S1,Lincoln,C1,Room 1,100,Ana,Díaz,3
                S1,Lincoln,C1,Room 1,,Ben,Ng,3
                S1,Lincoln,C1,Room 1,101,Cy,Lee,14
                S1,Lincoln,C1,Room 1,100,Anna,Díaz,3
                S1,Lincoln,C1,Room 1,100,Ana,Díaz,4
                S2,Hill,C1,Room 1,102,Dee,Fox,5
                S1,Lincoln Elem,C2,Room 2,103,Eve,Gil,5
                S1,Lincoln,C2,Room 2,104,Fay,Smith, Jr,5
                S1,Lincoln,C2
                S1,Lincoln,C1,Room 1,100,Ana,Díaz,3
                S1,Lincoln,C1,Room One,105,Gus,Hu,2
                S1,Lincoln,C1,Room 1,106,,Ito,P-K
                S1,Lincoln,C2,Room 2,107,Ida,Jo,+3
                """
        let (entries, findings) = try read(text)
        #expect(entries.map(\.student.id) == ["100"])
        let located = findings.map { "\($0.line) \($0.severity.rawValue)" }
        #expect(
            located == [
                "3 error", "4 error", "5 error", "6 error", "7 error", "8 error", "9 error", "10 error", "11 warning",
                "12 error", "13 error", "13 error", "14 error",
            ])
        func message(_ line: Int) -> String {
            findings.filter { $0.line == line }.map(\.message).joined(separator: " | ")
        }
        #expect(message(3).hasPrefix("student_id is empty"))
        #expect(
            message(4).contains("grade '14' is not one Bridges takes: write K (or KG) for kindergarten, 1 to 12"))
        #expect(message(5).contains("student 100 is named 'Anna Díaz' here but differently on line 2"))
        #expect(message(6).contains("student 100 is in grade 4 here but grade 3 on line 2"))
        #expect(message(7).contains("class C1 is at school S2 here but at school S1 on line 2"))
        #expect(message(8).contains("school S1 is named 'Lincoln Elem' here but 'Lincoln' on line 2"))
        #expect(message(9).contains("the row has 9 fields but the header has 8"))
        #expect(
            message(10).contains(
                "class_name, student_id, given_name and grade are empty (the row has 3 of the header's 8 fields)"))
        #expect(message(11).contains("student 100 is listed in class C1 again (first on line 2)"))
        #expect(message(12).contains("class C1 is named 'Room One' here but 'Room 1' on line 2"))
        #expect(message(13).contains("given_name is empty"))
        #expect(message(13).contains("grade 'P-K'"))
        #expect(message(14).contains("grade '+3'"))
        #expect(findings[0].description.hasPrefix("roster.csv:3: error: student_id is empty"))
    }

    @Test func headerWithoutRequiredColumnsIsOneFindingAtLineOne() throws {
        let (entries, findings) = try read("school_id,class_id,student,given_name,grade\nS1,C1,1,Ana,3\n")
        #expect(entries.isEmpty)
        #expect(findings.count == 1)
        #expect(findings.first?.line == 1)
        #expect(
            findings.first?.message.hasPrefix(
                "the header lacks the columns school_name, class_name, student_id, family_name; "
                    + "it has school_id,class_id,student,given_name,grade") == true)
    }

    @Test func emptyFileIsAFinding() throws {
        let (_, findings) = try read("")
        #expect(findings.count == 1)
        #expect(findings.first?.message.contains("the file is empty") == true)
    }

    @Test func csvSyntaxErrorIsAFindingAfterTheRowsBeforeIt() throws {
        let text = Self.header + "S1,Lincoln,C1,Room 1,1,Ana,Díaz,1\nS1,Lincoln,C1,Room 1,2,\"Ben,Ng,1\n"
        let (entries, findings) = try read(text)
        #expect(entries.count == 1)
        #expect(findings.count == 1)
        #expect(
            findings.first?.description.hasPrefix("roster.csv:3:24: error: this quoted field is never closed") == true)
    }

    @Test func missingFileIsThrownNotReported() {
        let error = #expect(throws: CSVReadError.self) {
            _ = try RosterCSVReader(path: "/nonexistent/roster.csv")
        }
        #expect(error?.kind == .fileNotFound)
    }

    @Test func errorThrownByTheCallerStopsReading() throws {
        struct Stop: Error {}
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("roster.csv", Self.header + "S1,L,C1,R,1,Ana,Díaz,1\nS1,L,C1,R,2,Ben,Ng,1\n")
        var seen = 0
        #expect(throws: Stop.self) {
            _ = try RosterCSVReader(path: path).read { _ in
                seen += 1
                throw Stop()
            }
        }
        #expect(seen == 1)
    }
}

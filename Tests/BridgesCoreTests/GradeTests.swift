import BridgesCore
import Testing

@Suite("Grade")
struct GradeTests {
    @Test(arguments: ["K", "k", "KG", "kg", "0", " K ", "KG\n"])
    func kindergartenIsReadAsGradeZero(text: String) throws {
        // Given K as lesson files write it, KG as the CEDS code in OneRoster, or 0
        let grade = try #require(Grade(text))
        // Then it is grade 0, shown as K
        #expect(grade.number == 0)
        #expect(grade.description == "K")
    }

    @Test(arguments: [("1", 1), ("01", 1), ("09", 9), ("10", 10), ("12", 12), (" 7 ", 7)])
    func numberedGradesAreReadWithOrWithoutALeadingZero(text: String, number: Int) throws {
        let grade = try #require(Grade(text))
        #expect(grade.number == number)
        #expect(grade.description == String(number))
    }

    @Test(arguments: ["", " ", "13", "-1", "K1", "1.5", "twelve", "Kindergarten", "PK", "1 2", "100"])
    func anythingElseIsNotAGrade(text: String) {
        #expect(Grade(text) == nil)
    }

    @Test func gradeNumbersOutsideZeroToTwelveAreRefused() {
        #expect(Grade(number: -1) == nil)
        #expect(Grade(number: 13) == nil)
        #expect(Grade(number: 0)?.description == "K")
        #expect(Grade(number: 12)?.number == 12)
    }

    @Test func gradesOrderFromKindergartenUp() throws {
        let k = try #require(Grade("K")), three = try #require(Grade("3")), twelve = try #require(Grade("12"))
        #expect(k < three)
        #expect(three < twelve)
        #expect(Grade("KG") == Grade(number: 0))
    }

    @Test func aRangeContainsTheRangesWithinIt() throws {
        let middle = GradeRange(min: try #require(Grade("6")), max: try #require(Grade("8")))
        #expect(middle.contains(GradeRange(min: try #require(Grade("6")), max: try #require(Grade("8")))))
        #expect(middle.contains(GradeRange(min: try #require(Grade("7")), max: try #require(Grade("7")))))
        #expect(!middle.contains(GradeRange(min: try #require(Grade("5")), max: try #require(Grade("7")))))
        #expect(!middle.contains(GradeRange(min: try #require(Grade("7")), max: try #require(Grade("9")))))
    }

    @Test func aRangeDescribesItselfInTheSchoolsWords() throws {
        #expect(GradeRange(min: try #require(Grade("K")), max: try #require(Grade("2"))).description == "grades K–2")
        #expect(GradeRange(min: try #require(Grade("4")), max: try #require(Grade("4"))).description == "grade 4")
    }
}

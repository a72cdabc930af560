import BridgesCore
import Testing

@Suite struct GradeCodeTests {
    @Test func everyCEDSCodeAndBlankAreTakenAsWritten() {
        let read = ["PK", "pk", "TK", "UG", "IT", "PR", "PS", "13", "other", "", "  ", "KG", "K", "07", "12"].map { Grade.rosterCode($0)?.code }
        #expect(read == ["PK", "PK", "TK", "UG", "IT", "PR", "PS", "13", "Other", "", "", "K", "K", "7", "12"])
        #expect(Grade.rosterCode("07")?.grade == Grade(number: 7))
        #expect(Grade.rosterCode("PK")?.grade == nil)
    }

    @Test func textThatIsNoCodeIsRefused() {
        for text in ["14", "P-K", "+3", "-1", "Kindergarten", "1.5"] {
            #expect(Grade.rosterCode(text) == nil, "\(text)")
        }
    }

    @Test func aStoredCodeGivesItsGrade() {
        #expect(Grade.ofCode("K") == Grade(number: 0))
        #expect(Grade.ofCode("12") == Grade(number: 12))
        #expect(Grade.ofCode("13") == nil)
        #expect(Grade.ofCode("PK") == nil)
        #expect(Grade.ofCode("") == nil)
    }
}

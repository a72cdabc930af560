import BridgesCore
import Testing

/// The identifier rule of lesson-plan-format.md: `[a-z0-9][a-z0-9-]{0,63}`.
@Suite("Identifier")
struct IdentifierTests {
    @Test(arguments: ["fa-bleeding", "a", "0", "q1", "9-lives", "a-", "a--b", String(repeating: "a", count: 64), "x" + String(repeating: "-", count: 63)])
    func lowerCaseLettersDigitsAndDashesStartingWithALetterOrDigitAreValid(id: String) {
        #expect(Identifier.isValid(id))
    }

    @Test(arguments: [
        "", "-a", "A", "Fa-bleeding", "fa_bleeding", "fa bleeding", "fa.bleeding", "é", "fa-saignée", " a", "a ", "a\n",
        String(repeating: "a", count: 65), "ａ", "a/b",
    ])
    func anythingElseIsNotAnIdentifier(id: String) {
        #expect(!Identifier.isValid(id))
    }

    @Test func theLongestIdentifierHasSixtyFourCharacters() {
        #expect(Identifier.maximumLength == 64)
    }
}

import BridgesCore
import Testing

@Suite struct RecordTextTests {
    @Test(arguments: ["\u{0}", "\t", "\n", "\r", "\u{7}", "\u{1B}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}"])
    func everyControlCharacterIsRefusedAtItsPosition(_ control: String) {
        let problem = RecordText.problem("Ti" + control + "m", as: .name)
        #expect(problem?.character == 3)
    }

    @Test func visibleTextInAnyScriptIsTaken() {
        for text in ["Tim", "Ñúñez-Ångström", "عبد الله", "王", "O'Neil", "Ann  Marie", "\u{A0}x", "=HYPERLINK(1)"] {
            #expect(RecordText.problem(text, as: .name) == nil, "\(text)")
        }
    }

    @Test func theLimitsAreInCharactersAndTheBoundaryIsTaken() {
        #expect(RecordText.problem(String(repeating: "é", count: 200), as: .name) == nil)
        #expect(RecordText.problem(String(repeating: "é", count: 201), as: .name)?.character == 201)
        #expect(RecordText.problem(String(repeating: "7", count: 128), as: .id) == nil)
        #expect(RecordText.problem(String(repeating: "7", count: 129), as: .id)?.message.contains("longer than 128") == true)
    }
}

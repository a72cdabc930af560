import BridgesCore
import Testing

/// `DisplayText`: the one rule for text shown to people, and the columns it takes.
@Suite("DisplayText")
struct DisplayTextTests {
    @Test func terminalControlsAreShownEscapedAndEverythingElseIsLeftAlone() {
        #expect(DisplayText.escaped("\u{1B}[31mRed\u{7}") == #"\u{1B}[31mRed\u{7}"#)
        #expect(DisplayText.escaped("a\rb\nc\td\u{7F}e\u{9B}f\u{85}") == #"a\u{D}b\u{A}c\u{9}d\u{7F}e\u{9B}f\u{85}"#)
        #expect(DisplayText.escaped("evil\u{202E}gpj.exe\u{2066}x\u{2069}\u{2028}") == #"evil\u{202E}gpj.exe\u{2066}x\u{2069}\u{2028}"#)
        for plain in ["Amara Okafor", "José García", "山田太郎", "👮‍♀️", "e\u{301}", "— … ‘quoted’ €", "Ünïcödé ½"] {
            #expect(DisplayText.escaped(plain) == plain)
        }
    }

    @Test func composedTextKeepsItsLineBreaksOnly() {
        #expect(DisplayText.escapedKeepingLineBreaks("one\ntwo\u{1B}]0;title\u{7}\r") == "one\ntwo" + #"\u{1B}]0;title\u{7}\u{D}"#)
    }

    @Test func wideCharactersTakeTwoColumnsAndMarksNone() {
        #expect(DisplayText.width("Okafor") == 6)
        #expect(DisplayText.width("") == 0)
        #expect(DisplayText.width("山田太郎") == 8)
        #expect(DisplayText.width("ｱ") == 1)  // halfwidth katakana
        #expect(DisplayText.width("ＡＢ") == 4)  // fullwidth Latin
        #expect(DisplayText.width("한국어") == 6)
        #expect(DisplayText.width("José") == 4)
        #expect(DisplayText.width("Jose\u{301}") == 4)  // combining acute accent
        #expect(DisplayText.width("a\u{20DD}") == 1)  // enclosing circle
        #expect(DisplayText.width("a\u{200B}b") == 2)  // zero-width space (format)
        #expect(DisplayText.width("😀") == 2)
        #expect(DisplayText.width("👮‍♀️") == 2)  // a ZWJ sequence is one picture
        #expect(DisplayText.width("🇫🇷") == 2)
        #expect(DisplayText.width("❤️") == 2)  // text symbol made emoji by U+FE0F
        #expect(DisplayText.width("❤") == 1)
        #expect(DisplayText.width("Ωμέγα") == 5)
        #expect(DisplayText.width("शर्मा") == 4)  // as wcwidth: the virama takes none, the vowel sign one
        #expect(DisplayText.width("1️⃣") == 2)  // keycap sequence
    }

    @Test func longTextIsCutAtTheColumnLimitWithAnEllipsis() {
        #expect(DisplayText.truncated("short", toWidth: 10) == "short")
        #expect(DisplayText.truncated("exactly10!", toWidth: 10) == "exactly10!")
        #expect(DisplayText.truncated("eleven-long", toWidth: 10) == "eleven-lo…")
        // Wide characters are never split and the result never exceeds the limit.
        let cut = DisplayText.truncated("山田太郎山田太郎", toWidth: 6)
        #expect(cut == "山田…")
        #expect(DisplayText.width(cut) <= 6)
        #expect(DisplayText.truncated("山田太郎", toWidth: 8) == "山田太郎")
        // An accent stays with its letter.
        #expect(DisplayText.truncated("e\u{301}e\u{301}e\u{301}e\u{301}", toWidth: 3) == "e\u{301}e\u{301}…")
        // Millions of characters cost no more than the limit.
        let huge = String(repeating: "x", count: 4_000_000)
        let shown = DisplayText.truncated(huge, toWidth: 40)
        #expect(shown.count == 40)
        #expect(shown.hasSuffix("…"))
    }

    @Test func aCellIsEscapedCutAndMeasuredByTheSameRule() {
        #expect(DisplayText.cell("Okafor", limit: 40) == ("Okafor", 6))
        #expect(DisplayText.cell("山田", limit: 40) == ("山田", 4))
        #expect(DisplayText.cell("a\u{1B}b", limit: 40) == (#"a\u{1B}b"#, 8))
        #expect(DisplayText.cell("a\u{1B}b", limit: 5) == (#"a\u{…"#, 5))
        #expect(DisplayText.cell(String(repeating: "y", count: 50), limit: 40) == (String(repeating: "y", count: 39) + "…", 40))
    }
}

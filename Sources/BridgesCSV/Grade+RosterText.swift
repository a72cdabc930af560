import BridgesCore

extension Grade {
    /// Reads a roster's grade: `K`, `KG`, `0`–`12` or `00`–`12` (the CEDS codes are `KG` and
    /// `01`–`12`). Unlike `Grade(_:)` it refuses a sign, since `+3` in a roster is a typing slip.
    init?(rosterText text: String) {
        let trimmed = text.trimmedField
        guard !trimmed.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }) else { return nil }
        self.init(trimmed)
    }

    /// What a roster may write for a grade, for messages about one it cannot read.
    static let rosterTextHelp = "write K (or KG) for kindergarten, or 1 to 12 (01 to 12 also work)"
}

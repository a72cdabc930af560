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
    static let rosterTextHelp =
        "write K (or KG) for kindergarten, 1 to 12 (01 to 12 also work), or a CEDS code: "
        + otherCodes.joined(separator: ", ")

    /// A roster grade's code as a small number, for the compact per-student memory of a reader:
    /// 0–12 for K–12, 20 and up for the other codes, -1 for none.
    static func codeKey(_ code: (grade: Grade?, code: String)) -> Int8 {
        if let grade = code.grade { return Int8(grade.number) }
        if let index = otherCodes.firstIndex(of: code.code) { return Int8(20 + index) }
        return -1
    }

    /// The code of a `codeKey`, for a message.
    static func code(ofKey key: Int8) -> String {
        if key >= 0 && key <= 12 { return Grade(number: Int(key))!.description }
        if key >= 20 && Int(key) - 20 < otherCodes.count { return otherCodes[Int(key) - 20] }
        return "none"
    }
}

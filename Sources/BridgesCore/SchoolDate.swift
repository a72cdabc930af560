import Foundation

/// A calendar date as schools write it, `YYYY-MM-DD`: a session's date, an officer's
/// certification, a certificate's issue and expiry.
///
/// A date without a time or a time zone, on purpose: a session taught on 14 March was taught on
/// 14 March wherever the database is later read. Only `init(at:in:)` needs a time zone, to say which
/// date it is at an instant where the person is. Stored and exchanged as the ISO 8601 text, which sorts as
/// dates do.
public struct SchoolDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    /// 1–12.
    public let month: Int
    /// 1–28, 29, 30 or 31, as the month has.
    public let day: Int

    /// The earliest and latest years accepted: four digits, and no calendar before the Gregorian.
    public static let years = 1600...9999

    /// A real calendar date, or nil (`2025-02-30`, month 13, year 0 are not).
    public init?(year: Int, month: Int, day: Int) {
        guard Self.years.contains(year), (1...12).contains(month), day >= 1,
            day <= Self.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads exactly `YYYY-MM-DD` (ASCII digits, dashes, no spaces, no time); nil for anything
    /// else or for a date the calendar does not have.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// What a person should type, for messages about a date that could not be read.
    public static let formatHelp = "write the date as YYYY-MM-DD, e.g. 2025-03-14"

    /// The date it is at `instant` in `timeZone`: what "today" means to the person at the
    /// keyboard, not to UTC. Both are handed in (a front door's clock): Core reads no clock.
    public init(at instant: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        // The Gregorian calendar always yields a valid date in range for the present.
        self.init(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public static func < (a: SchoolDate, b: SchoolDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// `2025-03-14`.
    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(year)-\(two(month))-\(two(day))"
    }

    // MARK: Arithmetic

    /// Days since 1970-01-01 (negative before), for counting and adding days.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `daysSinceEpoch` days after 1970-01-01; nil outside `years`.
    public init?(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.init(year: year, month: month, day: day)
    }

    /// The date `days` later (earlier when negative); nil outside `years`.
    public func adding(days: Int) -> SchoolDate? {
        SchoolDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// The same day `months` later (earlier when negative), or the month's last day when it is
    /// shorter: 31 January plus one month is 28 or 29 February. Nil outside `years`.
    public func adding(months: Int) -> SchoolDate? {
        let total = year * 12 + (month - 1) + months
        let newYear = total >= 0 ? total / 12 : (total - 11) / 12
        let newMonth = total - newYear * 12 + 1
        guard Self.years.contains(newYear) else { return nil }
        return SchoolDate(year: newYear, month: newMonth, day: min(day, Self.daysIn(month: newMonth, year: newYear)))
    }

    /// Whole days from `self` to `other` (negative when `other` is earlier).
    public func days(until other: SchoolDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    // MARK: Codable, as the ISO text

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = SchoolDate(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a date: \(Self.formatHelp)")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

@testable import BridgesKit
import Foundation
import Testing

/// `SchoolDate`: the `YYYY-MM-DD` dates of sessions, certifications and certificates.
@Suite("SchoolDate")
struct SchoolDateTests {
    @Test(arguments: ["2025-03-14", "2024-02-29", "2000-02-29", "1600-01-01", "9999-12-31", "2025-12-31"])
    func realDatesAreReadAndWrittenBackTheSame(_ text: String) throws {
        let date = try #require(SchoolDate(text))
        #expect(date.description == text)
    }

    @Test(arguments: [
        "2025-02-29", "1900-02-29", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00", "2025-1-5", "25-01-05",
        " 2025-01-05", "2025-01-05 ", "2025-01-05T10:00", "2025/01/05", "２０２５-01-05", "+025-01-05", "", "1599-12-31",
    ])
    func anythingElseIsNotADate(_ text: String) {
        #expect(SchoolDate(text) == nil)
    }

    @Test func datesCompareAsTheCalendarDoes() throws {
        let dates = ["2025-01-31", "2024-12-31", "2025-02-01", "2025-01-09"].compactMap(SchoolDate.init)
        #expect(dates.sorted().map(\.description) == ["2024-12-31", "2025-01-09", "2025-01-31", "2025-02-01"])
        #expect(SchoolDate("2025-01-31")! == SchoolDate(year: 2025, month: 1, day: 31)!)
    }

    @Test func daysAndMonthsCanBeAdded() throws {
        let date = try #require(SchoolDate("2024-01-31"))
        #expect(date.adding(months: 1)?.description == "2024-02-29")
        #expect(date.adding(months: 13)?.description == "2025-02-28")
        #expect(date.adding(months: -2)?.description == "2023-11-30")
        #expect(date.adding(days: 30)?.description == "2024-03-01")
        #expect(date.adding(days: -31)?.description == "2023-12-31")
        #expect(SchoolDate("1970-01-01")!.daysSinceEpoch == 0)
        #expect(SchoolDate("2024-01-31")!.days(until: SchoolDate("2025-01-31")!) == 366)
        #expect(SchoolDate("9999-12-31")!.adding(days: 1) == nil)
    }

    @Test func everyDayOfFourHundredYearsRoundTripsThroughDayNumbers() {
        var date = SchoolDate(year: 2000, month: 1, day: 1)!
        let start = date.daysSinceEpoch
        var wrong: [String] = []
        for offset in 0..<146_097 {
            guard let next = date.adding(days: 1) else { Issue.record("ran out at \(date)"); return }
            if date.daysSinceEpoch != start + offset || !(next > date) || SchoolDate(daysSinceEpoch: start + offset) != date {
                wrong.append(date.description)
            }
            date = next
        }
        #expect(wrong.isEmpty)
        #expect(date.description == "2400-01-01")
    }

    @Test func todayIsTheDateInTheGivenTimeZone() throws {
        // 2025-03-14 23:30 UTC is already the 15th in Auckland and still the 14th in Los Angeles
        let instant = Date(timeIntervalSince1970: 1_741_995_000)
        #expect(SchoolDate(at: instant, in: TimeZone(identifier: "UTC")!).description == "2025-03-14")
        #expect(SchoolDate(at: instant, in: TimeZone(identifier: "Pacific/Auckland")!).description == "2025-03-15")
        #expect(SchoolDate(at: instant, in: TimeZone(identifier: "America/Los_Angeles")!).description == "2025-03-14")
    }

    @Test func itIsCodedAsItsText() throws {
        struct Holder: Codable, Equatable { var date: SchoolDate }
        let data = try JSONEncoder().encode(Holder(date: SchoolDate("2025-03-14")!))
        #expect(String(decoding: data, as: UTF8.self) == #"{"date":"2025-03-14"}"#)
        #expect(try JSONDecoder().decode(Holder.self, from: data) == Holder(date: SchoolDate("2025-03-14")!))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Holder.self, from: Data(#"{"date":"2025-02-30"}"#.utf8)) }
    }
}

import BridgesCore
import Foundation

/// The time and the time zone every operation reads, handed in by the front door: the command
/// line hands in the system's clock and the machine's time zone, the server shares its own, a
/// test one that stands still. Kit never reads the system clock or time zone itself, so that
/// "today" is the same day for every step of an operation and a test can choose it.
public struct WallClock: Sendable {
    /// Where the person is: which date it is now (`today`).
    public let timeZone: TimeZone
    private let reading: @Sendable () -> Date

    /// A clock that reads the time with `now` and says dates in `timeZone`.
    public init(timeZone: TimeZone, now: @escaping @Sendable () -> Date) {
        self.timeZone = timeZone
        reading = now
    }

    /// A clock that always says `instant`.
    public static func standingStill(at instant: Date, in timeZone: TimeZone) -> WallClock {
        WallClock(timeZone: timeZone) { instant }
    }

    /// The present moment (read anew each time, as `Date.now` is).
    public var now: Date { reading() }

    /// Today's date where the person is (read anew each time).
    public var today: SchoolDate { date(at: reading()) }

    /// The date it is at `instant` where the person is (one reading of the clock for both the
    /// time and the date of an operation).
    public func date(at instant: Date) -> SchoolDate { SchoolDate(at: instant, in: timeZone) }
}

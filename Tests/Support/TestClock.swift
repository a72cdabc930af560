import BridgesCore
import BridgesKit
import Foundation
import Synchronization

/// The clock a test hands Kit (the Kit and server tests share it): the system's time until a
/// test sets a day (or an instant), then that one, standing still, until it is set again.
public final class TestClock: Sendable {
    private let instant = Mutex<Date?>(nil)

    public init() {}

    /// Says `date` from now on.
    public func set(_ date: Date) {
        instant.withLock { $0 = date }
    }

    /// Says noon of `day`, in the machine's time zone, from now on.
    public func set(_ day: SchoolDate) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let noon = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12))!
        set(noon)
    }

    /// The clock to hand Kit, which reads this one.
    public var wallClock: WallClock {
        WallClock(timeZone: .current) { [self] in instant.withLock { $0 } ?? Date() }
    }
}

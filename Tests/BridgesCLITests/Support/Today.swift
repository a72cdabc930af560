import BridgesKit
import Foundation

extension SchoolDate {
    /// Today on this machine's clock and in its time zone, as `bridges` (run by these tests) reads
    /// it: the tests stand where a person at the command line does. Core itself reads no clock.
    static func today() -> SchoolDate {
        SchoolDate(at: Date(), in: .current)
    }
}

import BridgesCore
import Foundation

/// Why an erasure or a hold was refused, with nothing written.
package enum StudentRecordRefusal: Error, Sendable, Hashable {
    case noSuchStudent
    case alreadyErased(at: String)
    case underHold(reason: String)
    case alreadyHeld(reason: String)
    case notHeld
}

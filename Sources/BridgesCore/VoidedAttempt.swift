/// The score of a quiz attempt that was voided (what `quiz void` did).
public struct VoidedAttempt: Sendable, Hashable {
    public var earned: Int
    public var possible: Int
    public var passed: Bool

    public init(earned: Int, possible: Int, passed: Bool) {
        self.earned = earned
        self.possible = possible
        self.passed = passed
    }
}

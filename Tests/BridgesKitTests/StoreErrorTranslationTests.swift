@testable import BridgesKit
import BridgesStore
import Testing

/// The one translation of a failure out of a store call that takes a closure (untyped): Kit's own
/// errors pass unchanged, a store error becomes what `BridgesError(StoreError)` says (so the
/// command line keeps its sentences and exit codes), and anything else what the caller says.
@Suite("A store call's failure as an operation's error")
struct StoreErrorTranslationTests {
    struct Other: Error {}

    @Test func aStoreErrorIsTranslatedAsEverywhereElse() {
        let busy = BridgesError(StoreError.busy(path: "x.sqlite") as any Error) { _ in .internalError("other") }
        #expect(busy.exitCode == 75)
        #expect(busy.description == BridgesError(StoreError.busy(path: "x.sqlite")).description)
        let missing = BridgesError(StoreError.missing(path: "y.sqlite") as any Error) { _ in .internalError("other") }
        #expect(missing.code == "not-found.database")
    }

    @Test func kitsOwnErrorPassesUnchanged() {
        let usage = BridgesError(BridgesError.usage("\(field: .from) is wrong") as any Error) { _ in .internalError("other") }
        #expect(usage.code == "usage.from")
        #expect(usage.exitCode == 64)
    }

    @Test func anyOtherErrorIsWhatTheCallerSays() {
        let other = BridgesError(Other() as any Error) { error in .io("failed: \(error is Other)") }
        #expect(other.exitCode == 74)
        #expect(other.description == "failed: true")
    }

    @Test func aStoreCallThatSucceedsReturnsItsValue() async throws {
        let value = try await Registrar.store({ 42 }, other: { _ in .internalError("other") })
        #expect(value == 42)
        await #expect(throws: BridgesError.self) {
            try await Registrar.store({ () async throws -> Int in throw StoreError.full(path: "z") }, other: { _ in .internalError("other") })
        }
    }
}

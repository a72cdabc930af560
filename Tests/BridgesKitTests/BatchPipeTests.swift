@testable import BridgesKit
import Foundation
import Testing

/// A file read on one thread and stored on another: everything arrives, in order, and an error
/// on either side stops both.
@Suite("Reading on one thread, storing on another")
struct BatchPipeTests {
    struct Broken: Error, Equatable { var at: Int }

    @Test("every value arrives once, in order, across batch boundaries", arguments: [0, 1, 7, 1024, 5000])
    func everythingInOrder(count: Int) throws {
        var received: [Int] = []
        let produced = try BatchPipe<Int>.run(batchSize: 7, produce: { emit in
            for value in 0..<count { try emit(value) }
            return "read \(count)"
        }, consume: { received.append($0) })
        #expect(produced == "read \(count)")
        #expect(received == Array(0..<count))
    }

    @Test("an error while storing stops the reading and comes back")
    func consumerErrorStopsProducer() throws {
        let emitted = Counter()
        #expect(throws: Broken(at: 100)) {
            try BatchPipe<Int>.run(batchSize: 10, produce: { emit in
                for value in 0..<1_000_000 {
                    try emit(value)
                    emitted.add()
                }
                return ()
            }, consume: { value in if value == 100 { throw Broken(at: 100) } })
        }
        // The reader stopped soon after, not at the end of its million.
        #expect(emitted.value < 1_000)
    }

    @Test("an error while reading comes back, and what was stored before it came in order")
    func producerErrorComesBack() throws {
        var received: [Int] = []
        #expect(throws: Broken(at: 25)) {
            try BatchPipe<Int>.run(batchSize: 10, produce: { emit in
                for value in 0..<25 { try emit(value) }
                throw Broken(at: 25)
            }, consume: { received.append($0) })
        }
        // Batches not yet taken when the reading failed are dropped (they would be rolled back).
        #expect([0, 10, 20].contains(received.count) && received == Array(0..<received.count))
    }

    @Test("a read error is the one that comes back, even when storing then fails on what it was given")
    func readErrorWinsOverTheStoringErrorItCaused() throws {
        #expect(throws: Broken(at: 5)) {
            try BatchPipe<Int>.run(batchSize: 1, produce: { emit in
                for value in 0..<5 { try emit(value) }
                throw Broken(at: 5)
            }, consume: { value in
                // Storing slowly, then failing: by then the read has failed.
                if value == 0 { Thread.sleep(forTimeInterval: 0.2) }
                throw Broken(at: -1)
            })
        }
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

@testable import BridgesSystem
import Foundation
import Testing

/// The one producer/consumer pipe: everything arrives once and in order, an error on either side
/// stops both and comes back, and a fast producer is held to the pipe's bound.
@Suite("Handing values from producing threads to one consumer")
struct OrderedPipeTests {
    struct Broken: Error, Equatable { var at: Int }

    // MARK: stream (one reading thread, batches)

    @Test("every value arrives once, in order, across batch boundaries", arguments: [0, 1, 7, 1024, 5000])
    func everythingInOrder(count: Int) throws {
        var received: [Int] = []
        let produced = try OrderedPipe<Int>.stream(batchSize: 7, produce: { emit in
            for value in 0..<count { try emit(value) }
            return "read \(count)"
        }, consume: { received.append($0) })
        #expect(produced == "read \(count)")
        #expect(received == Array(0..<count))
    }

    @Test("an error while storing stops the reading early and comes back")
    func consumerErrorStopsProducer() throws {
        let emitted = Counter()
        #expect(throws: Broken(at: 100)) {
            try OrderedPipe<Int>.stream(batchSize: 10, produce: { emit in
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
            try OrderedPipe<Int>.stream(batchSize: 10, produce: { emit in
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
            try OrderedPipe<Int>.stream(batchSize: 1, produce: { emit in
                for value in 0..<5 { try emit(value) }
                throw Broken(at: 5)
            }, consume: { value in
                // Storing slowly, then failing: by then the read has failed.
                if value == 0 { Thread.sleep(forTimeInterval: 0.2) }
                throw Broken(at: -1)
            })
        }
    }

    @Test("a fast reader runs at most depth batches (plus the one it fills and the one being stored) ahead")
    func streamIsBounded() throws {
        let emitted = Counter()
        var mostAhead = 0
        var consumed = 0
        try OrderedPipe<Int>.stream(batchSize: 10, depth: 3, produce: { emit in
            for value in 0..<2_000 {
                try emit(value)
                emitted.add()
            }
            return ()
        }, consume: { _ in
            consumed += 1
            if consumed % 50 == 0 { Thread.sleep(forTimeInterval: 0.001) }
            mostAhead = max(mostAhead, emitted.value - consumed)
        })
        #expect(consumed == 2_000)
        #expect(mostAhead <= (3 + 2) * 10)
    }

    // MARK: map (several threads, numbers turned into values)

    @Test("values come back in the order of their numbers, whatever the number of threads", arguments: [1, 2, 8])
    func mapInOrder(workers: Int) {
        var received: [Int] = []
        OrderedPipe<Int>.map(count: 500, workers: workers, window: 16, makeWorker: {
            { index in
                // Later numbers often finish first.
                if index % 7 == 0 { usleep(200) }
                return index * index
            }
        }, consume: { index, value in
            #expect(value == index * index)
            received.append(value)
        })
        #expect(received == (0..<500).map { $0 * $0 })
    }

    @Test("each thread makes its worker once and uses only its own")
    func oneWorkerPerThread() {
        let made = Counter()
        OrderedPipe<String>.map(count: 200, workers: 4, window: 8, makeWorker: {
            made.add()
            let mine = Thread.current
            return { index in Thread.current == mine ? "\(index)" : "another thread" }
        }, consume: { index, value in #expect(value == "\(index)") })
        #expect(made.value <= 4)
    }

    @Test("the workers never run more than the window ahead of the consumer")
    func mapIsBounded() {
        let started = Counter()
        var mostAhead = 0
        OrderedPipe<Int>.map(count: 1_000, workers: 4, window: 5, makeWorker: {
            { index in
                started.add()
                return index
            }
        }, consume: { index, _ in
            if index % 100 == 0 { Thread.sleep(forTimeInterval: 0.01) }
            // Numbers 0...index are taken; at most `window` more may be claimed.
            mostAhead = max(mostAhead, started.value - (index + 1))
        })
        #expect(mostAhead <= 5)
        #expect(started.value == 1_000)
    }

    @Test("an error from the consumer stops the workers early, and every thread has ended when it comes back")
    func mapStopsEarly() {
        let started = Counter()
        let running = Counter()
        #expect(throws: Broken(at: 10)) {
            try OrderedPipe<Int>.map(count: 100_000, workers: 4, window: 8, makeWorker: {
                running.add()
                return { index in
                    started.add()
                    return index
                }
            }, consume: { index, _ in if index == 10 { throw Broken(at: 10) } })
        }
        let afterwards = started.value
        #expect(afterwards < 100)
        Thread.sleep(forTimeInterval: 0.05)
        #expect(started.value == afterwards)
    }

    @Test("nothing to do is done at once, on no thread")
    func mapOfNothing() {
        let made = Counter()
        OrderedPipe<Int>.map(count: 0, workers: 4, window: 8, makeWorker: {
            made.add()
            return { $0 }
        }, consume: { _, _ in Issue.record("nothing was to be consumed") })
        #expect(made.value == 0)
    }

    // MARK: the pipe itself

    @Test("a producer that claimed capacity values waits until the consumer takes one")
    func claimWaitsForTheConsumer() {
        let pipe = OrderedPipe<Int>(capacity: 2)
        #expect(pipe.claim() == 0)
        #expect(pipe.claim() == 1)
        let third = Counter()
        let thread = Thread {
            if let sequence = pipe.claim() {
                third.add()
                pipe.put(sequence, at: sequence)
            }
        }
        thread.start()
        Thread.sleep(forTimeInterval: 0.1)
        #expect(third.value == 0)
        pipe.put(0, at: 0)
        pipe.put(1, at: 1)
        #expect(pipe.take() == 0)
        #expect(pipe.take() == 1)
        #expect(pipe.take() == 2)
        #expect(third.value == 1)
        pipe.finish()
        #expect(pipe.take() == nil)
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

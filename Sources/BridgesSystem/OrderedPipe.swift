import Foundation

/// Carries values from producing threads to one consuming thread, in the order of the sequence
/// numbers the producers claimed, holding at most `capacity` values claimed and not yet taken: a
/// fast producer waits instead of filling memory.
///
/// The one producer/consumer hand-over in Bridges. Two ways to run it, both joining every thread
/// they start before they return: `stream` (one thread reads a file and emits values, which come
/// to the caller in batches: bulk imports, where reading and storing cost about the same) and
/// `map` (several threads each turn numbers `0..<count` into values, which come to the caller in
/// order: lesson-plan files read on every core while the caller stores them). How many threads
/// is the caller's to say; nothing here asks how many processors there are.
package final class OrderedPipe<Element: Sendable>: @unchecked Sendable {
    @usableFromInline let condition = NSCondition()
    /// A ring: the value of sequence number `n` waits in `slots[n % capacity]`.
    @usableFromInline var slots: [Element?]
    /// Sequence numbers handed to producers so far.
    @usableFromInline var claimed = 0
    /// Values the consumer has taken so far.
    @usableFromInline var taken = 0
    /// How many values there will be, once known.
    @usableFromInline var end: Int?
    /// Stopped by either side: nothing more is claimed, put or taken.
    @usableFromInline var stopped = false
    /// Threads started by `stream` or `map` that have not yet ended.
    @usableFromInline var running = 0
    /// Producers waiting in `claim` for room, and whether the consumer waits in `take`: a put or
    /// a take wakes the other side only when it waits for what just happened, so that lesson
    /// files read on every core do not wake every thread for every value.
    @usableFromInline var producersWaiting = 0
    @usableFromInline var consumerWaiting = false
    /// How many values in order must be ready before a waiting consumer is woken (unless no more
    /// can come: the rest are ready, or the producers wait for room). `map` waits for half its
    /// window: woken for every value, the consumer of a thousand small files switched threads
    /// thousands of times (+12 % CPU for `lesson validate`).
    @usableFromInline let wakeAfter: Int

    /// At most `capacity` values claimed and not yet taken; with `count`, the sequence numbers
    /// `0..<count` and no more.
    @inlinable package init(capacity: Int, count: Int? = nil, wakeAfter: Int = 1) {
        slots = Array(repeating: nil, count: max(1, capacity))
        end = count
        self.wakeAfter = min(max(1, wakeAfter), max(1, capacity))
    }

    @inlinable package var capacity: Int { slots.count }

    /// Producer: the sequence number of the next value to put, waiting while `capacity` values
    /// are claimed and not taken; nil once every number is handed out or the pipe has stopped.
    @inlinable package func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !stopped, claimed < (end ?? .max), claimed - taken >= slots.count {
            // No room until the consumer takes: it must not sleep on values that are ready.
            if consumerWaiting, slots[taken % slots.count] != nil { condition.broadcast() }
            producersWaiting += 1
            condition.wait()
            producersWaiting -= 1
        }
        guard !stopped, claimed < (end ?? .max) else { return nil }
        claimed += 1
        return claimed - 1
    }

    /// Producer: the value of a claimed sequence number.
    @inlinable package func put(_ value: Element, at sequence: Int) {
        condition.lock()
        if !stopped { slots[sequence % slots.count] = value }
        if consumerWaiting, slots[taken % slots.count] != nil {
            var ready = 0
            while ready < slots.count, taken + ready < (end ?? .max), slots[(taken + ready) % slots.count] != nil { ready += 1 }
            if ready >= wakeAfter || taken + ready == end || producersWaiting > 0 { condition.broadcast() }
        }
        condition.unlock()
    }

    /// Producer: no values after those already claimed.
    @inlinable package func finish() {
        condition.lock()
        end = claimed
        condition.broadcast()
        condition.unlock()
    }

    /// Either side: stop. Values not yet taken are dropped (they would be rolled back), `claim`
    /// and `take` return nil from now on.
    @inlinable package func stop() {
        condition.lock()
        stopped = true
        for index in slots.indices { slots[index] = nil }
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: the next value in order, waiting for it; nil after the last one or once stopped.
    @inlinable package func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while !stopped, taken < (end ?? .max), slots[taken % slots.count] == nil {
            consumerWaiting = true
            condition.wait()
            consumerWaiting = false
        }
        guard !stopped, taken < (end ?? .max), let value = slots[taken % slots.count] else { return nil }
        slots[taken % slots.count] = nil
        taken += 1
        // A slot is free: a producer waiting for room may claim it.
        if producersWaiting > 0 { condition.broadcast() }
        return value
    }

    // MARK: Threads

    /// Starts `body` on a new thread with a stack large enough for libxml2 and deep decoding.
    @usableFromInline func start(_ body: @escaping @Sendable () -> Void) {
        condition.lock()
        running += 1
        condition.unlock()
        let thread = Thread { [self] in
            body()
            condition.lock()
            running -= 1
            condition.broadcast()
            condition.unlock()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits until every thread `start`ed has ended.
    @usableFromInline func join() {
        condition.lock()
        while running > 0 { condition.wait() }
        condition.unlock()
    }
}

extension OrderedPipe {
    /// Runs `produce` on a new thread, handing what it `emit`s to `consume` on this one, in order,
    /// in batches of `batchSize` with at most `depth` batches waiting. Returns what `produce`
    /// returned; rethrows the first error of either side (the other side is stopped first). When
    /// storing fails because reading failed first, the reading's error is the one that comes back.
    @inlinable package static func stream<Produced: Sendable>(
        batchSize: Int = 1024, depth: Int = 4,
        produce: @escaping @Sendable (_ emit: (Element) throws -> Void) throws -> Produced,
        consume: (Element) throws -> Void
    ) throws -> Produced {
        let pipe = OrderedPipe<[Element]>(capacity: depth)
        let outcome = Outcome<Produced>()
        let batchSize = max(1, batchSize)
        pipe.start {
            var batch: [Element] = []
            batch.reserveCapacity(batchSize)
            func send() throws {
                guard let sequence = pipe.claim() else { throw Stopped() }
                pipe.put(batch, at: sequence)
                batch.removeAll(keepingCapacity: true)
            }
            do {
                let produced = try produce { element in
                    batch.append(element)
                    if batch.count >= batchSize { try send() }
                }
                if !batch.isEmpty { try send() }
                outcome.set(.success(produced))
                pipe.finish()
            } catch {
                outcome.set(.failure(error))
                pipe.stop()
            }
        }
        do {
            while let batch = pipe.take() {
                // By index: each value is lent to `consume` where it lies, not copied out first.
                for index in batch.indices { try consume(batch[index]) }
            }
        } catch {
            pipe.stop()
            pipe.join()
            if case .failure(let readError)? = outcome.value, !(readError is Stopped) { throw readError }
            throw error
        }
        pipe.join()
        guard let result = outcome.value else { throw Stopped() }
        return try result.get()
    }

    /// Turns `0..<count` into values on `workers` threads and hands each to `consume` on this one,
    /// in order, as soon as it and those before it are done; workers run at most `window` values
    /// ahead of `consume`. `makeWorker` runs once on each thread and gives what that thread turns
    /// numbers with (one reader per thread, say). An error from `consume` stops the workers and
    /// comes back once they have ended.
    @inlinable package static func map(
        count: Int, workers: Int, window: Int,
        makeWorker: @escaping @Sendable () -> (Int) -> Element,
        consume: (_ index: Int, _ value: Element) throws -> Void
    ) rethrows {
        guard count > 0 else { return }
        let pipe = OrderedPipe<Element>(capacity: window, count: count, wakeAfter: window / 2)
        for _ in 0..<max(1, min(workers, count)) {
            pipe.start {
                let work = makeWorker()
                while let index = pipe.claim() { pipe.put(work(index), at: index) }
            }
        }
        // Whatever happens here, no worker outlives the call.
        defer {
            pipe.stop()
            pipe.join()
        }
        for index in 0..<count {
            guard let value = pipe.take() else { break }
            try consume(index, value)
        }
    }

    /// The producer was told to stop (the consumer failed), or ended without a result.
    @usableFromInline struct Stopped: Error {
        @usableFromInline init() {}
    }
}

/// What the producing thread of `stream` ended with: written by it, read after it has ended.
@usableFromInline final class Outcome<Produced>: @unchecked Sendable {
    @usableFromInline let lock = NSLock()
    @usableFromInline var result: Result<Produced, any Error>?

    @inlinable init() {}

    @inlinable func set(_ result: Result<Produced, any Error>) {
        lock.lock()
        self.result = result
        lock.unlock()
    }

    @inlinable var value: Result<Produced, any Error>? {
        lock.lock()
        defer { lock.unlock() }
        return result
    }
}

/// A value (a file's reader, say) handed to the thread `OrderedPipe.stream` starts, which alone
/// uses it from then on.
package final class HandedOver<Value>: @unchecked Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}

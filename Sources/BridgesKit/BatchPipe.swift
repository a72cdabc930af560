import Foundation

/// Hands batches of values from one producing thread to one consuming thread, holding at most
/// `depth` batches, so a fast producer waits instead of filling memory.
///
/// Bulk imports read and check their file on one thread while another writes to the database:
/// the two halves cost about the same, so each command takes about as long as the slower half.
final class BatchPipe<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[Element]] = []
    private var finished = false
    private var cancelled = false
    private let depth: Int

    init(depth: Int = 4) { self.depth = max(1, depth) }

    /// Producer: queues a batch, waiting while the pipe is full. False once the consumer has
    /// stopped (`cancel`): stop producing.
    func send(_ batch: [Element]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= depth, !cancelled { condition.wait() }
        guard !cancelled else { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    /// Producer: no more batches will come.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: the next batch, waiting for it; nil when the producer has finished and every
    /// batch has been taken.
    func receive() -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty, !finished { condition.wait() }
        guard !batches.isEmpty else { return nil }
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
    }

    /// Producer: it failed; the batches not yet taken are dropped (they would be rolled back) and
    /// the consumer stops, so that the producer's error is the one that comes back.
    func fail() {
        condition.lock()
        batches.removeAll()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: stop taking batches (after an error); the producer's next `send` returns false.
    func cancel() {
        condition.lock()
        cancelled = true
        batches.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}

extension BatchPipe {
    /// Runs `produce` on a new thread, handing what it `emit`s to `consume` on this one in
    /// batches of `batchSize`, in order. Returns what `produce` returned; rethrows the first
    /// error of either side (the other side is stopped first, and no thread outlives the call).
    static func run<Produced: Sendable>(
        batchSize: Int = 1024,
        produce: @escaping @Sendable (_ emit: (Element) throws -> Void) throws -> Produced,
        consume: (Element) throws -> Void
    ) throws -> Produced {
        let pipe = BatchPipe<Element>()
        let outcome = ProducerOutcome<Produced>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var batch: [Element] = []
            batch.reserveCapacity(batchSize)
            do {
                let produced = try produce { element in
                    batch.append(element)
                    if batch.count >= batchSize {
                        guard pipe.send(batch) else { throw Stopped() }
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { _ = pipe.send(batch) }
                outcome.result = .success(produced)
                pipe.finish()
            } catch {
                outcome.result = .failure(error)
                pipe.fail()
            }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        do {
            while let batch = pipe.receive() {
                for element in batch { try consume(element) }
            }
        } catch {
            pipe.cancel()
            done.wait()
            // A failed read is the cause of anything storing then ran into.
            if case .failure(let readError)? = outcome.result, !(readError is Stopped) { throw readError }
            throw error
        }
        done.wait()
        guard let result = outcome.result else { throw Stopped() }
        return try result.get()
    }

    private struct Stopped: Error {}
}

/// What the producing thread ended with; written by it before it signals, read after.
private final class ProducerOutcome<Produced>: @unchecked Sendable {
    var result: Result<Produced, any Error>?
}

/// A value (a file's reader, say) handed to the thread `BatchPipe.run` starts, which alone uses it
/// from then on.
final class HandedOver<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

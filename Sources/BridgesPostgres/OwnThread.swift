import Dispatch
import Foundation

/// Kit's bulk paths hand the store a synchronous body (it reads a file and gives the store its
/// rows through a sink) and the sink's methods are synchronous too; PostgreSQL is reached only
/// asynchronously. So the body runs on a thread of its own, where waiting is harmless, and each
/// sink call that needs the database waits there (`waitFor`) while the work runs as a task.
/// Swift's concurrency threads never block.
enum OwnThread {
    /// Runs `body` on a new thread and returns (or throws) what it did.
    static func run<T>(_ body: () throws -> T) async throws -> T {
        try await withoutActuallyEscaping(body) { escapable in
            // The thread lets go of `body` before it says it is done: `withoutActuallyEscaping`
            // checks that nothing holds it once it returns.
            let held = Held(escapable)
            return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<UncheckedBox<T>, any Error>) in
                let thread = Thread {
                    let result = held.runOnce()
                    continuation.resume(with: result)
                }
                // Kit's readers recurse no deeper than the main thread would let them.
                thread.stackSize = 8 << 20
                thread.start()
            }.value
        }
    }

    private final class Held<T>: @unchecked Sendable {
        private var body: (() throws -> T)?
        init(_ body: @escaping () throws -> T) { self.body = body }

        /// Runs the body and drops it (one thread calls this, once).
        func runOnce() -> Result<UncheckedBox<T>, any Error> {
            guard let body else { fatalError("OwnThread's body ran twice") }
            self.body = nil
            do {
                return .success(UncheckedBox(try body()))
            } catch {
                return .failure(error)
            }
        }
    }

    /// From `run`'s thread: waits for `work` to finish as a task.
    static func waitFor<T>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome<T>()
        Task {
            do {
                outcome.result = .success(UncheckedBox(try await work()))
            } catch {
                outcome.result = .failure(error)
            }
            done.signal()
        }
        done.wait()
        return try outcome.result!.get().value
    }

    /// Written by the task before it signals, read by the waiting thread after: the semaphore
    /// orders the two.
    private final class Outcome<T>: @unchecked Sendable {
        var result: Result<UncheckedBox<T>, any Error>?
    }
}

import Dispatch
import Foundation
import Synchronization

/// Runs `body(0) … body(n − 1)` at once on the caller's thread and n − 1 persistent worker
/// threads, for fork–join steps that last tens of microseconds.
///
/// `DispatchQueue.concurrentPerform` parks its workers between calls, and waking one took
/// 25–70 µs on the 2-core test machine — about a tenth of a loss evaluation, twice per
/// evaluation. These workers spin for a while after each job (the next fork of a training loop
/// comes within microseconds), then sleep on a semaphore, so an idle pool costs nothing.
/// Not reentrant: one `run` at a time.
public final class ForkJoinPool {
    public let threadCount: Int
    private let shared: Shared

    /// The state the worker threads hold; the pool's owner holds the pool, whose deinit stops them.
    private final class Shared: @unchecked Sendable {
        let generation = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        let stopping = Atomic<Bool>(false)
        /// The job of the current generation; set before `generation` is published.
        var job: ((Int) -> Void)?
        let workers: [Worker]

        init(workers: Int) { self.workers = (0..<workers).map { _ in Worker() } }
    }

    private final class Worker: @unchecked Sendable {
        let sleeping = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
    }

    /// Spins of a worker looking for the next job before it sleeps (about 0.1–0.5 ms).
    private static let spinLimit = 200_000

    public init(threads: Int) {
        precondition(threads >= 1, "ForkJoinPool: \(threads) threads")
        threadCount = threads
        shared = Shared(workers: threads - 1)
        for (w, worker) in shared.workers.enumerated() {
            let shared = self.shared
            let thread = Thread { ForkJoinPool.workerLoop(shared, worker, index: w + 1) }
            thread.name = "metalic fork-join \(w + 1)"
            thread.start()
        }
    }

    deinit {
        shared.stopping.store(true, ordering: .sequentiallyConsistent)
        shared.generation.add(1, ordering: .sequentiallyConsistent)
        for worker in shared.workers where worker.sleeping.exchange(false, ordering: .sequentiallyConsistent) {
            worker.wake.signal()
        }
    }

    /// Calls `body(i)` for every i < `threadCount`, i = 0 on the calling thread, and returns when all have returned.
    public func run(_ body: (Int) -> Void) {
        guard threadCount > 1 else { body(0); return }
        withoutActuallyEscaping(body) { body in
            shared.job = body
            shared.finished.store(0, ordering: .relaxed)
            shared.generation.add(1, ordering: .sequentiallyConsistent)
            for worker in shared.workers where worker.sleeping.exchange(false, ordering: .sequentiallyConsistent) {
                worker.wake.signal()
            }
            body(0)
            let others = threadCount - 1
            while shared.finished.load(ordering: .acquiring) < others {}
            shared.job = nil
        }
    }

    private static func workerLoop(_ shared: Shared, _ worker: Worker, index: Int) {
        var seen = 0
        while true {
            var spins = 0
            var current = shared.generation.load(ordering: .acquiring)
            while current == seen {
                spins += 1
                if spins >= spinLimit {
                    // Announce the sleep, then look once more: a fork published in between either
                    // sees the flag (and signals) or is seen here.
                    worker.sleeping.store(true, ordering: .sequentiallyConsistent)
                    current = shared.generation.load(ordering: .sequentiallyConsistent)
                    if current != seen {
                        // If the forker took the flag meanwhile, its signal is pending: consume it.
                        if !worker.sleeping.exchange(false, ordering: .sequentiallyConsistent) { worker.wake.wait() }
                        break
                    }
                    worker.wake.wait()
                    spins = 0
                }
                current = shared.generation.load(ordering: .acquiring)
            }
            seen = current
            if shared.stopping.load(ordering: .sequentiallyConsistent) { return }
            shared.job?(index)
            shared.finished.add(1, ordering: .releasing)
        }
    }
}

import CPUPause
import Dispatch
import Foundation
import Synchronization

/// Runs `body(0) … body(n − 1)` on the caller's thread and n − 1 persistent worker threads, for
/// fork–join steps that last tens of microseconds (one step per network of a loss evaluation).
///
/// `DispatchQueue.concurrentPerform` parks its workers between calls, and waking one took
/// 25–70 µs on a 2-core machine — about a tenth of a loss evaluation, twice per evaluation. So
/// waiting threads here spin briefly first (the next fork of a training loop comes within
/// microseconds), then sleep on a semaphore, so an idle pool costs nothing.
///
/// The pool must also degrade gracefully when the machine has no free core (another process, or
/// several trainings at once): a thread that spins then steals the time the working thread needs.
/// Three rules keep two threads no slower than one there:
/// - indices are claimed, not assigned: the caller runs every index no worker has started by the
///   time it is done with its own, so a descheduled worker delays nothing;
/// - spinning uses the CPU's pause hint, yields the core to other runnable threads after a few
///   microseconds, and gives up (sleeps) after `spinNanoseconds`;
/// - the caller waits for running workers the same bounded way and sleeps if it must.
/// Not reentrant: one `run` at a time.
public final class ForkJoinPool {
    public let threadCount: Int
    private let shared: Shared

    /// How long a waiting thread spins (pausing, then also yielding) before it sleeps.
    static let spinNanoseconds: UInt64 = 100_000
    /// How long it spins with the pause hint alone before it starts yielding its core.
    static let pauseOnlyNanoseconds: UInt64 = 2_000

    /// A thread's sleeping flag and semaphore. The waiter raises the flag and looks once more;
    /// whoever makes its condition true takes the flag and signals, so no wake-up is lost.
    private final class Parker: @unchecked Sendable {
        let sleeping = Atomic<Bool>(false)
        let semaphore = DispatchSemaphore(value: 0)

        /// Wakes the thread if it is asleep (or about to be).
        func unpark() {
            if sleeping.exchange(false, ordering: .sequentiallyConsistent) { semaphore.signal() }
        }
    }

    /// The state the worker threads hold; the pool's owner holds the pool, whose deinit stops them.
    private final class Shared: @unchecked Sendable {
        let generation = Atomic<Int>(0)
        /// The next unclaimed index of the current job (claimed with a fetch-add).
        let next = Atomic<Int>(Int.max / 2)
        /// Indices ≥ 1 of the current job that have returned.
        let finished = Atomic<Int>(0)
        let stopping = Atomic<Bool>(false)
        /// The job of the current generation; written before `next` is reset, read only by a
        /// thread that claimed an index of it.
        var job: ((Int) -> Void)?
        let workers: [Parker]
        let caller = Parker()

        init(workers: Int) { self.workers = (0..<workers).map { _ in Parker() } }
    }

    public init(threads: Int) {
        precondition(threads >= 1, "ForkJoinPool: \(threads) threads")
        threadCount = threads
        shared = Shared(workers: threads - 1)
        for (w, worker) in shared.workers.enumerated() {
            let shared = self.shared
            let count = threads
            let thread = Thread { ForkJoinPool.workerLoop(shared, worker, count: count) }
            thread.name = "metalic fork-join \(w + 1)"
            thread.start()
        }
    }

    deinit {
        shared.stopping.store(true, ordering: .sequentiallyConsistent)
        shared.generation.add(1, ordering: .sequentiallyConsistent)
        for worker in shared.workers { worker.unpark() }
    }

    /// Calls `body(i)` once for every i < `threadCount` — i = 0 on the calling thread, the others
    /// on whichever thread claims them first — and returns when all have returned.
    public func run(_ body: (Int) -> Void) {
        guard threadCount > 1 else { body(0); return }
        let others = threadCount - 1
        withoutActuallyEscaping(body) { body in
            shared.job = body
            shared.finished.store(0, ordering: .relaxed)
            shared.next.store(1, ordering: .releasing)
            shared.generation.add(1, ordering: .sequentiallyConsistent)
            for worker in shared.workers { worker.unpark() }
            body(0)
            ForkJoinPool.runClaimed(shared, count: threadCount, as: nil)
            ForkJoinPool.wait(parker: shared.caller) { shared.finished.load(ordering: .acquiring) == others }
            shared.job = nil
        }
    }

    /// Claims and runs indices of the current job until none is left; the thread that completes
    /// the last one wakes the caller.
    private static func runClaimed(_ shared: Shared, count: Int, as worker: Parker?) {
        while true {
            let i = shared.next.wrappingAdd(1, ordering: .acquiringAndReleasing).oldValue
            guard i < count else { return }
            shared.job!(i)
            let done = shared.finished.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue
            if done == count - 1, worker != nil { shared.caller.unpark() }
        }
    }

    private static func workerLoop(_ shared: Shared, _ worker: Parker, count: Int) {
        var seen = 0
        while true {
            wait(parker: worker) { shared.generation.load(ordering: .acquiring) != seen }
            seen = shared.generation.load(ordering: .acquiring)
            if shared.stopping.load(ordering: .sequentiallyConsistent) { return }
            runClaimed(shared, count: count, as: worker)
        }
    }

    /// Returns once `ready()` holds: spins with the pause hint, then also yields the core, and
    /// after `spinNanoseconds` sleeps until the thread that makes `ready()` true unparks it.
    private static func wait(parker: Parker, until ready: () -> Bool) {
        if ready() { return }
        let start = DispatchTime.now().uptimeNanoseconds
        while true {
            for _ in 0..<64 {
                cpu_pause()
                if ready() { return }
            }
            let elapsed = DispatchTime.now().uptimeNanoseconds &- start
            if elapsed > spinNanoseconds { break }
            if elapsed > pauseOnlyNanoseconds { sched_yield() }
        }
        while true {
            parker.sleeping.store(true, ordering: .sequentiallyConsistent)
            if ready() {
                // If the waker took the flag meanwhile, its signal is pending: consume it.
                if !parker.sleeping.exchange(false, ordering: .sequentiallyConsistent) { parker.semaphore.wait() }
                return
            }
            parker.semaphore.wait()
            if ready() { return }
        }
    }
}

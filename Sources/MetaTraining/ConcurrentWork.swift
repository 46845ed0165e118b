import Dispatch
import Foundation

/// Processes `items` in order with up to `jobs` worker threads. Each worker calls `makeWorker`
/// once (for state that cannot be shared between threads, such as a solver) and then feeds it
/// items until none are left. The first error stops the hand-out of further items and is rethrown.
func processConcurrently<Item>(_ items: [Item], jobs: Int, makeWorker: () throws -> (Item) throws -> Void) throws {
    guard !items.isEmpty else { return }
    let lock = NSLock()
    var next = 0
    var failure: Error?
    DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, items.count))) { _ in
        do {
            let work = try makeWorker()
            while true {
                lock.lock()
                guard next < items.count, failure == nil else { lock.unlock(); return }
                let item = items[next]
                next += 1
                lock.unlock()
                try work(item)
            }
        } catch {
            lock.lock(); failure = failure ?? error; lock.unlock()
        }
    }
    if let failure { throw failure }
}

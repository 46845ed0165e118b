import Dispatch
import Foundation
import StudyStore

/// Stamps a running trial's heartbeat at a fixed interval on a background queue, for as long as
/// the object lives (or until `stop`), so that a long training is never taken for an abandoned
/// one. It does not depend on the training reporting progress.
final class TrialHeartbeat: @unchecked Sendable {
    private let timer: DispatchSourceTimer
    private let lock = NSLock()
    private var lost = false

    /// - Parameters:
    ///   - store: the study; its `heartbeat` must be callable from another thread.
    ///   - interval: seconds between stamps (the first comes after one interval).
    init(store: any StudyStore, lease: TrialLease, interval: TimeInterval) {
        precondition(interval > 0, "TrialHeartbeat: interval \(interval)")
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(100))
        timer.setEventHandler { [weak self] in
            do {
                try store.heartbeat(lease)
            } catch StudyStoreError.leaseLost {
                // Another worker holds the round now: stop stamping; the completion will be refused.
                self?.markLost()
            } catch {
                // A failed stamp is not fatal: the next may succeed, and the grace period spans several.
            }
        }
        timer.resume()
    }

    private func markLost() {
        lock.lock(); lost = true; lock.unlock()
        timer.cancel()
    }

    /// Whether the store refused a stamp because the trial was reclaimed by another worker.
    var leaseLost: Bool { lock.lock(); defer { lock.unlock() }; return lost }

    /// Stops the stamps (idempotent).
    func stop() { timer.cancel() }

    deinit { timer.cancel() }
}

import Dispatch
import Foundation

/// Stamps a leased trial's heartbeat at a fixed interval on a background queue, for as long as
/// the object lives (or until `stop`), so that a long training is never taken for an abandoned
/// one. It does not depend on the training reporting progress: a heartbeat sent from a progress
/// callback never fires when progress records are switched off.
///
/// Choose the interval well below the claim policy's grace period (e.g. 30 s against 150 s), so
/// that several stamps may fail (a busy file, a server restart) before the trial counts as abandoned.
public final class TrialHeartbeat: @unchecked Sendable {
    private let timer: DispatchSourceTimer
    private let state = NSLock()
    private var lost = false

    /// - Parameters:
    ///   - store: the study; its `heartbeat` must be callable from another thread.
    ///   - lease: the trial being trained.
    ///   - interval: seconds between stamps (the first comes after one interval).
    ///   - onLeaseLost: called once, on the timer's queue, when the store says the lease is lost
    ///     (the trial was reclaimed by another worker or is finished); the stamps stop then. The
    ///     training may stop early: its result would be refused anyway.
    public init(store: any StudyStore, lease: TrialLease, interval: TimeInterval,
                onLeaseLost: (@Sendable () -> Void)? = nil) {
        precondition(interval > 0, "TrialHeartbeat: interval \(interval)")
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(100))
        timer.setEventHandler { [weak self] in
            do {
                try store.heartbeat(lease)
            } catch StudyStoreError.leaseLost {
                self?.markLost(then: onLeaseLost)
            } catch {
                // Not fatal: the next stamp may succeed, and the grace period spans several of them.
            }
        }
        timer.resume()
    }

    /// True once a stamp was refused because the lease is lost.
    public var leaseLost: Bool {
        state.lock()
        defer { state.unlock() }
        return lost
    }

    /// Stops the stamps (idempotent).
    public func stop() { timer.cancel() }

    private func markLost(then onLeaseLost: (@Sendable () -> Void)?) {
        state.lock()
        let first = !lost
        lost = true
        state.unlock()
        timer.cancel()
        if first { onLeaseLost?() }
    }

    deinit { timer.cancel() }
}

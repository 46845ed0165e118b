import Dispatch
import Foundation

/// Stamps a running trial's heartbeat at a fixed interval on a background queue, for as long as
/// the object lives (or until `stop`), so that a long training is never taken for an abandoned
/// one. It does not depend on the training reporting progress: a heartbeat sent from a progress
/// callback never fires when progress records are switched off.
public final class TrialHeartbeat: @unchecked Sendable {
    private let timer: DispatchSourceTimer

    /// - Parameters:
    ///   - store: the study; its `heartbeat` must be callable from another thread.
    ///   - interval: seconds between stamps (the first comes after one interval).
    public init(store: some StudyStore & Sendable, trialID: Int64, interval: TimeInterval) {
        precondition(interval > 0, "TrialHeartbeat: interval \(interval)")
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(100))
        // A failed stamp is not fatal: the next one may succeed, and staleness is judged in hours.
        timer.setEventHandler { try? store.heartbeat(trialID: trialID) }
        timer.resume()
    }

    /// Stops the stamps (idempotent).
    public func stop() { timer.cancel() }

    deinit { timer.cancel() }
}

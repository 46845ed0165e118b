import Foundation

/// The persistent record of a meta-training study: its configuration and every trial.
///
/// Workers (possibly several processes on one study) loop: `claimRound` → train →
/// `complete` or `fail`, calling `heartbeat` periodically during long trainings. The protocol
/// hides the backend so a server database can replace the SQLite file later without touching
/// the online loop.
public protocol StudyStore: AnyObject {
    /// The configuration fixed at creation.
    var configuration: StudyConfiguration { get }

    /// All trials, ordered by round.
    func trials() throws -> [Trial]

    /// Atomically (one write transaction): if some round's trial is abandoned (status running, its
    /// worker on this host no longer alive, or its heartbeat older than `staleAfter` seconds),
    /// re-assign it to `worker` unchanged (same context, arms, seed) and return it with
    /// `reclaimed = true`; otherwise, if fewer than `totalRounds` trials exist, call
    /// `plan(existingTrials, nextRound)` inside the transaction (so concurrent workers see each
    /// other's pending trials and never duplicate a round) and insert its result as a running
    /// trial; otherwise return nil (study complete, or all remaining rounds running elsewhere).
    func claimRound(worker: WorkerID, staleAfter: TimeInterval,
                    plan: ([Trial], Int) throws -> TrialPlan) throws -> (trial: Trial, reclaimed: Bool)?

    /// Marks a running trial completed with its outcome, in its own transaction (durable once this returns).
    func complete(trialID: Int64, outcome: TrialOutcome) throws

    /// Marks a running trial failed (e.g. training crashed) with a message; failed trials count as done rounds.
    func fail(trialID: Int64, message: String) throws

    /// Updates the heartbeat of a running trial (called periodically by long trainings).
    func heartbeat(trialID: Int64) throws
}

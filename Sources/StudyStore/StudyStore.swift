import Foundation

/// The persistent record of meta-training studies: each study's configuration and every trial.
///
/// Workers — threads, processes, machines — loop: `claimRound` → train → `complete` or `fail`,
/// calling `heartbeat` while they train. Every claim hands the worker a `TrialLease` (the trial
/// and a token that is new at every claim); a heartbeat, completion or failure is accepted only
/// with the lease of the trial's current holder, so a worker whose trial went stale and was
/// reclaimed by another learns it (`StudyStoreError.leaseLost`) instead of writing a second
/// result for the round. Implementations: `SQLiteStudyStore` (one file, one machine) and
/// `PostgresStudyStore` (a server, many machines); both pass one conformance suite.
/// docs/STUDIES.md describes the life of a trial.
public protocol StudyStore: AnyObject, Sendable {
    /// The study's name within its storage.
    var studyName: String { get }
    /// The configuration fixed at creation.
    var configuration: StudyConfiguration { get }

    /// All trials, ordered by round.
    func trials() throws -> [Trial]

    /// Atomically (across threads, processes and machines):
    /// 1. A running trial whose heartbeat is older than `policy.gracePeriod` by the store's clock
    ///    (the server's for a server store), or whose worker on this host is known dead, is
    ///    abandoned. If it has been claimed `policy.maxAttempts` times it is marked failed
    ///    ("abandoned after n attempts"); otherwise it is re-assigned to `worker` unchanged (same
    ///    context, arms, seed), with a new token and `attempts + 1`, and returned with `reclaimed`.
    /// 2. Else, if some round below `configuration.totalRounds` has no trial, `plan(trials,
    ///    round)` is called for the lowest such round while the claim holds the study's lock (so
    ///    concurrent workers see each other's running trials and never plan the same round) and
    ///    inserted as a running trial. A server store retries a claim cut off by a connection
    ///    fault, so `plan` may be called more than once for a round: it must only compute.
    /// 3. Else `.busy` if trials are still running elsewhere, `.finished` if none is.
    /// - Throws: `.invalidPolicy` for a policy that cannot be applied, `.invalidPlan` for a plan
    ///   that does not fit the study (nothing is inserted), and whatever `plan` throws.
    func claimRound(worker: WorkerID, policy: ClaimPolicy,
                    plan: ([Trial], Int) throws -> TrialPlan) throws -> ClaimResult

    /// Marks the leased trial completed with its outcome (durable once this returns). Repeating
    /// it with the same lease and outcome (a retry after a lost acknowledgement) succeeds.
    /// - Throws: `.leaseLost` if the trial is no longer held with this lease: the worker drops
    ///   the trial and claims the next round.
    func complete(_ lease: TrialLease, outcome: TrialOutcome) throws

    /// Marks the leased trial failed with a message; a failed trial counts as a done round.
    /// Repeating it with the same lease and message succeeds.
    /// - Throws: `.leaseLost` if the trial is no longer held with this lease.
    func fail(_ lease: TrialLease, message: String) throws

    /// The trained network parameters stored with a completed trial (`TrialOutcome.parameters`),
    /// exactly as reported; nil if the trial has none (not completed, completed without them, or
    /// recorded before schema version 3).
    /// - Throws: `.trialNotFound` if the study has no trial with this id.
    func parameters(ofTrial id: Int64) throws -> [Double]?

    /// Stamps the leased trial's heartbeat with the store's clock.
    /// - Throws: `.leaseLost` if the trial is no longer held with this lease.
    func heartbeat(_ lease: TrialLease) throws
}

/// When a running trial counts as abandoned, and how often a round may be retried.
public struct ClaimPolicy: Sendable, Equatable {
    /// A running trial whose last heartbeat is older than this (seconds) is abandoned.
    public var gracePeriod: TimeInterval
    /// A round claimed this many times whose trial is abandoned again is marked failed.
    public var maxAttempts: Int

    public init(gracePeriod: TimeInterval, maxAttempts: Int) {
        self.gracePeriod = gracePeriod
        self.maxAttempts = maxAttempts
    }

    /// Heartbeats every 30 s, a trial abandoned after 5 missed ones, a round tried at most 3 times.
    public static let standard = ClaimPolicy(gracePeriod: 150, maxAttempts: 3)
}

/// A claimed trial and the token that proves the claim.
public struct TrialLease: Sendable, Equatable {
    public var trial: Trial
    /// New at every claim (a random UUID); stored with the trial while it runs.
    public var token: String

    public init(trial: Trial, token: String) {
        self.trial = trial
        self.token = token
    }
}

/// What `claimRound` found.
public enum ClaimResult: Sendable, Equatable {
    /// A trial to train: a newly planned round, or (`reclaimed`) an abandoned one.
    case claimed(TrialLease, reclaimed: Bool)
    /// Every round has a trial, and this many are still running elsewhere: wait, or stop.
    case busy(running: Int)
    /// Every round is completed or failed.
    case finished
}

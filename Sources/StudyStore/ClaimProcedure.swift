import Foundation

/// A trial as a store reads it inside a claim: the trial, who holds it, and how old its
/// heartbeat is by the store's clock (the server's, for a server store).
struct StoredTrial {
    var trial: Trial
    var holder: WorkerID
    /// Seconds since the last heartbeat.
    var heartbeatAge: TimeInterval

    /// Abandoned: its worker on this host is gone, or it missed its heartbeats for longer than the grace period.
    func isAbandoned(_ policy: ClaimPolicy) -> Bool {
        trial.status == .running && (holder.isKnownDead || heartbeatAge > policy.gracePeriod)
    }
}

/// The writes a claim makes, in the backend's own SQL, inside the transaction that holds the study's lock.
protocol ClaimActions {
    /// Re-assigns an abandoned trial to `worker` with a new token (same context, arms and seed;
    /// new start and heartbeat; one more attempt). Nil if the trial turned out not to be abandoned
    /// any more (its holder stamped a heartbeat or finished between the read and this write).
    func reclaim(_ row: StoredTrial, worker: WorkerID, token: String, policy: ClaimPolicy) throws -> Trial?
    /// Marks an abandoned trial that used up its attempts failed with `message`, clearing its
    /// token; nil if it turned out not to be abandoned any more.
    func giveUp(_ row: StoredTrial, message: String, policy: ClaimPolicy) throws -> Trial?
    /// Inserts a newly planned running trial.
    func insert(round: Int, plan: TrialPlan, worker: WorkerID, token: String) throws -> Trial
}

/// The claim rules of `StudyStore.claimRound`, written once for both backends: each store
/// reads its trials and supplies its writes; what to reclaim, give up or plan is decided here.
enum ClaimProcedure {
    /// - Parameter rows: the study's trials ordered by round, read under the study's lock.
    static func claim(rows: [StoredTrial], configuration: StudyConfiguration, worker: WorkerID, policy: ClaimPolicy,
                      token: String, actions: ClaimActions,
                      plan: ([Trial], Int) throws -> TrialPlan) throws -> ClaimResult {
        try validate(policy)
        var trials = rows.map(\.trial)
        for (index, row) in rows.enumerated() where row.isAbandoned(policy) {
            if row.trial.attempts >= policy.maxAttempts {
                if let failed = try actions.giveUp(row, message: "abandoned after \(row.trial.attempts) attempts", policy: policy) {
                    trials[index] = failed
                }
                continue
            }
            if let trial = try actions.reclaim(row, worker: worker, token: token, policy: policy) {
                return .claimed(TrialLease(trial: trial, token: token), reclaimed: true)
            }
        }
        let taken = Set(trials.map(\.round))
        if let round = (0..<max(0, configuration.totalRounds)).first(where: { !taken.contains($0) }) {
            let planned = try plan(trials, round)
            try validate(planned, for: configuration, among: trials)
            let trial = try actions.insert(round: round, plan: planned, worker: worker, token: token)
            return .claimed(TrialLease(trial: trial, token: token), reclaimed: false)
        }
        let running = trials.filter { $0.status == .running }.count
        return running > 0 ? .busy(running: running) : .finished
    }

    /// A fresh lease token: a random UUID, lower-case (the form PostgreSQL prints).
    static func newToken() -> String { UUID().uuidString.lowercased() }

    static func validate(_ policy: ClaimPolicy) throws {
        guard policy.gracePeriod >= 0, policy.gracePeriod.isFinite else {
            throw StudyStoreError.invalidPolicy("grace period \(policy.gracePeriod) s: give a finite number of seconds ≥ 0 (e.g. 150)")
        }
        guard policy.maxAttempts >= 1 else {
            throw StudyStoreError.invalidPolicy("max attempts \(policy.maxAttempts): a round needs at least 1 attempt (e.g. 3)")
        }
    }

    /// Checks a plan before it becomes a permanent row: one arm per stage of the mode, a finite
    /// context over the study's parameters, and a warm start only from a completed trial of the
    /// study that has stored parameters (so a reclaimed round can always re-run from it).
    static func validate(_ plan: TrialPlan, for configuration: StudyConfiguration, among trials: [Trial]) throws {
        if let source = plan.warmStartTrialID,
           !trials.contains(where: { $0.id == source && $0.status == .completed && $0.hasParameters }) {
            throw StudyStoreError.invalidPlan("warm start from trial \(source), which is not a completed trial of this study with stored parameters")
        }
        let expected: Int? = configuration.mode == "query" ? 1 : configuration.mode == "step" ? 2 : nil
        if let expected, plan.arms.count != expected {
            throw StudyStoreError.invalidPlan("\(configuration.mode) mode needs \(expected) arm(s), got \(plan.arms.count)")
        }
        if plan.arms.isEmpty { throw StudyStoreError.invalidPlan("no arm") }
        if plan.context.names != configuration.parameterNames {
            throw StudyStoreError.invalidPlan("context \(plan.context) is not over the study's parameters \(configuration.parameterNames)")
        }
        if plan.context.values.contains(where: { !$0.isFinite }) {
            throw StudyStoreError.invalidPlan("context \(plan.context) is not finite")
        }
    }

    /// Whether `trial` is already what completing it with `outcome` under `token` would leave: the
    /// retry of a completion whose acknowledgement was lost, which must succeed, not look like a lost lease.
    static func isCompleted(_ trial: Trial, storedToken: String?, by token: String, with outcome: TrialOutcome) -> Bool {
        trial.status == .completed && storedToken == token
            && same(trial.stageErrors, outcome.stageErrors) && same(trial.stageRewards, outcome.stageRewards)
            && same(trial.error, outcome.error) && same(trial.reward, outcome.reward) && same(trial.seconds, outcome.seconds)
            && (outcome.arms == nil || outcome.arms == trial.arms) && trial.hasParameters == (outcome.parameters != nil)
    }

    /// The same for a failure report.
    static func isFailed(_ trial: Trial, storedToken: String?, by token: String, with message: String) -> Bool {
        trial.status == .failed && storedToken == token && trial.message == message
    }

    /// Equality that takes NaN as equal to NaN (a diverged run reports NaN, and its retry too).
    private static func same(_ a: Double?, _ b: Double) -> Bool {
        guard let a else { return false }
        return a == b || (a.isNaN && b.isNaN)
    }

    private static func same(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { same($0, $1) }
    }
}

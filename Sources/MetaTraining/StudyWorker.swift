import Bandit
import Foundation
import PINN
import Sampling
import StudyStore

/// How a worker takes part in a study: liveness, retries, and what to do when nothing is left to claim.
public struct WorkerPolicy: Sendable {
    /// Seconds between heartbeats of a running trial.
    public var heartbeatInterval: TimeInterval = 30
    /// A trial whose heartbeat is older than this is abandoned and re-run (default 5 intervals).
    public var gracePeriod: TimeInterval = 150
    /// A round abandoned this many times is marked failed instead of re-run.
    public var maxAttempts: Int = 3
    /// With nothing to claim but trials running elsewhere: wait for them to finish or go stale
    /// (true), or stop (false).
    public var waitForRunning: Bool = false
    /// Seconds between claim attempts while waiting.
    public var pollInterval: TimeInterval = 5

    public init() {}

    var claimPolicy: ClaimPolicy { ClaimPolicy(gracePeriod: gracePeriod, maxAttempts: maxAttempts) }
}

/// One worker of a meta-training study: claims rounds from the store, trains, records.
///
/// The store makes the claim atomic across threads, processes and machines: the plan for a
/// round (its context, its arm, its seed) is decided inside the claim, with every trial still
/// running elsewhere believed at the posterior mean, and written as a running trial before
/// training starts. A trial is completed the moment training ends, under the worker's lease.
final class StudyWorker {
    let store: any StudyStore
    let settings: StudySettings
    let policy: WorkerPolicy
    let name: String
    private let worker = WorkerID.current
    private var model: StudyModel
    let slot: Int
    private let log: (String) -> Void
    private let progress: WorkProgressHandler?

    init(store: any StudyStore, settings: StudySettings, policy: WorkerPolicy, name: String, slot: Int = 0,
         log: @escaping (String) -> Void, progress: WorkProgressHandler? = nil) {
        self.store = store
        self.settings = settings
        self.policy = policy
        self.name = name
        self.slot = slot
        self.log = log
        self.progress = progress
        model = StudyModel(settings: settings)
    }

    /// The deterministic context, arm-draw stream and training seed of a round.
    static func roundGenerator(seed: UInt64, round: Int) -> SeededGenerator {
        SeededGenerator(seed: seed ^ (UInt64(round + 1) &* 0x9E37_79B9_7F4A_7C15))
    }

    /// Claims and trains rounds until none is left to claim. Returns the number of trials completed here.
    @discardableResult
    func run(parallelNetworks: Bool) throws -> Int {
        var completed = 0
        var announcedWait = false
        while true {
            // Outside the claim's lock: record the trials completed since this worker's last
            // round and fit the hyperparameters once, on all of them (on joining a study with n
            // trials: one fit, not n). Inside the lock, trials completed in between are only
            // conditioned on (O(n³) once each instead of a fit's tens of factorisations); the
            // next round's update refits. One worker alone gets one new trial per round: a
            // refit after every trial, as before.
            let known = try store.trials()
            try model.update(with: known, refit: .once)
            progress?(.overall(done: known.filter { $0.status != .running }.count, total: settings.totalRounds))
            let claim = try store.claimRound(worker: worker, policy: policy.claimPolicy) { trials, round in
                try model.update(with: trials, refit: .deferred)
                var rng = Self.roundGenerator(seed: settings.seed, round: round)
                let context = settings.contextSpace.sample(using: &rng)
                let arm = model.chooseFirstArm(context: context, round: round, pending: trials, rng: &rng)
                // The source is chosen here, under the claim's lock, among the trials completed by
                // now, and recorded with the plan: a reclaimed round re-runs from the same networks.
                let source = settings.warmStart == .nearest
                    ? WarmStart.nearestTrial(to: context, among: trials, space: settings.contextSpace) : nil
                return TrialPlan(context: context, arms: Array(repeating: arm, count: settings.mode.armCount), seed: rng.next(),
                                 warmStartTrialID: source?.id)
            }
            let lease: TrialLease
            switch claim {
            case .finished:
                return completed
            case .busy(let running):
                guard policy.waitForRunning else { return completed }
                if !announcedWait { log("\(name): waiting for \(running) trial(s) running elsewhere to finish or go stale") }
                announcedWait = true
                Thread.sleep(forTimeInterval: policy.pollInterval)
                continue
            case .claimed(let l, let reclaimed):
                lease = l
                announcedWait = false
                if reclaimed { log("\(name): re-running round \(l.trial.round) (attempt \(l.trial.attempts)), abandoned by its worker") }
            }
            let trial = lease.trial
            do {
                let outcome = try train(lease, parallelNetworks: parallelNetworks)
                try store.complete(lease, outcome: outcome)
                completed += 1
                try report(trial, outcome)
            } catch StudyStoreError.leaseLost {
                log("\(name): round \(trial.round) was reclaimed by another worker while this one trained; result dropped")
            } catch let error as StudyStoreError {
                throw error
            } catch {
                do {
                    try store.fail(lease, message: String(describing: error))
                    log("\(name): round \(trial.round) failed: \(error)")
                } catch StudyStoreError.leaseLost {
                    log("\(name): round \(trial.round) failed here, but another worker holds it now")
                }
            }
        }
    }

    private func train(_ lease: TrialLease, parallelNetworks: Bool) throws -> TrialOutcome {
        let trial = lease.trial
        var options = settings.training
        options.seed = trial.seed
        options.parallel = parallelNetworks
        let solver = try XPINNSolver(family: settings.family, parameters: trial.context, options: options)
        var start: [Double]?
        if let source = trial.warmStartTrialID {
            start = try WarmStart.parameters(ofTrial: source, in: store, for: solver)
        }
        let heartbeat = TrialHeartbeat(store: store, lease: lease, interval: policy.heartbeatInterval)
        defer { heartbeat.stop() }
        let firstArm = trial.arms[0]
        var secondArm: InterfaceArm?
        var rng = Self.roundGenerator(seed: settings.seed &+ 1, round: trial.round)
        let unit = "round \(trial.round + 1)", total = options.iterationBudget
        let observe = progress.map { handler in { (r: TrainingRecord) in handler(.training(slot: self.slot, unit: unit, record: r, totalIterations: total)) } }
        let result = solver.train(adamArm: firstArm, from: start, progress: observe, lbfgsArm: { adam in
            guard self.settings.mode == .step, let adam else { return firstArm }
            let arm = self.model.chooseSecondArm(context: trial.context, firstArm: firstArm, firstReward: adam.reward,
                                                 round: trial.round, rng: &rng)
            secondArm = arm
            return arm
        })
        if heartbeat.leaseLost { throw StudyStoreError.leaseLost(trialID: trial.id) }
        let arms = settings.mode == .step ? [firstArm, secondArm ?? firstArm] : nil
        return TrialOutcome(stageErrors: result.stages.map(\.error), stageRewards: result.stages.map(\.reward),
                            error: result.error, reward: result.reward, seconds: result.trainingSeconds, arms: arms,
                            // Diverged networks are no start for anyone: only finite ones are kept.
                            parameters: result.networkParameters.allSatisfy(\.isFinite) ? result.networkParameters : nil)
    }

    private func report(_ trial: Trial, _ outcome: TrialOutcome) throws {
        let trials = try store.trials()
        progress?(.overall(done: trials.filter { $0.status != .running }.count, total: settings.totalRounds))
        let all = trials.filter { $0.status == .completed }
        let mean = all.compactMap(\.error).reduce(0, +) / Double(max(all.count, 1))
        let remaining = settings.totalRounds - all.count
        let perTrial = all.compactMap(\.seconds).reduce(0, +) / Double(max(all.count, 1))
        let arms = (outcome.arms ?? trial.arms).map(\.name).joined(separator: " / ")
        log(String(format: "%@ round %3d/%d  %@  arm %@  error %.3e  mean %.3e  %.0fs  eta ~%.0f min",
                   name, trial.round + 1, settings.totalRounds, trial.context.description, arms, outcome.error, mean,
                   outcome.seconds, perTrial * Double(max(remaining, 0)) / 60))
    }
}

import Bandit
import Foundation
import PINN
import Sampling
import StudyStore

/// One worker of a meta-training study: claims rounds from the store, trains, records.
///
/// The store makes the claim atomic across threads and processes: the plan for a round (its
/// context, its arm, its seed) is decided inside the claim, with every trial still running
/// elsewhere believed at the posterior mean, and written as a running trial before training
/// starts. A trial is completed in its own transaction the moment training ends.
final class StudyWorker {
    let store: SQLiteStudyStore
    let settings: StudySettings
    let worker: WorkerID
    let name: String
    private var model: StudyModel
    private let log: (String) -> Void
    /// A worker whose trial has not sent a heartbeat for this long is presumed dead.
    static let staleAfter: TimeInterval = 3600
    /// Seconds between heartbeats of a running trial.
    static let heartbeatInterval: TimeInterval = 30

    init(store: SQLiteStudyStore, settings: StudySettings, name: String, log: @escaping (String) -> Void) {
        self.store = store
        self.settings = settings
        self.name = name
        self.log = log
        worker = .current
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
        while true {
            // Refits happen here, outside the claim's write lock, except for trials finishing in between.
            try model.update(with: store.trials())
            let claim = try store.claimRound(worker: worker, staleAfter: Self.staleAfter) { trials, round in
                try model.update(with: trials)
                var rng = Self.roundGenerator(seed: settings.seed, round: round)
                let context = settings.contextSpace.sample(using: &rng)
                let arm = model.chooseFirstArm(context: context, round: round, pending: trials, rng: &rng)
                let arms = settings.mode == .query ? [arm.mask] : [arm.mask, arm.mask]
                return TrialPlan(context: context, arms: arms, seed: rng.next())
            }
            guard let (trial, reclaimed) = claim else { return completed }
            if reclaimed { log("\(name): re-running round \(trial.round), abandoned by its worker") }
            do {
                let outcome = try train(trial, parallelNetworks: parallelNetworks)
                try store.complete(trialID: trial.id, outcome: outcome)
                completed += 1
                try report(trial, outcome)
            } catch let error as StudyStoreError {
                throw error
            } catch {
                try store.fail(trialID: trial.id, message: String(describing: error))
                log("\(name): round \(trial.round) failed: \(error)")
            }
        }
    }

    private func train(_ trial: Trial, parallelNetworks: Bool) throws -> TrialOutcome {
        let family = settings.family
        let names = family.parameters.map(\.name)
        let s = try family.parameterValues(Dictionary(uniqueKeysWithValues: zip(names, trial.context)))
        var options = settings.training
        options.seed = trial.seed
        options.errorEvery = 0
        options.parallel = parallelNetworks
        let solver = try XPINNSolver(family: family, parameters: s, options: options)
        let heartbeat = TrialHeartbeat(store: store, trialID: trial.id, interval: Self.heartbeatInterval)
        defer { heartbeat.stop() }
        let firstArm = InterfaceArm(mask: trial.arms[0])
        var secondArm: InterfaceArm?
        var rng = Self.roundGenerator(seed: settings.seed &+ 1, round: trial.round)
        let result = solver.train(adamArm: firstArm, lbfgsArm: { adam in
            guard self.settings.mode == .step, let adam else { return firstArm }
            let arm = InterfaceArm(self.model.chooseSecondArm(context: trial.context, firstArm: InterfaceArm(firstArm),
                                                              firstReward: adam.reward, round: trial.round, rng: &rng))
            secondArm = arm
            return arm
        })
        let arms = settings.mode == .step ? [firstArm.mask, (secondArm ?? firstArm).mask] : nil
        return TrialOutcome(stageErrors: result.stages.map(\.error), stageRewards: result.stages.map(\.reward),
                            error: result.error, reward: result.reward, seconds: result.trainingSeconds, arms: arms)
    }

    private func report(_ trial: Trial, _ outcome: TrialOutcome) throws {
        let all = try store.trials().filter { $0.status == .completed }
        let mean = all.compactMap(\.error).reduce(0, +) / Double(max(all.count, 1))
        let remaining = settings.warmup + settings.rounds - all.count
        let perTrial = all.compactMap(\.seconds).reduce(0, +) / Double(max(all.count, 1))
        let names = settings.family.parameters.map(\.name)
        let context = zip(names, trial.context).map { String(format: "%@=%.4g", $0, $1) }.joined(separator: ",")
        let arms = (outcome.arms ?? trial.arms).map { InterfaceArm(mask: $0).name }.joined(separator: " / ")
        log(String(format: "%@ round %3d/%d  %@  arm %@  error %.3e  mean %.3e  %.0fs  eta ~%.0f min",
                   name, trial.round + 1, settings.warmup + settings.rounds, context, arms, outcome.error, mean,
                   outcome.seconds, perTrial * Double(max(remaining, 0)) / 60))
    }
}

import Bandit
import PINN
import Sampling
import StudyStore

/// A study's Gaussian-process model in either mode, fed with the study's completed trials:
/// what a worker plans rounds with and what a finished study recommends for new instances.
public struct StudyModel: Sendable {
    private(set) var query: MetalicBandit?
    private(set) var step: TwoStageBandit?
    /// Ids of the trials already recorded.
    private(set) var recorded = Set<Int64>()
    public let settings: StudySettings
    /// The bandit configuration's `refitEvery`; the bandits themselves are built with 0 and
    /// refit when `update` says so.
    private let refitEvery: Int
    /// Trials were recorded (conditioned on) since the hyperparameters were last fit.
    public private(set) var needsRefit = false

    /// When `update` fits the GP hyperparameters.
    public enum RefitSchedule: Sendable {
        /// After every recorded trial (every `refitEvery`-th), as the reference does every round:
        /// replaying a study rebuilds its model bit for bit.
        case everyTrial
        /// Once, after all the new trials are recorded (none if there were none and no refit is pending).
        case once
        /// Not now: the new trials are only conditioned on (hyperparameters kept, O(n³) once for
        /// the Cholesky factor instead of a fit's tens of factorisations); `needsRefit` is set
        /// and `refitIfNeeded()` fits later.
        case deferred
    }

    public init(settings: StudySettings) {
        self.settings = settings
        var configuration = settings.banditConfiguration
        refitEvery = configuration.refitEvery
        configuration.refitEvery = 0
        switch settings.mode {
        case .query: query = MetalicBandit(contextSpace: settings.contextSpace, configuration: configuration)
        case .step: step = TwoStageBandit(contextSpace: settings.contextSpace, configuration: configuration)
        }
    }

    /// Records every completed trial not yet seen, in the order given; `refit` says when the
    /// hyperparameters are fit (default: after each, as the reference does every round).
    /// Failed trials carry no reward.
    /// - Returns: the number of trials recorded.
    @discardableResult
    public mutating func update(with trials: [Trial], refit: RefitSchedule = .everyTrial) throws -> Int {
        var count = 0
        for t in trials where t.status == .completed && !recorded.contains(t.id) {
            recorded.insert(t.id)
            switch settings.mode {
            case .query:
                try query!.record(.query(context: t.context, arm: t.arms[0], reward: t.reward ?? 0, error: t.error))
            case .step:
                guard t.stageRewards.count == 2, t.arms.count == 2 else { continue }
                try step!.record(.twoStage(context: t.context, firstArm: t.arms[0], firstReward: t.stageRewards[0],
                                           secondArm: t.arms[1], secondReward: t.stageRewards[1],
                                           firstError: t.stageErrors.first, secondError: t.stageErrors.last))
            }
            count += 1
            needsRefit = true
            if refit == .everyTrial, refitEvery > 0, historyCount % refitEvery == 0 { fitHyperparameters() }
        }
        if refit == .once { refitIfNeeded() }
        return count
    }

    /// Fits the hyperparameters on every recorded trial if some were recorded since the last fit
    /// (seeded by the study's seed and the number of observations, as a scheduled refit).
    /// - Returns: whether it fitted.
    @discardableResult
    public mutating func refitIfNeeded() -> Bool {
        guard needsRefit else { return false }
        fitHyperparameters()
        return true
    }

    private mutating func fitHyperparameters() {
        switch settings.mode {
        case .query: query!.refit()
        case .step: step!.refit()
        }
        needsRefit = false
    }

    /// The (first) arm to train a new trial with, believing trials still running elsewhere at the posterior mean.
    public func chooseFirstArm(context: ParameterValues, round: Int, pending: [Trial], rng: inout SeededGenerator) -> InterfaceArm {
        let believed = pending.filter { $0.status == .running }.map { PendingTrial(context: $0.context, arm: $0.arms[0]) }
        switch settings.mode {
        case .query: return query!.chooseArm(context: context, round: round, pending: believed, rng: &rng)
        case .step: return step!.chooseFirstArm(context: context, round: round, pending: believed, rng: &rng)
        }
    }

    /// The L-BFGS arm of a two-stage trial after observing r₁.
    public mutating func chooseSecondArm(context: ParameterValues, firstArm: InterfaceArm, firstReward: Double, round: Int,
                                         rng: inout SeededGenerator) -> InterfaceArm {
        step!.chooseSecondArm(context: context, firstReward: firstReward, firstArm: firstArm, round: round, rng: &rng)
    }

    /// Test-time arm: argmax of the posterior mean (for a two-stage study, the Adam-stage arm).
    public func bestFirstArm(context: ParameterValues) -> InterfaceArm {
        switch settings.mode {
        case .query: return query!.bestArm(context: context)
        case .step: return step!.bestFirstArm(context: context)
        }
    }

    /// Test-time L-BFGS arm of a two-stage study, given the Adam stage's reward.
    public func bestSecondArm(context: ParameterValues, firstArm: InterfaceArm, firstReward: Double) -> InterfaceArm {
        step!.bestSecondArm(context: context, firstReward: firstReward, firstArm: firstArm)
    }

    /// The posterior mean of every arm (index = mask) for `context`: the reward −log₁₀ error of a
    /// one-arm study; for a two-stage study GP₁'s target, the discounted mean of both stages' rewards.
    public func predictedRewards(context: ParameterValues) -> [Double] {
        switch settings.mode {
        case .query: return query!.predict(context: context).mean
        case .step: return step!.predictFirst(context: context).mean
        }
    }

    public var observationCount: Int { recorded.count }

    /// Observations in the bandit (completed trials, less step-mode ones without both stages).
    private var historyCount: Int { query?.history.count ?? step!.history.count }
}

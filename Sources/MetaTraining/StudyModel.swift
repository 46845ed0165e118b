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

    public init(settings: StudySettings) {
        self.settings = settings
        switch settings.mode {
        case .query: query = MetalicBandit(contextSpace: settings.contextSpace, configuration: settings.banditConfiguration)
        case .step: step = TwoStageBandit(contextSpace: settings.contextSpace, configuration: settings.banditConfiguration)
        }
    }

    /// Records every completed trial not yet seen, in the order given (each record refits the
    /// hyperparameters, as the reference does every round). Failed trials carry no reward.
    public mutating func update(with trials: [Trial]) throws {
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
        }
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
}

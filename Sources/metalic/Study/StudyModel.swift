import Bandit
import PINN
import Sampling
import StudyStore

/// The study's Gaussian-process model in either mode, fed with the study's completed trials.
struct StudyModel {
    private(set) var query: MetalicBandit?
    private(set) var step: TwoStageBandit?
    /// Ids of the trials already recorded.
    private(set) var recorded = Set<Int64>()
    let settings: StudySettings

    init(settings: StudySettings) {
        self.settings = settings
        switch settings.mode {
        case .query: query = MetalicBandit(contextSpace: settings.contextSpace, configuration: settings.banditConfiguration)
        case .step: step = TwoStageBandit(contextSpace: settings.contextSpace, configuration: settings.banditConfiguration)
        }
    }

    /// Records every completed trial not yet seen (each record refits the hyperparameters, as the
    /// reference does every round). Failed trials carry no reward and are skipped.
    mutating func update(with trials: [Trial]) throws {
        for t in trials where t.status == .completed && !recorded.contains(t.id) {
            recorded.insert(t.id)
            let arms = t.arms.map { InterfaceArm(mask: $0) }
            switch settings.mode {
            case .query:
                try query!.record(.query(context: t.context, arm: arms[0], reward: t.reward ?? 0, error: t.error))
            case .step:
                guard t.stageRewards.count == 2 else { continue }
                try step!.record(.twoStage(context: t.context, firstArm: arms[0], firstReward: t.stageRewards[0],
                                           secondArm: arms[1], secondReward: t.stageRewards[1],
                                           firstError: t.stageErrors.first, secondError: t.stageErrors.last))
            }
        }
    }

    /// The (first) arm to train a new trial with, believing trials still running elsewhere at the posterior mean.
    func chooseFirstArm(context: [Double], round: Int, pending: [Trial], rng: inout SeededGenerator) -> InterfaceArm {
        let believed = pending.filter { $0.status == .running }.map { PendingTrial(context: $0.context, arm: InterfaceArm(mask: $0.arms[0])) }
        switch settings.mode {
        case .query: return query!.chooseArm(context: context, round: round, pending: believed, rng: &rng)
        case .step: return step!.chooseFirstArm(context: context, round: round, pending: believed, rng: &rng)
        }
    }

    /// The L-BFGS arm of a two-stage trial after observing r₁.
    mutating func chooseSecondArm(context: [Double], firstArm: InterfaceArm, firstReward: Double, round: Int, rng: inout SeededGenerator) -> InterfaceArm {
        step!.chooseSecondArm(context: context, firstReward: firstReward, firstArm: firstArm, round: round, rng: &rng)
    }

    /// Test-time arms: argmax of the posterior mean (for a two-stage study the second arm needs r₁).
    func bestFirstArm(context: [Double]) -> InterfaceArm {
        switch settings.mode {
        case .query: return query!.bestArm(context: context)
        case .step: return step!.bestFirstArm(context: context)
        }
    }

    func bestSecondArm(context: [Double], firstArm: InterfaceArm, firstReward: Double) -> InterfaceArm {
        step!.bestSecondArm(context: context, firstReward: firstReward, firstArm: firstArm)
    }

    var observationCount: Int { recorded.count }
}

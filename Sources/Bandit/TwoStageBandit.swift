import MetalicCore
import Foundation
import GaussianProcess
import LinearAlgebra
import Sampling

/// The two-stage ("step") METALIC bandit (docs/BANDITS.md): one arm for the Adam stage, another for
/// the L-BFGS stage, chosen after seeing how well the first stage went.
///
/// GP₁ on (s, a₁) is fit to the discounted target (r₁ + γ r₂)/2, γ = `discount` (0.9), so the
/// first arm is judged by where it leads as well as by its own stage. GP₂ on (r₁, s, a₂) — plus
/// a₁ as a second categorical input if `feedFirstArmToSecondStage` — is fit to r₂. r₁ enters GP₂
/// unscaled, as a continuous input sharing the RBF with s (the reference's choice).
///
///     let a1 = bandit.chooseFirstArm(context: s, round: t, rng: &rng)
///     let r1 = trainAdam(s, a1)
///     let a2 = bandit.chooseSecondArm(context: s, firstReward: r1, firstArm: a1, round: t, rng: &rng)
///     let r2 = trainLBFGS(s, a2)
///     try bandit.record(.twoStage(context: s, firstArm: a1, firstReward: r1, secondArm: a2, secondReward: r2))
public struct TwoStageBandit: Sendable {
    public let contextSpace: ContextSpace
    public let configuration: BanditConfiguration
    public private(set) var history = BanditHistory()
    /// Warnings of the latest choice, record or refit.
    public private(set) var warnings: [GPWarning] = []
    var first: ArmModel
    var second: ArmModel

    public init(contextSpace: ContextSpace, configuration: BanditConfiguration = BanditConfiguration()) {
        self.contextSpace = contextSpace
        self.configuration = configuration
        first = ArmModel(prefixCount: 0, contextDimension: contextSpace.dimension, fixedArmBlocks: 0,
                         surrogate: configuration.surrogate)
        second = ArmModel(prefixCount: 1, contextDimension: contextSpace.dimension,
                          fixedArmBlocks: configuration.feedFirstArmToSecondStage ? 1 : 0, surrogate: configuration.surrogate)
    }

    /// Rebuilds a bandit by recording `history` in order (same configuration ⇒ same models).
    public init(contextSpace: ContextSpace, configuration: BanditConfiguration = BanditConfiguration(),
                replaying history: BanditHistory) throws {
        self.init(contextSpace: contextSpace, configuration: configuration)
        for o in history.observations { try record(o) }
    }

    /// GP₁ and GP₂, for inspection.
    public var firstStageProcess: GaussianProcess { first.gp }
    public var secondStageProcess: GaussianProcess { second.gp }
    /// The reports of the latest hyperparameter fits of GP₁ and GP₂ (nil before the first).
    public var lastFitReports: (first: FitReport, second: FitReport)? {
        guard let a = first.lastFit, let b = second.lastFit else { return nil }
        return (a, b)
    }

    private var random: Bool { configuration.rule.isRandomWhileLearning }

    /// a₁ for `context` at `round` (0-based, warm-up included).
    public mutating func chooseFirstArm(context: ParameterValues, round: Int, rng: inout SeededGenerator) -> InterfaceArm {
        chooseFirstArms(contexts: [context], round: round, rng: &rng)[0]
    }

    /// a₁ for q contexts at once (kriging believer on GP₁, as `MetalicBandit.chooseArms`).
    public mutating func chooseFirstArms(contexts: [ParameterValues], round: Int, rng: inout SeededGenerator) -> [InterfaceArm] {
        warnings = []
        if round < configuration.warmupRounds || random { return contexts.map { _ in InterfaceArm.random(using: &rng) } }
        let sets = contexts.map { first.candidates(prefix: [], context: contextSpace.standardise($0), fixed: []) }
        let (indices, w) = first.selectBatch(rule: configuration.rule, candidateSets: sets,
                                             round: round - configuration.warmupRounds + 1, rng: &rng)
        warnings = w
        return indices.map { InterfaceArm.everyArm[$0] }
    }

    /// a₂ given the context and the reward r₁ observed after the first stage. `firstArm` is
    /// required when a₁ is fed to GP₂ and ignored otherwise.
    public mutating func chooseSecondArm(context: ParameterValues, firstReward: Double, firstArm: InterfaceArm? = nil,
                                         round: Int, rng: inout SeededGenerator) -> InterfaceArm {
        warnings = []
        if round < configuration.warmupRounds || random { return InterfaceArm.random(using: &rng) }
        let candidates = secondCandidates(context: context, firstReward: firstReward, firstArm: firstArm)
        let (i, w) = second.select(rule: configuration.rule, candidates: candidates,
                                   round: round - configuration.warmupRounds + 1, rng: &rng)
        warnings = w
        return InterfaceArm.everyArm[i]
    }

    /// Test-time a₁: argmax of GP₁'s posterior mean.
    public func bestFirstArm(context: ParameterValues) -> InterfaceArm {
        InterfaceArm.everyArm[first.bestIndex(first.candidates(prefix: [], context: contextSpace.standardise(context), fixed: []))]
    }

    /// Test-time a₂: argmax of GP₂'s posterior mean given r₁ (and a₁ for the variant).
    public func bestSecondArm(context: ParameterValues, firstReward: Double, firstArm: InterfaceArm? = nil) -> InterfaceArm {
        InterfaceArm.everyArm[second.bestIndex(secondCandidates(context: context, firstReward: firstReward, firstArm: firstArm))]
    }

    /// GP₁'s posterior over every first arm (index = mask), in units of the discounted target.
    public func predictFirst(context: ParameterValues) -> GPPrediction {
        first.gp.predict(first.candidates(prefix: [], context: contextSpace.standardise(context), fixed: []))
    }

    /// GP₂'s posterior over every second arm (index = mask).
    public func predictSecond(context: ParameterValues, firstReward: Double, firstArm: InterfaceArm? = nil) -> GPPrediction {
        second.gp.predict(secondCandidates(context: context, firstReward: firstReward, firstArm: firstArm))
    }

    private func secondCandidates(context: ParameterValues, firstReward: Double, firstArm: InterfaceArm?) -> Matrix {
        var fixed: [InterfaceArm] = []
        if configuration.feedFirstArmToSecondStage {
            guard let a1 = firstArm else { preconditionFailure("TwoStageBandit: firstArm is required when a₁ is fed to GP₂") }
            fixed = [a1]
        }
        return second.candidates(prefix: [firstReward], context: contextSpace.standardise(context), fixed: fixed)
    }

    /// Appends a two-stage observation to both GPs and refits if `refitEvery` says so.
    public mutating func record(_ o: BanditObservation) throws {
        try validate(o, stages: 2, space: contextSpace)
        let s = contextSpace.standardise(o.context)
        let (r1, r2) = (o.rewards[0], o.rewards[1])
        let x1 = first.input(prefix: [], context: s, arm: o.arms[0], fixed: [])
        let x2 = second.input(prefix: [r1], context: s, arm: o.arms[1],
                              fixed: configuration.feedFirstArmToSecondStage ? [o.arms[0]] : [])
        var f = first, g = second
        try f.append(x1, target: (r1 + configuration.discount * r2) / 2)
        try g.append(x2, target: r2)
        first = f
        second = g
        history.observations.append(o)
        warnings = first.gp.warnings + second.gp.warnings
        if configuration.refitEvery > 0, history.count % configuration.refitEvery == 0 {
            refit()
        }
    }

    /// Refits both GPs' hyperparameters now.
    @discardableResult
    public mutating func refit() -> (first: FitReport, second: FitReport) {
        let a = first.refit(seed: fitSeed(configuration.seed, history.count, stage: 1))
        let b = second.refit(seed: fitSeed(configuration.seed, history.count, stage: 2))
        warnings = a.warnings + b.warnings
        return (a, b)
    }
}

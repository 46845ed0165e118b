import MetalicCore
import Foundation
import GaussianProcess
import LinearAlgebra
import Sampling

/// The single-stage ("query") METALIC bandit: one GP on (standardised s, arm) fit to the reward.
///
/// The caller owns training and the loop: it asks for an arm for a context, trains a PINN with
/// it, and records the reward. Rounds are the caller's count from 0 (warm-up rounds included),
/// so a study can be resumed or distributed without the bandit keeping a clock:
///
///     var bandit = MetalicBandit(contextSpace: space)
///     for round in 0..<205 {
///         let s = space.sample(using: &rng)
///         let arm = bandit.chooseArm(context: s, round: round, rng: &rng)
///         try bandit.record(.query(context: s, arm: arm, reward: train(s, arm)))
///     }
///     let armForTest = bandit.bestArm(context: sTest)
public struct MetalicBandit: Sendable {
    public let contextSpace: ContextSpace
    public let configuration: BanditConfiguration
    /// Every recorded observation, in order.
    public private(set) var history = BanditHistory()
    /// Warnings of the latest choice, record or refit (jitter escalations, sampling fallbacks).
    public private(set) var warnings: [GPWarning] = []
    var model: ArmModel

    public init(contextSpace: ContextSpace, configuration: BanditConfiguration = BanditConfiguration()) {
        self.contextSpace = contextSpace
        self.configuration = configuration
        model = ArmModel(prefixCount: 0, contextDimension: contextSpace.dimension, fixedArmBlocks: 0,
                         surrogate: configuration.surrogate)
    }

    /// Rebuilds a bandit by recording `history` in order: the same configuration gives the same
    /// hyperparameters and posterior as the run that produced the history.
    public init(contextSpace: ContextSpace, configuration: BanditConfiguration = BanditConfiguration(),
                replaying history: BanditHistory) throws {
        self.init(contextSpace: contextSpace, configuration: configuration)
        for o in history.observations { try record(o) }
    }

    /// The GP (for inspection: hyperparameters, data, predictions).
    public var gaussianProcess: GaussianProcess { model.gp }
    /// (θ₁, θ₂, log τ) for the reference kernel.
    public var hyperparameters: [Double] { model.gp.hyperparameters }
    /// The report of the latest hyperparameter fit.
    public var lastFitReport: FitReport? { model.lastFit }

    /// The arm to train with for `context` at `round` (0-based, warm-up included).
    public mutating func chooseArm(context: ParameterValues, round: Int, rng: inout SeededGenerator) -> InterfaceArm {
        chooseArms(contexts: [context], round: round, rng: &rng)[0]
    }

    /// Arms for q contexts handed to q parallel workers at once, before any of their rewards is
    /// known; see `ArmModel.selectBatch` (kriging believer / GP-BUCB), so the workers do not all
    /// try the same arm. All q share `round`: rounds below `warmupRounds` give random arms, and
    /// GP-UCB uses t = round − warmupRounds + 1.
    public mutating func chooseArms(contexts: [ParameterValues], round: Int, rng: inout SeededGenerator) -> [InterfaceArm] {
        warnings = []
        if round < configuration.warmupRounds || configuration.rule.isRandomWhileLearning {
            return contexts.map { _ in InterfaceArm.random(using: &rng) }
        }
        let sets = contexts.map { model.candidates(prefix: [], context: contextSpace.standardise($0), fixed: []) }
        let (indices, w) = model.selectBatch(rule: configuration.rule, candidateSets: sets,
                                             round: round - configuration.warmupRounds + 1, rng: &rng)
        warnings = w
        return indices.map { InterfaceArm.everyArm[$0] }
    }

    /// The test-time choice: argmax over arms of the posterior mean.
    public func bestArm(context: ParameterValues) -> InterfaceArm {
        InterfaceArm.everyArm[model.bestIndex(model.candidates(prefix: [], context: contextSpace.standardise(context), fixed: []))]
    }

    /// Posterior mean and variance of the reward of every arm (index = mask) for `context`.
    public func predict(context: ParameterValues) -> GPPrediction {
        model.gp.predict(model.candidates(prefix: [], context: contextSpace.standardise(context), fixed: []))
    }

    /// Appends an observation, re-conditions, and refits hyperparameters if `refitEvery` says so.
    /// - Throws: `BanditError` for a wrong shape or non-finite values; the bandit is unchanged then.
    public mutating func record(_ observation: BanditObservation) throws {
        try validate(observation, stages: 1, space: contextSpace)
        let x = model.input(prefix: [], context: contextSpace.standardise(observation.context), arm: observation.arms[0], fixed: [])
        try model.append(x, target: observation.rewards[0])
        history.observations.append(observation)
        warnings = model.gp.warnings
        if configuration.refitEvery > 0, history.count % configuration.refitEvery == 0 {
            refit()
        }
    }

    /// Refits the hyperparameters on all data now (seeded by the configuration and the data count).
    @discardableResult
    public mutating func refit() -> FitReport {
        let report = model.refit(seed: fitSeed(configuration.seed, history.count, stage: 0))
        warnings = report.warnings
        return report
    }
}

/// The seed of the refit after `count` observations (distinct per stage), a pure function so replays agree.
func fitSeed(_ seed: UInt64, _ count: Int, stage: UInt64) -> UInt64 {
    var g = SeededGenerator(seed: seed ^ (UInt64(count) &* 0x9E37_79B9_7F4A_7C15) ^ (stage &* 0xD1B5_4A32_D192_ED03))
    return g.next()
}

/// Shared checks of an observation before anything is modified.
func validate(_ o: BanditObservation, stages: Int, space: ContextSpace) throws {
    guard o.stages == stages else { throw BanditError.wrongStageCount(expected: stages, got: o.stages) }
    guard o.context.names == space.names else {
        throw BanditError.wrongContextParameters(expected: space.names, got: o.context.names)
    }
    if o.context.values.contains(where: { !$0.isFinite }) { throw BanditError.nonFinite("context \(o.context)") }
    for (k, r) in o.rewards.enumerated() where !r.isFinite { throw BanditError.nonFinite("reward of stage \(k + 1)") }
}

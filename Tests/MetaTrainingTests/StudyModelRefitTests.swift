import Bandit
import Foundation
@testable import MetaTraining
import PINN
import Sampling
import StudyStore
import XCTest

/// When `StudyModel.update` fits the hyperparameters: after every trial by default (a replay of
/// the bandit, bit for bit), once after the new trials, or later (`deferred`, condition only).
final class StudyModelRefitTests: XCTestCase {
    let settings = StudySettings(family: ReactionFamily(), heuristic: .ucb, warmup: 2, rounds: 20, seed: 3,
                                 training: TrainingOptions(adamIterations: 1, lbfgsIterations: 0))

    /// Completed trials with a reward that depends on the context and two bits of the arm.
    func trials(_ n: Int) -> [Trial] {
        var rng = SeededGenerator(seed: 11)
        return (0..<n).map { i in
            let context = settings.contextSpace.sample(using: &rng)
            let arm = InterfaceArm.random(using: &rng)
            let reward = 1 + arm.bits[0] * (context.values[0] - 8) / 7 - 0.5 * arm.bits[1] + 0.05 * rng.normal()
            return Trial(id: Int64(i + 1), round: i, context: context, arms: [arm], seed: 0, status: .completed, worker: "w",
                         stageErrors: [pow(10, -reward)], stageRewards: [reward], error: pow(10, -reward), reward: reward,
                         seconds: 1, startedAt: Date())
        }
    }

    func testEveryTrialIsTheBanditsReplay() throws {
        let all = trials(12)
        var model = StudyModel(settings: settings)
        XCTAssertEqual(try model.update(with: Array(all.prefix(5))), 5)
        XCTAssertEqual(try model.update(with: all), 7)
        XCTAssertEqual(try model.update(with: all), 0)
        let history = BanditHistory(observations: all.map { .query(context: $0.context, arm: $0.arms[0], reward: $0.reward!, error: $0.error) })
        let replay = try MetalicBandit(contextSpace: settings.contextSpace, configuration: settings.banditConfiguration, replaying: history)
        XCTAssertEqual(model.query!.hyperparameters, replay.hyperparameters)
        XCTAssertFalse(model.needsRefit)
        let s = try ReactionFamily().parameterValues(["rho": 4])
        XCTAssertEqual(model.bestFirstArm(context: s), replay.bestArm(context: s))
    }

    func testDeferredOnlyConditionsAndTheNextFitCoversEveryTrial() throws {
        let all = trials(12)
        var model = StudyModel(settings: settings)
        try model.update(with: Array(all.prefix(8)))
        let fitted = model.query!.hyperparameters

        var deferred = model
        XCTAssertEqual(try deferred.update(with: all, refit: .deferred), 4)
        XCTAssertEqual(deferred.query!.hyperparameters, fitted)
        XCTAssertEqual(deferred.query!.gaussianProcess.count, 12)
        XCTAssertTrue(deferred.needsRefit)
        // The next update fits once even when it brings nothing new.
        var next = deferred
        XCTAssertEqual(try next.update(with: all, refit: .once), 0)
        XCTAssertFalse(next.needsRefit)
        XCTAssertNotEqual(next.query!.hyperparameters, fitted)
        XCTAssertFalse(next.refitIfNeeded())

        var once = model
        try once.update(with: all, refit: .once)
        XCTAssertEqual(once.query!.hyperparameters, next.query!.hyperparameters)
        XCTAssertTrue(deferred.refitIfNeeded())
        XCTAssertEqual(deferred.query!.hyperparameters, next.query!.hyperparameters)
    }

    /// A worker alone records one trial per round: `.once` then fits exactly as `.everyTrial`.
    func testOneNewTrialFitsTheSameEitherWay() throws {
        let all = trials(9)
        var a = StudyModel(settings: settings), b = StudyModel(settings: settings)
        for k in 1...all.count {
            try a.update(with: Array(all.prefix(k)))
            try b.update(with: Array(all.prefix(k)), refit: .once)
        }
        XCTAssertEqual(a.query!.hyperparameters, b.query!.hyperparameters)
    }
}

import MetaTraining
import PINN
import Sampling
import StudyStore
import XCTest

/// `study effects` reads back what the trials say: a condition that lowers the error by half a
/// decade shows as −0.5, conditions without an effect as about 0.
final class ConditionEffectsTests: XCTestCase {
    func testAConditionThatHelpsShowsItsEffectAndTheOthersNone() throws {
        let family = AdvectionFamily()
        let settings = StudySettings(family: family, warmup: 5, rounds: 60, seed: 1, training: TrainingOptions())
        var rng = SeededGenerator(seed: 11)
        let space = settings.contextSpace
        // Reward −log₁₀ error: u gains 0.5, rc costs 0.3, the rest nothing; small noise.
        let trials = (0..<60).map { i -> Trial in
            let s = space.sample(using: &rng)
            let arm = InterfaceArm.random(using: &rng)
            let reward = 1.5 + (arm.contains(.u) ? 0.5 : 0) - (arm.contains(.rc) ? 0.3 : 0) + 0.02 * rng.normal()
            return Trial(id: Int64(i + 1), round: i, context: s, arms: [arm], seed: 0, status: .completed, worker: "test",
                         stageErrors: [pow(10, -reward)], stageRewards: [reward], error: pow(10, -reward), reward: reward,
                         seconds: 1, startedAt: Date())
        }
        var model = StudyModel(settings: settings)
        try model.update(with: trials)
        let effects = ConditionEffects(model: model, parameter: 0, points: 5)
        XCTAssertEqual(effects.parameter, "beta")
        XCTAssertEqual(effects.values, [1, 8.25, 15.5, 22.75, 30])
        for (i, beta) in effects.values.enumerated() {
            XCTAssertEqual(effects.change[InterfaceCondition.u.rawValue][i], -0.5, accuracy: 0.1, "u at β = \(beta)")
            XCTAssertEqual(effects.change[InterfaceCondition.rc.rawValue][i], 0.3, accuracy: 0.1, "rc at β = \(beta)")
            for c in InterfaceCondition.allCases where c != .u && c != .rc {
                XCTAssertEqual(effects.change[c.rawValue][i], 0, accuracy: 0.1, "\(c) at β = \(beta)")
            }
        }
        // The definition, computed another way at one context: on − off for every pair of arms.
        let mean = model.predictedRewards(context: try family.parameterValues(["beta": 15.5]))
        let onOff = (0..<512).filter { $0 & 0b100000000 == 0 }.map { mean[$0 | 0b100000000] - mean[$0] }
        XCTAssertEqual(effects.change[InterfaceCondition.u.rawValue][2], -onOff.reduce(0, +) / 256, accuracy: 1e-12)
    }
}

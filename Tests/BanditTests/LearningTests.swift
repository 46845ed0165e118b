import MetalicCore
import Foundation
import XCTest
import Bandit
import GaussianProcess
import Sampling

final class LearningTests: XCTestCase {
    let cheapFit = SurrogateConfiguration(fit: FitOptions(maxIterations: 40, restarts: 1))

    /// "explore" plays random arms while learning, yet its GP, used at test time through the
    /// posterior mean, finds the context-dependent best arm of the synthetic problem:
    /// {b₀, b₂} = "101000000" for s > ½ and {b₁, b₂} = "011000000" for s < ½.
    func testExploreLearnsContextDependentBestArm() throws {
        let problem = SyntheticContextualBandit()
        var bandit = MetalicBandit(contextSpace: problem.space,
                                   configuration: BanditConfiguration(rule: .explore, refitEvery: 10, surrogate: cheapFit))
        var rng = SeededGenerator(seed: 8)
        var arms: Set<InterfaceArm> = []
        for round in 0..<120 {
            let s = problem.space.sample(using: &rng)
            let arm = bandit.chooseArm(context: s, round: round, rng: &rng)
            arms.insert(arm)
            try bandit.record(.query(context: s, arm: arm, reward: problem.reward(s.values[0], arm, rng: &rng)))
        }
        XCTAssertGreaterThan(arms.count, 100, "explore must play (nearly) distinct random arms")
        // The three relevant bits are right; the −0.05 per other bit is within the noise of 120
        // random rounds over 512 arms, so up to one stray bit (regret ≤ 0.1) is allowed.
        let high = bandit.bestArm(context: problem.space.context([0.9])), low = bandit.bestArm(context: problem.space.context([0.1]))
        XCTAssertEqual(high.bitString.prefix(3), "101", "\(high)")
        XCTAssertEqual(low.bitString.prefix(3), "011", "\(low)")
        XCTAssertLessThan(problem.bestReward(0.9) - problem.meanReward(0.9, high), 0.1)
        XCTAssertLessThan(problem.bestReward(0.1) - problem.meanReward(0.1, low), 0.1)
        let p = bandit.predict(context: problem.space.context([0.9]))
        XCTAssertEqual(p.mean.count, 512)
        XCTAssertTrue(p.variance.allSatisfy { $0.isFinite && $0 >= 0 })
    }

    /// The two-stage model on `SyntheticTwoStageProblem` (UCB, 80 rounds): given a good first
    /// stage (r₁ = 1.45) GP₂ should pick a second arm with b₅ on and b₆ off, given a poor one
    /// (r₁ = 0.55) the opposite, and in both cases an arm within 0.1 of the best r₂ — checked at
    /// s = 0.2 and 0.8 for the reference model and the variant that also feeds a₁ to GP₂.
    ///
    /// A learning property, so it is asserted over 12 seeds × 2 variants, not on one trajectory:
    /// different BLAS kernels round the GP fits differently and send single runs down different
    /// paths. Measured with OpenBLAS's Cooperlake, Haswell, Zen and Prescott kernels: 16, 15, 15
    /// and 15 of 24 runs right with the reference kernel. The misses are a property of that
    /// kernel, not of the implementation: r₁ and s share one isotropic length-scale, so GP₂
    /// cannot make s irrelevant while resolving how r₂ depends on r₁; with one length-scale per
    /// input (`ardContext`) 23 of 24 runs are right on all four kernels, and with 160 rounds
    /// instead of 80 the reference kernel gets 19 of 24. Thresholds sit 2+ binomial standard
    /// deviations below what was measured.
    func testTwoStageModelPicksBetterSecondArmGivenFirstReward() throws {
        let reference = try twoStageSuccessRate(rule: .ucb, seeds: 0..<12)
        XCTAssertGreaterThanOrEqual(reference.rate, 0.4, "reference kernel: \(reference.summary)")
        let ard = try twoStageSuccessRate(rule: .ucb, seeds: 0..<12, ard: true)
        XCTAssertGreaterThanOrEqual(ard.rate, 0.8, "one length-scale per input: \(ard.summary)")
        XCTAssertGreaterThan(ard.rate, reference.rate, "ARD: \(ard.summary); reference: \(reference.summary)")
        print("two-stage UCB, runs right: reference kernel \(reference.rate), ARD \(ard.rate)")
    }

    /// Runs the two-stage bandit for each seed and both model variants, and counts the runs whose
    /// test-time second arms are right at both contexts after both a good and a poor first stage.
    func twoStageSuccessRate(rule: SelectionRule, seeds: Range<UInt64>, ard: Bool = false) throws -> (rate: Double, summary: String) {
        let problem = SyntheticTwoStageProblem()
        var surrogate = cheapFit
        surrogate.gp.standardiseTargets = true
        surrogate.ardContext = ard
        var successes = 0, runs = 0
        var failures: [String] = []
        for feed in [false, true] {
            for seed in seeds {
                let configuration = BanditConfiguration(rule: rule, refitEvery: 10, surrogate: surrogate,
                                                        feedFirstArmToSecondStage: feed)
                var bandit = TwoStageBandit(contextSpace: problem.space, configuration: configuration)
                var rng = SeededGenerator(seed: seed)
                for round in 0..<80 {
                    let s = problem.space.sample(using: &rng)
                    let a1 = bandit.chooseFirstArm(context: s, round: round, rng: &rng)
                    let r1 = problem.firstReward(s.values[0], a1, luck: rng.uniform())
                    let a2 = bandit.chooseSecondArm(context: s, firstReward: r1, firstArm: a1, round: round, rng: &rng)
                    let r2 = problem.secondReward(r1, a2) + 0.02 * rng.normal()
                    try bandit.record(.twoStage(context: s, firstArm: a1, firstReward: r1, secondArm: a2, secondReward: r2))
                }
                var right = true
                for s in [0.2, 0.8] {
                    XCTAssertTrue(bandit.predictFirst(context: problem.space.context([s])).mean.allSatisfy { $0.isFinite })
                    let a1 = bandit.bestFirstArm(context: problem.space.context([s]))
                    for (r1, wanted) in [(1.45, (5, 6)), (0.55, (6, 5))] {
                        let a2 = bandit.bestSecondArm(context: problem.space.context([s]), firstReward: r1, firstArm: a1)
                        let best = InterfaceArm.everyArm.map { problem.secondReward(r1, $0) }.max()!
                        if !(a2.contains(InterfaceCondition(rawValue: wanted.0)!) && !a2.contains(InterfaceCondition(rawValue: wanted.1)!) && problem.secondReward(r1, a2) > best - 0.1) {
                            right = false
                            failures.append("feed \(feed) seed \(seed) s \(s) r₁ \(r1): \(a2)")
                        }
                    }
                }
                runs += 1
                if right { successes += 1 }
            }
        }
        let rate = Double(successes) / Double(runs)
        return (rate, "\(successes)/\(runs) runs right; wrong choices: \(failures)")
    }
}

import MetalicCore
import Foundation
import Bandit
import Sampling

/// A contextual bandit with 512 arms whose best arm depends on the context s ∈ [0, 1]:
/// r(s, a) = b₀(2s − 1) + b₁(1 − 2s) + 0.5 b₂ − 0.3 · (other bits set)/6 + N(0, 0.05²).
/// For s > ½ the best arm is {b₀, b₂}, for s < ½ it is {b₁, b₂}; r*(s) = |2s − 1| + 0.5.
struct SyntheticContextualBandit {
    let space = ContextSpace(lower: 0, upper: 1)

    func meanReward(_ s: Double, _ a: InterfaceArm) -> Double {
        let b = a.bits
        let others = b[3...].reduce(0, +)
        return b[0] * (2 * s - 1) + b[1] * (1 - 2 * s) + 0.5 * b[2] - 0.3 * others / 6
    }

    func bestReward(_ s: Double) -> Double { abs(2 * s - 1) + 0.5 }

    func reward(_ s: Double, _ a: InterfaceArm, rng: inout SeededGenerator) -> Double {
        meanReward(s, a) + 0.05 * rng.normal()
    }

    /// Cumulative regret of `rounds` online rounds (after `configuration.warmupRounds` warm-up
    /// rounds, which are not counted) with a fresh uniform context each round.
    func cumulativeRegret(configuration: BanditConfiguration, rounds: Int, seed: UInt64) throws -> Double {
        var bandit = MetalicBandit(contextSpace: space, configuration: configuration)
        var rng = SeededGenerator(seed: seed)
        var regret = 0.0
        for round in 0..<(configuration.warmupRounds + rounds) {
            let s = space.sample(using: &rng)
            let arm = bandit.chooseArm(context: s, round: round, rng: &rng)
            if round >= configuration.warmupRounds { regret += bestReward(s.values[0]) - meanReward(s.values[0], arm) }
            try bandit.record(.query(context: s, arm: arm, reward: reward(s.values[0], arm, rng: &rng)))
        }
        return regret
    }
}

/// A two-stage problem where the better second arm depends on the first-stage reward:
/// r₁ = 0.4 + 0.3 b₀(a₁) + 0.8 ξ + 0.05 s, with ξ ~ U(0, 1) the luck of the first training
/// stage, so r₁ spans [0.4, 1.55] whatever the arm; then
/// r₂ = r₁ + (r₁ − 1)(b₅ − b₆)(a₂) + 0.2 b₇(a₂).
/// After a good first stage (r₁ > 1) the second arm should have b₅ on and b₆ off; after a poor
/// one, the opposite; b₇ always helps.
struct SyntheticTwoStageProblem {
    let space = ContextSpace(lower: 0, upper: 1)

    func firstReward(_ s: Double, _ a1: InterfaceArm, luck: Double) -> Double { 0.4 + 0.3 * a1.bits[0] + 0.8 * luck + 0.05 * s }

    func secondReward(_ r1: Double, _ a2: InterfaceArm) -> Double {
        let b = a2.bits
        return r1 + (r1 - 1) * (b[5] - b[6]) + 0.2 * b[7]
    }
}

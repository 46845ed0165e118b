import Foundation

/// How the exploration weight c of UCB is chosen.
public enum UCBSchedule: Codable, Sendable, Equatable {
    /// A fixed c (the reference uses c = 1).
    case constant(Double)
    /// GP-UCB (Srinivas et al.): c = √β_t, β_t = 2 log(|A| t² π² / 6δ), growing slowly with the round t.
    case gpUCB(delta: Double)

    /// c at round t ≥ 1 with `armCount` arms.
    public func coefficient(round t: Int, armCount: Int) -> Double {
        switch self {
        case .constant(let c): return c
        case .gpUCB(let delta):
            let tt = Double(max(t, 1))
            return (2 * log(Double(armCount) * tt * tt * Double.pi * Double.pi / (6 * delta))).squareRoot()
        }
    }
}

/// The bandit rule used while learning (docs/BANDITS.md). At test time every rule picks argmax of the posterior mean.
public enum SelectionRule: Codable, Sendable, Equatable {
    /// argmax over arms of μ + c·σ.
    case ucb(UCBSchedule)
    /// argmax of one posterior draw. `joint: true` (default here) draws f jointly over all 512
    /// arms; the reference draws each arm's marginal independently (`joint: false`).
    case thompson(joint: Bool)
    /// Random arms while learning; the GP (fitted on those rounds) is used only at test time.
    case explore
    /// Random arms always (a baseline).
    case random

    /// UCB with the reference's c = 1.
    public static let ucb = SelectionRule.ucb(.constant(1))
    /// Thompson sampling with joint draws.
    public static let thompson = SelectionRule.thompson(joint: true)

    /// Whether the rule ignores the model while learning.
    var isRandomWhileLearning: Bool {
        switch self {
        case .explore, .random: return true
        case .ucb, .thompson: return false
        }
    }
}

import Bandit

/// The bandit rule a study learns with (docs/BANDITS.md), by the name a study records.
public enum Heuristic: String, CaseIterable, Codable, Sendable {
    /// μ + σ (the reference's UCB, c = 1).
    case ucb
    /// μ + √β_t σ with the GP-UCB schedule (δ = 0.1).
    case gpucb
    /// Thompson sampling, joint draws over the 512 arms.
    case ts
    /// Thompson sampling with independent marginal draws, as the reference implementation.
    case tsMarginal = "ts-marginal"
    /// Random arms while learning; the GP's mean at test time.
    case explore
    /// Random arms always.
    case random

    public var rule: SelectionRule {
        switch self {
        case .ucb: return .ucb
        case .gpucb: return .ucb(.gpUCB(delta: 0.1))
        case .ts: return .thompson(joint: true)
        case .tsMarginal: return .thompson(joint: false)
        case .explore: return .explore
        case .random: return .random
        }
    }
}

/// Single-stage (one arm per trial) or two-stage (an arm for Adam, then one for L-BFGS chosen
/// after seeing the Adam-stage reward).
public enum StudyMode: String, CaseIterable, Codable, Sendable {
    case query, step

    /// Arms per trial.
    public var armCount: Int { self == .query ? 1 : 2 }
}

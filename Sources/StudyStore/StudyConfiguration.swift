/// Configuration of a study, fixed at creation.
///
/// Stored as JSON in the one-row `study` table next to the schema version, so that a resumed
/// study (after a crash, or by another worker process) runs with exactly the settings it was
/// started with instead of whatever the command line says this time.
public struct StudyConfiguration: Codable, Equatable, Sendable {
    /// PDE family (e.g. "advection").
    public var family: String
    /// "query" (one arm per trial) or "step" (an Adam arm and an L-BFGS arm).
    public var mode: String
    /// Selection rule: "ucb", "ts", "explore" or "random".
    public var heuristic: String
    /// Rounds with uniformly random arms before the bandit takes over.
    public var warmupRounds: Int
    /// Online rounds after warm-up.
    public var rounds: Int
    /// Master seed of the study.
    public var seed: UInt64
    /// Anything else (budgets, protocol, ...); opaque to the store.
    public var settings: [String: String]

    public init(family: String, mode: String, heuristic: String, warmupRounds: Int, rounds: Int,
                seed: UInt64, settings: [String: String] = [:]) {
        self.family = family
        self.mode = mode
        self.heuristic = heuristic
        self.warmupRounds = warmupRounds
        self.rounds = rounds
        self.seed = seed
        self.settings = settings
    }

    /// Number of trials the study runs: warm-up plus online rounds.
    /// Saturates instead of trapping, since the values may come from a hand-edited study file.
    public var totalRounds: Int {
        let (sum, overflow) = warmupRounds.addingReportingOverflow(rounds)
        return overflow ? (rounds > 0 ? Int.max : Int.min) : sum
    }

    /// Human-readable differences to `other`, one per differing field ("family: advection ≠ burgers").
    /// `openOrCreate` refuses only family and mode differences; callers can use this to warn about the rest.
    public func differences(from other: StudyConfiguration) -> [String] {
        var result: [String] = []
        func check<T: Equatable>(_ name: String, _ a: T, _ b: T) {
            if a != b { result.append("\(name): \(a) ≠ \(b)") }
        }
        check("family", family, other.family)
        check("mode", mode, other.mode)
        check("heuristic", heuristic, other.heuristic)
        check("warmupRounds", warmupRounds, other.warmupRounds)
        check("rounds", rounds, other.rounds)
        check("seed", seed, other.seed)
        for key in Set(settings.keys).union(other.settings.keys).sorted() where settings[key] != other.settings[key] {
            result.append("settings[\(key)]: \(settings[key] ?? "(unset)") ≠ \(other.settings[key] ?? "(unset)")")
        }
        return result
    }
}

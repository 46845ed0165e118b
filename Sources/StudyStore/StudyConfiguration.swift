/// Configuration of a study, fixed at creation.
///
/// Stored as JSON in the study's row of the `studies` table, so that a resumed study (after a
/// crash, or by another worker process or machine) runs with exactly the settings it was started
/// with instead of whatever the command line says this time.
public struct StudyConfiguration: Codable, Equatable, Sendable {
    /// PDE family (e.g. "advection").
    public var family: String
    /// The family's parameter names, in the order of a trial context's values.
    public var parameterNames: [String]
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

    public init(family: String, parameterNames: [String], mode: String, heuristic: String, warmupRounds: Int, rounds: Int,
                seed: UInt64, settings: [String: String] = [:]) {
        self.family = family
        self.parameterNames = parameterNames
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
        check("parameterNames", parameterNames, other.parameterNames)
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

    /// The rule of `openOrCreate` for an existing study: the same family and mode are required
    /// (anything else would mix incompatible trials in one GP); other differences are allowed and
    /// the stored configuration (`self`) wins.
    /// - Throws: `.configurationMismatch` naming the differing fields.
    func checkResumable(with requested: StudyConfiguration) throws {
        var differences: [String] = []
        if family != requested.family {
            differences.append("family: study has \"\(family)\", requested \"\(requested.family)\"")
        }
        if mode != requested.mode {
            differences.append("mode: study has \"\(mode)\", requested \"\(requested.mode)\"")
        }
        guard differences.isEmpty else { throw StudyStoreError.configurationMismatch(differences.joined(separator: "; ")) }
    }

    private enum CodingKeys: String, CodingKey {
        case family, parameterNames, mode, heuristic, warmupRounds, rounds, seed, settings
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        family = try c.decode(String.self, forKey: .family)
        mode = try c.decode(String.self, forKey: .mode)
        heuristic = try c.decode(String.self, forKey: .heuristic)
        warmupRounds = try c.decode(Int.self, forKey: .warmupRounds)
        rounds = try c.decode(Int.self, forKey: .rounds)
        seed = try c.decode(UInt64.self, forKey: .seed)
        settings = try c.decode([String: String].self, forKey: .settings)
        if let names = try c.decodeIfPresent([String].self, forKey: .parameterNames) {
            parameterNames = names
        } else if let names = Self.parameterNamesBefore0_3[family] {
            parameterNames = names
        } else {
            throw DecodingError.dataCorruptedError(forKey: .parameterNames, in: c,
                                                   debugDescription: "no parameter names for family \(family)")
        }
    }

    /// Studies written by metalic 0.2 and earlier did not record parameter names; they could
    /// only be studies of the built-in families, whose names were these.
    static let parameterNamesBefore0_3: [String: [String]] = [
        "advection": ["beta"], "reaction": ["rho"], "heat": ["a", "b", "c", "d"], "burgers": ["nu"],
        "kdv": ["c"], "poisson": ["s"],
    ]
}

/// Observations a bandit cannot use.
public enum BanditError: Error, Equatable, CustomStringConvertible {
    /// The observation has `got` stages; this bandit needs `expected`.
    case wrongStageCount(expected: Int, got: Int)
    /// The context is over parameters `got`; the context space is over `expected`.
    case wrongContextParameters(expected: [String], got: [String])
    /// A reward or context entry is NaN or infinite (a diverged run must be mapped to a finite
    /// reward by the caller, or not recorded).
    case nonFinite(String)

    public var description: String {
        switch self {
        case .wrongStageCount(let e, let g): return "observation has \(g) stage(s); this bandit expects \(e)"
        case .wrongContextParameters(let e, let g): return "context is over parameters (\(g.joined(separator: ", "))); expected (\(e.joined(separator: ", ")))"
        case .nonFinite(let what): return "\(what) is not finite (NaN or infinite); map diverged runs to a finite reward before recording"
        }
    }
}

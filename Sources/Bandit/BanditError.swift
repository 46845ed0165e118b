/// Observations a bandit cannot use.
public enum BanditError: Error, Equatable, CustomStringConvertible {
    /// The observation has `got` stages; this bandit needs `expected`.
    case wrongStageCount(expected: Int, got: Int)
    /// The context has `got` entries; the context space has `expected` dimensions.
    case wrongContextDimension(expected: Int, got: Int)
    /// A reward or context entry is NaN or infinite (a diverged run must be mapped to a finite
    /// reward by the caller, or not recorded).
    case nonFinite(String)

    public var description: String {
        switch self {
        case .wrongStageCount(let e, let g): return "observation has \(g) stage(s); this bandit expects \(e)"
        case .wrongContextDimension(let e, let g): return "context has \(g) entries; expected \(e)"
        case .nonFinite(let what): return "\(what) is not finite (NaN or infinite); map diverged runs to a finite reward before recording"
        }
    }
}

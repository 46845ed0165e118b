/// Failures reported by the LAPACK wrappers; none of them crash the caller.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// The leading minor of this order is not positive definite (`dpotrf` info > 0).
    case notPositiveDefinite(minor: Int)
    /// The matrix is exactly singular (`dgesv`/`dgbsv` info > 0).
    case singular(pivot: Int)
    /// An iterative LAPACK routine did not converge.
    case noConvergence(routine: String, info: Int)
    /// LAPACK rejected an argument (info < 0): a bug in the caller.
    case invalidArgument(routine: String, index: Int)
    /// The input contains NaN or infinity.
    case nonFinite

    public var description: String {
        switch self {
        case .notPositiveDefinite(let k): return "matrix is not positive definite (leading minor \(k))"
        case .singular(let p): return "matrix is singular (zero pivot \(p))"
        case .noConvergence(let r, let info): return "\(r) did not converge (info \(info))"
        case .invalidArgument(let r, let i): return "\(r): invalid argument \(i)"
        case .nonFinite: return "matrix or right-hand side contains NaN or infinity"
        }
    }
}

/// Something a GP did to stay usable that its caller should know about.
///
/// Numerical trouble never crashes a run and never yields NaN; it is reported here instead, so a
/// study log can show, e.g., that the kernel matrix needed extra jitter on round 140.
public enum GPWarning: Codable, Sendable, Equatable, CustomStringConvertible {
    /// K + noise·I was not positive definite; this much jitter was added on top of the base jitter.
    case jitterEscalated(Double)
    /// No jitter up to the largest try made the matrix positive definite; the previous posterior is kept.
    case conditioningFailed
    /// The fitted hyperparameters could not be used; the previous ones are kept.
    case keptPreviousHyperparameters
    /// No restart of the hyperparameter optimiser reached a finite objective.
    case fitFailed
    /// The posterior covariance over the candidates needed this much relative jitter to sample jointly.
    case samplingJitterEscalated(Double)
    /// The posterior covariance had no Cholesky factor even with the largest jitter; joint draws
    /// used its eigendecomposition with negative eigenvalues clipped to zero instead.
    case samplingUsedEigendecomposition
    /// Joint sampling fell back to independent marginals (covariance unusable even after jitter and eigen-repair).
    case samplingFellBackToMarginals
    /// A prediction came out non-finite and was replaced by the prior.
    case nonFinitePredictionReplaced

    public var description: String {
        switch self {
        case .jitterEscalated(let j): return "kernel matrix not positive definite: added jitter \(j)"
        case .conditioningFailed: return "kernel matrix not positive definite at any jitter: kept previous posterior"
        case .keptPreviousHyperparameters: return "fitted hyperparameters unusable: kept previous hyperparameters"
        case .fitFailed: return "no hyperparameter restart reached a finite objective: kept previous hyperparameters"
        case .samplingJitterEscalated(let j): return "posterior covariance needed relative jitter \(j) for joint sampling"
        case .samplingUsedEigendecomposition: return "posterior covariance not factorisable with jitter: joint draws used its clipped eigendecomposition"
        case .samplingFellBackToMarginals: return "joint posterior sampling fell back to independent marginals"
        case .nonFinitePredictionReplaced: return "non-finite prediction replaced by the prior"
        }
    }
}

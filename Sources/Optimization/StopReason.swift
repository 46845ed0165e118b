/// Why an optimizer returned.
///
/// Training runs report this next to the error so that a poor result can be told apart from
/// a run that merely ran out of budget (docs/METHOD.md).
public enum StopReason: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// The iteration budget (`maxIterations`) was used up.
    case maxIterations
    /// The function-evaluation budget (`maxEvaluations`) was used up.
    case maxEvaluations
    /// max|∇f| fell to or below the gradient tolerance: a stationary point was reached.
    case gradientTolerance
    /// The step, the loss change or the directional derivative fell below the change tolerance:
    /// the optimizer can no longer make measurable progress.
    case changeTolerance
    /// The loss or its gradient became NaN or infinite; the last finite iterate was restored.
    case nonFiniteLoss
    /// The strong-Wolfe line search found no point with sufficient decrease along the direction.
    case lineSearchFailed
    /// The observer callback returned `false`.
    case stoppedByObserver
    /// A fixed number of iterations (Adam) ran to the end.
    case completed

    public var description: String {
        switch self {
        case .maxIterations: return "maximum number of iterations reached"
        case .maxEvaluations: return "maximum number of function evaluations reached"
        case .gradientTolerance: return "gradient norm below tolerance"
        case .changeTolerance: return "step or loss change below tolerance"
        case .nonFiniteLoss: return "loss or gradient became non-finite; last finite parameters restored"
        case .lineSearchFailed: return "line search found no sufficient decrease"
        case .stoppedByObserver: return "stopped by the observer"
        case .completed: return "all requested iterations completed"
        }
    }
}

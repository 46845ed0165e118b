import PINN

/// What a long run (a study's workers, an evaluation, a landscape) reports while it works, for a
/// live display: how each running training advances, and how much of the whole is done.
public enum WorkProgress: Sendable {
    /// The training on worker `slot` (0-based, one per thread of this process) reached `record`;
    /// `unit` names what it trains ("round 12", "instance 3, ucb", an arm).
    case training(slot: Int, unit: String, record: TrainingRecord, totalIterations: Int)
    /// `done` of `total` units finished — in a shared study, by any worker anywhere.
    case overall(done: Int, total: Int)
}

/// Receives `WorkProgress` from several worker threads at once.
public typealias WorkProgressHandler = @Sendable (WorkProgress) -> Void

extension TrainingOptions {
    /// Iterations a training with these options runs at most (both stages).
    var iterationBudget: Int { adamIterations + lbfgsIterations }
}

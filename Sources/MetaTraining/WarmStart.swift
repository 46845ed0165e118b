import Bandit
import PINN
import StudyStore

/// Where the networks of a study's training start.
///
/// The interface conditions (the arm) only change the loss: every arm trains networks of the same
/// shape (one MLP per subdomain, widths from the study's `TrainingOptions`). So any completed
/// trial's trained networks are a valid start for a round with any arm, and `nearest` chooses the
/// source by context alone: the arm stays the bandit's choice, and a rarely chosen arm does not
/// lose its warm starts (docs/STUDIES.md, "Warm starts").
public enum WarmStart: String, CaseIterable, Sendable {
    /// Fresh networks (Xavier-normal from the trial's seed): the default.
    case cold
    /// The trained networks of the completed trial whose context is nearest.
    case nearest

    /// The trial whose networks a training for `context` starts from: among `trials`, the
    /// completed ones with stored parameters, the one nearest in the GP's standardised context
    /// coordinates (`ContextSpace.standardise`: per parameter (s − mean)/sd of a fixed design
    /// over its range — for one parameter the same order as scaling the range to [0, 1]); ties
    /// go to the earliest round, so the choice depends only on the set of trials. Nil if there is none.
    public static func nearestTrial(to context: ParameterValues, among trials: [Trial], space: ContextSpace) -> Trial? {
        let target = space.standardise(context)
        var best: (trial: Trial, distance: Double)?
        for trial in trials where trial.status == .completed && trial.hasParameters && trial.context.names == context.names {
            let z = space.standardise(trial.context)
            let distance = zip(z, target).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            guard distance.isFinite else { continue }
            if let current = best, current.distance < distance || (current.distance == distance && current.trial.round <= trial.round) {
                continue
            }
            best = (trial, distance)
        }
        return best?.trial
    }

    /// The stored parameters of trial `source`, checked to fit `solver`'s networks.
    /// - Throws: `MetaTrainingError` naming the trial when it has none or they do not fit.
    public static func parameters(ofTrial source: Int64, in store: any StudyStore, for solver: XPINNSolver) throws -> [Double] {
        guard let parameters = try store.parameters(ofTrial: source) else {
            throw MetaTrainingError("trial \(source) has no stored network parameters to warm-start from")
        }
        let expected = solver.problem.networks.reduce(0) { $0 + $1.parameterCount }
        guard parameters.count == expected else {
            throw MetaTrainingError("trial \(source) stored \(parameters.count) network parameters; this training's networks (hidden widths \(solver.options.hiddenWidths)) have \(expected)")
        }
        return parameters
    }
}

import Foundation
import Optimization

/// One point of the training history.
public struct TrainingRecord: Sendable, Codable, Hashable {
    /// Iteration counted over both stages.
    public var iteration: Int
    public var stage: String
    public var loss: Double
    /// Relative L2 error on the reference grid (or the error estimate, for a family without a
    /// reference solution), when it was measured at this iteration.
    public var error: Double?

    public init(iteration: Int, stage: String, loss: Double, error: Double?) {
        self.iteration = iteration
        self.stage = stage
        self.loss = loss
        self.error = error
    }
}

/// What one optimisation stage (Adam or L-BFGS) did.
public struct StageResult: Sendable, Codable, Hashable {
    public var name: String
    public var arm: InterfaceArm
    public var iterations: Int
    public var finalLoss: Double
    /// Capped relative L2 error after the stage (or estimated error: `TrainingResult.errorSource`).
    public var error: Double
    public var reward: Double
    public var stopReason: StopReason
    public var seconds: Double
}

/// The outcome of training one PDE instance.
public struct TrainingResult: Sendable, Codable {
    public var family: String
    public var parameters: ParameterValues
    public var options: TrainingOptions
    /// Capped relative L2 error on the reference grid after the last stage (docs/METHOD.md), or,
    /// for a family without a reference solution, the capped error estimate (`errorSource`).
    public var error: Double
    /// −log10(error).
    public var reward: Double
    /// What `error`, the stages' errors and the history's errors are.
    public var errorSource: ErrorSource
    public var stages: [StageResult]
    public var history: [TrainingRecord]
    /// Seconds spent computing the reference solution and sampling.
    public var setupSeconds: Double
    public var trainingSeconds: Double
    /// The trained parameters of all networks, concatenated.
    public var networkParameters: [Double]
    /// The error estimate from the trained networks alone (docs/ERROR-ESTIMATE.md).
    public var estimate: ErrorEstimate?

    /// Why L-BFGS stopped (or Adam's reason if there was no L-BFGS stage).
    public var stopReason: StopReason { stages.last?.stopReason ?? .completed }
}

/// Where a training's error comes from.
public enum ErrorSource: String, Sendable, Codable, Hashable {
    /// The relative L2 error against the family's reference solution.
    case reference
    /// The error estimate from the trained networks alone (docs/ERROR-ESTIMATE.md): the family has no reference solution.
    case estimate

    /// The source of a training's error given the family's reference solution at its instance, if any.
    public init(reference: GridSolution?) { self = reference == nil ? .estimate : .reference }

    /// What the error is, for axis labels and messages.
    public var label: String { self == .reference ? "relative L2 error" : "estimated error" }
}

extension PDEFamily {
    /// Where a training's error at `s` comes from: the reference solution if the family has one there.
    /// Computes the reference (as a training does), so callers ask once, not per arm.
    public func errorSource(at s: ParameterValues) throws -> ErrorSource {
        ErrorSource(reference: try referenceSolution(s))
    }
}

/// A NaN or an error above 100 counts as 100 (docs/METHOD.md).
public func cappedError(_ e: Double) -> Double { e.isFinite && e <= 100 ? e : 100 }

/// r = −log10(error) of a capped error.
public func reward(forError e: Double) -> Double { -log10(max(cappedError(e), 1e-300)) }

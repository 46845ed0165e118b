import Foundation
import Optimization
import ReferenceSolvers
import Sampling

/// Trains the networks of one PDE instance: Adam with one arm, then L-BFGS with another (or the
/// same), measuring the error as it goes: the relative L2 error on the reference grid, or, for a
/// family without a reference solution, the error estimate from the networks alone
/// (`ErrorEstimator`, docs/ERROR-ESTIMATE.md).
///
/// The reference solution is computed once at construction; `train` may then be called for
/// several arms, each time from freshly initialised networks (same seed, same points).
public final class XPINNSolver {
    public let family: any PDEFamily
    public let parameters: ParameterValues
    public let options: TrainingOptions
    public let problem: XPINNProblem
    /// Nil when the family has no reference solution: errors are then estimates.
    public let reference: GridSolution?
    public let setupSeconds: Double
    /// The error estimate from the networks alone, on validation points of its own.
    public let estimator: ErrorEstimator
    /// The grid `predict` evaluates on: the reference's, or 101 × 101 points of the domain.
    public let grid: (x: [Double], y: [Double])
    /// For each network, the grid points it owns (interface lines excluded) and their indices.
    private let gridEvaluators: [(propagator: JetPropagator<Double>, indices: [Int])]
    private let referenceNorm: Double

    /// - Throws: `InvalidTrainingOptions` (also for the reference protocol on a family without a
    ///   reference solution); `PDEFamilyError` for a mistake in the family or the instance
    ///   (checked by `validate` before anything is computed, then the reference grid and the
    ///   boundary data as they are computed); what the reference solution throws.
    public init(family: any PDEFamily, parameters: ParameterValues, options: TrainingOptions) throws {
        try options.validate()
        let start = Date()
        try family.validate(parameters)
        try options.validate(for: family, parameters: parameters)
        self.family = family
        self.parameters = parameters
        self.options = options
        reference = try family.validatedReferenceSolution(parameters)
        if reference == nil && options.dataProtocol == .reference {
            throw InvalidTrainingOptions(description: "family \(family.name) has no reference solution, and the reference protocol trains on it: use the forward protocol")
        }
        var rng = SeededGenerator(seed: options.seed)
        // Boundary data is evaluated at every sampled point here: those points also record
        // parameter names the family does not declare.
        let probe = ParameterProbe()
        let set = TrainingSet.sample(family: family, parameters: parameters.probing(probe), protocol: options.dataProtocol,
                                     reference: reference, configuration: options.sampling, using: &rng)
        if let name = probe.unknownNames.first {
            throw FamilyValidator(family: family).unknownParameter(name, in: "a .dirichlet value of conditions(_:)")
        }
        problem = XPINNProblem(family: family, parameters: parameters, trainingSet: set,
                               hiddenWidths: options.hiddenWidths, weights: options.weights)
        let domain = family.domain
        grid = reference.map { ($0.x, $0.y) }
            ?? (linspace(domain.lower[0], domain.upper[0], 101), linspace(domain.lower[1], domain.upper[1], 101))
        let decomposition = family.decomposition
        var owned = [[Double]](repeating: [], count: problem.networks.count)
        var indices = [[Int]](repeating: [], count: problem.networks.count)
        var norm = 0.0
        for (i, x) in grid.x.enumerated() {
            for (j, y) in grid.y.enumerated() {
                guard let n = decomposition.owner(of: [x, y]) else { continue }
                owned[n] += [x, y]
                let k = i * grid.y.count + j
                indices[n].append(k)
                if let reference { norm += reference.values[k] * reference.values[k] }
            }
        }
        referenceNorm = norm.squareRoot()
        gridEvaluators = problem.networks.enumerated().map { n, net in
            (JetPropagator<Double>(network: net, plan: JetPlan(requesting: [.zero(dimension: 2)]), points: owned[n]), indices[n])
        }
        estimator = ErrorEstimator(family: family, parameters: parameters, networks: problem.networks, seed: options.seed)
        setupSeconds = Date().timeIntervalSince(start)
    }

    /// Freshly initialised parameters of all networks (Xavier-normal, from the seed).
    public func initialParameters() -> [Double] {
        var rng = SeededGenerator(seed: options.seed &+ 0x5EED)
        return problem.networks.flatMap { $0.initialParameters(using: &rng) }
    }

    /// The networks' prediction on `grid` (`values[i * ny + j]`); NaN on interface lines.
    public func predict(_ parameters: [Double]) -> GridSolution {
        var values = [Double](repeating: .nan, count: grid.x.count * grid.y.count)
        var offset = 0
        parameters.withUnsafeBufferPointer { p in
            for (n, e) in gridEvaluators.enumerated() {
                e.propagator.forward(p.baseAddress! + offset)
                for (k, index) in e.indices.enumerated() { values[index] = e.propagator.derivatives[0][k] }
                offset += problem.networks[n].parameterCount
            }
        }
        return GridSolution(x: grid.x, y: grid.y, values: values)
    }

    /// Relative L2 error ‖u − û‖/‖u‖ over the grid points owned by a subdomain (uncapped; NaN
    /// stays NaN). NaN without a reference solution: see `estimateError`.
    public func relativeError(_ parameters: [Double]) -> Double {
        guard let reference else { return .nan }
        let prediction = predict(parameters)
        var sum = 0.0
        for e in gridEvaluators {
            for index in e.indices {
                let d = prediction.values[index] - reference.values[index]
                sum += d * d
            }
        }
        return sum.squareRoot() / referenceNorm
    }

    /// The error estimate of the networks' parameters (docs/ERROR-ESTIMATE.md).
    public func estimateError(_ parameters: [Double]) -> ErrorEstimate { estimator.estimate(parameters) }

    /// Where the errors of this solver's trainings, and so their rewards, come from.
    public var errorSource: ErrorSource { ErrorSource(reference: reference) }

    /// The error a training reports and is rewarded by: relative L2 error, or the estimate's value.
    public func error(_ parameters: [Double]) -> Double {
        reference == nil ? estimateError(parameters).value : relativeError(parameters)
    }

    /// Trains from fresh networks: `adamIterations` of Adam on the loss of `adamArm`, then L-BFGS on
    /// the loss of `lbfgsArm` (default: the same arm), on the same networks.
    /// - Parameter progress: called after every iteration and at the end of each stage; the
    ///   records that carry an error are those kept in the history.
    public func train(adamArm: InterfaceArm, lbfgsArm: InterfaceArm? = nil, from start: [Double]? = nil,
                      progress: ((TrainingRecord) -> Void)? = nil) -> TrainingResult {
        train(adamArm: adamArm, from: start, progress: progress) { _ in lbfgsArm ?? adamArm }
    }

    /// Staged training where the L-BFGS arm is decided after the Adam stage, from its result
    /// (nil if there was no Adam stage) — the two-stage bandit's rule (docs/BANDITS.md).
    public func train(adamArm: InterfaceArm, from start: [Double]? = nil, progress: ((TrainingRecord) -> Void)? = nil,
                      lbfgsArm chooseSecondArm: (StageResult?) -> InterfaceArm) -> TrainingResult {
        var x = start ?? initialParameters()
        var history = [TrainingRecord]()
        var stages = [StageResult]()
        let begin = Date()
        let every = options.errorEvery
        var iterationBase = 0

        // Every `every` iterations a record with the error goes into the history; the others
        // only reach `progress` (a loss value, no error: measuring it costs a prediction).
        func observe(_ iteration: Int, _ stage: String, _ loss: Double, at params: @autoclosure () -> [Double]) {
            if every > 0 && iteration % every == 0 {
                let r = TrainingRecord(iteration: iteration, stage: stage, loss: loss, error: self.error(params()))
                history.append(r)
                progress?(r)
            } else {
                progress?(TrainingRecord(iteration: iteration, stage: stage, loss: loss, error: nil))
            }
        }
        func endStage(_ r: TrainingRecord) {
            history.append(r)
            progress?(r)
        }

        if options.adamIterations > 0 {
            let loss = problem.loss(arm: adamArm, parallel: options.parallel, precision: options.precision)
            var objective = loss
            let t0 = Date()
            // The observer sees the loss of the iterate just evaluated, which the loss keeps.
            let result = Adam(learningRate: options.adamLearningRate).minimize(&objective, from: &x, iterations: options.adamIterations) { it, value in
                observe(it, "adam", value, at: loss.lastParameters)
                return true
            }
            let error = cappedError(self.error(x))
            stages.append(StageResult(name: "adam", arm: adamArm, iterations: result.iterations, finalLoss: result.finalLoss,
                                      error: error, reward: reward(forError: error), stopReason: result.stopReason,
                                      seconds: Date().timeIntervalSince(t0)))
            endStage(TrainingRecord(iteration: result.iterations, stage: "adam", loss: result.finalLoss, error: error))
            iterationBase = result.iterations
        }
        if options.lbfgsIterations > 0 {
            let arm = chooseSecondArm(stages.last)
            let loss = problem.loss(arm: arm, parallel: options.parallel, precision: options.precision)
            var objective = loss
            let t0 = Date()
            let lbfgs = LBFGS(history: options.lbfgsHistory, learningRate: options.lbfgsLearningRate,
                              maxIterations: options.lbfgsIterations, lineSearch: options.lineSearch)
            let base = iterationBase
            let result = lbfgs.minimize(&objective, from: &x) { it, value in
                observe(base + it, "lbfgs", value, at: loss.lastParameters)
                return true
            }
            let error = cappedError(self.error(x))
            stages.append(StageResult(name: "lbfgs", arm: arm, iterations: result.iterations, finalLoss: result.finalLoss,
                                      error: error, reward: reward(forError: error), stopReason: result.stopReason,
                                      seconds: Date().timeIntervalSince(t0)))
            endStage(TrainingRecord(iteration: base + result.iterations, stage: "lbfgs", loss: result.finalLoss, error: error))
        }
        let error = stages.last?.error ?? cappedError(self.error(x))
        return TrainingResult(family: family.name, parameters: parameters, options: options, error: error,
                              reward: reward(forError: error), errorSource: errorSource, stages: stages, history: history, setupSeconds: setupSeconds,
                              trainingSeconds: Date().timeIntervalSince(begin), networkParameters: x, estimate: estimateError(x))
    }
}

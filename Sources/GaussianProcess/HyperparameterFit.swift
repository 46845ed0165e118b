import Foundation
import Optimization
import Sampling

/// How hyperparameters are fitted.
public struct FitOptions: Codable, Sendable, Equatable {
    /// L-BFGS iterations per start (the reference allows up to 5000; three parameters converge in tens).
    public var maxIterations: Int = 200
    /// Extra starts besides the current and the initial hyperparameters, each drawn uniformly
    /// within ±`restartSpread` of the initial ones from a generator seeded with `seed` — so a fit
    /// is a deterministic function of (data, current hyperparameters, seed).
    public var restarts: Int = 2
    public var restartSpread: Double = 2
    public var seed: UInt64 = 0
    /// Stop a start when max |∂/∂h| falls below this.
    public var gradientTolerance: Double = 1e-5
    /// Hyperparameters outside ±`bound` are rejected (objective +∞), so the line search stays
    /// where exp(h) is representable and the kernel meaningful.
    public var bound: Double = 12

    public init(maxIterations: Int = 200, restarts: Int = 2, restartSpread: Double = 2, seed: UInt64 = 0,
                gradientTolerance: Double = 1e-5, bound: Double = 12) {
        self.maxIterations = maxIterations
        self.restarts = restarts
        self.restartSpread = restartSpread
        self.seed = seed
        self.gradientTolerance = gradientTolerance
        self.bound = bound
    }
}

/// What a hyperparameter fit did.
public struct FitReport: Sendable {
    /// The hyperparameters in use after the fit (kernel log-parameters…, log τ).
    public var hyperparameters: [Double]
    /// log likelihood + log prior at them (nil if the fit failed and nothing could be evaluated).
    public var logPosterior: Double?
    /// Starts tried: the current hyperparameters, the initial ones (unless equal) and the restarts.
    public var starts: Int
    /// Index into those starts of the one that won (0 = the current hyperparameters).
    public var winningStart: Int?
    /// L-BFGS iterations and objective evaluations summed over starts.
    public var iterations: Int
    public var evaluations: Int
    /// Stop reason of the start that won.
    public var stopReason: StopReason?
    /// Whether the fit changed nothing because no start was usable.
    public var keptPreviousHyperparameters: Bool
    /// Jitter escalations and fallbacks, for the study log.
    public var warnings: [GPWarning]
}

/// −(log likelihood + log prior) as an L-BFGS objective, remembering the largest extra jitter.
struct NegativeLogPosterior: DifferentiableObjective {
    var problem: LikelihoodProblem
    let bound: Double
    var maxExtraJitter = 0.0
    var dimension: Int { problem.kernel.parameterCount + 1 }

    mutating func value(at x: [Double], gradient: inout [Double]) -> Double {
        guard x.allSatisfy({ abs($0) <= bound }), let r = problem.evaluate(x) else { return .infinity }
        maxExtraJitter = max(maxExtraJitter, r.extraJitter)
        for i in 0..<gradient.count { gradient[i] = -r.gradient[i] }
        return -r.logPosterior
    }
}

extension GaussianProcess {
    /// Maximises log marginal likelihood + log Gamma prior of τ over (kernel log-parameters, log τ)
    /// by L-BFGS with strong Wolfe line search and keeps the best of several starts: the current
    /// hyperparameters (a warm start), the initial ones the GP was created with, and
    /// `options.restarts` seeded perturbations of the initial ones; then re-conditions.
    ///
    /// Why the initial start is always there: warm-started alone, a fit that once landed in a
    /// flat, degenerate region (a length-scale so short that contexts are uncorrelated, or an arm
    /// weight near zero) stays there as data arrive, because the gradient vanishes — the bandit
    /// then scores all arms alike for tens of rounds. With the initial start included, a refit
    /// never ends below a fresh fit from that start on the same data (docs/BANDITS.md).
    ///
    /// Never throws and never leaves the GP unusable: if no start reaches a finite objective, or
    /// the winner cannot be factorised, the previous hyperparameters are kept and the report says so.
    @discardableResult
    public mutating func fitHyperparameters(_ options: FitOptions = FitOptions()) -> FitReport {
        let start = hyperparameters
        guard count > 0 else {
            return FitReport(hyperparameters: start, logPosterior: nil, starts: 0, winningStart: nil, iterations: 0,
                             evaluations: 0, stopReason: nil, keptPreviousHyperparameters: true, warnings: [])
        }
        let clamp = { (h: [Double]) in h.map { min(max($0, -options.bound), options.bound) } }
        let anchor = clamp(initialHyperparameters)
        var starts = [clamp(start)]
        if anchor != starts[0] { starts.append(anchor) }
        var rng = SeededGenerator(seed: options.seed)
        for _ in 0..<max(0, options.restarts) {
            starts.append(anchor.map { $0 + options.restartSpread * (2 * rng.uniform() - 1) })
        }
        let optimiser = LBFGS(history: 10, learningRate: 1, gradientTolerance: options.gradientTolerance,
                              changeTolerance: 1e-10, maxIterations: options.maxIterations,
                              maxEvaluations: options.maxIterations * 2, lineSearch: .strongWolfe)
        var best: (h: [Double], loss: Double, reason: StopReason, index: Int)? = nil
        var iterations = 0, evaluations = 0
        var maxJitter = 0.0
        for (index, s) in starts.enumerated() {
            var objective = NegativeLogPosterior(problem: likelihoodProblem(), bound: options.bound)
            var x = s
            let result = optimiser.minimize(&objective, from: &x)
            iterations += result.iterations
            evaluations += result.evaluations
            maxJitter = max(maxJitter, objective.maxExtraJitter)
            if result.finalLoss.isFinite, best == nil || result.finalLoss < best!.loss {
                best = (x, result.finalLoss, result.stopReason, index)
            }
        }
        var warnings: [GPWarning] = []
        if maxJitter > 0 { warnings.append(.jitterEscalated(maxJitter)) }
        guard let winner = best else {
            warnings.append(.fitFailed)
            _ = condition()
            return FitReport(hyperparameters: start, logPosterior: nil, starts: starts.count, winningStart: nil,
                             iterations: iterations, evaluations: evaluations, stopReason: nil,
                             keptPreviousHyperparameters: true, warnings: warnings + self.warnings)
        }
        let accepted = (try? setHyperparameters(winner.h)) ?? false
        warnings += self.warnings
        return FitReport(hyperparameters: hyperparameters,
                         logPosterior: accepted ? -winner.loss : logMarginalLikelihood()?.logPosterior,
                         starts: starts.count, winningStart: winner.index, iterations: iterations,
                         evaluations: evaluations, stopReason: winner.reason, keptPreviousHyperparameters: !accepted,
                         warnings: warnings)
    }
}

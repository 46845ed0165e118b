import Foundation
import LinearAlgebra

/// Exact Gaussian-process regression with a zero prior mean, fixed or fitted hyperparameters.
///
/// The model is y = f(x) + ε, f ~ GP(0, k), ε ~ N(0, 1/τ), and K + (1/τ + jitter)·I is
/// factorised by LAPACK with jitter escalation. It is a value type: copying it and appending
/// hallucinated observations to the copy (batch selection) leaves the original untouched.
///
/// Hyperparameter vectors are `kernel.logParameters + [log τ]`; for the reference kernel that is
/// (θ₁, θ₂, log τ).
public struct GaussianProcess: Sendable {
    /// Settings that are not hyperparameters.
    public struct Options: Codable, Sendable, Equatable {
        /// Base jitter on the diagonal (the reference uses 1e-5).
        public var jitter: Double = 1e-5
        /// Extra jitter tried, in order, when the matrix is not positive definite.
        public var jitterLadder: [Double] = JitteredCholesky.defaultLadder
        /// Prior on the noise precision τ; nil for maximum likelihood.
        public var noisePrior: GammaPrior? = GammaPrior(shape: 100, rate: 1)
        /// Model (y − mean)/std instead of y. Off by default, as in the reference.
        public var standardiseTargets: Bool = false

        public init(jitter: Double = 1e-5, jitterLadder: [Double] = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2],
                    noisePrior: GammaPrior? = GammaPrior(shape: 100, rate: 1), standardiseTargets: Bool = false) {
            self.jitter = jitter
            self.jitterLadder = jitterLadder
            self.noisePrior = noisePrior
            self.standardiseTargets = standardiseTargets
        }
    }

    /// The conditioned state, kept with the data and hyperparameters it was computed from so that
    /// a failed re-conditioning can fall back to it consistently.
    struct Posterior: Sendable {
        var inputs: Matrix
        var kernel: any Kernel
        var logNoisePrecision: Double
        var factor: Cholesky
        /// (K + σ²I)⁻¹ ỹ.
        var alpha: [Double]
        var targetShift: Double
        var targetScale: Double
        var extraJitter: Double
    }

    public private(set) var kernel: any Kernel
    public private(set) var logNoisePrecision: Double
    /// The hyperparameters the GP was created with. Every refit also starts from here, so a fit
    /// warm-started from the current hyperparameters never ends below a fresh fit (see
    /// `fitHyperparameters`).
    public let initialHyperparameters: [Double]
    public let options: Options
    /// Number of input dimensions.
    public let inputDimension: Int
    /// Training inputs, one row per observation.
    public private(set) var inputs: Matrix
    /// Training targets in their original units.
    public private(set) var targets: [Double]
    /// Warnings from the most recent conditioning.
    public private(set) var warnings: [GPWarning] = []
    /// Training feature channels (packed lower triangle), cached across hyperparameter changes.
    var channels: [[Double]]
    var posterior: Posterior?

    /// - Parameters:
    ///   - kernel: the covariance function; its current log-parameters are the starting hyperparameters.
    ///   - inputDimension: number of columns of every input.
    ///   - logNoisePrecision: log τ (default log 100, the mean of the reference's Gamma(100, 1) prior).
    public init(kernel: any Kernel, inputDimension: Int, logNoisePrecision: Double = log(100), options: Options = Options()) {
        self.kernel = kernel
        self.inputDimension = inputDimension
        self.logNoisePrecision = logNoisePrecision
        self.options = options
        initialHyperparameters = kernel.logParameters + [logNoisePrecision]
        inputs = Matrix(rows: 0, columns: inputDimension)
        targets = []
        channels = [[Double]](repeating: [], count: kernel.featureChannelCount)
    }

    /// Kernel log-parameters followed by log τ.
    public var hyperparameters: [Double] { kernel.logParameters + [logNoisePrecision] }

    /// Names of the entries of `hyperparameters`.
    public var hyperparameterNames: [String] { kernel.parameterNames + ["log τ"] }

    /// Number of training observations.
    public var count: Int { targets.count }

    /// Number of observations the current posterior was conditioned on (less than `count` only
    /// after a conditioning failure).
    public var conditionedCount: Int { posterior?.inputs.rows ?? 0 }

    /// Jitter added beyond the base jitter by the current posterior's factorisation.
    public var extraJitter: Double { posterior?.extraJitter ?? 0 }

    // MARK: Data

    /// Replaces the training data and conditions on it with the current hyperparameters.
    /// - Throws: `GaussianProcessError` for NaN/infinite values or mismatched shapes; the GP is unchanged then.
    public mutating func setData(inputs x: Matrix, targets y: [Double]) throws {
        try validate(x, y)
        inputs = x
        targets = y
        channels = kernel.features(of: .lowerTriangle(x))
        condition()
    }

    /// Appends one observation and re-conditions with the current hyperparameters.
    /// Only the new row of the training features is computed.
    public mutating func append(_ x: [Double], target y: Double) throws {
        let row = Matrix(rows: 1, columns: x.count, elements: x)
        try validate(row, [y], firstIndex: count)
        var all = inputs
        all.elements += x
        all.rows += 1
        let newRow = kernel.features(of: .cross(row, all))
        for c in 0..<channels.count { channels[c] += newRow[c] }
        inputs = all
        targets.append(y)
        condition()
    }

    private func validate(_ x: Matrix, _ y: [Double], firstIndex: Int = 0) throws {
        guard x.columns == inputDimension else { throw GaussianProcessError.dimensionMismatch(expected: inputDimension, got: x.columns) }
        guard x.rows == y.count else { throw GaussianProcessError.countMismatch(inputs: x.rows, targets: y.count) }
        if let i = y.firstIndex(where: { !$0.isFinite }) { throw GaussianProcessError.nonFiniteTarget(index: firstIndex + i) }
        for i in 0..<x.rows {
            for j in 0..<x.columns where !x.elements[i * x.columns + j].isFinite {
                throw GaussianProcessError.nonFiniteInput(row: firstIndex + i)
            }
        }
    }

    /// Sets the hyperparameters (kernel log-parameters…, log τ) and re-conditions.
    /// - Returns: false, keeping the previous hyperparameters and posterior, if the kernel matrix
    ///   cannot be factorised with them (a `.keptPreviousHyperparameters` warning is recorded).
    @discardableResult
    public mutating func setHyperparameters(_ h: [Double]) throws -> Bool {
        guard h.count == kernel.parameterCount + 1 else {
            throw GaussianProcessError.wrongHyperparameterCount(expected: kernel.parameterCount + 1, got: h.count)
        }
        let oldKernel = kernel
        let oldTau = logNoisePrecision
        kernel.logParameters = Array(h.dropLast())
        logNoisePrecision = h[h.count - 1]
        if h.allSatisfy({ $0.isFinite }), condition() { return true }
        kernel = oldKernel
        logNoisePrecision = oldTau
        _ = condition()
        warnings.append(.keptPreviousHyperparameters)
        return false
    }

    /// Targets as modelled (standardised if requested), with the shift and scale used.
    func modelledTargets() -> (values: [Double], shift: Double, scale: Double) {
        guard options.standardiseTargets, !targets.isEmpty else { return (targets, 0, 1) }
        let n = Double(targets.count)
        let mean = targets.reduce(0, +) / n
        let variance = targets.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        let scale = variance > 0 ? variance.squareRoot() : 1
        return (targets.map { ($0 - mean) / scale }, mean, scale)
    }

    /// Factorises with the current data and hyperparameters. On failure keeps the previous
    /// posterior and records `.conditioningFailed`.
    @discardableResult
    mutating func condition() -> Bool {
        warnings = []
        let n = count
        guard n > 0 else {
            posterior = nil
            return true
        }
        let (y, shift, scale) = modelledTargets()
        let kv = kernel.evaluate(channels: channels[...], pairCount: n * (n + 1) / 2, gradients: false)
        guard let jc = JitteredCholesky(packedLower: kv.values, n: n, diagonal: exp(-logNoisePrecision) + options.jitter,
                                        ladder: options.jitterLadder) else {
            warnings.append(.conditioningFailed)
            return false
        }
        if jc.extraJitter > 0 { warnings.append(.jitterEscalated(jc.extraJitter)) }
        let alpha = jc.factor.solve(y)
        guard alpha.allSatisfy({ $0.isFinite }) else {
            warnings.append(.conditioningFailed)
            return false
        }
        posterior = Posterior(inputs: inputs, kernel: kernel, logNoisePrecision: logNoisePrecision, factor: jc.factor,
                              alpha: alpha,
                              targetShift: shift, targetScale: scale, extraJitter: jc.extraJitter)
        return true
    }

    // MARK: Marginal likelihood

    /// Log marginal likelihood, log noise prior and gradient at hyperparameters `h` (defaults to
    /// the current ones) on the current data; nil if K cannot be factorised at any jitter.
    public func logMarginalLikelihood(at h: [Double]? = nil) -> LogMarginalLikelihood? {
        var problem = likelihoodProblem()
        return problem.evaluate(h ?? hyperparameters)
    }

    func likelihoodProblem() -> LikelihoodProblem {
        LikelihoodProblem(kernel: kernel, channels: channels, n: count, targets: modelledTargets().values,
                          jitter: options.jitter, ladder: options.jitterLadder, prior: options.noisePrior)
    }
}

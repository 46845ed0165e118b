import Foundation
import LinearAlgebra

/// The log marginal likelihood of a GP's (possibly standardised) targets, the log prior of the
/// noise precision, and the gradient of their sum with respect to the hyperparameter vector
/// (kernel log-parameters …, log τ).
public struct LogMarginalLikelihood: Sendable {
    /// log N(y | 0, K + (1/τ + jitter) I).
    public var logLikelihood: Double
    /// log Gamma(τ | a, b), or 0 without a prior.
    public var logPrior: Double
    /// ∂(logLikelihood + logPrior)/∂h for h = (kernel log-parameters…, log τ).
    public var gradient: [Double]
    /// Jitter added beyond the base jitter to factorise (0 normally).
    public var extraJitter: Double

    /// The objective hyperparameters maximise: log likelihood + log prior.
    public var logPosterior: Double { logLikelihood + logPrior }
}

/// Everything about a training set that does not depend on the hyperparameters, so that each
/// evaluation of the marginal likelihood is one kernel pass, one Cholesky and one inverse.
struct LikelihoodProblem {
    var kernel: any Kernel
    /// Training feature channels, packed lower triangle.
    let channels: [[Double]]
    let n: Int
    /// Targets as the GP models them (standardised if requested).
    let targets: [Double]
    let jitter: Double
    let ladder: [Double]
    let prior: GammaPrior?

    /// Value and gradient at h = (kernel log-parameters…, log τ); nil if no jitter on the ladder
    /// makes the matrix positive definite or the values are not finite.
    mutating func evaluate(_ h: [Double], gradient wantGradient: Bool = true) -> LogMarginalLikelihood? {
        let p = kernel.parameterCount
        precondition(h.count == p + 1, "LikelihoodProblem: \(h.count) hyperparameters, expected \(p + 1)")
        guard h.allSatisfy({ $0.isFinite }) else { return nil }
        kernel.logParameters = Array(h[0..<p])
        let logTau = h[p]
        let tau = exp(logTau)
        let pairCount = n * (n + 1) / 2
        let kv = kernel.evaluate(channels: channels[...], pairCount: pairCount, gradients: wantGradient)
        guard let jc = JitteredCholesky(packedLower: kv.values, n: n, diagonal: 1 / tau + jitter, ladder: ladder) else {
            return nil
        }
        let chol = jc.factor
        let alpha = chol.solve(targets)
        var fit = 0.0
        for i in 0..<n { fit += targets[i] * alpha[i] }
        let logLik = -0.5 * fit - 0.5 * chol.logDeterminant - 0.5 * Double(n) * log(2 * Double.pi)
        let logPrior = prior?.logDensity(logPrecision: logTau) ?? 0
        guard logLik.isFinite, logPrior.isFinite else { return nil }
        guard wantGradient else {
            return LogMarginalLikelihood(logLikelihood: logLik, logPrior: logPrior, gradient: [], extraJitter: jc.extraJitter)
        }

        // ∂ log p(y)/∂h = ½ tr(W ∂K/∂h), W = ααᵀ − K⁻¹ (symmetric): sum over the packed lower
        // triangle with off-diagonal pairs counted twice.
        let inverse = chol.inverse.elements
        var grad = [Double](repeating: 0, count: p + 1)
        var traceW = 0.0
        inverse.withUnsafeBufferPointer { inv in
            alpha.withUnsafeBufferPointer { a in
                var w = [Double](repeating: 0, count: pairCount)
                w.withUnsafeMutableBufferPointer { wp in
                    var q = 0
                    var i = 0
                    while i < n {
                        let ai = a[i]
                        let row = i * n
                        var j = 0
                        while j < i {
                            wp[q] = 2 * (ai * a[j] - inv[row + j])
                            q += 1
                            j += 1
                        }
                        let d = ai * ai - inv[row + i]
                        wp[q] = d
                        traceW += d
                        q += 1
                        i += 1
                    }
                    for k in 0..<p {
                        var s = 0.0
                        kv.gradients[k].withUnsafeBufferPointer { g in
                            var q = 0
                            while q < pairCount {
                                s += wp[q] * g[q]
                                q += 1
                            }
                        }
                        grad[k] = 0.5 * s
                    }
                }
            }
        }
        // ∂(K + I/τ)/∂ log τ = −I/τ.
        grad[p] = -0.5 * traceW / tau + (prior?.logDensityDerivative(logPrecision: logTau) ?? 0)
        guard grad.allSatisfy({ $0.isFinite }) else { return nil }
        return LogMarginalLikelihood(logLikelihood: logLik, logPrior: logPrior, gradient: grad, extraJitter: jc.extraJitter)
    }
}

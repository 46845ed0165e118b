import Foundation
import LinearAlgebra

/// Posterior mean and variance of f (or of y, with noise) at a set of candidates.
public struct GPPrediction: Sendable, Equatable {
    public var mean: [Double]
    public var variance: [Double]
    public var standardDeviation: [Double] { variance.map { $0.squareRoot() } }
}

extension GaussianProcess {
    /// Predictive mean and variance at every row of `candidates` in one pass (all 512 arms of a
    /// context in one call): one kernel evaluation for the n × m cross-covariance K*ᵀ,
    /// mean = K* α (GEMV) and variance = k(x, x) − ‖L⁻¹ k*‖², with L⁻¹ K*ᵀ by one BLAS-3
    /// triangular solve over all candidates (half the flops of a GEMM with a cached L⁻¹).
    ///
    /// - Parameter includeNoise: add the noise variance 1/τ (predicting y rather than f).
    /// Variances are clamped at 0; a non-finite value (only possible with absurd
    /// hyperparameters) is replaced by the prior and never returned as NaN.
    public func predict(_ candidates: Matrix, includeNoise: Bool = false) -> GPPrediction {
        precondition(candidates.columns == inputDimension, "GaussianProcess.predict: \(candidates.columns) columns, expected \(inputDimension)")
        let m = candidates.rows
        let k = posterior?.kernel ?? kernel
        let prior = k.values(on: .diagonal(candidates))
        let noise = includeNoise ? exp(-(posterior?.logNoisePrecision ?? logNoisePrecision)) : 0
        guard let post = posterior else {
            return GPPrediction(mean: [Double](repeating: 0, count: m), variance: prior.map { $0 + noise })
        }
        let (mean, v) = crossTerms(candidates, post, k)
        let n = post.inputs.rows
        var variance = prior
        v.withUnsafeBufferPointer { vp in
            variance.withUnsafeMutableBufferPointer { s in
                var p = 0
                let total = n * m
                while p < total {
                    var i = 0
                    while i < m {
                        s[i] -= vp[p] * vp[p]
                        i += 1
                        p += 1
                    }
                }
            }
        }
        var out = GPPrediction(mean: mean, variance: variance)
        let shift = post.targetShift, scale = post.targetScale
        for i in 0..<m {
            var mu = mean[i], s2 = variance[i]
            if !mu.isFinite || !s2.isFinite { mu = 0; s2 = prior[i].isFinite ? prior[i] : 1 }
            out.mean[i] = shift + scale * mu
            out.variance[i] = scale * scale * (max(0, s2) + noise)
        }
        return out
    }

    /// K*ᵀ α (the standardised-space mean) and V = L⁻¹ K*ᵀ (n × m), from the n × m
    /// cross-covariance computed directly in the layout the triangular solve (`dtrtrs`, i.e. a
    /// BLAS-3 `dtrsm` over all m candidates at once) wants.
    func crossTerms(_ candidates: Matrix, _ post: Posterior, _ k: any Kernel) -> (mean: [Double], v: [Double]) {
        let m = candidates.rows, n = post.inputs.rows
        let crossT = k.values(on: .cross(post.inputs, candidates))          // n × m = K*ᵀ
        var mean = [Double](repeating: 0, count: m)
        crossT.withUnsafeBufferPointer { c in
            post.alpha.withUnsafeBufferPointer { a in
                mean.withUnsafeMutableBufferPointer { mp in
                    gemv(.transposed, m: n, n: m, a: c.baseAddress!, lda: m, x: a.baseAddress!, y: mp.baseAddress!)
                }
            }
        }
        let v = post.factor.solveLower(Matrix(rows: n, columns: m, elements: crossT)).elements
        return (mean, v)
    }

    /// Posterior mean and full covariance of f over `candidates` (m × m, row-major), in the
    /// original target units: Σ = K** − VᵀV with V = L⁻¹K*ᵀ (one GEMM), symmetrised.
    public func posteriorCovariance(_ candidates: Matrix) -> (mean: [Double], covariance: Matrix) {
        precondition(candidates.columns == inputDimension, "GaussianProcess.posteriorCovariance: \(candidates.columns) columns, expected \(inputDimension)")
        let m = candidates.rows
        let k = posterior?.kernel ?? kernel
        // K** from its packed lower triangle (half the kernel work), unpacked into both triangles.
        let packed = k.values(on: .lowerTriangle(candidates))
        var sigma = unpackSymmetric(packed, n: m)
        guard let post = posterior else {
            return ([Double](repeating: 0, count: m), Matrix(rows: m, columns: m, elements: sigma))
        }
        let n = post.inputs.rows
        let (mean, v) = crossTerms(candidates, post, k)
        v.withUnsafeBufferPointer { vp in
            sigma.withUnsafeMutableBufferPointer { s in
                gemm(.transposed, .none, m: m, n: m, k: n, alpha: -1, a: vp.baseAddress!, lda: m,
                     b: vp.baseAddress!, ldb: m, beta: 1, c: s.baseAddress!, ldc: m)
            }
        }
        let scale2 = post.targetScale * post.targetScale
        sigma.withUnsafeMutableBufferPointer { sp in
            var i = 0
            while i < m {
                var j = 0
                while j < i {
                    let s = 0.5 * (sp[i * m + j] + sp[j * m + i]) * scale2
                    sp[i * m + j] = s
                    sp[j * m + i] = s
                    j += 1
                }
                sp[i * m + i] *= scale2
                i += 1
            }
        }
        return (mean.map { post.targetShift + post.targetScale * $0 }, Matrix(rows: m, columns: m, elements: sigma))
    }
}

import Foundation
import LinearAlgebra
import Sampling

/// Draws of f over a candidate set, for Thompson sampling.
public struct PosteriorSamples: Sendable {
    /// `samples[s][i]` is draw s of f at candidate i.
    public var samples: [[Double]]
    /// Whether the draws are joint (correlated across candidates) or independent marginals.
    public var joint: Bool
    public var warnings: [GPWarning]
}

extension GaussianProcess {
    /// `count` draws of f at the rows of `candidates`.
    ///
    /// Joint sampling (the default) draws f = μ + C z with C Cᵀ = Σ the full posterior
    /// covariance, so that correlated arms move together as in a real function draw; the reference
    /// samples each marginal independently (`joint: false`), which overstates the spread of the
    /// maximum over 512 correlated arms. Σ is usually near-singular, so its Cholesky escalates a
    /// jitter relative to its mean diagonal (1e-8 → 1e-2); if that fails an eigendecomposition
    /// with negative eigenvalues clipped is used, and only if that fails too the marginals.
    public func samplePosterior(_ candidates: Matrix, count: Int = 1, joint: Bool = true,
                                using rng: inout SeededGenerator) -> PosteriorSamples {
        let m = candidates.rows
        var warnings: [GPWarning] = []
        if joint {
            let (mean, cov) = posteriorCovariance(candidates)
            var meanDiagonal = 0.0
            for i in 0..<m { meanDiagonal += max(0, cov[i, i]) }
            meanDiagonal = max(meanDiagonal / Double(max(m, 1)), 1e-300)
            var transform: [Double]? = nil          // row-major m × m matrix C with C Cᵀ ≈ Σ
            if isFinite(cov.elements) {
                if let jc = JitteredCholesky(fullLower: cov.elements, n: m, ladder: options.jitterLadder, scale: meanDiagonal) {
                    if jc.extraJitter > 0 { warnings.append(.samplingJitterEscalated(jc.ladderStep)) }
                    transform = jc.factor.lower
                } else if let eig = try? symmetricEigen(cov) {
                    // C = V diag(√max(λ, 0)).
                    var c = eig.vectors.elements
                    for i in 0..<m { for j in 0..<m { c[i * m + j] *= max(0, eig.values[j]).squareRoot() } }
                    transform = c
                    warnings.append(.samplingUsedEigendecomposition)
                }
            }
            if let c = transform {
                var draws: [[Double]] = []
                draws.reserveCapacity(count)
                for _ in 0..<count {
                    let z = (0..<m).map { _ in rng.normal() }
                    var f = mean
                    c.withUnsafeBufferPointer { cp in
                        z.withUnsafeBufferPointer { zp in
                            f.withUnsafeMutableBufferPointer { fp in
                                gemv(.none, m: m, n: m, a: cp.baseAddress!, lda: m, x: zp.baseAddress!,
                                     beta: 1, y: fp.baseAddress!)
                            }
                        }
                    }
                    if f.allSatisfy({ $0.isFinite }) { draws.append(f) } else { break }
                }
                if draws.count == count { return PosteriorSamples(samples: draws, joint: true, warnings: warnings) }
            }
            warnings.append(.samplingFellBackToMarginals)
        }
        let prediction = predict(candidates)
        let sd = prediction.standardDeviation
        let draws = (0..<count).map { _ in (0..<m).map { prediction.mean[$0] + sd[$0] * rng.normal() } }
        return PosteriorSamples(samples: draws, joint: false, warnings: warnings)
    }
}

/// Whether every entry is finite (a plain loop: this runs on 512 × 512 matrices, also in debug builds).
func isFinite(_ values: [Double]) -> Bool {
    values.withUnsafeBufferPointer { p in
        var i = 0
        while i < p.count {
            if !p[i].isFinite { return false }
            i += 1
        }
        return true
    }
}

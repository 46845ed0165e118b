import LinearAlgebra

/// Cholesky factorisation with jitter escalation: a matrix that is not positive definite gets
/// 1e-8, 1e-7, …, 1e-2 added to its diagonal until LAPACK accepts it.
///
/// Duplicate inputs with tiny noise make K + noise·I singular to working precision; a study of
/// hundreds of rounds must not die on it. The jitter actually used is returned so it can be reported.
struct JitteredCholesky {
    let factor: Cholesky
    /// Jitter added beyond what the caller already put on the diagonal (0 if none was needed).
    let extraJitter: Double
    /// The ladder entry that succeeded (0 if none was needed): `extraJitter / scale`, exactly.
    let ladderStep: Double

    /// The default escalation ladder (docs/BANDITS.md): 1e-8 → 1e-2, ×10 per try.
    static let defaultLadder: [Double] = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2]

    /// Factorises the n × n matrix whose lower triangle is `packed` (row-major packed, j ≤ i)
    /// plus `diagonal` on the diagonal. Returns nil if even the largest jitter fails.
    init?(packedLower packed: [Double], n: Int, diagonal: Double, ladder: [Double]) {
        var full = unpackSymmetric(packed, n: n)
        for i in 0..<n { full[i * n + i] += diagonal }
        self.init(fullLower: full, n: n, ladder: ladder, scale: 1)
    }

    /// Factorises the row-major n × n matrix `full` (lower triangle read), escalating jitter
    /// `ladder[k] * scale` on failure.
    init?(fullLower full: [Double], n: Int, ladder: [Double], scale: Double) {
        // No jitter mends NaN or infinity: fail at once instead of trying the whole ladder.
        guard isFinite(full) else { return nil }
        if let c = try? Cholesky(Matrix(rows: n, columns: n, elements: full)) {
            factor = c
            extraJitter = 0
            ladderStep = 0
            return
        }
        var work = full
        var previous = 0.0
        for step in ladder {
            let jitter = step * scale
            for i in 0..<n { work[i * n + i] += jitter - previous }
            previous = jitter
            if let c = try? Cholesky(Matrix(rows: n, columns: n, elements: work)) {
                factor = c
                extraJitter = jitter
                ladderStep = step
                return
            }
        }
        return nil
    }
}

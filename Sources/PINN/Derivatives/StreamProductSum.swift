/// out = c + Σ_j w_j · a_{s_j} ⊙ b_{t_j}: a weighted sum of elementwise products of coefficient
/// streams (blocks of N contiguous values) — the one pattern behind the truncated jet products
/// of the tanh steps. Two products per pass over `out`, and the first pass assigns rather than
/// accumulates, so each output is written ⌈terms/2⌉ times instead of once per term plus a clear.
struct StreamProductSum: Sendable {
    /// (stream of a, stream of b, weight w) of each product.
    let terms: [(Int, Int, Double)]
    let constant: Double

    init(_ terms: [(Int, Int, Double)], constant: Double = 0) {
        self.terms = terms
        self.constant = constant
    }

    func evaluate(a: UnsafePointer<Double>, b: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, block N: Int) {
        let c = constant
        var j = 0
        switch terms.count {
        case 0:
            out.update(repeating: c, count: N)
            return
        case 1:
            let (s, t, w) = terms[0]
            let a0 = a + s * N, b0 = b + t * N
            for i in 0..<N { out[i] = c + w * a0[i] * b0[i] }
            return
        default:
            let (s0, t0, w0) = terms[0], (s1, t1, w1) = terms[1]
            let a0 = a + s0 * N, b0 = b + t0 * N, a1 = a + s1 * N, b1 = b + t1 * N
            for i in 0..<N { out[i] = c + w0 * a0[i] * b0[i] + w1 * a1[i] * b1[i] }
            j = 2
        }
        while j + 1 < terms.count {
            let (s0, t0, w0) = terms[j], (s1, t1, w1) = terms[j + 1]
            let a0 = a + s0 * N, b0 = b + t0 * N, a1 = a + s1 * N, b1 = b + t1 * N
            for i in 0..<N { out[i] += w0 * a0[i] * b0[i] + w1 * a1[i] * b1[i] }
            j += 2
        }
        if j < terms.count {
            let (s, t, w) = terms[j]
            let a0 = a + s * N, b0 = b + t * N
            for i in 0..<N { out[i] += w * a0[i] * b0[i] }
        }
    }
}

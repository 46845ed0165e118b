/// out = c + Σ_j w_j · a_{s_j} ⊙ b_{t_j}: a weighted sum of elementwise products of coefficient
/// streams (blocks of N contiguous values) — the one pattern behind the truncated jet products
/// of the tanh steps. Two products per pass over `out`, and the first pass assigns rather than
/// accumulates, so each output is written ⌈terms/2⌉ times instead of once per term plus a clear.
/// Products are fused multiply-adds (Swift does not contract a·b + c by itself), and sums whose
/// weights are all 1 — the power and reverse sums — skip the weight multiplications.
struct StreamProductSum: Sendable {
    /// (stream of a, stream of b, weight w) of each product.
    let terms: [(Int, Int, Double)]
    let constant: Double
    private let unitWeights: Bool

    init(_ terms: [(Int, Int, Double)], constant: Double = 0) {
        self.terms = terms
        self.constant = constant
        unitWeights = terms.allSatisfy { $0.2 == 1 }
    }

    func evaluate<S: JetScalar>(a: UnsafePointer<S>, b: UnsafePointer<S>, into out: UnsafeMutablePointer<S>, block N: Int) {
        let constant = S(self.constant)
        if terms.isEmpty {
            out.update(repeating: constant, count: N)
            return
        }
        var j = 0
        while j < terms.count {
            let (s0, t0, weight0) = terms[j]
            let w0 = S(weight0)
            let a0 = a + s0 * N, b0 = b + t0 * N
            // The first pass starts from the constant, later ones from the partial sum.
            let first = j == 0
            if j + 1 < terms.count {
                let (s1, t1, weight1) = terms[j + 1]
                let w1 = S(weight1)
                let a1 = a + s1 * N, b1 = b + t1 * N
                switch (first, unitWeights) {
                case (true, true):
                    let c = constant
                    for i in 0..<N { out[i] = c.addingProduct(a0[i], b0[i]).addingProduct(a1[i], b1[i]) }
                case (false, true):
                    for i in 0..<N { out[i] = out[i].addingProduct(a0[i], b0[i]).addingProduct(a1[i], b1[i]) }
                case (true, false):
                    let c = constant
                    for i in 0..<N { out[i] = c.addingProduct(w0 * a0[i], b0[i]).addingProduct(w1 * a1[i], b1[i]) }
                case (false, false):
                    for i in 0..<N { out[i] = out[i].addingProduct(w0 * a0[i], b0[i]).addingProduct(w1 * a1[i], b1[i]) }
                }
            } else if first {
                let c = constant
                for i in 0..<N { out[i] = c.addingProduct(w0 * a0[i], b0[i]) }
            } else {
                for i in 0..<N { out[i] = out[i].addingProduct(w0 * a0[i], b0[i]) }
            }
            j += 2
        }
    }
}

/// The limited memory of L-BFGS: the last `capacity` curvature pairs (s, y) and the two-loop
/// recursion that applies the implied inverse-Hessian approximation to a gradient.
///
/// Pairs are kept in two flat row-major ring buffers (`capacity × dimension`) so that a push is
/// one contiguous copy and no arrays are allocated per iteration; with history 50 on ~1000
/// parameters the two-loop recursion is ~200 length-n dots/axpys and dominates the optimizer's
/// own cost. As in `torch.optim.LBFGS`, a pair is stored only when yᵀs > 1e-10 (keeping the
/// approximation positive definite, so every direction is a descent direction), and the
/// initial matrix is H₀ = γ I with γ = sᵀy / yᵀy of the newest accepted pair.
struct LBFGSHistory {
    /// Smallest curvature yᵀs for which a pair is kept (PyTorch's constant).
    static let curvatureThreshold = 1e-10

    let dimension: Int
    let capacity: Int
    private var s: [Double]
    private var y: [Double]
    private var rho: [Double]
    private var alpha: [Double]
    /// Ring index of the oldest stored pair.
    private var oldest = 0
    private(set) var count = 0
    /// γ in H₀ = γ I; 1 until the first pair is accepted (as in PyTorch).
    private(set) var initialScaling = 1.0

    init(dimension: Int, capacity: Int) {
        precondition(capacity >= 1, "L-BFGS history must hold at least one pair")
        self.dimension = dimension
        self.capacity = capacity
        s = [Double](repeating: 0, count: dimension * capacity)
        y = [Double](repeating: 0, count: dimension * capacity)
        rho = [Double](repeating: 0, count: capacity)
        alpha = [Double](repeating: 0, count: capacity)
    }

    /// Offers the pair s = step · direction, y = `gradientChange`; stores it (evicting the
    /// oldest pair when full) only if yᵀs > 1e-10. Returns whether it was stored.
    @discardableResult
    mutating func push(step: Double, direction: UnsafePointer<Double>, gradientChange yNew: UnsafePointer<Double>) -> Bool {
        let n = dimension
        let ys = step * VectorKernels.dot(yNew, direction, n)
        guard ys > Self.curvatureThreshold else { return false }
        let yy = VectorKernels.dot(yNew, yNew, n)
        let slot: Int
        if count < capacity {
            slot = (oldest + count) % capacity
            count += 1
        } else {
            slot = oldest
            oldest = (oldest + 1) % capacity
        }
        let offset = slot * n
        s.withUnsafeMutableBufferPointer { sp in
            let dst = sp.baseAddress! + offset
            for i in 0..<n { dst[i] = step * direction[i] }
        }
        y.withUnsafeMutableBufferPointer { yp in
            (yp.baseAddress! + offset).update(from: yNew, count: n)
        }
        rho[slot] = 1 / ys
        initialScaling = ys / yy
        return true
    }

    /// Writes d = −H g into `d` (two-loop recursion, newest pair first then oldest first).
    ///
    /// Each loop's axpy with pair k is fused with the dot product needed for the next pair
    /// (`VectorKernels.axpyDot`), so each stored vector is swept once per loop.
    mutating func direction(gradient g: UnsafePointer<Double>, into d: UnsafeMutablePointer<Double>) {
        let n = dimension, m = count, cap = capacity, first = oldest, gamma = initialScaling
        for i in 0..<n { d[i] = -g[i] }
        guard m > 0 else { return }
        s.withUnsafeBufferPointer { sp in
            y.withUnsafeBufferPointer { yp in
                rho.withUnsafeBufferPointer { rp in
                    alpha.withUnsafeMutableBufferPointer { ap in
                        let sBase = sp.baseAddress!, yBase = yp.baseAddress!
                        @inline(__always) func slot(_ k: Int) -> Int { (first + k) % cap }
                        // Loop 1 (newest → oldest): αₖ = ρₖ sₖᵀq, q ← q − αₖ yₖ.
                        var k = m - 1
                        var sq = VectorKernels.dot(sBase + slot(k) * n, d, n)
                        while k > 0 {
                            let a = rp[slot(k)] * sq
                            ap[k] = a
                            sq = VectorKernels.axpyDot(-a, yBase + slot(k) * n, d, sBase + slot(k - 1) * n, n)
                            k -= 1
                        }
                        let a0 = rp[slot(0)] * sq
                        ap[0] = a0
                        VectorKernels.axpy(-a0, yBase + slot(0) * n, d, n)
                        // r = H₀ q.
                        VectorKernels.scale(gamma, d, n)
                        // Loop 2 (oldest → newest): βₖ = ρₖ yₖᵀr, r ← r + (αₖ − βₖ) sₖ.
                        var yr = VectorKernels.dot(yBase + slot(0) * n, d, n)
                        for k in 0..<(m - 1) {
                            let b = rp[slot(k)] * yr
                            yr = VectorKernels.axpyDot(ap[k] - b, sBase + slot(k) * n, d, yBase + slot(k + 1) * n, n)
                        }
                        let b = rp[slot(m - 1)] * yr
                        VectorKernels.axpy(ap[m - 1] - b, sBase + slot(m - 1) * n, d, n)
                    }
                }
            }
        }
    }
}

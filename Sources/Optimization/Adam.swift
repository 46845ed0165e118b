import Foundation

/// Full-batch Adam with PyTorch's (`torch.optim.Adam`, no weight decay, no AMSGrad) update:
///
///     m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²
///     x ← x − (lr / (1 − β₁ᵏ)) · m / (√v / √(1 − β₂ᵏ) + ε)
///
/// ε is added after the bias correction of √v, exactly as PyTorch does, so that results are
/// comparable with the reference implementation (docs/METHOD.md: Adam lr 1e-3 before L-BFGS).
/// The moment estimates start at zero on every call to `minimize`, as a fresh PyTorch
/// optimizer would.
public struct Adam: Sendable {
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double

    /// Moment estimates smaller than this are set to zero. A parameter whose gradient is
    /// exactly zero (an unused weight, a dead unit, an exactly converged coordinate) has its
    /// first moment decay by β₁ per step into the subnormal range after ~7000 steps, where
    /// every arithmetic operation on x86 costs ~100 cycles: a long run then slowed down by an
    /// order of magnitude in measurements. At this size the moment's contribution to a step
    /// (≤ lr·1e-300/ε) is far below the resolution of any parameter that is not itself
    /// ~1e-280, so flushing is indistinguishable from PyTorch's update.
    static let flushBelow = 1e-300

    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// Runs `iterations` bias-corrected Adam steps (PyTorch semantics) from `x` in place.
    ///
    /// Iteration k evaluates the loss and gradient at the current parameters, calls
    /// `observer(k, loss)` (k counts from 1), then takes the step. Consequently, after a full
    /// run `x` has moved one step past the point whose loss is `finalLoss` — the same loss a
    /// PyTorch training loop would report — and no extra evaluation is spent to measure it.
    ///
    /// - Returning `false` from the observer stops before the step, so `x` is exactly the
    ///   point whose loss is `finalLoss` (reason ``StopReason/stoppedByObserver``).
    /// - A non-finite loss or gradient stops immediately: `x` is restored to the last
    ///   parameters whose loss and gradient were finite (the previous iterate), `finalLoss`
    ///   is that loss, and the reason is ``StopReason/nonFiniteLoss``. If the very first
    ///   evaluation is non-finite, `x` is left unchanged and `finalLoss` is that value.
    /// - `AdamResult.iterations` counts the finite evaluations (the observer calls).
    /// - `bestLoss` is the smallest finite loss seen (+∞ if none).
    public func minimize<O: DifferentiableObjective>(_ objective: inout O, from x: inout [Double], iterations: Int,
                                                     observer: ((Int, Double) -> Bool)? = nil) -> AdamResult {
        let n = objective.dimension
        precondition(x.count == n, "x has \(x.count) entries but the objective has dimension \(n)")
        var gradient = [Double](repeating: 0, count: n)
        var m = [Double](repeating: 0, count: n)
        var v = [Double](repeating: 0, count: n)
        // Parameters of the previous evaluation, kept so a non-finite evaluation can be undone.
        var previous = [Double](repeating: 0, count: n)
        var lastLoss = Double.nan
        var bestLoss = Double.infinity
        var done = 0
        let b1 = beta1, b2 = beta2, eps = epsilon

        var k = 0
        while k < iterations {
            k += 1
            let (loss, finite) = objective.evaluate(at: x, gradient: &gradient)
            guard finite else {
                if done > 0 {
                    x = previous
                    return AdamResult(iterations: done, finalLoss: lastLoss, bestLoss: bestLoss, stopReason: .nonFiniteLoss)
                }
                return AdamResult(iterations: 0, finalLoss: loss, bestLoss: bestLoss, stopReason: .nonFiniteLoss)
            }
            done = k
            lastLoss = loss
            if loss < bestLoss { bestLoss = loss }
            if let observer, !observer(k, loss) {
                return AdamResult(iterations: done, finalLoss: loss, bestLoss: bestLoss, stopReason: .stoppedByObserver)
            }

            let stepSize = learningRate / (1 - pow(b1, Double(k)))
            let inverseSqrtCorrection2 = 1 / (1 - pow(b2, Double(k))).squareRoot()
            x.withUnsafeMutableBufferPointer { xp in
                gradient.withUnsafeBufferPointer { gp in
                    m.withUnsafeMutableBufferPointer { mp in
                        v.withUnsafeMutableBufferPointer { vp in
                            previous.withUnsafeMutableBufferPointer { pp in
                                for i in 0..<n {
                                    let g = gp[i]
                                    var mi = b1 * mp[i] + (1 - b1) * g
                                    var vi = b2 * vp[i] + (1 - b2) * g * g
                                    // Flush moments that are about to become subnormal (see `flushBelow`).
                                    if abs(mi) < Self.flushBelow { mi = 0 }
                                    if vi < Self.flushBelow { vi = 0 }
                                    mp[i] = mi
                                    vp[i] = vi
                                    pp[i] = xp[i]
                                    xp[i] -= stepSize * mi / (vi.squareRoot() * inverseSqrtCorrection2 + eps)
                                }
                            }
                        }
                    }
                }
            }
        }
        return AdamResult(iterations: done, finalLoss: lastLoss, bestLoss: bestLoss, stopReason: .completed)
    }
}

/// Outcome of ``Adam/minimize(_:from:iterations:observer:)``.
public struct AdamResult: Sendable {
    /// Number of finite loss evaluations (equals the requested iterations on a full run).
    public var iterations: Int
    /// The last finite loss evaluated (NaN if `iterations` was 0; the non-finite value if the
    /// first evaluation already failed).
    public var finalLoss: Double
    /// The smallest finite loss evaluated (+∞ if none).
    public var bestLoss: Double
    /// ``StopReason/completed``, ``StopReason/stoppedByObserver`` or ``StopReason/nonFiniteLoss``.
    public var stopReason: StopReason

    public init(iterations: Int, finalLoss: Double, bestLoss: Double, stopReason: StopReason) {
        self.iterations = iterations
        self.finalLoss = finalLoss
        self.bestLoss = bestLoss
        self.stopReason = stopReason
    }
}

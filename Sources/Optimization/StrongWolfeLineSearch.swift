/// A bracketing + zoom line search for the strong Wolfe conditions
///
///     f(x + t d) ≤ f(x) + c₁ t ∇f(x)ᵀd          (sufficient decrease)
///     |∇f(x + t d)ᵀd| ≤ c₂ |∇f(x)ᵀd|            (curvature)
///
/// following Nocedal & Wright (Algorithms 3.5/3.6) with the safeguarded cubic interpolation
/// used by `torch.optim.LBFGS(line_search_fn="strong_wolfe")`, so L-BFGS results are
/// comparable with the PyTorch reference when the line search is enabled.
///
/// Why these choices:
/// - Bracketing extrapolates by cubic interpolation clamped to [t + 0.01 (t − t_prev), 10 t]:
///   it grows the step quickly when the initial guess is too short, but never overshoots by
///   more than a factor 10.
/// - Zoom keeps the invariant that `lo` is the best point satisfying sufficient decrease and
///   that [lo, hi] contains a strong-Wolfe point; a step too close to an end of the bracket is
///   pushed 10 % inside (after one chance), which guarantees the bracket keeps shrinking.
/// - Non-finite trial values are treated as "too large" (f = +∞): the bracket then shrinks by
///   bisection, since cubic interpolation through an infinite value is meaningless. A PINN
///   loss that overflows for an overly long step therefore just shortens the step.
/// - The number of evaluations is bounded (`maxEvaluations`) and the search stops once the
///   bracket is narrower than `tolerance` in parameter space, so it always terminates. It then
///   returns the best sufficient-decrease point found, or reports `.noProgress`.
public struct StrongWolfeLineSearch: Sendable {
    /// c₁ of the sufficient-decrease (Armijo) condition.
    public var sufficientDecrease: Double
    /// c₂ of the curvature condition (0.9 is the usual choice for quasi-Newton methods).
    public var curvature: Double
    /// Maximum number of objective evaluations per search.
    public var maxEvaluations: Int
    /// The search stops when |t_hi − t_lo| · max|d| falls below this (PyTorch uses 1e-9).
    public var tolerance: Double

    public init(sufficientDecrease: Double = 1e-4, curvature: Double = 0.9, maxEvaluations: Int = 25,
                tolerance: Double = 1e-9) {
        precondition(0 < sufficientDecrease && sufficientDecrease < curvature && curvature < 1,
                     "strong Wolfe needs 0 < c1 < c2 < 1")
        self.sufficientDecrease = sufficientDecrease
        self.curvature = curvature
        self.maxEvaluations = maxEvaluations
        self.tolerance = tolerance
    }

    /// How a search ended.
    public enum Outcome: String, Sendable {
        /// Both strong Wolfe conditions hold at the returned step.
        case strongWolfe
        /// The budget or the bracket tolerance ran out; the returned step satisfies sufficient
        /// decrease (and lowers f) but not necessarily the curvature condition.
        case sufficientDecrease
        /// No trial step gave sufficient decrease (or the direction was not a descent
        /// direction); the returned step is 0 and `gradient` is untouched.
        case noProgress
    }

    public struct Result: Sendable {
        /// Accepted step length t (0 for `.noProgress`).
        public var step: Double
        /// f(x + t d) (f(x) for `.noProgress`).
        public var value: Double
        /// Number of objective evaluations spent.
        public var evaluations: Int
        public var outcome: Outcome
        /// Whether some trial point had a non-finite value or gradient.
        public var encounteredNonFinite: Bool
    }

    /// Scratch arrays reused across searches so an L-BFGS iteration allocates nothing.
    struct Workspace {
        var trial: [Double]
        var gradient: [Double]
        init(dimension: Int) {
            trial = [Double](repeating: 0, count: dimension)
            gradient = [Double](repeating: 0, count: dimension)
        }
    }

    /// A trial step with its value and directional derivative φ(t), φ'(t).
    struct Point {
        var t: Double
        var f: Double
        var slope: Double
    }

    /// Searches along `direction` from `x`.
    ///
    /// - Parameters:
    ///   - value: f(x); `directionalDerivative`: ∇f(x)ᵀd, which must be negative.
    ///   - gradient: on entry ∇f(x) (only used as storage); on return ∇f(x + t d) at the
    ///     accepted step, or unchanged for `.noProgress`.
    /// The objective is evaluated at points x + t·d computed as `x[i] + t * d[i]`; callers that
    /// move to the accepted step with the same expression land on exactly the evaluated point.
    public func search<O: DifferentiableObjective>(_ objective: inout O, from x: [Double], direction: [Double],
                                                   initialStep: Double, value: Double, directionalDerivative: Double,
                                                   gradient: inout [Double]) -> Result {
        var workspace = Workspace(dimension: x.count)
        return search(&objective, from: x, direction: direction, initialStep: initialStep, value: value,
                      directionalDerivative: directionalDerivative, gradient: &gradient, workspace: &workspace,
                      budget: maxEvaluations)
    }

    func search<O: DifferentiableObjective>(_ objective: inout O, from x: [Double], direction d: [Double],
                                            initialStep: Double, value f0: Double, directionalDerivative slope0: Double,
                                            gradient: inout [Double], workspace ws: inout Workspace,
                                            budget: Int) -> Result {
        let n = x.count
        precondition(d.count == n && gradient.count == n, "line search vectors must have equal length")
        let c1 = sufficientDecrease, c2 = curvature
        guard slope0 < 0, initialStep > 0, initialStep.isFinite, budget >= 1 else {
            return Result(step: 0, value: f0, evaluations: 0, outcome: .noProgress, encounteredNonFinite: false)
        }
        let directionSize = d.withUnsafeBufferPointer { VectorKernels.maxAbs($0.baseAddress!, n) }
        var evaluations = 0
        var sawNonFinite = false

        func evaluate(_ t: Double) -> Point {
            x.withUnsafeBufferPointer { xp in
                d.withUnsafeBufferPointer { dp in
                    ws.trial.withUnsafeMutableBufferPointer { tp in
                        for i in 0..<n { tp[i] = xp[i] + t * dp[i] }
                    }
                }
            }
            evaluations += 1
            let (f, finite) = objective.evaluate(at: ws.trial, gradient: &ws.gradient)
            guard finite else {
                sawNonFinite = true
                return Point(t: t, f: .infinity, slope: .nan)
            }
            let slope = ws.gradient.withUnsafeBufferPointer { gp in
                d.withUnsafeBufferPointer { dp in VectorKernels.dot(gp.baseAddress!, dp.baseAddress!, n) }
            }
            return Point(t: t, f: f, slope: slope)
        }
        /// Sufficient decrease, written so that NaN fails it.
        func decreases(_ p: Point) -> Bool { p.f <= f0 + c1 * p.t * slope0 }
        func flat(_ p: Point) -> Bool { abs(p.slope) <= -c2 * slope0 }
        /// Makes the last evaluated gradient the gradient of the best point (`gradient`).
        func adoptTrialGradient() { swap(&gradient, &ws.gradient) }
        func result(_ p: Point, _ outcome: Outcome) -> Result {
            Result(step: p.t, value: p.f, evaluations: evaluations, outcome: outcome, encounteredNonFinite: sawNonFinite)
        }

        // Phase 1: bracketing. `previous` is the best sufficient-decrease point so far (t = 0 at first).
        var previous = Point(t: 0, f: f0, slope: slope0)
        var current = evaluate(initialStep)
        var lo: Point, hi: Point
        while true {
            if !decreases(current) || (previous.t > 0 && current.f >= previous.f) {
                lo = previous; hi = current
                break
            }
            adoptTrialGradient()
            if flat(current) { return result(current, .strongWolfe) }
            if current.slope >= 0 {
                lo = current; hi = previous
                break
            }
            // Still descending with sufficient decrease: extrapolate.
            if evaluations >= budget { return result(current, .sufficientDecrease) }
            let next = Self.cubicMinimizer(previous, current,
                                           lower: current.t + 0.01 * (current.t - previous.t), upper: 10 * current.t)
            previous = current
            current = evaluate(next)
        }

        // Phase 2: zoom inside [lo, hi].
        var insufficientProgress = false
        while evaluations < budget && abs(hi.t - lo.t) * directionSize >= tolerance {
            let a = min(lo.t, hi.t), b = max(lo.t, hi.t)
            var t = Self.cubicMinimizer(lo, hi, lower: a, upper: b)
            let margin = 0.1 * (b - a)
            if min(b - t, t - a) < margin {
                // Too close to an end: allow it once, then force the step 10 % inside.
                if insufficientProgress || t >= b || t <= a {
                    t = abs(t - b) < abs(t - a) ? b - margin : a + margin
                    insufficientProgress = false
                } else {
                    insufficientProgress = true
                }
            } else {
                insufficientProgress = false
            }
            let trial = evaluate(t)
            if !decreases(trial) || trial.f >= lo.f {
                hi = trial
            } else {
                adoptTrialGradient()
                if flat(trial) { return result(trial, .strongWolfe) }
                if trial.slope * (hi.t - lo.t) >= 0 { hi = lo }
                lo = trial
            }
        }
        if lo.t > 0 { return result(lo, .sufficientDecrease) }
        return Result(step: 0, value: f0, evaluations: evaluations, outcome: .noProgress, encounteredNonFinite: sawNonFinite)
    }

    /// Minimiser of the cubic interpolating (t, f, f') at two points, clamped to
    /// [lower, upper]; the midpoint of that interval when the cubic has no minimiser or an
    /// input is non-finite.
    static func cubicMinimizer(_ p: Point, _ q: Point, lower: Double, upper: Double) -> Double {
        let d1 = p.slope + q.slope - 3 * (p.f - q.f) / (p.t - q.t)
        let discriminant = d1 * d1 - p.slope * q.slope
        if discriminant >= 0 {
            let d2 = discriminant.squareRoot()
            let m: Double
            if p.t <= q.t {
                m = q.t - (q.t - p.t) * ((q.slope + d2 - d1) / (q.slope - p.slope + 2 * d2))
            } else {
                m = p.t - (p.t - q.t) * ((p.slope + d2 - d1) / (p.slope - q.slope + 2 * d2))
            }
            if m.isFinite { return min(max(m, lower), upper) }
        }
        return (lower + upper) / 2
    }
}

/// Limited-memory BFGS mirroring `torch.optim.LBFGS` (one `step(closure)` call with
/// `max_iter = maxIterations`), which is what the reference PINN training uses after Adam.
///
/// Per iteration k:
/// 1. Direction: k = 1 → d = −g. Otherwise the pair s = t·d_prev, y = g − g_prev is offered to
///    the history (kept only if yᵀs > 1e-10, oldest evicted beyond `history`), and d = −H g by
///    the two-loop recursion with H₀ = (sᵀy / yᵀy) I.
/// 2. Step length: k = 1 → t = min(1, 1/‖g‖₁)·lr (the first direction is an unscaled gradient,
///    so its length is normalised); afterwards t = lr.
/// 3. If gᵀd > −changeTolerance the direction cannot decrease f measurably: stop.
/// 4. `.fixedStep`: x ← x + t·d and re-evaluate (the reference's behaviour: no line search).
///    `.strongWolfe`: t comes from ``StrongWolfeLineSearch`` started at the t of step 2.
/// 5. Stop when max|g| ≤ gradientTolerance, max|t·d| ≤ changeTolerance,
///    |f_k − f_{k−1}| < changeTolerance, k = maxIterations, or evaluations ≥ maxEvaluations.
///
/// Deliberate differences from PyTorch, for robustness and honest reporting:
/// - The loss is always re-evaluated after the last fixed step (PyTorch skips it at
///   `n_iter == max_iter`), so `finalLoss` is the loss at the returned `x`.
/// - A non-finite loss or gradient restores the last finite iterate and stops
///   (``StopReason/nonFiniteLoss``) instead of propagating NaN into the parameters.
/// - A line search cannot exceed the remaining evaluation budget.
/// - When several stopping rules fire together, convergence (gradient, then change tolerance)
///   is reported before budgets, and budgets before the observer.
public struct LBFGS: Sendable {
    public enum LineSearch: String, Sendable, CaseIterable {
        /// x ← x + lr·d without any line search (the reference implementation's behaviour).
        case fixedStep
        /// ``StrongWolfeLineSearch`` with lr scaling the initial trial step (as in PyTorch).
        case strongWolfe
    }

    /// Number of (s, y) pairs remembered (values below 1 are treated as 1).
    public var history: Int
    /// Fixed step = lr·direction; for strong Wolfe it scales the initial trial step like PyTorch.
    public var learningRate: Double
    /// Stop when max|g| ≤ tolerance.
    public var gradientTolerance: Double
    /// Stop when max|step| ≤ tolerance or |f_k − f_{k−1}| < tolerance.
    public var changeTolerance: Double
    public var maxIterations: Int
    /// nil = maxIterations · 5 / 4 (PyTorch's default). Counts every objective evaluation,
    /// including the initial one.
    public var maxEvaluations: Int?
    public var lineSearch: LineSearch
    /// Parameters of the line search used when `lineSearch == .strongWolfe`.
    public var wolfeLineSearch = StrongWolfeLineSearch()

    public init(history: Int = 50, learningRate: Double = 0.1, gradientTolerance: Double = 1e-9,
                changeTolerance: Double = 1e-12, maxIterations: Int = 10000, maxEvaluations: Int? = nil,
                lineSearch: LineSearch = .fixedStep) {
        self.history = history
        self.learningRate = learningRate
        self.gradientTolerance = gradientTolerance
        self.changeTolerance = changeTolerance
        self.maxIterations = maxIterations
        self.maxEvaluations = maxEvaluations
        self.lineSearch = lineSearch
    }

    /// The evaluation budget actually used.
    public var effectiveMaxEvaluations: Int { maxEvaluations ?? maxIterations * 5 / 4 }

    /// Minimises from `x` in place. observer(iteration, loss) after each iteration; false stops (reason .stoppedByObserver).
    /// On a non-finite loss/gradient: restore the last finite iterate and return .nonFiniteLoss. Never loops forever.
    ///
    /// `finalLoss` is always the loss at the returned `x`. `iterations` counts completed
    /// iterations (steps taken); `evaluations` counts every objective call.
    public func minimize<O: DifferentiableObjective>(_ objective: inout O, from x: inout [Double],
                                                     observer: ((Int, Double) -> Bool)? = nil) -> LBFGSResult {
        let n = objective.dimension
        precondition(x.count == n, "x has \(x.count) entries but the objective has dimension \(n)")
        let maxEvals = effectiveMaxEvaluations
        let lr = learningRate, gradTol = gradientTolerance, changeTol = changeTolerance

        var g = [Double](repeating: 0, count: n)
        var (loss, finite) = objective.evaluate(at: x, gradient: &g)
        var evaluations = 1
        func finish(_ iterations: Int, _ reason: StopReason) -> LBFGSResult {
            LBFGSResult(iterations: iterations, evaluations: evaluations, finalLoss: loss, stopReason: reason)
        }
        guard finite else { return finish(0, .nonFiniteLoss) }
        if Self.maxAbs(g) <= gradTol { return finish(0, .gradientTolerance) }
        guard maxIterations > 0 else { return finish(0, .maxIterations) }
        guard evaluations < maxEvals else { return finish(0, .maxEvaluations) }

        var memory = LBFGSHistory(dimension: n, capacity: max(history, 1))
        var d = [Double](repeating: 0, count: n)
        var gPrevious = [Double](repeating: 0, count: n)
        var xPrevious = lineSearch == .fixedStep ? [Double](repeating: 0, count: n) : []
        var workspace = lineSearch == .strongWolfe ? StrongWolfeLineSearch.Workspace(dimension: n)
                                                   : StrongWolfeLineSearch.Workspace(dimension: 0)
        var t = 0.0
        var iteration = 0

        while true {
            iteration += 1
            // 1. Direction (and the curvature pair from the previous step).
            g.withUnsafeBufferPointer { gp in
                d.withUnsafeMutableBufferPointer { dp in
                    gPrevious.withUnsafeMutableBufferPointer { pp in
                        let g = gp.baseAddress!, d = dp.baseAddress!, p = pp.baseAddress!
                        if iteration == 1 {
                            for i in 0..<n { d[i] = -g[i] }
                        } else {
                            for i in 0..<n { p[i] = g[i] - p[i] }   // y, computed in place
                            memory.push(step: t, direction: d, gradientChange: p)
                            memory.direction(gradient: g, into: d)
                        }
                        p.update(from: g, count: n)
                    }
                }
            }
            let previousLoss = loss

            // 2. Step length and 3. descent check.
            t = iteration == 1 ? min(1, 1 / Self.sumAbs(g)) * lr : lr
            let slope = Self.dot(g, d)
            guard slope.isFinite else { return finish(iteration - 1, .nonFiniteLoss) }
            if slope > -changeTol { return finish(iteration - 1, .changeTolerance) }

            // 4. Step.
            switch lineSearch {
            case .fixedStep:
                let step = t
                x.withUnsafeMutableBufferPointer { xp in
                    d.withUnsafeBufferPointer { dp in
                        xPrevious.withUnsafeMutableBufferPointer { pp in
                            for i in 0..<n {
                                pp[i] = xp[i]
                                xp[i] += step * dp[i]
                            }
                        }
                    }
                }
                (loss, finite) = objective.evaluate(at: x, gradient: &g)
                evaluations += 1
                if !finite {
                    swap(&x, &xPrevious)
                    swap(&g, &gPrevious)
                    loss = previousLoss
                    return finish(iteration - 1, .nonFiniteLoss)
                }
            case .strongWolfe:
                let budget = min(wolfeLineSearch.maxEvaluations, maxEvals - evaluations)
                let found = wolfeLineSearch.search(&objective, from: x, direction: d, initialStep: t, value: loss,
                                                   directionalDerivative: slope, gradient: &g,
                                                   workspace: &workspace, budget: budget)
                evaluations += found.evaluations
                if found.outcome == .noProgress {
                    // x and g are untouched; loss is still f(x).
                    let reason: StopReason = found.encounteredNonFinite ? .nonFiniteLoss
                        : evaluations >= maxEvals ? .maxEvaluations : .lineSearchFailed
                    return finish(iteration - 1, reason)
                }
                t = found.step
                loss = found.value
                let step = t
                // Same expression as the line search's trial point, so x is exactly the evaluated point.
                x.withUnsafeMutableBufferPointer { xp in
                    d.withUnsafeBufferPointer { dp in
                        for i in 0..<n { xp[i] = xp[i] + step * dp[i] }
                    }
                }
            }

            // 5. Stopping rules.
            let keepGoing = observer?(iteration, loss) ?? true
            if Self.maxAbs(g) <= gradTol { return finish(iteration, .gradientTolerance) }
            if Self.maxAbs(d) * abs(t) <= changeTol || abs(loss - previousLoss) < changeTol {
                return finish(iteration, .changeTolerance)
            }
            if iteration >= maxIterations { return finish(iteration, .maxIterations) }
            if evaluations >= maxEvals { return finish(iteration, .maxEvaluations) }
            if !keepGoing { return finish(iteration, .stoppedByObserver) }
        }
    }

    private static func maxAbs(_ v: [Double]) -> Double {
        v.withUnsafeBufferPointer { VectorKernels.maxAbs($0.baseAddress!, $0.count) }
    }
    private static func sumAbs(_ v: [Double]) -> Double {
        v.withUnsafeBufferPointer { VectorKernels.sumAbs($0.baseAddress!, $0.count) }
    }
    private static func dot(_ a: [Double], _ b: [Double]) -> Double {
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in VectorKernels.dot(ap.baseAddress!, bp.baseAddress!, ap.count) }
        }
    }
}

/// Outcome of ``LBFGS/minimize(_:from:observer:)``.
public struct LBFGSResult: Sendable {
    /// Completed iterations (steps taken).
    public var iterations: Int
    /// Objective evaluations, including the initial one and all line-search trials.
    public var evaluations: Int
    /// The loss at the returned parameters.
    public var finalLoss: Double
    public var stopReason: StopReason

    public init(iterations: Int, evaluations: Int, finalLoss: Double, stopReason: StopReason) {
        self.iterations = iterations
        self.evaluations = evaluations
        self.finalLoss = finalLoss
        self.stopReason = stopReason
    }
}

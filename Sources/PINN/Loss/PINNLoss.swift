import Optimization

/// The loss of a set of PINNs as a differentiable function of all their parameters,
/// concatenated network by network.
///
/// For each (network, point set) the derivatives requested are exactly those the terms read
/// there, so an interface condition that an arm switches off costs nothing. One evaluation runs
/// the jet forward pass of each network, the terms, and the reverse pass of each network;
/// the per-network passes run on separate threads.
public final class PINNLoss: DifferentiableObjective {
    public let networks: [MLP]
    public let terms: [LossTerm]
    /// Offset of each network's parameters in the flat vector.
    public let parameterOffsets: [Int]
    public let dimension: Int
    /// Whether the networks' passes run concurrently (one thread per network).
    public var parallel: Bool {
        didSet { if !parallel { pool = nil } }
    }
    /// Threads for the per-network passes, made on first use.
    private var pool: ForkJoinPool?

    /// The (network, point set) pairs that some term reads, with their propagators.
    private let evaluations: [[Evaluation]]
    private let compiled: [[CompiledExpression]]
    /// localTerms[n]: the terms reading network n only; couplingTerms: those reading several.
    private let localTerms: [[Int]]
    private let couplingTerms: [Int]
    /// Per-term values of the last evaluation (weighted means, before summing).
    public private(set) var termValues: [Double]
    /// The parameters of the last evaluation, so an optimiser's observer can inspect the iterate.
    public private(set) var lastParameters: [Double] = []

    final class Evaluation {
        let pointSet: Int
        let propagator: any DerivativePropagator
        /// Position of each requested multi-index in `propagator.derivatives`.
        let slots: [MultiIndex: Int]
        var adjoints: [[Double]]

        init(pointSet: Int, propagator: any DerivativePropagator) {
            self.pointSet = pointSet
            self.propagator = propagator
            var s = [MultiIndex: Int]()
            for (i, m) in propagator.plan.requested.enumerated() { s[m] = i }
            slots = s
            adjoints = Array(repeating: Array(repeating: 0, count: propagator.pointCount), count: s.count)
        }
    }

    /// - Parameters:
    ///   - networks: the architecture of each network.
    ///   - pointSets: for each network, its point sets (row-major coordinates).
    ///   - terms: the loss terms; their components refer to networks and point sets by index.
    ///   - precision: the arithmetic of the derivative propagation.
    public init(networks: [MLP], pointSets: [[[Double]]], terms: [LossTerm], parallel: Bool = true, precision: Precision = .float64) {
        precondition(networks.count == pointSets.count, "PINNLoss: \(networks.count) networks, \(pointSets.count) point-set lists")
        self.networks = networks
        self.terms = terms
        self.parallel = parallel
        var offsets = [Int](), total = 0
        for n in networks { offsets.append(total); total += n.parameterCount }
        parameterOffsets = offsets
        dimension = total
        termValues = Array(repeating: 0, count: terms.count)

        var requests = [[Int: Set<MultiIndex>]](repeating: [:], count: networks.count)
        for term in terms {
            let sizes = Set(term.components.map { pointSets[$0.network][$0.pointSet].count / networks[$0.network].inputDimension })
            precondition(sizes.count == 1, "PINNLoss: term \(term.name) pairs point sets of sizes \(sizes)")
            if let t = term.target { precondition(sizes.first == t.count, "PINNLoss: term \(term.name) has \(t.count) targets for \(sizes.first!) points") }
            for c in term.components { requests[c.network][c.pointSet, default: []].formUnion(c.expression.derivatives) }
        }
        var evals = [[Evaluation]]()
        for (n, net) in networks.enumerated() {
            evals.append(requests[n].keys.sorted().map { set in
                let plan = JetPlan(requesting: requests[n][set]!.sorted())
                return Evaluation(pointSet: set, propagator: precision.propagator(network: net, plan: plan, points: pointSets[n][set]))
            })
        }
        evaluations = evals
        let networksRead = terms.map { Set($0.components.map(\.network)) }
        localTerms = networks.indices.map { n in terms.indices.filter { networksRead[$0] == [n] } }
        couplingTerms = terms.indices.filter { networksRead[$0].count > 1 }
        compiled = terms.map { term in
            term.components.map { c in
                let e = evals[c.network].first { $0.pointSet == c.pointSet }!
                return CompiledExpression(c.expression, slots: e.slots, points: pointSets[c.network][c.pointSet],
                                          dimension: networks[c.network].inputDimension)
            }
        }
    }

    private func evaluation(_ network: Int, _ pointSet: Int) -> Evaluation {
        evaluations[network].first { $0.pointSet == pointSet }!
    }

    private func perNetwork(_ body: (Int) -> Void) {
        if parallel && networks.count > 1 {
            if pool == nil { pool = ForkJoinPool(threads: networks.count) }
            pool!.run(body)
        } else {
            for n in 0..<networks.count { body(n) }
        }
    }

    /// Writes the term's weighted mean square to `values[t]` and adds its adjoints into the
    /// evaluations' `adjoints`. Touches only the networks the term reads, so terms of different
    /// networks may run concurrently.
    private func evaluateTerm(_ t: Int, into values: UnsafeMutablePointer<Double>) {
        let term = terms[t], exprs = compiled[t]
        let P = exprs[0].pointCount
        var residual = term.target.map { $0.map { -$0 } } ?? Array(repeating: 0, count: P)
        for (c, comp) in term.components.enumerated() {
            let e = evaluation(comp.network, comp.pointSet)
            exprs[c].forward(bundle: e.propagator.derivatives)
            let r = exprs[c].result
            let coef = comp.coefficient
            residual.withUnsafeMutableBufferPointer { res in
                r.withUnsafeBufferPointer { v in for p in 0..<P { res[p] += coef * v[p] } }
            }
        }
        var sum = 0.0
        for v in residual { sum += v * v }
        values[t] = term.weight * sum / Double(max(P, 1))
        // d(value)/d(e_j(p)) = 2 w c_j r(p) / P.
        for (c, comp) in term.components.enumerated() {
            let e = evaluation(comp.network, comp.pointSet)
            let scale = 2 * term.weight * comp.coefficient / Double(max(P, 1))
            let adjoint = residual.map { scale * $0 }
            adjoint.withUnsafeBufferPointer { exprs[c].backward(resultAdjoint: $0.baseAddress!, bundleAdjoints: &e.adjoints) }
        }
    }

    /// The loss and its gradient with respect to all parameters.
    public func value(at x: [Double], gradient: inout [Double]) -> Double {
        precondition(x.count == dimension && gradient.count == dimension, "PINNLoss: parameter vector of size \(x.count), expected \(dimension)")
        lastParameters = x
        // Each network's thread runs its forward passes and the terms that read it alone; the
        // terms coupling networks (interface conditions) follow on this thread.
        termValues.withUnsafeMutableBufferPointer { values in
            x.withUnsafeBufferPointer { xp in
                let base = xp.baseAddress!
                perNetwork { n in
                    for e in evaluations[n] {
                        e.propagator.forward(base + parameterOffsets[n])
                        for s in e.adjoints.indices { e.adjoints[s].withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
                    }
                    for t in localTerms[n] { evaluateTerm(t, into: values.baseAddress!) }
                }
            }
            for t in couplingTerms { evaluateTerm(t, into: values.baseAddress!) }
        }
        let loss = termValues.reduce(0, +)

        gradient.withUnsafeMutableBufferPointer { g in g.update(repeating: 0) }
        gradient.withUnsafeMutableBufferPointer { gp in
            let gbase = gp.baseAddress!
            perNetwork { n in
                for e in evaluations[n] { e.propagator.backward(adjoints: e.adjoints, gradient: gbase + parameterOffsets[n]) }
            }
        }
        return loss
    }

    /// The multi-indices requested on a point set of a network, or nil if no term reads it.
    public func requestedDerivatives(network: Int, pointSet: Int) -> [MultiIndex]? {
        evaluations[network].first { $0.pointSet == pointSet }?.propagator.plan.requested
    }
}

import Sampling

/// Computes `ErrorEstimate`s of one instance's networks on a fixed validation set: fresh
/// interior, Dirichlet-edge and periodic points (Latin hypercube, from a stream of the
/// instance's seed that the training points do not use) and fresh points along every interface
/// line (the training uses the decomposition's fixed ones). Deterministic given the seed.
///
/// It evaluates a `PINNLoss` whose terms, each of weight 1, are the mean squares it needs.
/// Not thread-safe (one per solver).
public final class ErrorEstimator {
    /// Validation points per subdomain: interior, Dirichlet-edge, periodic pairs (no margin).
    public static let sampling = SamplingConfiguration(collocationPoints: 1000, boundaryPoints: 200, periodicPoints: 200, margin: 0)
    /// Validation points per interface.
    public static let interfacePoints = 200

    /// The validation interior, Dirichlet-edge (with the data) and periodic points, per subdomain.
    public let validationSet: TrainingSet
    /// The validation points (row-major x, y) of each interface, in decomposition order.
    public let interfacePoints: [[Double]]

    private enum Part { case residual, solution, data, interface, flux }
    private let loss: PINNLoss
    /// What each term of `loss` measures, its point count, and its subdomain's area share (interior terms).
    private let parts: [(part: Part, points: Int, area: Double)]
    private let dataScale: Double
    private let timeSpan: Double

    /// The validation set of an instance. The family must have passed `validate`.
    public init(family: any PDEFamily, parameters s: ParameterValues, networks: [MLP], seed: UInt64) {
        var rng = SeededGenerator(seed: seed ^ 0xE57_1A7E_0F_E220)
        let set = TrainingSet.sample(family: family, parameters: s, protocol: .forward, reference: nil,
                                     configuration: Self.sampling, using: &rng)
        let decomposition = family.decomposition
        let totalArea = decomposition.subdomains.reduce(0) { $0 + $1.area }
        typealias C = LossTerm.Component
        let u = DerivativeExpression.value()
        let f = family.residual(s)
        var pointSets = set.subdomains.map { [$0.collocation, $0.boundary] }
        var terms = [LossTerm](), parts = [(part: Part, points: Int, area: Double)]()
        var dataSquares = 0.0, dataCount = 0
        var interfacePoints = [[Double]]()
        for (n, sub) in set.subdomains.enumerated() {
            let share = decomposition.subdomains[n].area / totalArea, count = sub.collocation.count / 2
            terms.append(LossTerm(name: "residual[\(n)]", weight: 1, components: [C(network: n, pointSet: 0, expression: f)]))
            parts.append((.residual, count, share))
            terms.append(LossTerm(name: "u[\(n)]", weight: 1, components: [C(network: n, pointSet: 0, expression: u)]))
            parts.append((.solution, count, share))
            if !sub.boundary.isEmpty {
                terms.append(LossTerm(name: "boundary[\(n)]", weight: 1, components: [C(network: n, pointSet: 1, expression: u)],
                                      target: sub.boundaryValues))
                parts.append((.data, sub.boundaryValues.count, 0))
                dataSquares += sub.boundaryValues.reduce(0) { $0 + $1 * $1 }
                dataCount += sub.boundaryValues.count
            }
        }
        // Periodicity of u itself: the derivatives a family also lists have other units.
        for pairs in set.periodicPairs where pairs.count > 0 && pairs.derivatives.contains(where: \.isZero) {
            pointSets[pairs.lowerSubdomain].append(pairs.lower)
            let lower = pointSets[pairs.lowerSubdomain].count - 1
            pointSets[pairs.upperSubdomain].append(pairs.upper)
            let upper = pointSets[pairs.upperSubdomain].count - 1
            terms.append(LossTerm(name: "periodic", weight: 1, components: [
                C(network: pairs.lowerSubdomain, pointSet: lower, expression: u),
                C(network: pairs.upperSubdomain, pointSet: upper, expression: u, coefficient: -1)]))
            parts.append((.data, pairs.count, 0))
        }
        for (k, interface) in decomposition.interfaces.enumerated() {
            var points = [Double]()
            let perLine = max(1, Self.interfacePoints / interface.lines.count)
            for line in interface.lines {
                let (a, b) = (line.along.min()!, line.along.max()!)
                for t in LatinHypercube.sample(count: perLine, lower: [a], upper: [b], using: &rng) {
                    points += line.normalAxis == 0 ? [line.position, t] : [t, line.position]
                }
            }
            interfacePoints.append(points)
            let (na, nb) = (interface.first, interface.second)
            pointSets[na].append(points)
            let sa = pointSets[na].count - 1
            pointSets[nb].append(points)
            let sb = pointSets[nb].count - 1
            let flux = family.flux(s, normalAxis: interface.lines[0].normalAxis)
            for (part, e) in [(Part.interface, u), (.flux, flux)] {
                terms.append(LossTerm(name: "interface \(k)", weight: 1, components: [
                    C(network: na, pointSet: sa, expression: e), C(network: nb, pointSet: sb, expression: e, coefficient: -1)]))
                parts.append((part, points.count / 2, 0))
            }
        }
        loss = PINNLoss(networks: networks, pointSets: pointSets, terms: terms, parallel: false)
        self.parts = parts
        validationSet = set
        self.interfacePoints = interfacePoints
        dataScale = dataCount > 0 ? (dataSquares / Double(dataCount)).squareRoot() : 0
        timeSpan = family.domain.upper[1] - family.domain.lower[1]
    }

    /// The estimate for the networks' parameters (concatenated as in `XPINNSolver`).
    public func estimate(_ parameters: [Double]) -> ErrorEstimate {
        var gradient = [Double](repeating: 0, count: loss.dimension)
        _ = loss.value(at: parameters, gradient: &gradient)
        // Interior parts: area-weighted mean of the subdomains' mean squares; the others: pooled over points.
        var area = [Part: Double](), pooled = [Part: (sum: Double, count: Int)]()
        for (value, p) in zip(loss.termValues, parts) {
            switch p.part {
            case .residual, .solution: area[p.part, default: 0] += p.area * value
            default:
                let old = pooled[p.part] ?? (0, 0)
                pooled[p.part] = (old.sum + value * Double(p.points), old.count + p.points)
            }
        }
        func rms(_ part: Part) -> Double {
            if let a = area[part] { return a.squareRoot() }
            guard let q = pooled[part], q.count > 0 else { return 0 }
            return (q.sum / Double(q.count)).squareRoot()
        }
        return ErrorEstimate(residual: rms(.residual), data: rms(.data), interface: rms(.interface), flux: rms(.flux),
                             dataScale: dataScale, solutionScale: rms(.solution), timeSpan: timeSpan)
    }
}

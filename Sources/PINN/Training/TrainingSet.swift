import ReferenceSolvers
import Sampling

/// The points one subdomain network is trained on.
public struct SubdomainPoints: Sendable {
    /// Residual points, row-major (x, y).
    public var collocation: [Double]
    /// Points with known values of u, and those values.
    public var boundary: [Double]
    public var boundaryValues: [Double]
    /// The periodic point pairs whose lower-edge point lies in this subdomain, one group per
    /// periodic condition and subdomain holding the upper-edge points.
    public var periodicPairs: [PeriodicPairs]

    /// The pairs of the first periodic condition whose two edges both lie in this subdomain (a
    /// decomposition cut across the periodic axis), for exporters that pair points within one
    /// network; `periodicPairs` has every pair.
    public var periodicLower: [Double] { localPeriodicPairs?.lower ?? [] }
    public var periodicUpper: [Double] { localPeriodicPairs?.upper ?? [] }
    public var periodicDerivatives: [MultiIndex] { localPeriodicPairs?.derivatives ?? [] }

    private var localPeriodicPairs: PeriodicPairs? {
        periodicPairs.first { $0.condition == 0 && $0.lowerSubdomain == $0.upperSubdomain }
    }
}

/// Point pairs of one periodic condition: points on the lower edge of `axis` in subdomain
/// `lowerSubdomain` and, at the same coordinate along the edge, points on the upper edge in
/// `upperSubdomain` (the same subdomain when it touches both edges). The loss asks ∂^α u to
/// agree across each pair, for each α in `derivatives`, between the two subdomains' networks.
public struct PeriodicPairs: Sendable {
    /// Position of the condition among the family's `.periodic` conditions.
    public var condition: Int
    public var axis: Int
    public var derivatives: [MultiIndex]
    public var lowerSubdomain: Int
    public var upperSubdomain: Int
    /// Row-major (x, y) points on the lower and the upper edge, pair by pair.
    public var lower: [Double]
    public var upper: [Double]

    public var count: Int { lower.count / 2 }
}

/// The sampled training data of one PDE instance: per-subdomain point sets. The interface
/// points are fixed by the decomposition.
public struct TrainingSet: Sendable {
    public var subdomains: [SubdomainPoints]

    /// Every group of periodic pairs, by lower subdomain.
    public var periodicPairs: [PeriodicPairs] { subdomains.flatMap(\.periodicPairs) }

    /// Samples collocation points (Latin hypercube inside each piece, `margin` from its edges,
    /// pieces weighted by area) and boundary data according to the protocol.
    ///
    /// Periodic pairs: for each `.periodic` condition, each subdomain whose pieces touch the
    /// lower edge of the axis gets `periodicPoints` pairs along the part of the edge it touches
    /// (Latin hypercube); each pair's upper point goes to the subdomain touching the upper edge
    /// at that coordinate. Subdomains that touch neither edge get none.
    ///
    /// The family must have passed `validate` (as `XPINNSolver` ensures).
    public static func sample(family: any PDEFamily, parameters s: ParameterValues, protocol dataProtocol: TrainingDataProtocol,
                              reference: GridSolution?, configuration c: SamplingConfiguration,
                              using rng: inout SeededGenerator) -> TrainingSet {
        let domain = family.domain
        let conditions: [BoundaryCondition]
        switch dataProtocol {
        case .forward:
            conditions = family.conditions(s)
        case .reference:
            guard let reference else { preconditionFailure("TrainingSet.sample: the reference protocol needs the reference solution") }
            let periodic = family.periodicAxis
            let value: @Sendable ([Double]) -> Double = { reference.interpolate($0, periodicAxis: periodic) }
            conditions = [Edge.left, .right, .bottom, .top].map { .dirichlet($0, value: value) }
        }
        let subdomains = family.decomposition.subdomains
        let tolerance = 1e-12 * zip(domain.lower, domain.upper).map { max(abs($0), abs($1), 1) }.reduce(1, max)
        /// The pieces of a subdomain on one edge of the domain.
        func pieces(of sub: Subdomain, onEdge axis: Int, _ side: Edge.Side) -> [Box] {
            let position = side == .lower ? domain.lower[axis] : domain.upper[axis]
            return sub.pieces.filter { abs((side == .lower ? $0.lower[axis] : $0.upper[axis]) - position) <= tolerance }
        }
        var result = [SubdomainPoints]()
        for (index, sub) in subdomains.enumerated() {
            // Collocation: split the count among pieces by area.
            var collocation = [Double]()
            let counts = apportion(c.collocationPoints, weights: sub.pieces.map { box in zip(box.lower, box.upper).reduce(1) { $0 * ($1.1 - $1.0) } })
            for (box, n) in zip(sub.pieces, counts) {
                let lo = box.lower.map { $0 + c.margin }, hi = box.upper.map { $0 - c.margin }
                collocation += LatinHypercube.sample(count: n, lower: lo, upper: hi, using: &rng)
            }
            // Dirichlet data: the parts of the subdomain's edges on the domain boundary.
            var segments = [(fixedAxis: Int, position: Double, range: ClosedRange<Double>, value: @Sendable ([Double]) -> Double)]()
            for case .dirichlet(let edge, let value) in conditions {
                let position = edge.side == .lower ? domain.lower[edge.axis] : domain.upper[edge.axis]
                let along = 1 - edge.axis
                for box in pieces(of: sub, onEdge: edge.axis, edge.side) {
                    segments.append((edge.axis, position, box.lower[along]...box.upper[along], value))
                }
            }
            var boundary = [Double](), values = [Double]()
            let perSegment = apportion(segments.isEmpty ? 0 : c.boundaryPoints, weights: segments.map { $0.range.upperBound - $0.range.lowerBound })
            for (seg, n) in zip(segments, perSegment) {
                let t = LatinHypercube.sample(count: n, lower: [seg.range.lowerBound], upper: [seg.range.upperBound], using: &rng)
                for a in t {
                    let p = seg.fixedAxis == 0 ? [seg.position, a] : [a, seg.position]
                    boundary += p
                    values.append(seg.value(p))
                }
            }
            // Periodic pairs from the parts of the lower edge this subdomain touches.
            var pairs = [PeriodicPairs]()
            for case let (k, .periodic(axis, derivatives)) in conditions.filter(\.isPeriodic).enumerated() {
                let along = 1 - axis
                let lowerPieces = pieces(of: sub, onEdge: axis, .lower)
                let perPiece = apportion(lowerPieces.isEmpty ? 0 : c.periodicPoints, weights: lowerPieces.map { $0.upper[along] - $0.lower[along] })
                for (box, n) in zip(lowerPieces, perPiece) {
                    for a in LatinHypercube.sample(count: n, lower: [box.lower[along]], upper: [box.upper[along]], using: &rng) {
                        // The subdomain holding the upper edge at `a`, this one first.
                        let holders = [index] + subdomains.indices.filter { $0 != index }
                        guard let partner = holders.first(where: { j in
                            pieces(of: subdomains[j], onEdge: axis, .upper).contains { $0.lower[along] - tolerance <= a && a <= $0.upper[along] + tolerance }
                        }) else { continue }
                        var group = pairs.firstIndex { $0.condition == k && $0.upperSubdomain == partner }
                        if group == nil {
                            pairs.append(PeriodicPairs(condition: k, axis: axis, derivatives: derivatives, lowerSubdomain: index,
                                                       upperSubdomain: partner, lower: [], upper: []))
                            group = pairs.count - 1
                        }
                        pairs[group!].lower += axis == 0 ? [domain.lower[0], a] : [a, domain.lower[1]]
                        pairs[group!].upper += axis == 0 ? [domain.upper[0], a] : [a, domain.upper[1]]
                    }
                }
            }
            result.append(SubdomainPoints(collocation: collocation, boundary: boundary, boundaryValues: values, periodicPairs: pairs))
        }
        return TrainingSet(subdomains: result)
    }
}

extension BoundaryCondition {
    var isPeriodic: Bool {
        if case .periodic = self { return true }
        return false
    }
}

/// Splits `total` into integer parts proportional to `weights` (largest remainders).
func apportion(_ total: Int, weights: [Double]) -> [Int] {
    guard !weights.isEmpty else { return [] }
    let sum = weights.reduce(0, +)
    let exact = weights.map { Double(total) * $0 / sum }
    var parts = exact.map { Int($0) }
    let order = exact.indices.sorted { exact[$0] - Double(parts[$0]) > exact[$1] - Double(parts[$1]) }
    for i in order.prefix(total - parts.reduce(0, +)) { parts[i] += 1 }
    return parts
}

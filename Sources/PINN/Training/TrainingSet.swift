import ReferenceSolvers
import Sampling

/// The points one subdomain network is trained on.
public struct SubdomainPoints: Sendable {
    /// Residual points, row-major (x, y).
    public var collocation: [Double]
    /// Points with known values of u, and those values.
    public var boundary: [Double]
    public var boundaryValues: [Double]
    /// Paired points on the two periodic edges (same along-coordinate), with the derivatives to match.
    public var periodicLower: [Double]
    public var periodicUpper: [Double]
    public var periodicDerivatives: [MultiIndex]
}

/// The sampled training data of one PDE instance: per-subdomain point sets. The interface
/// points are fixed by the decomposition.
public struct TrainingSet: Sendable {
    public var subdomains: [SubdomainPoints]

    /// Samples collocation points (Latin hypercube inside each piece, `margin` from its edges,
    /// pieces weighted by area) and boundary data according to the protocol.
    public static func sample(family: any PDEFamily, parameters s: ParameterValues, protocol dataProtocol: TrainingDataProtocol,
                              reference: GridSolution, configuration c: SamplingConfiguration,
                              using rng: inout SeededGenerator) -> TrainingSet {
        let domain = family.domain
        let conditions: [BoundaryCondition]
        switch dataProtocol {
        case .forward:
            conditions = family.conditions(s)
        case .reference:
            let periodic = family.periodicAxis
            let value: @Sendable ([Double]) -> Double = { reference.interpolate($0, periodicAxis: periodic) }
            conditions = [Edge.left, .right, .bottom, .top].map { .dirichlet($0, value: value) }
        }
        var result = [SubdomainPoints]()
        for sub in family.decomposition.subdomains {
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
                for box in sub.pieces where abs((edge.side == .lower ? box.lower[edge.axis] : box.upper[edge.axis]) - position) < 1e-12 {
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
            // Periodic pairs along the subdomain's extent on the other axis.
            var lower = [Double](), upper = [Double](), derivatives = [MultiIndex]()
            for case .periodic(let axis, let ds) in conditions {
                derivatives = ds
                let along = 1 - axis
                let box = sub.boundingBox
                let t = LatinHypercube.sample(count: c.periodicPoints, lower: [box.lower[along]], upper: [box.upper[along]], using: &rng)
                for a in t {
                    lower += axis == 0 ? [domain.lower[0], a] : [a, domain.lower[1]]
                    upper += axis == 0 ? [domain.upper[0], a] : [a, domain.upper[1]]
                }
            }
            result.append(SubdomainPoints(collocation: collocation, boundary: boundary, boundaryValues: values,
                                          periodicLower: lower, periodicUpper: upper, periodicDerivatives: derivatives))
        }
        return TrainingSet(subdomains: result)
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

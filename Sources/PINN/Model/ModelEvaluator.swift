/// Evaluates a saved model — u and any of its partial derivatives, computed exactly by the
/// networks' jets — at arbitrary points of the family's domain. Each point is evaluated by the
/// network of the subdomain that contains it (on an interface line: the first such subdomain).
public struct ModelEvaluator: Sendable {
    public let model: SavedModel
    public let family: any PDEFamily
    private let networks: [MLP]

    /// - Throws: `SavedModelError` if the model is not `family`'s.
    public init(model: SavedModel, family: any PDEFamily) throws {
        try model.check(against: family)
        self.model = model
        self.family = family
        networks = zip(model.networks, family.decomposition.subdomains).map { MLP(widths: $0.widths, inputBox: $1.boundingBox) }
    }

    /// `result[r][p]` = ∂^{derivatives[r]} u at `points[p]` (points as [x, y]).
    /// - Throws: `SavedModelError` for a point outside the domain or a derivative of too high an order.
    public func evaluate(points: [[Double]], derivatives: [MultiIndex]) throws -> [[Double]] {
        guard let order = derivatives.map(\.order).max() else { return [] }
        guard order < TanhTaylorCoefficients.maxOrder, derivatives.allSatisfy({ $0.dimension == 2 && $0.orders.allSatisfy { $0 >= 0 } }) else {
            throw SavedModelError("derivatives up to total order \(TanhTaylorCoefficients.maxOrder - 1) in (x, y) can be evaluated")
        }
        let subdomains = family.decomposition.subdomains
        var owned = [[Double]](repeating: [], count: networks.count)
        var indices = [[Int]](repeating: [], count: networks.count)
        for (p, point) in points.enumerated() {
            guard point.count == 2, point.allSatisfy(\.isFinite), let n = subdomains.firstIndex(where: { $0.contains(point) }) else {
                throw SavedModelError("point \(p + 1) \(point) is not in the domain of family \(family.name) (\(family.domain))")
            }
            owned[n] += point
            indices[n].append(p)
        }
        var result = [[Double]](repeating: [Double](repeating: .nan, count: points.count), count: derivatives.count)
        for (n, net) in networks.enumerated() where !indices[n].isEmpty {
            let propagator = JetPropagator<Double>(network: net, plan: JetPlan(requesting: derivatives), points: owned[n])
            model.networks[n].parameters.withUnsafeBufferPointer { propagator.forward($0.baseAddress!) }
            for r in derivatives.indices {
                for (k, p) in indices[n].enumerated() { result[r][p] = propagator.derivatives[r][k] }
            }
        }
        return result
    }
}

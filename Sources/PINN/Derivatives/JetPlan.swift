/// The set of Taylor coefficients a jet propagation carries for one point set, and the
/// index arithmetic the elementwise steps need.
///
/// A jet over a downward-closed set S of multi-indices is the truncated Taylor polynomial
/// Σ_{α∈S} c_α δ^α of a function around a point; products of jets are truncated to S.
/// The plan is derived once from the requested derivatives and reused every evaluation.
public struct JetPlan: Sendable {
    /// The indices in S, sorted (`indices[0]` is zero), one coefficient stream each.
    public let indices: [MultiIndex]
    /// Stream numbers of the requested derivatives, in the order they were requested.
    public let requested: [MultiIndex]
    public let dimension: Int
    /// The highest total order in S.
    public let maxOrder: Int
    /// Total order of each stream.
    let orders: [Int]
    /// Every (β, γ, α) with β + γ = α, all three in S (stream numbers), zero included.
    /// Drives the reverse step of tanh: ∂Y_α/∂z_β = D_{α−β}.
    let additions: [(Int, Int, Int)]
    /// For k ≥ 2: the (β, γ, α) with β + γ = α, |β| ≥ k − 1, |γ| ≥ 1 — the terms of
    /// p^k = p^{k−1} · p, where p is the jet without its constant term.
    let powerProducts: [[(Int, Int, Int)]]

    /// - Parameter requested: the partial derivatives wanted at every point; S is their downward closure.
    public init(requesting requested: [MultiIndex]) {
        precondition(!requested.isEmpty, "JetPlan: no derivative requested")
        let d = requested[0].dimension
        precondition(requested.allSatisfy { $0.dimension == d }, "JetPlan: requests of different dimension")
        var closure = Set<MultiIndex>()
        for r in requested { closure.formUnion(r.downwardClosure) }
        indices = closure.sorted()
        self.requested = requested
        dimension = d
        let orders = indices.map(\.order)
        self.orders = orders
        maxOrder = orders.max() ?? 0
        var position = [MultiIndex: Int]()
        for (i, m) in indices.enumerated() { position[m] = i }
        var adds = [(Int, Int, Int)]()
        for (a, alpha) in indices.enumerated() {
            for (b, beta) in indices.enumerated() {
                if let gamma = alpha.subtracting(beta), let g = position[gamma] { adds.append((b, g, a)) }
            }
        }
        additions = adds
        var powers = [[(Int, Int, Int)]](repeating: [], count: maxOrder + 1)
        if maxOrder >= 2 {
            for k in 2...maxOrder {
                powers[k] = adds.filter { b, g, _ in orders[b] >= k - 1 && orders[g] >= 1 }
            }
        }
        powerProducts = powers
    }

    /// Number of coefficient streams carried per point.
    public var streamCount: Int { indices.count }

    /// Stream number of a multi-index in S.
    public func stream(of m: MultiIndex) -> Int? { indices.firstIndex(of: m) }
}

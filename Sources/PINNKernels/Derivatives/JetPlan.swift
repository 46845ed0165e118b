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
    /// For k ≥ 2, each stream α of order ≥ k with p^k_α = Σ_{β+γ=α, |β| ≥ k−1, |γ| ≥ 1} p^{k−1}_β p_γ,
    /// p the jet without its constant term (a: p^{k−1}, b: p).
    let powerSums: [[(stream: Int, sum: StreamProductSum)]]
    /// For each α: D_α = [α = 0] − Σ_{β+γ=α} Y_β Y_γ, the jet of tanh′ = 1 − tanh² (a, b: Y;
    /// symmetric pairs once, weight 2).
    let tanhDerivativeSums: [StreamProductSum]
    /// For each β: the adjoint of the preactivation, gz_β = Σ_{β+γ=α} gY_α D_γ, as ∂Y_α/∂z_β = D_{α−β}
    /// (a: gY, b: D).
    let reverseSums: [StreamProductSum]
    /// The first layer's jet is z₀ + Σ_k v_k δ_k (its input is affine in the point), so its tanh has
    /// Y_α = s_{|α|}(z₀) · M_α with the monomials M_α = |α|!/α! · v^α. For each α ≠ 0 in stream
    /// order: M_α = factor · M_parent · v_input, parent = α − e_input.
    let monomialSteps: [(stream: Int, parent: Int, input: Int, factor: Double)]
    /// ∂M_α/∂v_k = |α| · M_{α−e_k}: (α, k, α − e_k, |α|) for each α ≠ 0 and each k with α_k > 0.
    let monomialDerivatives: [(stream: Int, input: Int, parent: Int, weight: Double)]

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
        // Every (β, γ, α) with β + γ = α, all three in S.
        var adds = [(Int, Int, Int)]()
        for (a, alpha) in indices.enumerated() {
            for (b, beta) in indices.enumerated() {
                if let gamma = alpha.subtracting(beta), let g = position[gamma] { adds.append((b, g, a)) }
            }
        }
        let streams = indices.indices
        powerSums = (0...maxOrder).map { k in
            k < 2 ? [] : streams.filter { orders[$0] >= k }.map { a in
                (a, StreamProductSum(adds.filter { b, g, alpha in alpha == a && orders[b] >= k - 1 && orders[g] >= 1 }.map { ($0.0, $0.1, 1) }))
            }
        }
        tanhDerivativeSums = streams.map { a in
            StreamProductSum(adds.filter { b, g, alpha in alpha == a && b <= g }.map { b, g, _ in (b, g, b == g ? -1 : -2) },
                             constant: a == 0 ? 1 : 0)
        }
        reverseSums = streams.map { b in StreamProductSum(adds.filter { $0.0 == b }.map { _, g, a in (a, g, 1) }) }
        // A local copy: the closures below may not capture `self.indices` before init completes.
        let streamIndices = indices
        let parents = streamIndices.map { alpha in
            (0..<d).compactMap { k in alpha.orders[k] > 0 ? (k, position[alpha.subtracting(.unit(k, dimension: d))!]!) : nil }
        }
        monomialSteps = streams.dropFirst().map { a in
            let (k, parent) = parents[a][0]
            return (a, parent, k, Double(orders[a]) / Double(streamIndices[a].orders[k]))
        }
        monomialDerivatives = streams.flatMap { a in parents[a].map { k, parent in (a, k, parent, Double(orders[a])) } }
    }

    /// Number of coefficient streams carried per point.
    public var streamCount: Int { indices.count }

    /// Stream number of a multi-index in S.
    public func stream(of m: MultiIndex) -> Int? { indices.firstIndex(of: m) }
}

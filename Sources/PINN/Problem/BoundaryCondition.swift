/// One side of the domain rectangle: where coordinate `axis` is at its lower or upper bound.
public struct Edge: Hashable, Sendable {
    public enum Side: Hashable, Sendable { case lower, upper }
    public var axis: Int
    public var side: Side

    public init(axis: Int, side: Side) {
        self.axis = axis
        self.side = side
    }

    public static let left = Edge(axis: 0, side: .lower)
    public static let right = Edge(axis: 0, side: .upper)
    /// y (or t) at its lower bound: the initial line of a time-dependent family.
    public static let bottom = Edge(axis: 1, side: .lower)
    public static let top = Edge(axis: 1, side: .upper)
}

/// What a family knows on its boundary in the forward protocol: the data a user has.
public enum BoundaryCondition: Sendable {
    /// u = value(point) on an edge of the domain (the initial condition is `.dirichlet(.bottom, …)`).
    case dirichlet(Edge, value: @Sendable ([Double]) -> Double)
    /// ∂^α u equal on the two edges of `axis`, for each α in `derivatives`.
    case periodic(axis: Int, derivatives: [MultiIndex])
}

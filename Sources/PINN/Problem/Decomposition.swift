/// A subdomain: the region served by one network. It may consist of several disjoint
/// rectangles (Burgers' outer subdomain is [−1, −0.1] ∪ [0.1, 1] in x).
public struct Subdomain: Sendable {
    public var pieces: [Box]

    public init(pieces: [Box]) {
        precondition(!pieces.isEmpty, "Subdomain: no pieces")
        self.pieces = pieces
    }

    /// The bounding box of all pieces, mapped to [−1, 1] at the network's input.
    public var boundingBox: Box { pieces.dropFirst().reduce(pieces[0]) { $0.union($1) } }

    public var area: Double { pieces.reduce(0) { $0 + zip($1.lower, $1.upper).reduce(1) { $0 * ($1.1 - $1.0) } } }

    public func contains(_ point: [Double]) -> Bool { pieces.contains { $0.contains(point, tolerance: 1e-12) } }
}

/// A straight interface segment {x_axis = position}, with the points on it along the other axis.
public struct InterfaceLine: Sendable {
    /// The axis normal to the line (0: a line x = const, 1: a line y = const).
    public var normalAxis: Int
    public var position: Double
    /// Coordinates of the interface points along the other axis.
    public var along: [Double]

    public init(normalAxis: Int, position: Double, along: [Double]) {
        self.normalAxis = normalAxis
        self.position = position
        self.along = along
    }

    /// Row-major 2-D points.
    public var points: [Double] {
        along.flatMap { normalAxis == 0 ? [position, $0] : [$0, position] }
    }
}

/// The interface between two subdomains (indices into `Decomposition.subdomains`).
public struct Interface: Sendable {
    public var first: Int
    public var second: Int
    public var lines: [InterfaceLine]

    public init(between first: Int, and second: Int, lines: [InterfaceLine]) {
        precondition(first != second, "Interface: a subdomain cannot border itself")
        self.first = first
        self.second = second
        self.lines = lines
    }

    public var points: [Double] { lines.flatMap(\.points) }
    public var pointCount: Int { lines.reduce(0) { $0 + $1.along.count } }
}

/// A split of a 2-D rectangular domain into subdomains and the interfaces between them.
public struct Decomposition: Sendable {
    public var subdomains: [Subdomain]
    public var interfaces: [Interface]

    public init(subdomains: [Subdomain], interfaces: [Interface]) {
        for i in interfaces { precondition(i.first < subdomains.count && i.second < subdomains.count, "Decomposition: interface refers to a missing subdomain") }
        self.subdomains = subdomains
        self.interfaces = interfaces
    }

    /// Strips of `domain` cut perpendicular to `axis` at `cuts` (ascending), with an interface
    /// between each pair of neighbours carrying `interfacePoints` equally spaced points
    /// (endpoints included; `excludeUpperEndpoint` drops the upper one, for a periodic axis).
    public static func strips(of domain: Box, along axis: Int, cuts: [Double], interfacePoints: Int,
                              excludeUpperEndpoint: Bool = false) -> Decomposition {
        precondition(cuts == cuts.sorted() && cuts.allSatisfy { $0 > domain.lower[axis] && $0 < domain.upper[axis] },
                     "Decomposition.strips: cuts must be ascending and inside the domain")
        let bounds = [domain.lower[axis]] + cuts + [domain.upper[axis]]
        let subs = (0..<(bounds.count - 1)).map { i -> Subdomain in
            var lo = domain.lower, hi = domain.upper
            lo[axis] = bounds[i]
            hi[axis] = bounds[i + 1]
            return Subdomain(pieces: [Box(lower: lo, upper: hi)])
        }
        let other = 1 - axis
        let (a, b) = (domain.lower[other], domain.upper[other])
        let n = interfacePoints
        let divisor = Double(excludeUpperEndpoint ? n : n - 1)
        let along: [Double] = (0..<n).map { (k: Int) -> Double in a + (b - a) * Double(k) / divisor }
        let interfaces = cuts.enumerated().map { i, c in
            Interface(between: i, and: i + 1, lines: [InterfaceLine(normalAxis: axis, position: c, along: along)])
        }
        return Decomposition(subdomains: subs, interfaces: interfaces)
    }

    /// The subdomain that owns a point, or nil for points on an interface line (excluded from the error).
    public func owner(of point: [Double]) -> Int? {
        for i in interfaces {
            for l in i.lines where abs(point[l.normalAxis] - l.position) < 1e-12 { return nil }
        }
        return subdomains.firstIndex { $0.contains(point) }
    }
}

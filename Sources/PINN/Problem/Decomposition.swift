/// A subdomain: the region served by one network. It may consist of several disjoint
/// rectangles (Burgers' outer subdomain is [−1, −0.1] ∪ [0.1, 1] in x).
///
/// The types of a decomposition take what a family gives them; `PDEFamily.validate` checks it
/// (pieces inside the domain, no overlap, full cover, interfaces where subdomains meet).
public struct Subdomain: Sendable {
    public var pieces: [Box]

    /// - Parameter pieces: at least one (checked by `PDEFamily.validate`).
    public init(pieces: [Box]) {
        self.pieces = pieces
    }

    /// The bounding box of all pieces, mapped to [−1, 1] at the network's input.
    public var boundingBox: Box { pieces.dropFirst().reduce(pieces[0]) { $0.union($1) } }

    public var area: Double { pieces.reduce(0) { $0 + zip($1.lower, $1.upper).reduce(1) { $0 * ($1.1 - $1.0) } } }

    public func contains(_ point: [Double]) -> Bool { pieces.contains { $0.contains(point, tolerance: 1e-12) } }
}

/// "x" for axis 0, "y" for axis 1 (t in a time-dependent family), in messages.
func axisName(_ axis: Int) -> String {
    switch axis {
    case 0: return "x"
    case 1: return "y"
    default: return "axis \(axis)"
    }
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

    /// - Parameters: two different subdomains, and at least one line (checked by `PDEFamily.validate`).
    public init(between first: Int, and second: Int, lines: [InterfaceLine]) {
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
    /// Why `strips` could not build the decomposition it was asked for (then it has no subdomains).
    var definitionError: (problem: String, fix: String)?

    public init(subdomains: [Subdomain], interfaces: [Interface]) {
        self.subdomains = subdomains
        self.interfaces = interfaces
    }

    /// Strips of `domain` cut perpendicular to `axis` at `cuts` (increasing, inside the domain),
    /// with an interface between each pair of neighbours carrying `interfacePoints` equally
    /// spaced points (endpoints included; `excludeUpperEndpoint` drops the upper one, for a
    /// periodic axis).
    ///
    /// Arguments it cannot cut give a decomposition without subdomains that records why;
    /// `PDEFamily.validate` reports it (the family's `decomposition` property cannot throw).
    public static func strips(of domain: Box, along axis: Int, cuts: [Double], interfacePoints: Int,
                              excludeUpperEndpoint: Bool = false) -> Decomposition {
        if let error = stripsError(domain: domain, axis: axis, cuts: cuts, interfacePoints: interfacePoints,
                                   excludeUpperEndpoint: excludeUpperEndpoint) {
            var empty = Decomposition(subdomains: [], interfaces: [])
            empty.definitionError = error
            return empty
        }
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

    static func stripsError(domain: Box, axis: Int, cuts: [Double], interfacePoints: Int,
                            excludeUpperEndpoint: Bool) -> (problem: String, fix: String)? {
        let call = "Decomposition.strips(along: \(axis), cuts: \(cuts))"
        guard domain.isValid(dimension: 2) else {
            return ("\(call): the domain \(domain) is not a 2-D box with lower < upper", "give the strips the family's domain")
        }
        guard axis == 0 || axis == 1 else {
            return ("\(call): axis \(axis) does not exist", "cut along axis 0 (x) or 1 (y, or t)")
        }
        let (lo, hi) = (domain.lower[axis], domain.upper[axis])
        if let c = cuts.first(where: { !($0 > lo && $0 < hi) }) {
            return ("\(call): the cut \(c) is outside the domain's open interval (\(lo), \(hi)) along \(axisName(axis))",
                    "place every cut strictly between \(lo) and \(hi)")
        }
        if let k = cuts.indices.dropFirst().first(where: { cuts[$0] == cuts[$0 - 1] }) {
            return ("\(call): the cut \(cuts[k]) is given twice, which would make an empty strip", "list each cut once")
        }
        if cuts.indices.dropFirst().contains(where: { cuts[$0] < cuts[$0 - 1] }) {
            return ("\(call): the cuts are not increasing", "list the cuts in increasing order: \(Array(Set(cuts)).sorted())")
        }
        let least = excludeUpperEndpoint ? 1 : 2
        if !cuts.isEmpty && interfacePoints < least {
            return ("\(call): \(interfacePoints) interface points per cut\(excludeUpperEndpoint ? "" : " (both endpoints included)")",
                    "give interfacePoints ≥ \(least), e.g. 101")
        }
        return nil
    }

    /// The subdomain that owns a point, or nil for points on an interface line (excluded from the error).
    public func owner(of point: [Double]) -> Int? {
        for i in interfaces {
            for l in i.lines where abs(point[l.normalAxis] - l.position) < 1e-12 { return nil }
        }
        return subdomains.firstIndex { $0.contains(point) }
    }
}

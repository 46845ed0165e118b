/// A reference solution sampled on a tensor-product grid.
///
/// Every family's reference solution is compared with a network on the same rectangle of grid
/// points, so one value type carries them all. For time-dependent problems `y` holds the times.
/// Values are stored x-major so that one x position's whole time history is contiguous:
/// `values[i * y.count + j] = u(x[i], y[j])`.
public struct GridSolution: Sendable, Equatable {
    /// Grid coordinates along the first axis (space).
    public let x: [Double]
    /// Grid coordinates along the second axis (the second space variable, or time).
    public let y: [Double]
    /// The solution, `values[i * y.count + j] = u(x[i], y[j])`.
    public var values: [Double]

    public init(x: [Double], y: [Double], values: [Double]) {
        precondition(values.count == x.count * y.count,
                     "GridSolution: \(values.count) values for a \(x.count) × \(y.count) grid")
        self.x = x
        self.y = y
        self.values = values
    }

    /// u(x[i], y[j]).
    public func value(atXIndex i: Int, yIndex j: Int) -> Double {
        values[i * y.count + j]
    }
}

/// `count` equally spaced points from `a` to `b`, both included.
///
/// Point k is computed as `a + (b − a)·k/(count − 1)` from the exact integer ratio, so the end
/// points are hit exactly; on a symmetric interval use `symmetricLinspace`, whose points are
/// exact negatives of each other.
func linspace(_ a: Double, _ b: Double, _ count: Int) -> [Double] {
    precondition(count >= 2, "linspace: need at least two points")
    let last = Double(count - 1)
    return (0..<count).map { k in k == count - 1 ? b : a + (b - a) * (Double(k) / last) }
}

/// `count` equally spaced points on [−r, r] with `p[count − 1 − k] == −p[k]` exactly.
///
/// Point k is `r·(2k − (count − 1))/(count − 1)`: the numerator is an exact integer, so mirrored
/// points round identically. Solvers rely on this to use the solution's odd symmetry exactly.
func symmetricLinspace(radius r: Double, count: Int) -> [Double] {
    precondition(count >= 2, "symmetricLinspace: need at least two points")
    let last = Double(count - 1)
    return (0..<count).map { k in r * (Double(2 * k - (count - 1)) / last) }
}

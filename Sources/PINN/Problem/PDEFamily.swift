import ReferenceSolvers

/// A family of 2-D PDE problems indexed by a parameter vector — everything the shared
/// sampling, loss and training code needs to solve one instance. One small type per family
/// (see docs/FAMILIES.md).
///
/// A family is user code: `validate(_:)` checks it (parameters, domain, decomposition,
/// conditions, the names its functions read) and throws a `PDEFamilyError` naming the mistake
/// and its fix; `XPINNSolver` runs it before anything else.
public protocol PDEFamily: Sendable {
    /// The name users type (`metalic solve burgers …`).
    var name: String { get }
    /// The equation, for listings.
    var equation: String { get }
    var parameters: [FamilyParameter] { get }
    /// The space(-time) rectangle; coordinates are (x, y), y being t for time-dependent families.
    var domain: Box { get }
    var decomposition: Decomposition { get }

    /// The PDE residual N[u] as an expression of u's derivatives.
    func residual(_ s: ParameterValues) -> DerivativeExpression
    /// The flux whose continuity the `flux` condition enforces across an interface line
    /// normal to `normalAxis` (0: a line x = const, 1: a line y = const). Default: the
    /// derivative of u along the normal, u_x or u_y (docs/INTERFACE-CONDITIONS.md).
    func flux(_ s: ParameterValues, normalAxis: Int) -> DerivativeExpression
    /// Initial, boundary and periodic conditions (forward protocol).
    func conditions(_ s: ParameterValues) -> [BoundaryCondition]
    /// The reference solution on the grid where the error is measured, or nil if none is known:
    /// trainings then report, and studies reward, an error estimate computed from the trained
    /// networks alone (docs/ERROR-ESTIMATE.md). No default, so that a family states which.
    func referenceSolution(_ s: ParameterValues) throws -> GridSolution?
    /// The axis along which the reference solution is periodic (its grid then omits the upper end).
    var periodicAxis: Int? { get }
    /// The instance used when the user gives no parameters. Default: the middle of every range.
    var defaultParameters: ParameterValues { get }
}

extension PDEFamily {
    public func flux(_ s: ParameterValues, normalAxis: Int) -> DerivativeExpression { .u(.unit(normalAxis, dimension: 2)) }
    public var periodicAxis: Int? { nil }

    /// Validates user-given parameter values.
    public func parameterValues(_ given: [String: Double]) throws -> ParameterValues {
        try ParameterValues(given, for: parameters, family: name)
    }

    /// The middle of every parameter range. Not checked here (a family's parameter list may be
    /// wrong); `validate` checks it.
    public var defaultParameters: ParameterValues {
        ParameterValues(names: parameters.map(\.name), values: parameters.map { ($0.range.lowerBound + $0.range.upperBound) / 2 })
    }
}

/// Equally spaced values from a to b inclusive.
public func linspace(_ a: Double, _ b: Double, _ n: Int) -> [Double] {
    n == 1 ? [a] : (0..<n).map { a + (b - a) * Double($0) / Double(n - 1) }
}

extension GridSolution {
    /// A grid solution from a closed form u(x, y).
    public init(x: [Double], y: [Double], _ u: (Double, Double) -> Double) {
        var v = [Double]()
        v.reserveCapacity(x.count * y.count)
        for xi in x { for yj in y { v.append(u(xi, yj)) } }
        self.init(x: x, y: y, values: v)
    }

    /// Bilinear interpolation; with `periodicAxis`, the grid wraps (its last point is one step
    /// short of the period's end, as for a Fourier grid).
    public func interpolate(_ point: [Double], periodicAxis: Int? = nil) -> Double {
        func locate(_ grid: [Double], _ v: Double, periodic: Bool) -> (Int, Int, Double) {
            let n = grid.count
            if periodic {
                let h = grid[1] - grid[0]
                var s = (v - grid[0]) / h
                let cells = Double(n)
                s = s - (s / cells).rounded(.down) * cells
                let i = min(Int(s), n - 1)
                return (i, (i + 1) % n, s - Double(i))
            }
            if v <= grid[0] { return (0, min(1, n - 1), 0) }
            if v >= grid[n - 1] { return (n - 2, n - 1, 1) }
            var lo = 0, hi = n - 1
            while hi - lo > 1 { let mid = (lo + hi) / 2; if grid[mid] <= v { lo = mid } else { hi = mid } }
            return (lo, hi, (v - grid[lo]) / (grid[hi] - grid[lo]))
        }
        let (i0, i1, fx) = locate(x, point[0], periodic: periodicAxis == 0)
        let (j0, j1, fy) = locate(y, point[1], periodic: periodicAxis == 1)
        let v00 = value(atXIndex: i0, yIndex: j0), v01 = value(atXIndex: i0, yIndex: j1)
        let v10 = value(atXIndex: i1, yIndex: j0), v11 = value(atXIndex: i1, yIndex: j1)
        return (1 - fx) * ((1 - fy) * v00 + fy * v01) + fx * ((1 - fy) * v10 + fy * v11)
    }
}

import Foundation
import ReferenceSolvers

/// u_t = u_xx on [−1, 1] × [0, 1] with initial and boundary values of the exact solution
/// u = a e^{−π²t} cos πx + b e^{−4π²t} cos 2πx + c e^{4t−4} cosh 2x + d e^{t−1} sinh x.
public struct HeatFamily: PDEFamily {
    public init() {}
    public let name = "heat"
    public let equation = "u_t = u_xx, initial and boundary values from the exact solution"
    public let parameters = ["a", "b", "c", "d"].map { FamilyParameter($0, -2...2, "coefficient") }
    public let domain = Box(lower: [-1, 0], upper: [1, 1])
    public var decomposition: Decomposition {
        .strips(of: domain, along: 1, cuts: [0.5], interfacePoints: 101)
    }

    static func exact(_ s: ParameterValues, _ x: Double, _ t: Double) -> Double {
        s["a"] * exp(-Double.pi * .pi * t) * cos(.pi * x) + s["b"] * exp(-4 * Double.pi * .pi * t) * cos(2 * .pi * x)
            + s["c"] * exp(4 * t - 4) * cosh(2 * x) + s["d"] * exp(t - 1) * sinh(x)
    }

    /// The middle of the ranges is u ≡ 0; the default mixes all four modes instead.
    public var defaultParameters: ParameterValues {
        try! parameterValues(["a": 1, "b": 0.5, "c": -0.5, "d": 1])
    }

    public func residual(_ s: ParameterValues) -> DerivativeExpression {
        .u(.xy(0, 1)) - .u(.xy(2, 0))
    }

    public func conditions(_ s: ParameterValues) -> [BoundaryCondition] {
        let u: @Sendable ([Double]) -> Double = { Self.exact(s, $0[0], $0[1]) }
        return [.dirichlet(.bottom, value: u), .dirichlet(.left, value: u), .dirichlet(.right, value: u)]
    }

    public func referenceSolution(_ s: ParameterValues) throws -> GridSolution? {
        GridSolution(x: linspace(-1, 1, 101), y: linspace(0, 1, 101)) { Self.exact(s, $0, $1) }
    }
}

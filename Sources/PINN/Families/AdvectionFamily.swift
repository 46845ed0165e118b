import Foundation
import ReferenceSolvers

/// u_t + β u_x = 0 on [0, 2π] × [0, 1], u(x, 0) = sin x, periodic in x; exact u = sin(x − βt).
public struct AdvectionFamily: PDEFamily {
    public init() {}
    public let name = "advection"
    public let equation = "u_t + beta u_x = 0, u(x,0) = sin x, periodic in x"
    public let parameters = [FamilyParameter("beta", 1...30, "wave speed")]
    public let domain = Box(lower: [0, 0], upper: [2 * .pi, 1])
    public var decomposition: Decomposition {
        .strips(of: domain, along: 1, cuts: [0.5], interfacePoints: 101)
    }

    public func residual(_ s: ParameterValues) -> DerivativeExpression {
        .u(.xy(0, 1)) + s["beta"] * .u(.xy(1, 0))
    }

    public func conditions(_ s: ParameterValues) -> [BoundaryCondition] {
        [.dirichlet(.bottom) { sin($0[0]) }, .periodic(axis: 0, derivatives: [.xy(0, 0)])]
    }

    public func referenceSolution(_ s: ParameterValues) throws -> GridSolution? {
        let beta = s["beta"]
        return GridSolution(x: linspace(0, 2 * .pi, 256), y: linspace(0, 1, 101)) { x, t in sin(x - beta * t) }
    }
}

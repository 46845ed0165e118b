import Foundation
import ReferenceSolvers

/// u_t − ρ u(1 − u) = 0 on [0, 2π] × [0, 1], u(x, 0) = h(x) a Gaussian bump, periodic in x;
/// exact u = h e^{ρt} / (h e^{ρt} + 1 − h).
public struct ReactionFamily: PDEFamily {
    public init() {}
    public let name = "reaction"
    public let equation = "u_t - rho u (1 - u) = 0, u(x,0) = exp(-(x-pi)^2 / (2 (pi/4)^2)), periodic in x"
    public let parameters = [FamilyParameter("rho", 1...15, "reaction rate")]
    public let domain = Box(lower: [0, 0], upper: [2 * .pi, 1])
    public var decomposition: Decomposition {
        .strips(of: domain, along: 1, cuts: [0.5], interfacePoints: 101)
    }

    static func initialValue(_ x: Double) -> Double {
        exp(-(x - .pi) * (x - .pi) / (2 * (.pi / 4) * (.pi / 4)))
    }

    public func residual(_ s: ParameterValues) -> DerivativeExpression {
        let u = DerivativeExpression.value()
        return .u(.xy(0, 1)) - s["rho"] * (u - u * u)
    }

    public func conditions(_ s: ParameterValues) -> [BoundaryCondition] {
        [.dirichlet(.bottom) { Self.initialValue($0[0]) }, .periodic(axis: 0, derivatives: [.xy(0, 0)])]
    }

    public func referenceSolution(_ s: ParameterValues) throws -> GridSolution? {
        let rho = s["rho"]
        return GridSolution(x: linspace(0, 2 * .pi, 101), y: linspace(0, 1, 101)) { x, t in
            let h = Self.initialValue(x), e = exp(rho * t)
            return h * e / (h * e + 1 - h)
        }
    }
}

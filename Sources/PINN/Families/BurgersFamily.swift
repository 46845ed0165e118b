import Foundation
import ReferenceSolvers

/// u_t + u u_x − ν u_xx = 0 on [−1, 1] × [0, 1], u(x, 0) = −sin πx, u(±1, t) = 0.
///
/// Split at x = ±0.1: subdomain 0 is the outer region (two pieces, one network), subdomain 1
/// the strip |x| < 0.1 where the shock forms; the interface is both lines. The flux across
/// x = const is u²/2 − ν u_x. Reference: the Hopf–Cole integral (`BurgersHopfCole`).
public struct BurgersFamily: PDEFamily {
    public init() {}
    public let name = "burgers"
    public let equation = "u_t + u u_x - nu u_xx = 0, u(x,0) = -sin(pi x), u(-1,t) = u(1,t) = 0"
    public let parameters = [FamilyParameter("nu", 0.001...0.05, "viscosity")]
    public let domain = Box(lower: [-1, 0], upper: [1, 1])
    public var decomposition: Decomposition {
        let outer = Subdomain(pieces: [Box(lower: [-1, 0], upper: [-0.1, 1]), Box(lower: [0.1, 0], upper: [1, 1])])
        let strip = Subdomain(pieces: [Box(lower: [-0.1, 0], upper: [0.1, 1])])
        let t = linspace(0, 1, 401)
        return Decomposition(subdomains: [outer, strip], interfaces: [
            Interface(between: 0, and: 1, lines: [InterfaceLine(normalAxis: 0, position: -0.1, along: t),
                                                  InterfaceLine(normalAxis: 0, position: 0.1, along: t)]),
        ])
    }

    public func residual(_ s: ParameterValues) -> DerivativeExpression {
        let u = DerivativeExpression.value()
        return .u(.xy(0, 1)) + u * .u(.xy(1, 0)) - s["nu"] * .u(.xy(2, 0))
    }

    public func flux(_ s: ParameterValues, normalAxis: Int) -> DerivativeExpression {
        let u = DerivativeExpression.value()
        return normalAxis == 0 ? 0.5 * u * u - s["nu"] * .u(.xy(1, 0)) : .u(.xy(0, 1))
    }

    public func conditions(_ s: ParameterValues) -> [BoundaryCondition] {
        [.dirichlet(.bottom) { -sin(.pi * $0[0]) }, .dirichlet(.left) { _ in 0 }, .dirichlet(.right) { _ in 0 }]
    }

    public func referenceSolution(_ s: ParameterValues) throws -> GridSolution? {
        BurgersHopfCole(viscosity: s["nu"]).grid(nx: 401, nt: 401)
    }
}

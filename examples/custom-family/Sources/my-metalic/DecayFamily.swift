import Foundation
import PINN

/// u_t + k u = 0 on [0, 1] × [0, 1], u(x, 0) = sin πx: exact u = e^{−kt} sin πx.
struct DecayFamily: PDEFamily {
    let name = "decay"
    let equation = "u_t + k u = 0, u(x,0) = sin(pi x)"
    let parameters = [FamilyParameter("k", 0.5...3, "decay rate")]
    let domain = Box(lower: [0, 0], upper: [1, 1])
    var decomposition: Decomposition { .strips(of: domain, along: 1, cuts: [0.5], interfacePoints: 21) }

    func residual(_ s: ParameterValues) -> DerivativeExpression { .u(.xy(0, 1)) + s["k"] * .value() }

    func conditions(_ s: ParameterValues) -> [BoundaryCondition] { [.dirichlet(.bottom) { sin(.pi * $0[0]) }] }

    func referenceSolution(_ s: ParameterValues) throws -> GridSolution? {
        GridSolution(x: linspace(0, 1, 21), y: linspace(0, 1, 21)) { x, t in exp(-s["k"] * t) * sin(.pi * x) }
    }
}

import XCTest
import Foundation
import PINN
import ReferenceSolvers

// The README's example of adding a family, verbatim: one small type against `PDEFamily`.

/// u_t = κ u_xx on [0, 1] × [0, 0.5], u(x, 0) = sin πx, u(0, t) = u(1, t) = 0; exact e^{−κπ²t} sin πx.
struct DiffusionFamily: PDEFamily {
    let name = "diffusion"
    let equation = "u_t = kappa u_xx, u(x,0) = sin(pi x), u(0,t) = u(1,t) = 0"
    let parameters = [FamilyParameter("kappa", 0.1...1, "diffusivity")]
    let domain = Box(lower: [0, 0], upper: [1, 0.5])
    var decomposition: Decomposition { .strips(of: domain, along: 1, cuts: [0.25], interfacePoints: 51) }

    func residual(_ s: ParameterValues) -> DerivativeExpression { .u(.xy(0, 1)) - s["kappa"] * .u(.xy(2, 0)) }

    func conditions(_ s: ParameterValues) -> [BoundaryCondition] {
        [.dirichlet(.bottom) { sin(.pi * $0[0]) }, .dirichlet(.left) { _ in 0 }, .dirichlet(.right) { _ in 0 }]
    }

    func referenceSolution(_ s: ParameterValues) throws -> GridSolution? {
        let kappa = s["kappa"]
        return GridSolution(x: linspace(0, 1, 51), y: linspace(0, 0.5, 51)) { x, t in exp(-kappa * .pi * .pi * t) * sin(.pi * x) }
    }
}

final class CustomFamilyTests: XCTestCase {
    func testAFamilyDefinedOutsideTheLibraryTrains() throws {
        let family = DiffusionFamily()
        let s = try family.parameterValues(["kappa": 0.5])
        var options = TrainingOptions(adamIterations: 500, lbfgsIterations: 1000)
        options.errorEvery = 0
        let solver = try XPINNSolver(family: family, parameters: s, options: options)
        let result = solver.train(adamArm: try InterfaceArm(parsing: "u,rc"))
        print("diffusion κ = 0.5: error \(result.error) in \(result.trainingSeconds) s")
        XCTAssertLessThan(result.error, 2e-2)
        XCTAssertThrowsError(try family.parameterValues(["kappa": 2]))
    }
}

import Foundation
import ReferenceSolvers

/// u_t + c u u_x + u_xxx = 0 on [0, L) × [0, 20], L = 20, periodic in x, a two-soliton initial
/// condition; split at t = 10. Forward protocol: periodicity of u and u_x as loss terms.
/// Reference: Fourier pseudo-spectral in x (64 points) with an accurate time integrator.
public struct KdVFamily: PDEFamily {
    public init() {}
    public static let length = 20.0
    public let name = "kdv"
    public let equation = "u_t + c u u_x + u_xxx = 0, periodic on [0, 20), two-soliton initial condition"
    public let parameters = [FamilyParameter("c", 1...10, "nonlinearity")]
    public let domain = Box(lower: [0, 0], upper: [KdVFamily.length, 20])
    public var periodicAxis: Int? { 0 }
    public var decomposition: Decomposition {
        .strips(of: domain, along: 1, cuts: [10], interfacePoints: 64, excludeUpperEndpoint: true)
    }

    public func residual(_ s: ParameterValues) -> DerivativeExpression {
        .u(.xy(0, 1)) + s["c"] * .value() * .u(.xy(1, 0)) + .u(.xy(3, 0))
    }

    public func conditions(_ s: ParameterValues) -> [BoundaryCondition] {
        [.dirichlet(.bottom) { KdVSpectralSolver.referenceInitialValue(x: $0[0], length: KdVFamily.length) },
         .periodic(axis: 0, derivatives: [.xy(0, 0), .xy(1, 0)])]
    }

    public func referenceSolution(_ s: ParameterValues) throws -> GridSolution {
        KdVSpectralSolver.referenceGrid(c: s["c"])
    }
}

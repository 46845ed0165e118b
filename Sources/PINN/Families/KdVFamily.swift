import Foundation
import ReferenceSolvers

/// u_t + c u u_x + u_xxx = 0 on [0, L) × [0, 20], L = 20, periodic in x, a two-soliton initial
/// condition; split at t = 10. Forward protocol: periodicity of u and u_x as loss terms.
/// Reference (`KdVSpectralSolver.referenceGrid`): dealiased Fourier–Galerkin on 128 points with
/// Richardson-extrapolated ETDRK4 for the modes ≤ 32, a normal-form description of the modes up to
/// 1365, sampled on the 64 × 501 error grid; within 1.5e−4 of the converged solution there
/// (relative L2, c ∈ [1, 10]), ~1.3 s per instance. The initial data are not periodic (a jump of
/// 4.3e−3 at x = 0), so the solution stays rough and the grid values converge only like N^{−1/2}.
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

    public func referenceSolution(_ s: ParameterValues) throws -> GridSolution? {
        KdVSpectralSolver.referenceGrid(c: s["c"])
    }
}

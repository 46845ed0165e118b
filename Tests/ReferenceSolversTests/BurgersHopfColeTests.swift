import Foundation
import XCTest
import ReferenceSolvers

final class BurgersHopfColeTests: XCTestCase {
    /// Basdevant et al. (1986), ν = 0.01/π: the steepest slope, max_t |u_x(0, t)| = 152.00516,
    /// is reached at t = 1.6037/π.
    func testBasdevantBenchmarkSlope() {
        let solution = BurgersHopfCole(viscosity: 0.01 / Double.pi)
        let slope = solution.derivativeX(x: 0, t: 1.6037 / Double.pi)
        XCTAssertEqual(slope, -152.00516, accuracy: 1e-4 * 152.00516)
        XCTAssertEqual(solution.value(x: 0, t: 1.6037 / Double.pi), 0, accuracy: 1e-13)
    }

    /// The derivative formula against a centred difference of `value` (h = 1e−5, error ~h²u''').
    func testDerivativeMatchesDifferenceQuotient() {
        for nu in [0.003, 0.05] {
            let solution = BurgersHopfCole(viscosity: nu)
            for (x, t) in [(0.3, 0.2), (-0.7, 0.9), (0.05, 0.5)] {
                let h = 1e-5
                let difference = (solution.value(x: x + h, t: t) - solution.value(x: x - h, t: t)) / (2 * h)
                let exact = solution.derivativeX(x: x, t: t)
                XCTAssertEqual(exact, difference, accuracy: 1e-5 * max(1, abs(exact)), "ν = \(nu), x = \(x), t = \(t)")
            }
        }
    }

    /// An independent solution of the PDE: conservative second-order central differences,
    /// u_t = −(u²/2)_x + ν u_xx, with classical RK4 in time, at ν = 0.05 on h = 1/100 and 1/200.
    /// The errors must fall like h² towards the Hopf–Cole values and their Richardson extrapolation
    /// must match them to 1e−6 (measured: errors 3.8e−4, 9.5e−5, extrapolated 1.8e−7).
    func testAgreesWithFiniteDifferenceSolution() {
        let nu = 0.05, finalTime = 0.5
        let solution = BurgersHopfCole(viscosity: nu)
        func finiteDifference(intervals: Int) -> [Double] {
            let h = 2 / Double(intervals)
            let xs = (0...intervals).map { -1 + h * Double($0) }
            var u = xs.map { -sin(Double.pi * $0) }
            u[0] = 0; u[intervals] = 0
            let steps = Int((finalTime / (0.4 * h * h / nu)).rounded(.up))
            let dt = finalTime / Double(steps)
            func rate(_ u: [Double]) -> [Double] {
                var r = [Double](repeating: 0, count: u.count)
                for i in 1..<(u.count - 1) {
                    let flux = (u[i + 1] * u[i + 1] - u[i - 1] * u[i - 1]) / (4 * h)
                    r[i] = -flux + nu * (u[i + 1] - 2 * u[i] + u[i - 1]) / (h * h)
                }
                return r
            }
            func axpy(_ a: [Double], _ s: Double, _ b: [Double]) -> [Double] { zip(a, b).map { $0 + s * $1 } }
            for _ in 0..<steps {
                let k1 = rate(u), k2 = rate(axpy(u, dt / 2, k1)), k3 = rate(axpy(u, dt / 2, k2)), k4 = rate(axpy(u, dt, k3))
                for i in 0..<u.count { u[i] += dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) }
            }
            return u
        }
        let coarse = finiteDifference(intervals: 200), fine = finiteDifference(intervals: 400)
        var coarseError = 0.0, fineError = 0.0, extrapolatedError = 0.0
        for i in 0...200 {
            let x = -1 + 0.01 * Double(i)
            let exact = solution.value(x: x, t: finalTime)
            coarseError = max(coarseError, abs(coarse[i] - exact))
            fineError = max(fineError, abs(fine[2 * i] - exact))
            extrapolatedError = max(extrapolatedError, abs((4 * fine[2 * i] - coarse[i]) / 3 - exact))
        }
        XCTAssertLessThan(fineError, 1e-4)
        XCTAssertEqual(coarseError / fineError, 4, accuracy: 0.4, "errors \(coarseError), \(fineError)")
        XCTAssertLessThan(extrapolatedError, 1e-6)
    }

    /// At ν = 0.001 the default composite rule and the refined one (1.6× the nodes per panel, half
    /// the panel width, cutoff e^{−50}) agree to 1e−12 over the grid; the reference implementation's 100-node
    /// Gauss–Hermite rule does not (measured: relative L2 4.3e−8, max 1.1e−6 on the 401 × 401 grid;
    /// 6.4e−9 on the coarser grid here), while at ν = 0.003 and 0.05 it agrees with the composite
    /// rule to ~1e−14.
    func testQuadratureConvergenceAndGaussHermiteFailure() throws {
        let hermite = try GaussHermiteRule(count: 100)
        func relativeL2(_ a: GridSolution, _ b: GridSolution) -> Double {
            var n = 0.0, d = 0.0
            for k in 0..<a.values.count { n += pow(a.values[k] - b.values[k], 2); d += b.values[k] * b.values[k] }
            return (n / d).squareRoot()
        }
        let standard = BurgersHopfCole(viscosity: 0.001).grid(nx: 81, nt: 41)
        let refined = BurgersHopfCole(viscosity: 0.001, quadrature: .refined).grid(nx: 81, nt: 41)
        let maxDifference = zip(standard.values, refined.values).map { abs($0 - $1) }.max()!
        XCTAssertLessThan(maxDifference, 1e-12)
        let hermite001 = BurgersHopfCole(viscosity: 0.001, quadrature: .gaussHermite(hermite)).grid(nx: 81, nt: 41)
        let hermiteError = relativeL2(hermite001, standard)
        XCTAssertGreaterThan(hermiteError, 1e-9)
        XCTAssertLessThan(hermiteError, 1e-6)
        for nu in [0.003, 0.05] {
            let composite = BurgersHopfCole(viscosity: nu).grid(nx: 41, nt: 21)
            let gaussHermite = BurgersHopfCole(viscosity: nu, quadrature: .gaussHermite(hermite)).grid(nx: 41, nt: 21)
            XCTAssertLessThan(relativeL2(gaussHermite, composite), 1e-12, "ν = \(nu)")
        }
    }

    /// u(−x, t) = −u(x, t) and u(±1, t) = 0 from the pointwise evaluation (which does not use the
    /// symmetry); the grid's t = 0 row is −sin πx and its interior matches `value`.
    func testSymmetryBoundaryAndGrid() {
        for nu in [0.001, 0.0123, 0.05] {
            let solution = BurgersHopfCole(viscosity: nu)
            for t in [0.01, 0.3, 0.77, 1.0] {
                XCTAssertEqual(solution.value(x: 1, t: t), 0, accuracy: 1e-12)
                XCTAssertEqual(solution.value(x: -1, t: t), 0, accuracy: 1e-12)
                for x in [0.013, 0.2, 0.5, 0.93] {
                    XCTAssertEqual(solution.value(x: -x, t: t), -solution.value(x: x, t: t), accuracy: 1e-12)
                }
            }
            let grid = solution.grid(nx: 21, nt: 11)
            XCTAssertEqual(grid.x.first, -1); XCTAssertEqual(grid.x.last, 1)
            XCTAssertEqual(grid.y.first, 0); XCTAssertEqual(grid.y.last, 1)
            for i in 0..<21 {
                XCTAssertEqual(grid.value(atXIndex: i, yIndex: 0), -sin(Double.pi * grid.x[i]), accuracy: 1e-15)
                for j in 1..<11 {
                    XCTAssertEqual(grid.value(atXIndex: i, yIndex: j), solution.value(x: grid.x[i], t: grid.y[j]), accuracy: 1e-12)
                }
            }
        }
    }

    /// Sanity of the physics: the shock steepens as ν falls, and |u| ≤ 1 (maximum principle).
    func testMaximumPrincipleAndSteepening() {
        let grid = BurgersHopfCole(viscosity: 0.001).grid(nx: 41, nt: 21)
        XCTAssertLessThanOrEqual(grid.values.map(abs).max()!, 1 + 1e-12)
        let steep = BurgersHopfCole(viscosity: 0.001).derivativeX(x: 0, t: 1)
        let mild = BurgersHopfCole(viscosity: 0.05).derivativeX(x: 0, t: 1)
        XCTAssertLessThan(steep, 10 * mild)
        XCTAssertLessThan(mild, 0)
    }
}

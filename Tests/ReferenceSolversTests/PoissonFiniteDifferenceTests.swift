import Foundation
import XCTest
import ReferenceSolvers

final class PoissonFiniteDifferenceTests: XCTestCase {
    /// Manufactured solution u = eˣ sin y + x²y (Δu = 2y): the 5-point stencil is second order,
    /// so the max error falls by 4 each time h halves (its h² term, (u_xxxx + u_yyyy)/12, is nonzero).
    func testSecondOrderConvergence() throws {
        let exact = { (x: Double, y: Double) in exp(x) * sin(y) + x * x * y }
        var errors: [Double] = []
        for n in [21, 41, 81] {
            let grid = try PoissonFiniteDifference.solve(n: n, source: { _, y in 2 * y }, boundary: exact)
            var error = 0.0
            for i in 0..<n {
                for j in 0..<n {
                    error = max(error, abs(grid.value(atXIndex: i, yIndex: j) - exact(grid.x[i], grid.y[j])))
                }
            }
            errors.append(error)
        }
        XCTAssertLessThan(errors[2], 1e-5)
        XCTAssertEqual(errors[0] / errors[1], 4, accuracy: 0.2, "\(errors)")
        XCTAssertEqual(errors[1] / errors[2], 4, accuracy: 0.2, "\(errors)")
    }

    /// A quadratic is reproduced exactly (the stencil's truncation error vanishes).
    func testExactForQuadratics() throws {
        let exact = { (x: Double, y: Double) in 1 + x - 2 * y + 3 * x * x + x * y - y * y }
        let grid = try PoissonFiniteDifference.solve(n: 17, source: { _, _ in 4 }, boundary: exact)
        for i in 0..<17 {
            for j in 0..<17 {
                XCTAssertEqual(grid.value(atXIndex: i, yIndex: j), exact(grid.x[i], grid.y[j]), accuracy: 1e-12)
            }
        }
    }

    /// g peaks at 1 in the centre, is symmetric, and is the normalised product of erf differences.
    func testSourceNormalisation() {
        for s in [1.0, 10.0, 50.0] {
            XCTAssertEqual(PoissonFiniteDifference.source(s: s, x: 0.5, y: 0.5), 1, accuracy: 1e-15)
            for (x, y) in [(0.1, 0.3), (0.45, 0.5), (0.9, 0.02), (0.5, 0.51)] {
                let g = PoissonFiniteDifference.source(s: s, x: x, y: y)
                // Strictly inside (0, 1) unless erf saturates in double precision (large s).
                XCTAssertLessThanOrEqual(g, 1)
                XCTAssertGreaterThanOrEqual(g, 0)
                if s <= 10 { XCTAssertLessThan(g, 1); XCTAssertGreaterThan(g, 0) }
                XCTAssertEqual(g, PoissonFiniteDifference.source(s: s, x: y, y: x), accuracy: 1e-15)
                XCTAssertEqual(g, PoissonFiniteDifference.source(s: s, x: 1 - x, y: y), accuracy: 1e-14)
                let qx = erf(s * (x - 0.25)) - erf(s * (x - 0.75)), qy = erf(s * (y - 0.25)) - erf(s * (y - 0.75))
                XCTAssertEqual(g, qx * qy / pow(2 * erf(s / 4), 2), accuracy: 1e-14)
            }
        }
    }

    /// The reference problem is invariant under x ↔ y and x → 1 − x, and so is its solution; the
    /// boundary carries g; the interior solution is below the boundary data where g > 0 (Δu = g ≥ 0
    /// makes u subharmonic, so u is at most its boundary maximum).
    func testReferenceSymmetry() throws {
        let n = 41
        let grid = try PoissonFiniteDifference.referenceGrid(s: 10, n: n)
        let scale = grid.values.map(abs).max()!
        for i in 0..<n {
            for j in 0..<n {
                let u = grid.value(atXIndex: i, yIndex: j)
                XCTAssertEqual(u, grid.value(atXIndex: j, yIndex: i), accuracy: 1e-12 * scale)
                XCTAssertEqual(u, grid.value(atXIndex: n - 1 - i, yIndex: j), accuracy: 1e-12 * scale)
            }
        }
        XCTAssertEqual(grid.value(atXIndex: 0, yIndex: 20), PoissonFiniteDifference.source(s: 10, x: 0, y: 0.5))
        let boundaryMax = (0..<n).map { grid.value(atXIndex: 0, yIndex: $0) }.max()!
        XCTAssertLessThanOrEqual(grid.values.max()!, boundaryMax + 1e-14)
    }

    /// The n = 101 reference differs from a twice finer grid by O(h²) at shared points.
    func testReferenceGridIsResolved() throws {
        let coarse = try PoissonFiniteDifference.referenceGrid(s: 50, n: 51)
        let fine = try PoissonFiniteDifference.referenceGrid(s: 50, n: 101)
        XCTAssertEqual(fine.x.count, 101)
        var difference = 0.0
        for i in 0..<51 {
            for j in 0..<51 {
                difference = max(difference, abs(coarse.value(atXIndex: i, yIndex: j) - fine.value(atXIndex: 2 * i, yIndex: 2 * j)))
            }
        }
        let scale = fine.values.map(abs).max()!
        XCTAssertLessThan(difference / scale, 2e-3)   // measured 3.9e−4
    }
}

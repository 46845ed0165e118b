import Foundation
import XCTest
import ReferenceSolvers

final class KdVSpectralSolverTests: XCTestCase {
    /// The exact soliton u = (3v/c) sech²(½√v (x − x₀ − vt)). With v = 1 and L = 60 the periodic
    /// images contribute ≤ 4e^{−30} ≈ 4e−13 and the spectrum at N = 256 (κ_max ≈ 13.4) is below
    /// e^{−πκ_max/√v} ≈ 1e−18, so the periodic solver must reproduce it to its time accuracy.
    func testTravellingSoliton() {
        let c = 3.0, v = 1.0, length = 60.0, finalTime = 15.0
        func exact(_ x: Double, _ t: Double) -> Double {
            var d = x - length / 4 - v * t
            d -= length * (d / length).rounded()
            let s = 1 / cosh(0.5 * v.squareRoot() * d)
            return 3 * v / c * s * s
        }
        let solver = KdVSpectralSolver(c: c, length: length, points: 256, maximumTimeStep: 0.01)
        let xs = solver.grid
        let result = solver.solve(initial: xs.map { exact($0, 0) }, times: [0, 7.5, finalTime])
        XCTAssertEqual(result.count, 3)
        XCTAssertEqual(result[0], xs.map { exact($0, 0) })
        for (index, t) in [(1, 7.5), (2, finalTime)] {
            let error = zip(result[index], xs.map { exact($0, t) }).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(error / (3 * v / c), 1e-6, "t = \(t)")
        }
    }

    /// The KdV family's initial data (docs/FAMILIES.md): exact values at the grid, and the reference grid's layout.
    func testReferenceGridLayoutAndInitialData() {
        let grid = KdVSpectralSolver.referenceGrid(c: 6, finalTime: 0.2, timeCount: 6)
        XCTAssertEqual(grid.x.count, 64)
        XCTAssertEqual(grid.y.count, 6)
        XCTAssertEqual(grid.x[1], 20.0 / 64, accuracy: 1e-15)
        XCTAssertEqual(grid.y.last, 0.2)
        for i in 0..<64 {
            let x = grid.x[i]
            func sech2(_ z: Double) -> Double { 1 / (cosh(z) * cosh(z)) }
            let u0 = 0.375 * sech2(0.5 * 0.75.squareRoot() * (x - 6.6)) + 0.2 * sech2(0.5 * 0.4.squareRoot() * (x - 13))
            XCTAssertEqual(grid.value(atXIndex: i, yIndex: 0), u0, accuracy: 1e-15)
        }
        // Each soliton-like bump moves right (the taller one faster): the argmax advances.
        let initialPeak = (0..<64).max { grid.value(atXIndex: $0, yIndex: 0) < grid.value(atXIndex: $1, yIndex: 0) }!
        XCTAssertEqual(initialPeak, 21)   // x = 6.5625, nearest to 0.33 L = 6.6
    }

    /// Mass ∫u dx = L · mean(u) is an invariant of KdV; the scheme keeps mode 0 fixed.
    func testMassIsConserved() {
        let length = 20.0
        for c in [1.0, 10.0] {
            let solver = KdVSpectralSolver(c: c, length: length, points: 64, maximumTimeStep: 0.04 / 16)
            let initial = solver.grid.map { KdVSpectralSolver.referenceInitialValue(x: $0, length: length) }
            let mass0 = initial.reduce(0, +) * length / 64
            for u in solver.solve(initial: initial, times: [0.5, 1, 2]) {
                XCTAssertEqual(u.reduce(0, +) * length / 64, mass0, accuracy: 1e-10 * mass0)
            }
        }
    }

    /// Plain ETDRK4 is fourth order (differences fall ~16× per halving of h), and the Richardson
    /// combination is far more accurate than either run at the same h.
    func testTimeStepConvergence() {
        let length = 20.0, c = 10.0
        let times = [0.5, 1.0]
        func run(_ m: Int, _ extrapolate: Bool) -> [Double] {
            let solver = KdVSpectralSolver(c: c, length: length, points: 64, maximumTimeStep: 0.04 / Double(m),
                                           richardsonExtrapolation: extrapolate)
            let initial = solver.grid.map { KdVSpectralSolver.referenceInitialValue(x: $0, length: length) }
            return solver.solve(initial: initial, times: times).flatMap { $0 }
        }
        func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { abs($0 - $1) }.max()! }
        let plain = [32, 64, 128].map { run($0, false) }
        let d1 = distance(plain[0], plain[1]), d2 = distance(plain[1], plain[2])
        XCTAssertEqual(log2(d1 / d2), 4, accuracy: 0.5, "differences \(d1), \(d2)")
        let extrapolated = run(32, true)            // uses h = 0.04/32 and 0.04/64
        let truth = run(128, true)
        XCTAssertLessThan(distance(extrapolated, truth), 0.1 * distance(plain[1], truth))
        XCTAssertLessThan(distance(extrapolated, truth), 1e-8)
    }
}

import XCTest
@testable import Optimization

final class StrongWolfeLineSearchTests: XCTestCase {
    /// Runs a search from x along d and checks the returned point against the definition.
    private func checkWolfe(_ body: @escaping ([Double], inout [Double]) -> Double, x: [Double], d: [Double],
                            initialStep: Double, file: StaticString = #filePath, line: UInt = #line) -> StrongWolfeLineSearch.Result {
        var objective = ClosureObjective(dimension: x.count, body)
        var g0 = [Double](repeating: 0, count: x.count)
        let f0 = body(x, &g0)
        let slope0 = zip(g0, d).map(*).reduce(0, +)
        var g = g0
        let search = StrongWolfeLineSearch()
        let result = search.search(&objective, from: x, direction: d, initialStep: initialStep, value: f0,
                                   directionalDerivative: slope0, gradient: &g)
        XCTAssertEqual(result.outcome, .strongWolfe, file: file, line: line)
        let t = result.step
        let xt = zip(x, d).map { $0 + t * $1 }
        var gt = [Double](repeating: 0, count: x.count)
        let ft = body(xt, &gt)
        XCTAssertEqual(result.value, ft, "value is f(x + t d)", file: file, line: line)
        XCTAssertEqual(g, gt, "gradient is ∇f(x + t d)", file: file, line: line)
        XCTAssertLessThanOrEqual(ft, f0 + 1e-4 * t * slope0, "sufficient decrease", file: file, line: line)
        XCTAssertLessThanOrEqual(abs(zip(gt, d).map(*).reduce(0, +)), 0.9 * abs(slope0), "curvature", file: file, line: line)
        XCTAssertLessThanOrEqual(result.evaluations, search.maxEvaluations, file: file, line: line)
        return result
    }

    func testStepTooShortIsExtended() {
        // φ(t) = (t − 3)²: starting at t = 0.01 the search must extrapolate.
        let r = checkWolfe({ x, g in g[0] = 2 * (x[0] - 3); return (x[0] - 3) * (x[0] - 3) },
                           x: [0], d: [1], initialStep: 0.01)
        XCTAssertGreaterThan(r.step, 0.3)
    }

    func testStepTooLongIsShortened() {
        let r = checkWolfe({ x, g in g[0] = 2 * (x[0] - 3); return (x[0] - 3) * (x[0] - 3) },
                           x: [0], d: [1], initialStep: 1000)
        XCTAssertLessThan(r.step, 6)
    }

    func testRosenbrockSteepestDescent() {
        var g = [0.0, 0.0]
        _ = TestProblems.rosenbrock([-1.2, 1], &g)
        _ = checkWolfe(TestProblems.rosenbrock, x: [-1.2, 1], d: g.map { -$0 }, initialStep: 1)
    }

    func testNonFiniteTrialsShrinkTheStep() {
        // f = exp(t) − 2t is +∞ for t > 700: the huge first trial overflows.
        let r = checkWolfe({ x, g in
            let e = exp(x[0])
            g[0] = e - 2
            return e - 2 * x[0]
        }, x: [0], d: [1], initialStep: 1e6)
        XCTAssertTrue(r.encounteredNonFinite)
    }

    func testNoDescentReportsNoProgressAndKeepsGradient() {
        var objective = ClosureObjective(dimension: 1) { x, g in g[0] = 1; return x[0] }
        var g = [1.0]
        // Claims a descent slope along d = +1, but f increases: no step can decrease f.
        let r = StrongWolfeLineSearch().search(&objective, from: [0], direction: [1], initialStep: 1, value: 0,
                                               directionalDerivative: -1, gradient: &g)
        XCTAssertEqual(r.outcome, .noProgress)
        XCTAssertEqual(r.step, 0)
        XCTAssertEqual(r.value, 0)
        XCTAssertEqual(g, [1.0])
        XCTAssertLessThanOrEqual(r.evaluations, 25)
    }

    func testCubicMinimizerIsExactForACubic() {
        // φ(t) = t³ − 3t has its local minimum at t = 1.
        typealias P = StrongWolfeLineSearch.Point
        let p = P(t: 0, f: 0, slope: -3), q = P(t: 2, f: 2, slope: 9)
        XCTAssertEqual(StrongWolfeLineSearch.cubicMinimizer(p, q, lower: 0, upper: 2), 1, accuracy: 1e-14)
        XCTAssertEqual(StrongWolfeLineSearch.cubicMinimizer(q, p, lower: 0, upper: 2), 1, accuracy: 1e-14)
        XCTAssertEqual(StrongWolfeLineSearch.cubicMinimizer(p, q, lower: 1.5, upper: 2), 1.5, "clamped")
        let bad = P(t: 2, f: .infinity, slope: .nan)
        XCTAssertEqual(StrongWolfeLineSearch.cubicMinimizer(p, bad, lower: 0, upper: 2), 1, "bisection fallback")
    }
}

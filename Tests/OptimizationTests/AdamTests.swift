import XCTest
@testable import Optimization

final class AdamTests: XCTestCase {
    func testReachesRosenbrockMinimum() {
        var objective = TestProblems.rosenbrockObjective
        var x = [-1.2, 1.0]
        let result = Adam(learningRate: 1e-2).minimize(&objective, from: &x, iterations: 10_000)
        XCTAssertEqual(result.stopReason, .completed)
        XCTAssertEqual(result.iterations, 10_000)
        XCTAssertLessThan(maxDistance(x, [1, 1]), 1e-3, "x = \(x)")
        XCTAssertLessThan(result.finalLoss, 1e-8)
        XCTAssertLessThanOrEqual(result.bestLoss, result.finalLoss)
    }

    func testReachesMinimiserOfIllConditionedQuadratic() {
        var objective = RotatedQuadratic(dimension: 10, conditionNumber: 1e4)
        var x = [Double](repeating: 0, count: 10)
        let result = Adam(learningRate: 0.05).minimize(&objective, from: &x, iterations: 10_000)
        XCTAssertEqual(result.stopReason, .completed)
        XCTAssertLessThan(maxDistance(x, objective.minimizer), 1e-6)
        XCTAssertEqual(objective.evaluations, 10_000, "exactly one evaluation per iteration")
    }

    /// The first steps of Adam on f(x) = ½ Σ xᵢ², written out by hand from the PyTorch update.
    func testFirstStepsMatchPyTorchFormula() {
        var objective = ClosureObjective(dimension: 2) { x, g in
            g[0] = x[0]; g[1] = x[1]
            return 0.5 * (x[0] * x[0] + x[1] * x[1])
        }
        let adam = Adam(learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        var x = [1.0, -2.0]
        _ = adam.minimize(&objective, from: &x, iterations: 2)
        // Step 1: m̂ = g, v̂ = g², so x ← x − lr · g / (|g| + ε).
        var expected = [1.0, -2.0]
        var m = [0.0, 0.0], v = [0.0, 0.0]
        for k in 1...2 {
            for i in 0..<2 {
                let g = expected[i]
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g * g
                let denominator = (v[i] / (1 - pow(0.999, Double(k)))).squareRoot() + 1e-8
                expected[i] -= 0.1 / (1 - pow(0.9, Double(k))) * m[i] / denominator
            }
        }
        XCTAssertEqual(x[0], expected[0], accuracy: 1e-15)
        XCTAssertEqual(x[1], expected[1], accuracy: 1e-15)
        XCTAssertEqual(x[0], 1.0 - 0.1 - 0.1, accuracy: 1e-3, "sign-like steps of size lr at the start")
    }

    func testNonFiniteLossRestoresLastFiniteParameters() {
        var calls = 0
        var seen: [[Double]] = []
        var objective = ClosureObjective(dimension: 2) { x, g in
            calls += 1
            seen.append(x)
            if calls == 5 { return .nan }
            return TestProblems.rosenbrock(x, &g)
        }
        var x = [-1.2, 1.0]
        var observed: [Double] = []
        let result = Adam(learningRate: 1e-2).minimize(&objective, from: &x, iterations: 100) { _, loss in
            observed.append(loss)
            return true
        }
        XCTAssertEqual(result.stopReason, .nonFiniteLoss)
        XCTAssertEqual(result.iterations, 4)
        XCTAssertEqual(calls, 5)
        XCTAssertEqual(x, seen[3], "x must be the parameters of the last finite evaluation")
        XCTAssertEqual(result.finalLoss, observed.last)
        XCTAssertTrue(x.allSatisfy(\.isFinite))
    }

    func testNonFiniteGradientIsDetected() {
        var calls = 0
        var objective = ClosureObjective(dimension: 2) { x, g in
            calls += 1
            let f = TestProblems.rosenbrock(x, &g)
            if calls >= 3 { g[1] = .infinity }
            return f
        }
        var x = [-1.2, 1.0]
        let result = Adam().minimize(&objective, from: &x, iterations: 10)
        XCTAssertEqual(result.stopReason, .nonFiniteLoss)
        XCTAssertEqual(result.iterations, 2)
        XCTAssertTrue(x.allSatisfy(\.isFinite))
    }

    func testNonFiniteFirstEvaluationLeavesXUnchanged() {
        var objective = ClosureObjective(dimension: 1) { _, _ in .infinity }
        var x = [3.0]
        let result = Adam().minimize(&objective, from: &x, iterations: 10)
        XCTAssertEqual(result.stopReason, .nonFiniteLoss)
        XCTAssertEqual(result.iterations, 0)
        XCTAssertEqual(x, [3.0])
    }

    func testObserverStopsBeforeTheStep() {
        var lastPoint: [Double] = []
        var objective = ClosureObjective(dimension: 2) { x, g in
            lastPoint = x
            return TestProblems.rosenbrock(x, &g)
        }
        var x = [-1.2, 1.0]
        var iterationsSeen: [Int] = []
        let result = Adam().minimize(&objective, from: &x, iterations: 100) { k, _ in
            iterationsSeen.append(k)
            return k < 7
        }
        XCTAssertEqual(result.stopReason, .stoppedByObserver)
        XCTAssertEqual(result.iterations, 7)
        XCTAssertEqual(iterationsSeen, Array(1...7))
        XCTAssertEqual(x, lastPoint, "x is the point whose loss was reported")
    }

    func testZeroIterationsDoesNothing() {
        var calls = 0
        var objective = ClosureObjective(dimension: 1) { x, g in calls += 1; g[0] = 1; return x[0] }
        var x = [1.0]
        let result = Adam().minimize(&objective, from: &x, iterations: 0)
        XCTAssertEqual(result.stopReason, .completed)
        XCTAssertEqual(calls, 0)
        XCTAssertEqual(x, [1.0])
    }
}

import XCTest
@testable import Optimization

final class LBFGSTests: XCTestCase {
    // MARK: Convergence on problems with known minimisers

    func testFixedStepReachesRosenbrockMinimum() {
        var objective = TestProblems.rosenbrockObjective
        var x = [-1.2, 1.0]
        let result = LBFGS(learningRate: 1, maxIterations: 1000).minimize(&objective, from: &x)
        XCTAssertLessThan(maxDistance(x, [1, 1]), 1e-6, "x = \(x), \(result)")
        XCTAssertLessThan(result.iterations, 200)
        XCTAssertTrue([.gradientTolerance, .changeTolerance].contains(result.stopReason), "\(result)")
        assertFinalLossIsLossAtX(result, &objective, x)
    }

    func testFixedStepWithDefaultLearningRateReachesRosenbrockMinimum() {
        var objective = TestProblems.rosenbrockObjective
        var x = [-1.2, 1.0]
        let result = LBFGS(maxIterations: 2000).minimize(&objective, from: &x)
        XCTAssertLessThan(maxDistance(x, [1, 1]), 1e-4, "x = \(x), \(result)")
        assertFinalLossIsLossAtX(result, &objective, x)
    }

    func testStrongWolfeReachesRosenbrockMinimum() {
        for lr in [1.0, 0.1] {
            var objective = TestProblems.rosenbrockObjective
            var x = [-1.2, 1.0]
            let result = LBFGS(learningRate: lr, gradientTolerance: 1e-10, changeTolerance: 1e-15, maxIterations: 500,
                               lineSearch: .strongWolfe).minimize(&objective, from: &x)
            XCTAssertLessThan(maxDistance(x, [1, 1]), 1e-6, "lr \(lr): x = \(x), \(result)")
            XCTAssertLessThan(result.iterations, 100, "lr \(lr): \(result)")
            XCTAssertNotEqual(result.stopReason, .nonFiniteLoss)
            XCTAssertNotEqual(result.stopReason, .maxIterations)
            assertFinalLossIsLossAtX(result, &objective, x)
        }
    }

    /// Condition number 1e4, dense Hessian, log-spaced spectrum: gradient descent would need
    /// ~κ·ln(1/ε) ≈ 2·10⁵ iterations; L-BFGS with full memory needs a few times n.
    func testBothModesReachIllConditionedQuadraticMinimiser() {
        let n = 20
        for mode in LBFGS.LineSearch.allCases {
            var objective = RotatedQuadratic(dimension: n, conditionNumber: 1e4)
            var x = [Double](repeating: 0, count: n)
            let result = LBFGS(learningRate: 1, gradientTolerance: 1e-10, changeTolerance: 0, maxIterations: 10 * n,
                               lineSearch: mode).minimize(&objective, from: &x)
            XCTAssertLessThan(maxDistance(x, objective.minimizer), 1e-8, "\(mode): \(result)")
            XCTAssertEqual(result.stopReason, .gradientTolerance, "\(mode)")
            XCTAssertLessThan(result.iterations, 7 * n, "\(mode): \(result)")
            XCTAssertEqual(result.evaluations, objective.evaluations)
        }
    }

    /// Loss trajectory of `torch.optim.LBFGS(lr=1, history_size=50)` without line search on the
    /// n = 5 rotated quadratic from x = 0, computed with an independent NumPy transcription
    /// of PyTorch's update rules.
    func testFixedStepTrajectoryMatchesPyTorchReference() throws {
        let reference: [Int: Double] = [1: 3774.9906758823286, 2: 364.87294323598144, 4: 3.7198004395989503,
                                        10: 0.11363241052621335, 20: 0.00023872317454249193]
        var objective = RotatedQuadratic(dimension: 5, conditionNumber: 1e4)
        var x = [Double](repeating: 0, count: 5)
        var losses: [Int: Double] = [:]
        let result = LBFGS(learningRate: 1, maxIterations: 20).minimize(&objective, from: &x) { k, loss in
            losses[k] = loss
            return true
        }
        XCTAssertEqual(result.iterations, 20)
        XCTAssertEqual(result.stopReason, .maxIterations)
        for (k, expected) in reference {
            let got = try XCTUnwrap(losses[k], "iteration \(k) missing")
            XCTAssertEqual(got, expected, accuracy: 1e-9 * expected, "iteration \(k)")
        }
    }

    /// With n A-conjugate curvature pairs in memory the two-loop recursion applies A⁻¹
    /// exactly, so the L-BFGS direction equals Newton's step.
    func testDirectionWithConjugatePairsIsNewtonStep() {
        let n = 6
        let problem = RotatedQuadratic(dimension: n, conditionNumber: 1e3)
        // A-conjugate directions by Gram–Schmidt in the A inner product.
        var directions: [[Double]] = []
        for j in 0..<n {
            var p = [Double](repeating: 0, count: n)
            for i in 0..<n { p[i] = i == j ? 1.0 : 0.1 * Double(i + j) }
            for q in directions {
                let aq = problem.hessianTimes(q)
                var pAq = 0.0, qAq = 0.0
                for i in 0..<n { pAq += p[i] * aq[i]; qAq += q[i] * aq[i] }
                let c = pAq / qAq
                for i in 0..<n { p[i] -= c * q[i] }
            }
            directions.append(p)
        }
        var memory = LBFGSHistory(dimension: n, capacity: 50)
        for s in directions {
            let y = problem.hessianTimes(s)
            XCTAssertTrue(memory.push(step: 0.5, direction: s.map { 2 * $0 }, gradientChange: y))
        }
        let g = (0..<n).map { cos(Double($0)) }
        var d = [Double](repeating: 0, count: n)
        memory.direction(gradient: g, into: &d)
        let ad = problem.hessianTimes(d)   // A d should be −g
        for i in 0..<n {
            XCTAssertEqual(ad[i], -g[i], accuracy: 1e-9)
        }
    }

    func testCurvaturePairsWithoutPositiveCurvatureAreSkipped() {
        var memory = LBFGSHistory(dimension: 2, capacity: 3)
        XCTAssertFalse(memory.push(step: 1, direction: [1, 0], gradientChange: [-1, 0]))
        XCTAssertFalse(memory.push(step: 1, direction: [1e-6, 0], gradientChange: [1e-6, 0]))
        XCTAssertEqual(memory.count, 0)
        for k in 1...5 {
            XCTAssertTrue(memory.push(step: 1, direction: [1, Double(k)], gradientChange: [2, Double(k)]))
        }
        XCTAssertEqual(memory.count, 3, "oldest pairs are evicted beyond the capacity")
        // Secant condition for the newest pair: H y = s.
        var d = [0.0, 0.0]
        memory.direction(gradient: [2, 5], into: &d)
        XCTAssertEqual(d[0], -1, accuracy: 1e-12)
        XCTAssertEqual(d[1], -5, accuracy: 1e-12)
    }

    // MARK: Stopping rules

    func testGradientToleranceOnEasyProblem() {
        for mode in LBFGS.LineSearch.allCases {
            var objective = ClosureObjective(dimension: 3) { x, g in
                var f = 0.0
                for i in 0..<3 { g[i] = x[i] - 1; f += 0.5 * (x[i] - 1) * (x[i] - 1) }
                return f
            }
            var x = [4.0, -2.0, 0.5]
            let result = LBFGS(learningRate: 1, lineSearch: mode).minimize(&objective, from: &x)
            XCTAssertEqual(result.stopReason, .gradientTolerance, "\(mode): \(result)")
            XCTAssertLessThan(result.iterations, 5)
            XCTAssertLessThan(maxDistance(x, [1, 1, 1]), 1e-9)
        }
    }

    func testAlreadyStationaryStartStopsWithoutIterating() {
        var objective = TestProblems.rosenbrockObjective
        var x = [1.0, 1.0]
        let result = LBFGS().minimize(&objective, from: &x)
        XCTAssertEqual(result.stopReason, .gradientTolerance)
        XCTAssertEqual(result.iterations, 0)
        XCTAssertEqual(result.evaluations, 1)
        XCTAssertEqual(x, [1, 1])
    }

    func testMaxIterationsIsRespected() {
        for mode in LBFGS.LineSearch.allCases {
            var objective = TestProblems.rosenbrockObjective
            var x = [-1.2, 1.0]
            var calls = 0
            let result = LBFGS(learningRate: 1, maxIterations: 7, maxEvaluations: 100, lineSearch: mode).minimize(&objective, from: &x) { _, _ in
                calls += 1
                return true
            }
            XCTAssertEqual(result.stopReason, .maxIterations, "\(mode)")
            XCTAssertEqual(result.iterations, 7)
            XCTAssertEqual(calls, 7)
            assertFinalLossIsLossAtX(result, &objective, x)
        }
    }

    func testMaxEvaluationsIsRespected() {
        var counted = 0
        var objective = ClosureObjective(dimension: 2) { x, g in
            counted += 1
            return TestProblems.rosenbrock(x, &g)
        }
        var x = [-1.2, 1.0]
        let result = LBFGS(learningRate: 1, maxEvaluations: 10, lineSearch: .strongWolfe).minimize(&objective, from: &x)
        XCTAssertEqual(result.stopReason, .maxEvaluations)
        XCTAssertLessThanOrEqual(result.evaluations, 10)
        XCTAssertEqual(result.evaluations, counted)
        XCTAssertEqual(LBFGS(maxIterations: 20000).effectiveMaxEvaluations, 25000)
    }

    func testObserverCanStop() {
        var objective = TestProblems.rosenbrockObjective
        var x = [-1.2, 1.0]
        let result = LBFGS(learningRate: 1).minimize(&objective, from: &x) { k, _ in k < 3 }
        XCTAssertEqual(result.stopReason, .stoppedByObserver)
        XCTAssertEqual(result.iterations, 3)
        assertFinalLossIsLossAtX(result, &objective, x)
    }

    // MARK: Non-finite losses

    func testNaNAfterAFewCallsIsReportedAndXRestored() {
        for mode in LBFGS.LineSearch.allCases {
            var calls = 0
            var finitePoints: [[Double]] = []
            var objective = ClosureObjective(dimension: 2) { x, g in
                calls += 1
                if calls > 6 { g[0] = .nan; return .nan }
                finitePoints.append(x)
                return TestProblems.rosenbrock(x, &g)
            }
            var x = [-1.2, 1.0]
            let result = LBFGS(learningRate: 1, lineSearch: mode).minimize(&objective, from: &x)
            XCTAssertEqual(result.stopReason, .nonFiniteLoss, "\(mode)")
            XCTAssertTrue(x.allSatisfy(\.isFinite), "\(mode)")
            XCTAssertTrue(result.finalLoss.isFinite, "\(mode)")
            XCTAssertTrue(finitePoints.contains(x), "\(mode): x must be a previously evaluated finite point")
            var g = [0.0, 0.0]
            XCTAssertEqual(result.finalLoss, TestProblems.rosenbrock(x, &g), "\(mode)")
        }
    }

    func testNaNAtFirstEvaluation() {
        var objective = ClosureObjective(dimension: 2) { _, _ in .nan }
        var x = [0.5, 0.5]
        let result = LBFGS().minimize(&objective, from: &x)
        XCTAssertEqual(result.stopReason, .nonFiniteLoss)
        XCTAssertEqual(result.iterations, 0)
        XCTAssertEqual(x, [0.5, 0.5])
    }

    /// A loss that is NaN outside a region (like a PINN whose activations overflow for huge
    /// steps): the fixed step stops at the boundary with a finite iterate, while the strong
    /// Wolfe line search treats the NaN as "too far", shortens the step and still converges.
    func testNaNRegion() {
        // f = ½‖x − 1‖² for x₀ < 1.5, NaN beyond; the first steps overshoot to x₀ ≫ 1.5.
        func body(_ x: [Double], _ g: inout [Double]) -> Double {
            if x[0] >= 1.5 { return .nan }
            g[0] = 10 * (x[0] - 1); g[1] = x[1] - 1
            return 5 * (x[0] - 1) * (x[0] - 1) + 0.5 * (x[1] - 1) * (x[1] - 1)
        }
        var fixedObjective = ClosureObjective(dimension: 2, body)
        var x = [-3.0, 0.0]
        let fixed = LBFGS(learningRate: 2).minimize(&fixedObjective, from: &x)
        XCTAssertEqual(fixed.stopReason, .nonFiniteLoss)
        XCTAssertTrue(x[0] < 1.5 && x.allSatisfy(\.isFinite))

        var wolfeObjective = ClosureObjective(dimension: 2, body)
        var y = [-3.0, 0.0]
        let wolfe = LBFGS(learningRate: 2, lineSearch: .strongWolfe).minimize(&wolfeObjective, from: &y)
        XCTAssertEqual(wolfe.stopReason, .gradientTolerance, "\(wolfe)")
        XCTAssertLessThan(maxDistance(y, [1, 1]), 1e-9)
    }

    func testDefaultsMatchSpecification() {
        let lbfgs = LBFGS()
        XCTAssertEqual(lbfgs.history, 50)
        XCTAssertEqual(lbfgs.learningRate, 0.1)
        XCTAssertEqual(lbfgs.gradientTolerance, 1e-9)
        XCTAssertEqual(lbfgs.changeTolerance, 1e-12)
        XCTAssertEqual(lbfgs.maxIterations, 10000)
        XCTAssertNil(lbfgs.maxEvaluations)
        XCTAssertEqual(lbfgs.lineSearch, .fixedStep)
        let adam = Adam()
        XCTAssertEqual(adam.learningRate, 1e-3)
        XCTAssertEqual(adam.beta1, 0.9)
        XCTAssertEqual(adam.beta2, 0.999)
        XCTAssertEqual(adam.epsilon, 1e-8)
    }

    func testStopReasonDescriptionsAndCoding() throws {
        for reason in StopReason.allCases {
            XCTAssertFalse(reason.description.isEmpty)
            let data = try JSONEncoder().encode([reason])
            XCTAssertEqual(try JSONDecoder().decode([StopReason].self, from: data), [reason])
        }
        XCTAssertEqual(StopReason.gradientTolerance.description, "gradient norm below tolerance")
    }

    private func assertFinalLossIsLossAtX<O: DifferentiableObjective>(_ result: LBFGSResult, _ objective: inout O, _ x: [Double],
                                                                     file: StaticString = #filePath, line: UInt = #line) {
        var g = [Double](repeating: 0, count: x.count)
        XCTAssertEqual(result.finalLoss, objective.value(at: x, gradient: &g), "finalLoss must be f(x)", file: file, line: line)
    }
}

import XCTest
import Foundation
import PINN

/// The error estimate from the networks alone (docs/ERROR-ESTIMATE.md): its parts against an
/// independent computation, its validation points, and whether training lowers it.
final class ErrorEstimateTests: XCTestCase {
    func options(seed: UInt64, adam: Int = 0, lbfgs: Int = 0) -> TrainingOptions {
        var o = TrainingOptions(adamIterations: adam, lbfgsIterations: lbfgs, seed: seed)
        o.errorEvery = 0
        return o
    }

    /// u of network n at row-major points, from its value alone (no derivative jets).
    func values(_ solver: XPINNSolver, _ parameters: [Double], network n: Int, _ points: [Double]) -> [Double] {
        let nets = solver.problem.networks
        let offset = nets[..<n].reduce(0) { $0 + $1.parameterCount }
        let p = JetPropagator<Double>(network: nets[n], plan: JetPlan(requesting: [.zero(dimension: 2)]), points: points)
        parameters.withUnsafeBufferPointer { p.forward($0.baseAddress! + offset) }
        return p.derivatives[0]
    }

    /// Heat (u_t − u_xx) with untrained networks: the residual part is the area-weighted RMS of
    /// u_t − u_xx by central differences of the networks' values on the validation interior, the
    /// data part the RMS of û − g on the validation edge points, the interface part the RMS of
    /// the networks' jump; and the value combines them as documented.
    func testThePartsMatchFiniteDifferencesOfTheNetworks() throws {
        let family = HeatFamily()
        let solver = try XPINNSolver(family: family, parameters: family.defaultParameters, options: options(seed: 3))
        let x = solver.initialParameters()
        let estimate = solver.estimateError(x)
        let set = solver.estimator.validationSet
        let subdomains = family.decomposition.subdomains
        let total = subdomains.reduce(0) { $0 + $1.area }
        let h = 1e-3
        var residualSquare = 0.0, wrongSquare = 0.0, dataSum = 0.0, dataCount = 0, gSum = 0.0
        for (n, sub) in set.subdomains.enumerated() {
            let pts = sub.collocation
            func shifted(_ dx: Double, _ dt: Double) -> [Double] {
                values(solver, x, network: n, pts.enumerated().map { $0.offset % 2 == 0 ? $0.element + dx : $0.element + dt })
            }
            let u = shifted(0, 0), xp = shifted(h, 0), xm = shifted(-h, 0), tp = shifted(0, h), tm = shifted(0, -h)
            var sum = 0.0, wrong = 0.0
            for p in u.indices {
                let ut = (tp[p] - tm[p]) / (2 * h), uxx = (xp[p] - 2 * u[p] + xm[p]) / (h * h)
                sum += (ut - uxx) * (ut - uxx)
                wrong += (ut + uxx) * (ut + uxx)
            }
            residualSquare += subdomains[n].area / total * sum / Double(u.count)
            wrongSquare += subdomains[n].area / total * wrong / Double(u.count)
            let ub = values(solver, x, network: n, sub.boundary)
            for (v, g) in zip(ub, sub.boundaryValues) { dataSum += (v - g) * (v - g); gSum += g * g }
            dataCount += ub.count
        }
        XCTAssertGreaterThan(estimate.residual, 0.1, "untrained networks do not solve the PDE")
        XCTAssertEqual(estimate.residual, residualSquare.squareRoot(), accuracy: 1e-5 * estimate.residual)
        XCTAssertEqual(estimate.data, (dataSum / Double(dataCount)).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(estimate.dataScale, (gSum / Double(dataCount)).squareRoot(), accuracy: 1e-12)
        let interface = solver.estimator.interfacePoints[0]
        let jump = zip(values(solver, x, network: 0, interface), values(solver, x, network: 1, interface)).map { ($0 - $1) * ($0 - $1) }
        XCTAssertEqual(interface.count, 2 * ErrorEstimator.interfacePoints)
        XCTAssertEqual(estimate.interface, (jump.reduce(0, +) / Double(jump.count)).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(estimate.timeSpan, 1)
        XCTAssertEqual(estimate.value, (estimate.data + estimate.interface + estimate.residual) / estimate.dataScale, accuracy: 1e-12)
        // The residual of another equation (u_t + u_xx) differs beyond the tolerance: the check can fail.
        XCTAssertGreaterThan(abs(estimate.residual - wrongSquare.squareRoot()), 1e-3 * estimate.residual)
    }

    /// The validation set depends on the seed only (not on the arm or a training), and none of
    /// its points is a training point.
    func testTheValidationPointsAreDeterministicAndFresh() throws {
        let family = AdvectionFamily()
        let s = try family.parameterValues(["beta": 10])
        let a = try XPINNSolver(family: family, parameters: s, options: options(seed: 5))
        let b = try XPINNSolver(family: family, parameters: s, options: options(seed: 5))
        let c = try XPINNSolver(family: family, parameters: s, options: options(seed: 6))
        let x = a.initialParameters()
        XCTAssertEqual(a.estimateError(x), b.estimateError(x))
        XCTAssertEqual(a.estimator.validationSet.subdomains.map(\.collocation), b.estimator.validationSet.subdomains.map(\.collocation))
        XCTAssertEqual(a.estimator.interfacePoints, b.estimator.interfacePoints)
        XCTAssertNotEqual(a.estimator.validationSet.subdomains[0].collocation, c.estimator.validationSet.subdomains[0].collocation)
        for (validation, training) in zip(a.estimator.validationSet.subdomains, a.problem.trainingSet.subdomains) {
            let trainingPoints = Set(stride(from: 0, to: training.collocation.count, by: 2).map { [training.collocation[$0], training.collocation[$0 + 1]] })
            let validationPoints = stride(from: 0, to: validation.collocation.count, by: 2).map { [validation.collocation[$0], validation.collocation[$0 + 1]] }
            XCTAssertEqual(validationPoints.count, ErrorEstimator.sampling.collocationPoints)
            XCTAssertTrue(validationPoints.allSatisfy { !trainingPoints.contains($0) })
        }
        // Only the lower strip touches the initial line, where advection has Dirichlet data.
        XCTAssertEqual(a.estimator.validationSet.subdomains.map { $0.boundary.count / 2 }, [ErrorEstimator.sampling.boundaryPoints, 0])
        // Advection: the initial line carries sin x, and the periodic pairs are validated too.
        XCTAssertFalse(a.estimator.validationSet.periodicPairs.isEmpty)
        let interfaceTraining = Set(family.decomposition.interfaces[0].points)
        XCTAssertTrue(a.estimator.interfacePoints[0].enumerated().filter { $0.offset % 2 == 0 }.allSatisfy { !interfaceTraining.contains($0.element) })
        // A training's estimate is that of its final networks, whatever the arm.
        let trained = try XPINNSolver(family: family, parameters: s, options: options(seed: 5, adam: 20)).train(adamArm: .all)
        XCTAssertEqual(trained.estimate, a.estimateError(trained.networkParameters))
        XCTAssertEqual(trained.errorSource, .reference)
        XCTAssertEqual(try family.errorSource(at: s), .reference)
    }

    /// Over several seeds, training makes the estimate much smaller, and the ordering of trained
    /// against untrained networks agrees with the true error's.
    func testTrainingLowersTheEstimateLikeTheError() throws {
        let family = HeatFamily()
        for seed: UInt64 in [0, 1, 2] {
            let solver = try XPINNSolver(family: family, parameters: family.defaultParameters, options: options(seed: seed, adam: 200, lbfgs: 200))
            let start = solver.initialParameters()
            let before = solver.estimateError(start)
            let result = solver.train(adamArm: InterfaceArm([.u]))
            let after = try XCTUnwrap(result.estimate)
            print("heat seed \(seed): estimate \(before.value) → \(after.value), error \(solver.relativeError(start)) → \(result.error)")
            XCTAssertLessThan(after.value, 0.3 * before.value, "seed \(seed)")
            XCTAssertLessThan(result.error, solver.relativeError(start))
            XCTAssertLessThan(after.value, 1, "seed \(seed): a trained network's estimate is on the scale of a relative error")
        }
    }

    /// NaN networks: the estimate is NaN, and a training counts it as the capped error 100.
    func testNaNNetworksGiveANaNEstimateThatIsCapped() throws {
        let family = HeatFamily()
        let solver = try XPINNSolver(family: family, parameters: family.defaultParameters, options: options(seed: 0))
        var x = solver.initialParameters()
        x[0] = .nan
        let e = solver.estimateError(x)
        XCTAssertTrue(e.value.isNaN)
        XCTAssertEqual(cappedError(e.value), 100)
        XCTAssertEqual(reward(forError: e.value), -2)
    }
}

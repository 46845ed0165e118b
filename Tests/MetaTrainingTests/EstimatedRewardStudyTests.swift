import Foundation
import MetaTraining
import PINN
import XCTest

/// u_t + k u = 0 on [0, 1] × [0, 1], u(x, 0) = sin πx — and no reference solution: the user
/// knows the equation and the data, not the solution (e^{−kt} sin πx, which the test uses to
/// check what the study recorded).
struct UnsolvedDecayFamily: PDEFamily {
    let name = "unsolved-decay"
    let equation = "u_t + k u = 0, u(x,0) = sin(pi x)"
    let parameters = [FamilyParameter("k", 0.5...3, "decay rate")]
    let domain = Box(lower: [0, 0], upper: [1, 1])
    var decomposition: Decomposition { .strips(of: domain, along: 1, cuts: [0.5], interfacePoints: 21) }
    func residual(_ s: ParameterValues) -> DerivativeExpression { .u(.xy(0, 1)) + s["k"] * .value() }
    func conditions(_ s: ParameterValues) -> [BoundaryCondition] { [.dirichlet(.bottom) { sin(.pi * $0[0]) }] }
    func referenceSolution(_ s: ParameterValues) throws -> GridSolution? { nil }
}

/// A study of a family without a reference solution runs end to end on the error estimate.
final class EstimatedRewardStudyTests: XCTestCase {
    func testAStudyWithoutAReferenceSolutionRewardsTheEstimate() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("estimate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let family = UnsolvedDecayFamily()
        var training = TrainingOptions(adamIterations: 100, lbfgsIterations: 50)
        training.sampling = SamplingConfiguration(collocationPoints: 200, boundaryPoints: 40)
        let settings = StudySettings(family: family, heuristic: .ucb, warmup: 2, rounds: 2, seed: 3, training: training)
        let (study, _) = try Study.openOrCreate(storage: .sqlite(path: directory.appendingPathComponent("s.db").path), settings: settings)
        XCTAssertEqual(try study.run(workers: 1), 4)

        let trials = try study.trials()
        XCTAssertEqual(trials.filter { $0.status == .completed }.count, 4)
        var pairs = [(estimate: Double, error: Double)]()
        for t in trials {
            let error = try XCTUnwrap(t.error), reward = try XCTUnwrap(t.reward)
            XCTAssertTrue(error.isFinite && error > 0 && error < 100, "\(t)")
            XCTAssertEqual(reward, -log10(error), accuracy: 1e-12)
            XCTAssertEqual(t.stageRewards.count, 2)
            // The recorded error is the estimate of the trained networks: the same training
            // again (same instance, arm and seed) gives it, with the errors marked as estimates.
            var options = training
            options.seed = t.seed
            options.parallel = false
            let solver = try XPINNSolver(family: family, parameters: t.context, options: options)
            XCTAssertNil(solver.reference)
            XCTAssertEqual(solver.errorSource, .estimate)
            XCTAssertEqual(try family.errorSource(at: t.context), .estimate)
            let result = solver.train(adamArm: t.arms[0])
            XCTAssertEqual(result.errorSource, .estimate)
            XCTAssertEqual(result.error, cappedError(try XCTUnwrap(result.estimate).value))
            XCTAssertEqual(result.error, error, accuracy: 1e-9 * error)
            XCTAssertTrue(solver.relativeError(result.networkParameters).isNaN)
            // The estimate tracks the true error of this family: both small after training.
            let k = t.context["k"]
            let prediction = solver.predict(result.networkParameters)
            var sum = 0.0, norm = 0.0
            for (i, x) in prediction.x.enumerated() {
                for (j, y) in prediction.y.enumerated() {
                    let p = prediction.value(atXIndex: i, yIndex: j)
                    guard !p.isNaN else { continue }
                    let u = exp(-k * y) * sin(.pi * x)
                    sum += (p - u) * (p - u)
                    norm += u * u
                }
            }
            let trueError = (sum / norm).squareRoot()
            print("k = \(k), arm \(t.arms[0]): estimate \(error), true error \(trueError)")
            XCTAssertLessThan(trueError, 1, "better than u ≡ 0 after 150 iterations")
            pairs.append((error, trueError))
        }
        // The estimate tracks the true error: the trial it rates worst is the worst.
        XCTAssertEqual(pairs.max { $0.estimate < $1.estimate }!.error, pairs.map(\.error).max()!)
        let model = try study.model()
        XCTAssertEqual(model.observationCount, 4)

        // Evaluation on the same footing: errors are estimates.
        let evaluation = Evaluation(family: family, strategies: [.learned(model, label: "ucb"), .fixed(InterfaceArm([.u]))],
                                    instanceCount: 1, seed: 9, training: settings.training)
        var results = [Evaluation.Result]()
        try evaluation.run(evaluation.jobs, workers: 1) { results.append($0) }
        XCTAssertEqual(results.count, 2)
        XCTAssertTrue(results.allSatisfy { $0.error.isFinite && $0.error > 0 && $0.error < 100 })
    }

    /// The reference protocol trains on the reference solution: refused, naming the fix.
    func testTheReferenceProtocolNeedsAReferenceSolution() throws {
        let family = UnsolvedDecayFamily()
        let options = TrainingOptions(adamIterations: 10, lbfgsIterations: 0, dataProtocol: .reference)
        XCTAssertThrowsError(try XPINNSolver(family: family, parameters: family.defaultParameters, options: options)) { error in
            XCTAssertTrue(error is InvalidTrainingOptions, "\(error)")
            XCTAssertTrue("\(error)".contains("no reference solution") && "\(error)".contains("forward protocol"), "\(error)")
        }
    }
}

import XCTest
import Foundation
import PINN

/// Short trainings on every family: the loss and the error must go down; an easy instance must
/// reach a small error in the forward protocol within a budget that runs in seconds.
final class TrainingTests: XCTestCase {
    func testShortTrainingLowersLossAndErrorForEveryFamily() throws {
        for family in FamilyRegistry.builtIn {
            var options = TrainingOptions(adamIterations: 150, lbfgsIterations: 100, dataProtocol: .forward, seed: 1)
            options.sampling = SamplingConfiguration(collocationPoints: 300, boundaryPoints: 60, periodicPoints: 40)
            options.errorEvery = 0
            let solver = try XPINNSolver(family: family, parameters: family.defaultParameters, options: options)
            let start = solver.initialParameters()
            let loss = solver.problem.loss(arm: InterfaceArm([.u]))
            var g = [Double](repeating: 0, count: loss.dimension)
            let initialLoss = loss.value(at: start, gradient: &g)
            let initialError = solver.relativeError(start)
            let result = solver.train(adamArm: InterfaceArm([.u]))
            let finalLoss = loss.value(at: result.networkParameters, gradient: &g)
            print("\(family.name): loss \(initialLoss) → \(finalLoss), error \(initialError) → \(result.error) in \(result.trainingSeconds) s; L-BFGS: \(result.stopReason)")
            XCTAssertLessThan(finalLoss, 0.5 * initialLoss, family.name)
            XCTAssertLessThan(result.error, initialError, family.name)
            XCTAssertEqual(result.stages.map(\.name), ["adam", "lbfgs"])
            XCTAssertEqual(result.reward, -log10(result.error), accuracy: 1e-12)
        }
    }

    func testOptionsNoTrainingCanUseAreRejectedWithAMessage() {
        let family = HeatFamily()
        for widths in [[], [20, 0]] {
            var options = TrainingOptions(adamIterations: 10, lbfgsIterations: 0)
            options.hiddenWidths = widths
            XCTAssertThrowsError(try XPINNSolver(family: family, parameters: family.defaultParameters, options: options)) { error in
                XCTAssertTrue("\(error)".contains("hidden widths"), "\(error)")
            }
        }
        XCTAssertThrowsError(try TrainingOptions(adamIterations: -1, lbfgsIterations: 0).validate())
        XCTAssertNoThrow(try TrainingOptions().validate())
    }

    func testOptionsThatCannotSampleOrOptimiseAreRejectedWithAMessage() {
        func assertRejected(_ fragment: String, family: any PDEFamily = HeatFamily(), line: UInt = #line, _ change: (inout TrainingOptions) -> Void) {
            var options = TrainingOptions(adamIterations: 10, lbfgsIterations: 0)
            change(&options)
            XCTAssertThrowsError(try XPINNSolver(family: family, parameters: family.defaultParameters, options: options), line: line) { error in
                XCTAssertTrue(error is InvalidTrainingOptions && "\(error)".contains(fragment), "\(error)", line: line)
            }
        }
        assertRejected("L-BFGS history 0") { $0.lbfgsHistory = 0 }
        assertRejected("Adam learning rate -0.001") { $0.adamLearningRate = -1e-3 }
        assertRejected("L-BFGS learning rate nan") { $0.lbfgsLearningRate = .nan }
        assertRejected("errorEvery -1") { $0.errorEvery = -1 }
        assertRejected("at least one collocation point") { $0.sampling.collocationPoints = 0 }
        assertRejected("sampling margin -0.1") { $0.sampling.margin = -0.1 }
        assertRejected("interface loss weight inf") { $0.weights.interface = .infinity }
        assertRejected("leaves no room in a subdomain piece 0.2 wide (family burgers)", family: BurgersFamily()) { $0.sampling.margin = 0.1 }
        assertRejected("boundaryPoints is 0") { $0.sampling.boundaryPoints = 0 }
        assertRejected("periodicPoints is 0", family: KdVFamily()) { $0.sampling.periodicPoints = 0 }
        // The reference protocol has Dirichlet data only.
        var options = TrainingOptions(adamIterations: 0, lbfgsIterations: 0, dataProtocol: .reference)
        options.sampling.periodicPoints = 0
        XCTAssertNoThrow(try XPINNSolver(family: AdvectionFamily(), parameters: AdvectionFamily().defaultParameters, options: options))
    }

    func testHeatForwardProtocolReachesOnePercent() throws {
        let family = HeatFamily()
        let s = try family.parameterValues(["a": 1, "b": 0.5, "c": -0.5, "d": 1])
        var options = TrainingOptions(adamIterations: 1000, lbfgsIterations: 4000, dataProtocol: .forward, seed: 0)
        options.errorEvery = 0
        let result = try XPINNSolver(family: family, parameters: s, options: options).train(adamArm: InterfaceArm([.u, .ux]))
        print("heat forward: error \(result.error) after \(result.trainingSeconds) s, L-BFGS \(result.stopReason)")
        XCTAssertLessThan(result.error, 1e-2)
    }

    func testStagedTrainingUsesEachArmAndReportsBothErrors() throws {
        var options = TrainingOptions(adamIterations: 100, lbfgsIterations: 50, seed: 2)
        options.sampling = SamplingConfiguration(collocationPoints: 200, boundaryPoints: 50, periodicPoints: 30)
        options.errorEvery = 25
        let family = ReactionFamily()
        let solver = try XPINNSolver(family: family, parameters: try family.parameterValues(["rho": 2]), options: options)
        var seen = [TrainingRecord]()
        let result = solver.train(adamArm: .all, lbfgsArm: InterfaceArm([.u])) { seen.append($0) }
        XCTAssertEqual(result.stages.map(\.arm), [.all, InterfaceArm([.u])])
        XCTAssert(result.history.contains { $0.stage == "adam" && $0.error != nil })
        // Progress sees every iteration and each stage's end; those with an error are the history.
        XCTAssertEqual(seen.filter { $0.error != nil }, result.history)
        XCTAssertEqual(seen.filter { $0.stage == "adam" }.count, result.stages[0].iterations + 1)
        XCTAssertEqual(seen.filter { $0.stage == "lbfgs" }.count, result.stages[1].iterations + 1)
        XCTAssertEqual(seen.map(\.iteration), seen.map(\.iteration).sorted(), "iterations only go forward")
        // Same seed, same arms: bit-for-bit reproducible.
        let again = solver.train(adamArm: .all, lbfgsArm: InterfaceArm([.u]))
        XCTAssertEqual(again.networkParameters, result.networkParameters)
    }
}

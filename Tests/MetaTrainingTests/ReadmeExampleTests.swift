import Foundation
import MetaTraining
import PINN
import XCTest

// README-EXAMPLE-BEGIN
/// u_t + k u = 0 on [0, 1] × [0, 1], u(x, 0) = sin πx: exact u = e^{−kt} sin πx.
struct DecayFamily: PDEFamily {
    let name = "decay"
    let equation = "u_t + k u = 0, u(x,0) = sin(pi x)"
    let parameters = [FamilyParameter("k", 0.5...3, "decay rate")]
    let domain = Box(lower: [0, 0], upper: [1, 1])
    var decomposition: Decomposition { .strips(of: domain, along: 1, cuts: [0.5], interfacePoints: 21) }
    func residual(_ s: ParameterValues) -> DerivativeExpression { .u(.xy(0, 1)) + s["k"] * .value() }
    func conditions(_ s: ParameterValues) -> [BoundaryCondition] { [.dirichlet(.bottom) { sin(.pi * $0[0]) }] }
    func referenceSolution(_ s: ParameterValues) throws -> GridSolution? {
        GridSolution(x: linspace(0, 1, 21), y: linspace(0, 1, 21)) { x, t in exp(-s["k"] * t) * sin(.pi * x) }
    }
}

func metaTrainDecay(storage path: String) throws -> (Study, [Evaluation.Summary]) {
    let settings = StudySettings(family: DecayFamily(), heuristic: .ucb, warmup: 3, rounds: 3, seed: 1,
                                 training: TrainingOptions(adamIterations: 100, lbfgsIterations: 50))
    let (study, _) = try Study.openOrCreate(storage: .sqlite(path: path), settings: settings)
    try study.run(workers: 1)                                         // 3 random + 3 UCB rounds
    let model = try study.model()
    let evaluation = Evaluation(family: DecayFamily(), strategies: [.learned(model, label: "ucb"), .fixed(InterfaceArm([.u]))],
                                instanceCount: 2, seed: 7, training: settings.training)
    var results = [Evaluation.Result]()
    try evaluation.run(evaluation.jobs, workers: 1) { results.append($0) }
    let k2 = try DecayFamily().parameterValues(["k": 2])
    print("learned arm for k = 2:", model.bestFirstArm(context: k2))
    return (study, evaluation.summaries(results))
}
// README-EXAMPLE-END

/// The README's library example, compiled and run: a family defined outside the library is
/// meta-trained, evaluated on new instances, and asked for its learned arm.
final class ReadmeExampleTests: XCTestCase {
    func testAFamilyDefinedOutsideTheLibraryGetsTheWholePipeline() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (study, summaries) = try metaTrainDecay(storage: directory.appendingPathComponent("decay.db").path)

        let trials = try study.trials()
        XCTAssertEqual(trials.map(\.round), Array(0..<6))
        XCTAssertEqual(trials.filter { $0.status == .completed }.count, 6)
        // Every trial trained its own instance of the family, inside its range, with a finite error.
        for t in trials {
            XCTAssertEqual(t.context.names, ["k"])
            XCTAssert((0.5...3).contains(t.context.values[0]), "\(t.context)")
            XCTAssert(t.error!.isFinite && t.error! > 0, "\(t)")
        }
        XCTAssertEqual(summaries.map(\.strategy), ["learned (ucb)", "fixed u"])
        XCTAssertEqual(summaries.map(\.count), [2, 2])
        // 150 iterations on a smooth solution: the error is already well below that of u ≡ 0 (1.0).
        for s in summaries { XCTAssertLessThan(s.medianError, 0.5, "\(s)") }

        // Rerunning resumes: nothing is trained again.
        let (again, _) = try Study.openOrCreate(storage: study.storage, settings: study.settings)
        XCTAssertEqual(try again.run(workers: 1), 0)
    }

    /// The README shows exactly the code this test runs.
    func testTheReadmeShowsThisCode() throws {
        let here = URL(fileURLWithPath: #filePath)
        let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        func block(_ text: String) -> String? {
            guard let a = text.range(of: "// README-EXAMPLE-BEGIN\n"), let b = text.range(of: "// README-EXAMPLE-END") else { return nil }
            return String(text[a.upperBound..<b.lowerBound])
        }
        let test = try XCTUnwrap(block(try String(contentsOf: here, encoding: .utf8)))
        let readme = try XCTUnwrap(block(try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)),
                                   "README.md has no example block")
        XCTAssertEqual(readme, test, "README.md's library example differs from Tests/MetaTrainingTests/ReadmeExampleTests.swift")
    }
}

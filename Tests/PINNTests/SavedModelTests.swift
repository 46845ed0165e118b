import Foundation
import PINN
import XCTest

/// model.json: what is saved predicts exactly what was trained, its derivatives are the true
/// derivatives of that prediction, and files that are not this family's model are refused.
final class SavedModelTests: XCTestCase {
    /// A short training of an advection instance (two subdomains).
    func trained() throws -> (XPINNSolver, TrainingResult) {
        let family = AdvectionFamily()
        var options = TrainingOptions(adamIterations: 60, lbfgsIterations: 20, seed: 3)
        options.sampling.collocationPoints = 200
        let solver = try XPINNSolver(family: family, parameters: try family.parameterValues(["beta": 5]), options: options)
        return (solver, solver.train(adamArm: try InterfaceArm(parsing: "u,rc")))
    }

    func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("saved-model-\(UUID().uuidString)-\(name)")
    }

    func testAReloadedModelPredictsExactlyWhatTheTrainedOneDid() throws {
        let (solver, result) = try trained()
        let url = temporaryFile("model.json")
        defer { try? FileManager.default.removeItem(at: url) }
        try SavedModel(solver: solver, result: result).write(to: url)
        let model = try SavedModel.read(from: url)
        XCTAssertEqual(model.flatParameters, result.networkParameters)  // shortest round-trip JSON: bit for bit
        XCTAssertEqual(model.parameters, solver.parameters)
        XCTAssertEqual(model.options, solver.options)

        // Every grid point a subdomain owns, evaluated from the file, against the solver's own prediction.
        let grid = solver.predict(result.networkParameters)
        var points = [[Double]](), expected = [Double]()
        for (i, x) in grid.x.enumerated() {
            for (j, y) in grid.y.enumerated() where solver.family.decomposition.owner(of: [x, y]) != nil {
                points.append([x, y])
                expected.append(grid.values[i * grid.y.count + j])
            }
        }
        let evaluator = try ModelEvaluator(model: model, family: AdvectionFamily())
        let u = try evaluator.evaluate(points: points, derivatives: [MultiIndex([0, 0])])[0]
        XCTAssertEqual(u.count, expected.count)
        XCTAssertEqual(zip(u, expected).map { abs($0 - $1) }.max()!, 0, "prediction from model.json differs")
        // And the relative error computed from them is the one recorded.
        XCTAssertEqual(model.error, result.error)
    }

    func testDerivativesMatchFiniteDifferencesOfTheSavedModel() throws {
        let (solver, result) = try trained()
        let evaluator = try ModelEvaluator(model: SavedModel(solver: solver, result: result), family: AdvectionFamily())
        // Points inside each subdomain, away from the interface (t = 0.5) and the boundary.
        let points: [[Double]] = [[1.1, 0.2], [2.5, 0.35], [4.4, 0.8], [5.7, 0.65]]
        let indices = [MultiIndex([1, 0]), MultiIndex([0, 1]), MultiIndex([2, 0]), MultiIndex([1, 1]), MultiIndex([3, 0])]
        let exact = try evaluator.evaluate(points: points, derivatives: indices)
        let h = 1e-3
        func u(_ x: Double, _ y: Double) throws -> Double { try evaluator.evaluate(points: [[x, y]], derivatives: [MultiIndex([0, 0])])[0][0] }
        for (p, pt) in points.enumerated() {
            let (x, y) = (pt[0], pt[1])
            let ux = (try u(x + h, y) - u(x - h, y)) / (2 * h)
            let ut = (try u(x, y + h) - u(x, y - h)) / (2 * h)
            let uxx = (try u(x + h, y) - 2 * u(x, y) + u(x - h, y)) / (h * h)
            let uxt = (try u(x + h, y + h) - u(x + h, y - h) - u(x - h, y + h) + u(x - h, y - h)) / (4 * h * h)
            let uxxx = (try u(x + 2 * h, y) - 2 * u(x + h, y) + 2 * u(x - h, y) - u(x - 2 * h, y)) / (2 * h * h * h)
            for (r, fd) in [ux, ut, uxx, uxt, uxxx].enumerated() {
                // Central differences: O(h²) truncation, roundoff ~ 1e-16 / h^order.
                XCTAssertEqual(exact[r][p], fd, accuracy: 1e-4 * max(1, abs(fd)) + (r == 4 ? 1e-3 : 0), "\(indices[r]) at \(pt)")
            }
        }
    }

    func testAModelOfAnotherFamilyOrADamagedFileIsRefusedInOneLine() throws {
        let (solver, result) = try trained()
        let model = SavedModel(solver: solver, result: result)
        XCTAssertThrowsError(try ModelEvaluator(model: model, family: BurgersFamily())) { error in
            XCTAssertEqual(String(describing: error), "the model is of family advection, not burgers")
        }
        var shrunk = model
        shrunk.networks[1].parameters.removeLast()
        XCTAssertThrowsError(try ModelEvaluator(model: shrunk, family: AdvectionFamily())) { error in
            XCTAssert(String(describing: error).contains("network 1 has"), "\(error)")
        }
        let evaluator = try ModelEvaluator(model: model, family: AdvectionFamily())
        XCTAssertThrowsError(try evaluator.evaluate(points: [[3, 1.5]], derivatives: [MultiIndex([0, 0])])) { error in
            XCTAssert(String(describing: error).contains("not in the domain"), "\(error)")
        }

        let damaged = temporaryFile("damaged.json")
        let foreign = temporaryFile("foreign.json")
        defer { for f in [damaged, foreign] { try? FileManager.default.removeItem(at: f) } }
        let text = String(decoding: try JSONEncoder().encode(model), as: UTF8.self)
        try String(text.prefix(text.count / 2)).write(to: damaged, atomically: true, encoding: .utf8)
        try #"{"format": "something-else", "version": 1}"#.write(to: foreign, atomically: true, encoding: .utf8)
        for (url, message) in [(damaged, "not a metalic model (not JSON)"), (foreign, "format something-else"),
                               (temporaryFile("missing.json"), "cannot read")] {
            XCTAssertThrowsError(try SavedModel.read(from: url)) { error in
                let line = String(describing: error)
                XCTAssert(line.contains(message) && !line.contains("\n"), "\(url.lastPathComponent): \(line)")
            }
        }
    }

    /// Continuing from a saved model starts exactly at its parameters: zero iterations return them.
    func testTrainingFromASavedModelStartsAtItsParameters() throws {
        let (solver, result) = try trained()
        let model = SavedModel(solver: solver, result: result)
        var options = solver.options
        options.adamIterations = 0
        options.lbfgsIterations = 0
        let again = try XPINNSolver(family: AdvectionFamily(), parameters: solver.parameters, options: options)
        let continued = again.train(adamArm: .none, from: model.flatParameters)
        XCTAssertEqual(continued.networkParameters, model.flatParameters)
        XCTAssertEqual(continued.error, result.error, accuracy: 1e-12)
    }
}

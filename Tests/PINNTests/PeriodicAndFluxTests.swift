import XCTest
import Foundation
import PINN
import Sampling
import ReferenceSolvers

/// The default flux follows the normal of the cut; periodic pairs go to the subdomains on the
/// periodic edges, and every periodic condition keeps its own derivatives.
final class PeriodicAndFluxTests: XCTestCase {
    func sampled(_ family: any PDEFamily, periodicPoints: Int = 8) -> TrainingSet {
        var rng = SeededGenerator(seed: 7)
        let d = family.domain
        let reference = GridSolution(x: [d.lower[0], d.upper[0]], y: [d.lower[1], d.upper[1]]) { _, _ in 0 }
        return TrainingSet.sample(family: family, parameters: family.defaultParameters, protocol: .forward, reference: reference,
                                  configuration: SamplingConfiguration(collocationPoints: 20, boundaryPoints: 10, periodicPoints: periodicPoints),
                                  using: &rng)
    }

    // MARK: Flux

    /// u = sin(2x + 0.3) e^{0.7y}: its derivatives in closed form.
    func knownDerivative(_ m: MultiIndex, _ p: [Double]) -> Double {
        let (i, j) = (m.orders[0], m.orders[1])
        return pow(2, Double(i)) * sin(2 * p[0] + 0.3 + Double(i) * .pi / 2) * pow(0.7, Double(j)) * exp(0.7 * p[1])
    }

    func testDefaultFluxIsTheDerivativeAlongTheNormalOfTheCut() throws {
        for (axis, cut, expected) in [(0, 0.4, MultiIndex.xy(1, 0)), (1, 0.2, MultiIndex.xy(0, 1))] {
            var family = EditableFamily()
            family.customDecomposition = .strips(of: family.domain, along: axis, cuts: [cut], interfacePoints: 7)
            let s = family.defaultParameters
            try family.validate(s)
            let problem = XPINNProblem(family: family, parameters: s, trainingSet: sampled(family), hiddenWidths: [4])
            let term = try XCTUnwrap(problem.terms(arm: InterfaceArm([.flux])).first { $0.name.hasPrefix("interface flux") })
            XCTAssertEqual(term.components.map(\.network), [0, 1])
            let points = family.decomposition.interfaces[0].points
            XCTAssertEqual(points.count, 14)
            for k in stride(from: 0, to: points.count, by: 2) {
                let p = [points[k], points[k + 1]]
                XCTAssertEqual(p[axis], cut)
                for component in term.components {
                    let value = component.expression.evaluate(at: p) { knownDerivative($0, p) }
                    XCTAssertEqual(value, knownDerivative(expected, p), accuracy: 1e-12, "cut normal to axis \(axis) at \(p)")
                    // The other derivative differs here, so the test tells them apart.
                    XCTAssertGreaterThan(abs(value - knownDerivative(.unit(1 - axis, dimension: 2), p)), 1e-3)
                }
            }
        }
    }

    // MARK: Periodic pairs

    /// Advection u_t + κ u_x = 0 on [0, 1] × [0, 0.5], periodic in x, cut along `axis`.
    func periodicFamily(cutAlong axis: Int, cuts: [Double], conditions: [BoundaryCondition]) -> EditableFamily {
        var family = EditableFamily()
        family.customDecomposition = .strips(of: family.domain, along: axis, cuts: cuts, interfacePoints: 9,
                                             excludeUpperEndpoint: axis == 1)
        family.residualBody = { s in .u(.xy(0, 1)) + s["kappa"] * .u(.xy(1, 0)) }
        family.conditionsBody = { _ in conditions }
        family.referenceBody = { s in
            let kappa = s["kappa"]
            return GridSolution(x: linspace(0, 1, 21), y: linspace(0, 0.5, 11)) { x, t in sin(2 * .pi * (x - kappa * t)) }
        }
        return family
    }

    let initialData = BoundaryCondition.dirichlet(.bottom) { sin(2 * .pi * $0[0]) }

    func testPeriodicPairsGoOnlyToTheSubdomainsOnThePeriodicEdges() throws {
        // Three strips across x: only the first touches x = 0 and only the last x = 1.
        let family = periodicFamily(cutAlong: 0, cuts: [0.3, 0.6], conditions: [initialData, .periodic(axis: 0, derivatives: [.xy(0, 0)])])
        try family.validate()
        let set = sampled(family, periodicPoints: 8)
        let groups = set.periodicPairs
        XCTAssertEqual(groups.count, 1)
        let g = try XCTUnwrap(groups.first)
        XCTAssertEqual([g.lowerSubdomain, g.upperSubdomain, g.count, g.axis], [0, 2, 8, 0])
        XCTAssertEqual(g.derivatives, [.xy(0, 0)])
        XCTAssertEqual(set.subdomains.map(\.periodicPairs.count), [1, 0, 0])
        for k in 0..<g.count {
            XCTAssertEqual(g.lower[2 * k], 0)
            XCTAssertEqual(g.upper[2 * k], 1)
            XCTAssertEqual(g.lower[2 * k + 1], g.upper[2 * k + 1])
            XCTAssertTrue((0...0.5).contains(g.lower[2 * k + 1]))
        }
        // No pairs within one network here.
        XCTAssertTrue(set.subdomains.allSatisfy { $0.periodicLower.isEmpty })

        // The term ties network 0 at x = 0 to network 2 at x = 1; the middle network has none.
        let problem = XPINNProblem(family: family, parameters: family.defaultParameters, trainingSet: set, hiddenWidths: [5])
        let periodic = problem.terms(arm: .none).filter { $0.name.hasPrefix("periodic") }
        XCTAssertEqual(periodic.map(\.name), ["periodic u[0|2]"])
        XCTAssertEqual(periodic[0].components.map(\.network), [0, 2])
        let loss = problem.loss(arm: .none, parallel: false)
        var rng = SeededGenerator(seed: 11)
        let x = problem.networks.flatMap { $0.initialParameters(using: &rng) }
        var gradient = [Double](repeating: 0, count: loss.dimension)
        _ = loss.value(at: x, gradient: &gradient)
        func u(_ n: Int, _ p: [Double]) -> Double {
            let offset = loss.parameterOffsets[n]
            return problem.networks[n].value(at: p, parameters: Array(x[offset..<(offset + problem.networks[n].parameterCount)]))
        }
        var expected = 0.0
        for k in 0..<g.count {
            let d = u(0, [0, g.lower[2 * k + 1]]) - u(2, [1, g.upper[2 * k + 1]])
            expected += d * d
        }
        expected *= problem.weights.boundary / Double(g.count)
        let index = try XCTUnwrap(loss.terms.firstIndex { $0.name == "periodic u[0|2]" })
        XCTAssertEqual(loss.termValues[index], expected, accuracy: 1e-12 * max(1, expected))
        XCTAssertGreaterThan(expected, 1e-6)
    }

    func testPeriodicPairsOfStripsAcrossTimeStayInEachStrip() throws {
        let family = periodicFamily(cutAlong: 1, cuts: [0.2], conditions: [initialData, .periodic(axis: 0, derivatives: [.xy(0, 0)])])
        try family.validate()
        let set = sampled(family, periodicPoints: 6)
        XCTAssertEqual(set.periodicPairs.map { [$0.lowerSubdomain, $0.upperSubdomain, $0.count] }, [[0, 0, 6], [1, 1, 6]])
        for (n, range) in [(0, 0...0.2), (1, 0.2...0.5)] {
            let g = set.subdomains[n].periodicPairs[0]
            XCTAssertTrue(stride(from: 1, to: g.lower.count, by: 2).allSatisfy { range.contains(g.lower[$0]) })
            XCTAssertEqual(set.subdomains[n].periodicLower, g.lower)
            XCTAssertEqual(set.subdomains[n].periodicUpper, g.upper)
        }
        let problem = XPINNProblem(family: family, parameters: family.defaultParameters, trainingSet: set, hiddenWidths: [5])
        XCTAssertEqual(problem.terms(arm: .none).map(\.name).filter { $0.hasPrefix("periodic") }, ["periodic u[0]", "periodic u[1]"])
    }

    func testEachPeriodicConditionKeepsItsDerivativesAndBothAreTrained() throws {
        let family = periodicFamily(cutAlong: 1, cuts: [0.2], conditions: [
            initialData, .periodic(axis: 0, derivatives: [.xy(0, 0)]), .periodic(axis: 0, derivatives: [.xy(1, 0)]),
        ])
        try family.validate()
        let set = sampled(family, periodicPoints: 6)
        XCTAssertEqual(set.periodicPairs.map(\.derivatives), [[.xy(0, 0)], [.xy(1, 0)], [.xy(0, 0)], [.xy(1, 0)]])
        XCTAssertEqual(set.periodicPairs.map(\.condition), [0, 1, 0, 1])

        var options = TrainingOptions(adamIterations: 300, lbfgsIterations: 0, dataProtocol: .forward, seed: 3)
        options.hiddenWidths = [10, 10]
        options.sampling = SamplingConfiguration(collocationPoints: 100, boundaryPoints: 30, periodicPoints: 20)
        options.errorEvery = 0
        options.adamLearningRate = 5e-3
        let solver = try XPINNSolver(family: family, parameters: family.defaultParameters, options: options)
        let loss = solver.problem.loss(arm: InterfaceArm([.u]), parallel: false)
        let names = loss.terms.map(\.name).filter { $0.hasPrefix("periodic") }
        XCTAssertEqual(names, ["periodic x#0 u[0]", "periodic x#1 u_x[0]", "periodic x#0 u[1]", "periodic x#1 u_x[1]"])
        for term in loss.terms where term.name.hasPrefix("periodic") {
            let m: MultiIndex = term.name.contains("u_x") ? .xy(1, 0) : .xy(0, 0)
            XCTAssertTrue(term.components.allSatisfy { $0.expression.derivatives == [m] }, term.name)
            XCTAssertNotEqual(term.components[0].pointSet, term.components[1].pointSet, term.name)
        }
        func periodicTerms(_ x: [Double]) -> [String: Double] {
            var gradient = [Double](repeating: 0, count: loss.dimension)
            _ = loss.value(at: x, gradient: &gradient)
            var sums = [String: Double]()
            for (term, value) in zip(loss.terms, loss.termValues) where term.name.hasPrefix("periodic") {
                sums[term.name.contains("u_x") ? "u_x" : "u", default: 0] += value
            }
            return sums
        }
        let before = periodicTerms(solver.initialParameters())
        let result = solver.train(adamArm: InterfaceArm([.u]))
        let after = periodicTerms(result.networkParameters)
        print("periodic terms before \(before), after \(after)")
        for key in ["u", "u_x"] {
            XCTAssertLessThan(after[key]!, 0.2 * before[key]!, key)
        }
    }
}

import XCTest
import Foundation
import PINN
import ReferenceSolvers

/// The families' residuals applied to their exact or reference solutions, with derivatives by
/// finite differences — checks equations, signs and parameters independently of the networks.
final class FamilyTests: XCTestCase {
    /// ∂^α u by nested central differences of a smooth function (step h, O(h²)).
    func fd(_ u: @escaping (Double, Double) -> Double, _ alpha: MultiIndex, _ p: [Double], h: Double = 1e-3) -> Double {
        func d(_ f: @escaping (Double, Double) -> Double, axis: Int) -> (Double, Double) -> Double {
            { x, y in axis == 0 ? (f(x + h, y) - f(x - h, y)) / (2 * h) : (f(x, y + h) - f(x, y - h)) / (2 * h) }
        }
        var f = u
        for _ in 0..<alpha.orders[0] { f = d(f, axis: 0) }
        for _ in 0..<alpha.orders[1] { f = d(f, axis: 1) }
        return f(p[0], p[1])
    }

    func residualMagnitude(_ family: any PDEFamily, _ params: [String: Double], _ u: @escaping (Double, Double) -> Double,
                           points: [[Double]], h: Double = 1e-3) throws -> Double {
        let s = try family.parameterValues(params)
        let r = family.residual(s)
        return points.map { p in abs(r.evaluate(at: p) { self.fd(u, $0, p, h: h) }) }.max()!
    }

    func testClosedFormSolutionsSatisfyTheirEquations() throws {
        let pts = [[0.7, 0.3], [2.1, 0.8], [4.0, 0.55]]
        let adv = try residualMagnitude(AdvectionFamily(), ["beta": 7], { sin($0 - 7 * $1) }, points: pts)
        XCTAssertLessThan(adv, 1e-4)
        let rho = 5.0
        let reaction = try residualMagnitude(ReactionFamily(), ["rho": rho], { x, t in
            let h = exp(-(x - .pi) * (x - .pi) / (2 * (.pi / 4) * (.pi / 4))), e = exp(rho * t)
            return h * e / (h * e + 1 - h)
        }, points: pts)
        XCTAssertLessThan(reaction, 1e-4)
        let s = try HeatFamily().parameterValues(["a": 1.5, "b": -0.7, "c": 0.4, "d": -2])
        let heatGrid = try XCTUnwrap(HeatFamily().referenceSolution(s))
        let heat = try residualMagnitude(HeatFamily(), s.dictionary, { x, t in
            1.5 * exp(-Double.pi * .pi * t) * cos(.pi * x) - 0.7 * exp(-4 * Double.pi * .pi * t) * cos(2 * .pi * x)
                + 0.4 * exp(4 * t - 4) * cosh(2 * x) - 2 * exp(t - 1) * sinh(x)
        }, points: [[0.3, 0.2], [-0.8, 0.6]])
        XCTAssertLessThan(heat, 1e-4)
        XCTAssertEqual(heatGrid.x.count * heatGrid.y.count, 101 * 101)
        // A wrong sign in the residual would not vanish: u_t − β u_x on the advection solution.
        let wrong = DerivativeExpression.u(.xy(0, 1)) - 7 * DerivativeExpression.u(.xy(1, 0))
        XCTAssertGreaterThan(abs(wrong.evaluate(at: [0.7, 0.3]) { self.fd({ sin($0 - 7 * $1) }, $0, [0.7, 0.3]) }), 1)
    }

    func testBurgersReferenceSatisfiesBurgers() throws {
        let nu = 0.05
        let exact = BurgersHopfCole(viscosity: nu)
        let r = try residualMagnitude(BurgersFamily(), ["nu": nu], { exact.value(x: $0, t: $1) },
                                      points: [[-0.5, 0.3], [0.4, 0.7], [0.05, 0.5]], h: 2e-4)
        XCTAssertLessThan(r, 2e-5)
    }

    func testPoissonSourceDerivativesMatchFiniteDifferences() throws {
        let family = PoissonFamily()
        let s = try family.parameterValues(["s": 12])
        // The residual of u = 0 is −g; its x- and y-derivatives are −g_x, −g_y.
        let r = family.residual(s)
        let g = { (x: Double, y: Double) in -r.evaluate(at: [x, y]) { _ in 0 } }
        for p in [[0.3, 0.4], [0.77, 0.21], [0.5, 0.5]] {
            for k in 0..<2 {
                let analytic = -r.differentiated(along: k).evaluate(at: p) { _ in 0 }
                XCTAssertEqual(analytic, fd(g, k == 0 ? .xy(1, 0) : .xy(0, 1), p, h: 1e-5), accuracy: 1e-5 * max(1, abs(analytic)))
            }
            let second = -r.differentiated(along: 0).differentiated(along: 0).evaluate(at: p) { _ in 0 }
            XCTAssertEqual(second, fd(g, .xy(2, 0), p, h: 1e-4), accuracy: 1e-4 * max(1, abs(second)))
        }
        XCTAssertEqual(g(0.5, 0.5), 1, accuracy: 1e-14)
    }

    func testParameterValidation() throws {
        let f = try FamilyRegistry.standard.family(named: "burgers")
        XCTAssertThrowsError(try f.parameterValues(["nu": 0.5])) {
            XCTAssertEqual($0 as? FamilyError, .parameterOutOfRange("nu", 0.5, 0.001...0.05))
        }
        XCTAssertThrowsError(try f.parameterValues([:])) { XCTAssertEqual($0 as? FamilyError, .missingParameter("nu", family: "burgers")) }
        XCTAssertThrowsError(try f.parameterValues(["nu": 0.01, "beta": 3]))
        XCTAssertThrowsError(try f.parameterValues(["nu": .nan]))
        XCTAssertThrowsError(try FamilyRegistry.standard.family(named: "navier-stokes")) {
            XCTAssertEqual($0 as? FamilyError, .unknownFamily("navier-stokes", known: FamilyRegistry.standard.names))
        }
        XCTAssertEqual(FamilyRegistry.standard.names, ["advection", "reaction", "heat", "burgers", "kdv", "poisson"])
        XCTAssertEqual(try AdvectionFamily().parameterValues(["beta": 1 + 0.1 * 29]).description, "beta=3.9")
        XCTAssertEqual(try f.parameterValues(["nu": 0.001]).description, "nu=0.001")
    }

    func testDecompositionsMatchTheSpec() {
        let burgers = BurgersFamily().decomposition
        XCTAssertEqual(burgers.subdomains.count, 2)
        XCTAssertEqual(burgers.subdomains[0].pieces.count, 2)
        XCTAssertEqual(burgers.interfaces[0].pointCount, 802)
        XCTAssertEqual(burgers.owner(of: [0.0, 0.5]), 1)
        XCTAssertEqual(burgers.owner(of: [-0.5, 0.5]), 0)
        XCTAssertNil(burgers.owner(of: [0.1, 0.5]))
        XCTAssertEqual(AdvectionFamily().decomposition.interfaces[0].pointCount, 101)
        XCTAssertEqual(KdVFamily().decomposition.interfaces[0].pointCount, 64)
        // More than two strips: neighbours share interfaces.
        let strips = Decomposition.strips(of: Box(lower: [0, 0], upper: [1, 1]), along: 1, cuts: [0.25, 0.5, 0.75], interfacePoints: 11)
        XCTAssertEqual(strips.subdomains.count, 4)
        XCTAssertEqual(strips.interfaces.map { [$0.first, $0.second] }, [[0, 1], [1, 2], [2, 3]])
    }
}

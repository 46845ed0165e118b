import XCTest
import Foundation
import PINN
import Sampling
import Optimization

final class LossGradientTests: XCTestCase {
    /// Two networks, terms reading 1st–4th order and mixed partials, products (u·u_x), known
    /// fields, targets, and differences between the networks at shared points.
    func makeLoss(parallel: Bool) -> (PINNLoss, [Double]) {
        var rng = SeededGenerator(seed: 21)
        let boxes = [Box(lower: [0, 0], upper: [2, 0.5]), Box(lower: [0, 0.5], upper: [2, 1])]
        let nets = boxes.map { MLP(widths: [2, 7, 7, 1], inputBox: $0) }
        func points(_ b: Box, _ n: Int) -> [Double] { LatinHypercube.sample(count: n, lower: b.lower, upper: b.upper, using: &rng) }
        let interface = (0..<9).flatMap { [Double($0) * 0.25, 0.5] }
        let sets = [[points(boxes[0], 30), interface], [points(boxes[1], 25), interface]]
        let u = DerivativeExpression.value(), ux = DerivativeExpression.u(.xy(1, 0)), uy = DerivativeExpression.u(.xy(0, 1))
        let source = KnownField(name: "g", dimension: 2) { p, a in
            // g = sin(x) e^{y}: ∂^α g = sin^{(αx)}(x) e^{y}.
            let s = [sin(p[0]), cos(p[0]), -sin(p[0]), -cos(p[0])][a.orders[0] % 4]
            return s * exp(p[1])
        }
        let residual = uy + 2.5 * u * ux - 0.1 * .u(.xy(2, 0)) + .u(.xy(3, 0)) - .field(source)
        let residualX = residual.differentiated(along: 0)
        let terms = [
            LossTerm(name: "residual1", weight: 1, components: [.init(network: 0, pointSet: 0, expression: residual)]),
            LossTerm(name: "residual2", weight: 1, components: [.init(network: 1, pointSet: 0, expression: residual)]),
            LossTerm(name: "fit", weight: 20, components: [.init(network: 0, pointSet: 0, expression: u)],
                     target: (0..<30).map { 0.1 * Double($0 % 7) }),
            LossTerm(name: "u", weight: 5, components: [.init(network: 0, pointSet: 1, expression: u),
                                                       .init(network: 1, pointSet: 1, expression: u, coefficient: -1)]),
            LossTerm(name: "uxxxx", weight: 0.5, components: [.init(network: 0, pointSet: 1, expression: .u(.xy(4, 0))),
                                                           .init(network: 1, pointSet: 1, expression: .u(.xy(4, 0)), coefficient: -1)]),
            LossTerm(name: "mixed", weight: 0.7, components: [.init(network: 0, pointSet: 1, expression: .u(.xy(3, 1)) + .u(.xy(1, 1)) * uy),
                                                           .init(network: 1, pointSet: 1, expression: .u(.xy(2, 2)), coefficient: -1)]),
            LossTerm(name: "gres", weight: 0.3, components: [.init(network: 1, pointSet: 1, expression: residualX)]),
        ]
        let loss = PINNLoss(networks: nets, pointSets: sets, terms: terms, parallel: parallel)
        let params = nets.flatMap { $0.initialParameters(using: &rng) }
        return (loss, params)
    }

    func testParameterGradientMatchesFiniteDifferences() {
        let (loss, params) = makeLoss(parallel: true)
        var gradient = [Double](repeating: 0, count: loss.dimension)
        let value = loss.value(at: params, gradient: &gradient)
        XCTAssert(value.isFinite && value > 0)
        var scratch = gradient
        func f(_ x: [Double]) -> Double { loss.value(at: x, gradient: &scratch) }
        let gradientScale = gradient.map(abs).max()!
        var worst = 0.0
        for i in stride(from: 0, to: loss.dimension, by: 3) {
            // Central differences with one Richardson step: truncation O(h⁴).
            func d(_ h: Double) -> Double {
                var xp = params, xm = params
                xp[i] += h; xm[i] -= h
                return (f(xp) - f(xm)) / (2 * h)
            }
            let fd = (4 * d(5e-5) - d(1e-4)) / 3
            let err = abs(fd - gradient[i]) / max(abs(fd), 1e-3 * gradientScale)
            worst = max(worst, err)
            XCTAssertLessThan(err, 1e-6, "parameter \(i): analytic \(gradient[i]) vs FD \(fd)")
        }
        print("worst relative gradient error \(worst)")
    }

    func testSerialAndParallelEvaluationAgree() {
        let (a, params) = makeLoss(parallel: true)
        let (b, _) = makeLoss(parallel: false)
        var ga = [Double](repeating: 0, count: a.dimension), gb = ga
        XCTAssertEqual(a.value(at: params, gradient: &ga), b.value(at: params, gradient: &gb))
        XCTAssertEqual(ga, gb)
    }

    func testTermsRequestOnlyWhatTheyRead() {
        let (loss, _) = makeLoss(parallel: false)
        // Network 0 on its collocation set: the residual and the fit.
        XCTAssertEqual(Set(loss.requestedDerivatives(network: 0, pointSet: 0)!),
                       [.xy(0, 0), .xy(1, 0), .xy(0, 1), .xy(2, 0), .xy(3, 0)])
        // Network 1 on the interface: u, u_xxxx, u_xx yy, and the gradient of the residual.
        XCTAssertEqual(Set(loss.requestedDerivatives(network: 1, pointSet: 1)!),
                       [.xy(0, 0), .xy(4, 0), .xy(2, 2), .xy(1, 1), .xy(1, 0), .xy(2, 0), .xy(3, 0)])
    }

    func testNaNParametersGiveNaNLossWithoutTrapping() {
        let (loss, params) = makeLoss(parallel: true)
        var x = params
        x[3] = .nan
        var g = [Double](repeating: 0, count: loss.dimension)
        XCTAssert(loss.value(at: x, gradient: &g).isNaN)
    }
}

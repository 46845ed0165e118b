import XCTest
import Foundation
import PINN
import Sampling

/// Independent truth for the jet propagation: the same network evaluated in 80-bit floating point,
/// differentiated by central differences with two levels of Richardson extrapolation.
enum ExtendedPrecisionReference {
    static func value(_ net: MLP, _ params: [Double], _ point: [Float80]) -> Float80 {
        let a = net.inputScale.map { Float80($0) }, c = net.inputShift.map { Float80($0) }
        var h = (0..<point.count).map { point[$0] * a[$0] + c[$0] }
        for l in 0..<net.layerCount {
            let (n, m) = (net.widths[l + 1], net.widths[l])
            h = (0..<n).map { i in
                var s = Float80(params[net.biasOffset(l) + i])
                for j in 0..<m { s += Float80(params[net.weightOffset(l) + i * m + j]) * h[j] }
                return l == net.layerCount - 1 ? s : tanhl(s)
            }
        }
        return h[0]
    }

    /// Second-order central stencils for the n-th derivative, as (offset, weight) pairs in units of h.
    static func stencil(_ n: Int) -> [(Int, Float80)] {
        switch n {
        case 0: return [(0, 1)]
        case 1: return [(-1, -0.5), (1, 0.5)]
        case 2: return [(-1, 1), (0, -2), (1, 1)]
        case 3: return [(-2, -0.5), (-1, 1), (1, -1), (2, 0.5)]
        case 4: return [(-2, 1), (-1, -4), (0, 6), (1, -4), (2, 1)]
        default: fatalError("order \(n)")
        }
    }

    static func difference(_ net: MLP, _ params: [Double], _ point: [Double], _ alpha: MultiIndex, h: Float80) -> Float80 {
        var total: Float80 = 0
        func recurse(_ k: Int, _ offset: [Float80], _ weight: Float80) {
            if k == point.count {
                total += weight * value(net, params, zip(point, offset).map { Float80($0) + $1 })
                return
            }
            for (o, w) in stencil(alpha.orders[k]) {
                var next = offset
                next[k] = Float80(o) * h
                recurse(k + 1, next, weight * w / Float80.pow(h, alpha.orders[k]))
            }
        }
        recurse(0, Array(repeating: 0, count: point.count), 1)
        return total
    }

    /// Richardson extrapolation over h, h/2, h/4 (the central stencils' errors are even in h).
    static func derivative(_ net: MLP, _ params: [Double], _ point: [Double], _ alpha: MultiIndex, h: Float80 = 0.02) -> Double {
        let d = [h, h / 2, h / 4].map { difference(net, params, point, alpha, h: $0) }
        let r1 = [(4 * d[1] - d[0]) / 3, (4 * d[2] - d[1]) / 3]
        return Double((16 * r1[1] - r1[0]) / 15)
    }
}

extension Float80 {
    static func pow(_ x: Float80, _ n: Int) -> Float80 { (0..<n).reduce(1) { acc, _ in acc * x } }
}

final class JetDerivativeTests: XCTestCase {
    func allIndices(upTo order: Int) -> [MultiIndex] {
        var r = [MultiIndex]()
        for n in 0...order { for i in 0...n { r.append(.xy(n - i, i)) } }
        return r
    }

    func testVectorTanhMatchesLibm() {
        var xs = [Double]()
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<20_000 { xs.append((rng.uniform() - 0.5) * 50) }
        xs += [0, -0, 1e-300, -1e-10, 1e-5, 0.3466, 19.99, 20, 25, -700, 700, 0.5 * log(3.0)]
        var ys = [Double](repeating: 0, count: xs.count)
        xs.withUnsafeBufferPointer { x in ys.withUnsafeMutableBufferPointer { y in VectorTanh.apply(x.baseAddress!, y.baseAddress!, count: xs.count) } }
        var worst = 0.0
        for (x, y) in zip(xs, ys) { worst = max(worst, abs(y - tanh(x))) }
        XCTAssertLessThan(worst, 3e-16)
        // Odd symmetry and saturation are exact.
        XCTAssertEqual(VectorTanh.value(-0.7 as Double), -VectorTanh.value(0.7 as Double))
        XCTAssertEqual(VectorTanh.value(40 as Double), 1)
    }

    func testFloatVectorTanhMatchesLibm() {
        var xs = [Float]()
        var rng = SeededGenerator(seed: 6)
        for _ in 0..<20_003 { xs.append(Float((rng.uniform() - 0.5) * 40)) }
        xs += [0, -0, 1e-30, -1e-6, 1e-3, 0.3466, 8.99, 9, 19.99, 20, 25, -80, 80]
        var ys = [Float](repeating: 0, count: xs.count)
        xs.withUnsafeBufferPointer { x in ys.withUnsafeMutableBufferPointer { y in VectorTanh.apply(x.baseAddress!, y.baseAddress!, count: xs.count) } }
        var worst = 0.0
        for (x, y) in zip(xs, ys) { worst = max(worst, abs(Double(y) - tanh(Double(x)))) }
        XCTAssertLessThan(worst, 2e-7)
        XCTAssertEqual(VectorTanh.value(-0.7 as Float), -VectorTanh.value(0.7 as Float))
        XCTAssertEqual(VectorTanh.value(40 as Float), 1)
    }

    func testTanhDerivativePolynomialsMatchClosedForms() {
        let polys = VectorTanh.derivativePolynomials(upTo: 4)
        for t in stride(from: -1.0, through: 1.0, by: 0.125) {
            func eval(_ p: [Double]) -> Double { p.reversed().reduce(0) { $0 * t + $1 } }
            XCTAssertEqual(eval(polys[1]), 1 - t * t, accuracy: 1e-15)
            XCTAssertEqual(eval(polys[2]), -2 * t * (1 - t * t), accuracy: 1e-15)
            XCTAssertEqual(eval(polys[3]), -2 * (1 - t * t) * (1 - 3 * t * t), accuracy: 1e-14)
            XCTAssertEqual(eval(polys[4]), 8 * t * (1 - t * t) * (2 - 3 * t * t), accuracy: 1e-14)
        }
    }

    func testClosedFormTaylorCoefficientsMatchRecursivePolynomials() {
        let polys = VectorTanh.derivativePolynomials(upTo: TanhTaylorCoefficients.maxOrder)
        var ts = Array(stride(from: -1.0, through: 1.0, by: 1.0 / 16))
        var out = (0...TanhTaylorCoefficients.maxOrder).map { _ in UnsafeMutablePointer<Double>.allocate(capacity: ts.count) }
        defer { out.forEach { $0.deallocate() } }
        ts.withUnsafeMutableBufferPointer { TanhTaylorCoefficients.compute(t: $0.baseAddress!, through: TanhTaylorCoefficients.maxOrder, into: out, count: $0.count) }
        for (i, t) in ts.enumerated() {
            var factorial = 1.0
            for k in 1...TanhTaylorCoefficients.maxOrder {
                factorial *= Double(k)
                let exact = polys[k].reversed().reduce(0) { $0 * t + $1 } / factorial
                XCTAssertEqual(out[k][i], exact, accuracy: 1e-15, "order \(k) at t = \(t)")
            }
        }
        out = []
    }

    /// Every partial derivative up to order 4 against extended-precision finite differences.
    func testAllPartialsUpToOrderFourMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 11)
        let box = Box(lower: [0, 0], upper: [2 * .pi, 1])
        for widths in [[2, 8, 8, 1], [2, 20, 20, 1], [2, 6, 6, 6, 1]] {
            let net = MLP(widths: widths, inputBox: box)
            let params = net.initialParameters(using: &rng)
            let points: [Double] = [0.3, 0.7, 4.1, 0.15, 2.5, 0.95]
            let requested = allIndices(upTo: 4)
            let jets = JetPropagator<Double>(network: net, plan: JetPlan(requesting: requested), points: points)
            params.withUnsafeBufferPointer { jets.forward($0.baseAddress!) }
            for p in 0..<3 {
                let point = [points[2 * p], points[2 * p + 1]]
                // A scale for the comparison: derivatives of order k grow like (input scale)^k.
                for (r, alpha) in requested.enumerated() {
                    let truth = ExtendedPrecisionReference.derivative(net, params, point, alpha)
                    let scale = max(abs(truth), pow(2.0, Double(alpha.order)) * 1e-2)
                    XCTAssertLessThan(abs(jets.derivatives[r][p] - truth) / scale, 1e-6,
                                      "\(widths) \(alpha) at \(point): jet \(jets.derivatives[r][p]) vs FD \(truth)")
                }
            }
        }
    }

    /// Requesting a sparse set gives the same numbers as requesting everything, and S is only its closure.
    func testSparseRequestsMatchFullRequestAndCarryOnlyTheirClosure() {
        var rng = SeededGenerator(seed: 2)
        let net = MLP(widths: [2, 10, 10, 1], inputBox: Box(lower: [-1, 0], upper: [1, 1]))
        let params = net.initialParameters(using: &rng)
        let points = (0..<40).map { _ in rng.uniform() }
        let full = JetPropagator<Double>(network: net, plan: JetPlan(requesting: allIndices(upTo: 4)), points: points)
        params.withUnsafeBufferPointer { full.forward($0.baseAddress!) }
        let fullIndex = Dictionary(uniqueKeysWithValues: allIndices(upTo: 4).enumerated().map { ($1, $0) })
        for request in [[MultiIndex.xy(4, 0)], [.xy(0, 1), .xy(3, 0)], [.xy(3, 1), .xy(0, 2)], [.xy(1, 1)], [.xy(0, 0)]] {
            let plan = JetPlan(requesting: request)
            let expectedClosure = Set(request.flatMap { $0.downwardClosure })
            XCTAssertEqual(Set(plan.indices), expectedClosure)
            let sparse = JetPropagator<Double>(network: net, plan: plan, points: points)
            params.withUnsafeBufferPointer { sparse.forward($0.baseAddress!) }
            for (r, alpha) in request.enumerated() {
                for p in 0..<20 {
                    XCTAssertEqual(sparse.derivatives[r][p], full.derivatives[fullIndex[alpha]!][p],
                                   accuracy: 1e-12 * max(1, abs(full.derivatives[fullIndex[alpha]!][p])))
                }
            }
        }
        XCTAssertEqual(JetPlan(requesting: [.xy(4, 0)]).streamCount, 5)
        XCTAssertEqual(JetPlan(requesting: [.xy(1, 1)]).streamCount, 4)
    }

    func testThreeInputNetworkMixedPartials() {
        var rng = SeededGenerator(seed: 8)
        let net = MLP(widths: [3, 7, 7, 1], inputBox: Box(lower: [0, -1, 0], upper: [1, 1, 2]))
        let params = net.initialParameters(using: &rng)
        let point = [0.4, -0.3, 1.2]
        let requested = [MultiIndex([1, 1, 1]), MultiIndex([2, 0, 1]), MultiIndex([0, 0, 3]), MultiIndex([1, 2, 1])]
        let jets = JetPropagator<Double>(network: net, plan: JetPlan(requesting: requested), points: point)
        params.withUnsafeBufferPointer { jets.forward($0.baseAddress!) }
        for (r, alpha) in requested.enumerated() {
            let truth = ExtendedPrecisionReference.derivative(net, params, point, alpha)
            XCTAssertEqual(jets.derivatives[r][0], truth, accuracy: 1e-6 * max(1, abs(truth)), "\(alpha)")
        }
        XCTAssertEqual(jets.derivatives[0].count, 1)
        XCTAssertEqual(MLP(widths: [3, 7, 7, 1], inputBox: net.inputBox).value(at: point, parameters: params),
                       ExtendedPrecisionReference.derivative(net, params, point, .zero(dimension: 3)), accuracy: 1e-14)
    }

    /// Chunking is an implementation detail: derivatives and reverse-pass gradients are the same
    /// (to rounding) for chunks of 1, 7 (a ragged last chunk) and all points, and the gradient
    /// matches a finite difference of the weighted derivative sum.
    func testChunkSizeDoesNotChangeDerivativesOrGradients() {
        var rng = SeededGenerator(seed: 21)
        let net = MLP(widths: [2, 9, 9, 1], inputBox: Box(lower: [-1, 0], upper: [1, 1]))
        let params = net.initialParameters(using: &rng).map { $0 + 0.1 * rng.normal() }
        let count = 45
        let points = (0..<(2 * count)).map { _ in rng.uniform() }
        let requested: [MultiIndex] = [.xy(0, 0), .xy(1, 0), .xy(0, 1), .xy(3, 0), .xy(1, 1)]
        let adjoints = requested.map { _ in (0..<count).map { _ in rng.normal() } }
        func evaluate(chunk: Int?, _ x: [Double]) -> (derivatives: [[Double]], objective: Double, gradient: [Double]) {
            let jets = JetPropagator<Double>(network: net, plan: JetPlan(requesting: requested), points: points, chunkSize: chunk)
            var gradient = [Double](repeating: 0, count: x.count)
            x.withUnsafeBufferPointer { p in
                jets.forward(p.baseAddress!)
                gradient.withUnsafeMutableBufferPointer { jets.backward(adjoints: adjoints, gradient: $0.baseAddress!) }
            }
            var objective = 0.0
            for r in requested.indices { for q in 0..<count { objective += adjoints[r][q] * jets.derivatives[r][q] } }
            return (jets.derivatives, objective, gradient)
        }
        let whole = evaluate(chunk: count, params)
        for chunk in [1, 7, nil] {
            let chunked = evaluate(chunk: chunk, params)
            for r in requested.indices {
                for q in 0..<count {
                    XCTAssertEqual(chunked.derivatives[r][q], whole.derivatives[r][q], accuracy: 1e-12 * max(1, abs(whole.derivatives[r][q])))
                }
            }
            for k in params.indices {
                XCTAssertEqual(chunked.gradient[k], whole.gradient[k], accuracy: 1e-11 * max(1, abs(whole.gradient[k])), "chunk \(String(describing: chunk)) parameter \(k)")
            }
        }
        let h = 1e-6
        for k in stride(from: 0, to: params.count, by: 7) {
            var up = params, down = params
            up[k] += h; down[k] -= h
            let difference = (evaluate(chunk: 7, up).objective - evaluate(chunk: 7, down).objective) / (2 * h)
            XCTAssertEqual(whole.gradient[k], difference, accuracy: 1e-6 * max(1, abs(difference)), "parameter \(k)")
        }
    }

    /// The reverse pass against central differences for every parameter, across input dimensions,
    /// depths and derivative orders up to the highest supported: the first layer's gradient flows
    /// both through the points and through the per-neuron monomials v^α, so every W₀ entry is checked.
    func testGradientOfDerivativesMatchesFiniteDifferencesForEveryParameter() {
        var rng = SeededGenerator(seed: 5)
        let cases: [(widths: [Int], box: Box, requested: [MultiIndex])] = [
            ([2, 6, 6, 1], Box(lower: [0, 0], upper: [2, 1]), [.xy(0, 0), .xy(4, 0), .xy(3, 1), .xy(0, 2)]),
            ([2, 5, 1], Box(lower: [-1, 0], upper: [1, 3]), [.xy(1, 0), .xy(2, 1)]),
            ([2, 4, 4, 4, 1], Box(lower: [-1, -1], upper: [1, 1]), [.xy(0, 0), .xy(1, 1), .xy(5, 0)]),
            ([3, 5, 5, 1], Box(lower: [0, -1, 0], upper: [1, 1, 2]), [MultiIndex([1, 1, 1]), MultiIndex([0, 2, 0])]),
            ([2, 5, 5, 1], Box(lower: [0, 0], upper: [1, 1]), [.xy(0, 0)]),
        ]
        for (widths, box, requested) in cases {
            let net = MLP(widths: widths, inputBox: box)
            let params = net.initialParameters(using: &rng).map { $0 + 0.2 * rng.normal() }
            let count = 11
            let points = (0..<count).flatMap { _ in zip(box.lower, box.upper).map { $0 + ($1 - $0) * rng.uniform() } }
            let adjoints = requested.map { _ in (0..<count).map { _ in rng.normal() } }
            let jets = JetPropagator<Double>(network: net, plan: JetPlan(requesting: requested), points: points, chunkSize: 4)
            func objective(_ x: [Double]) -> Double {
                x.withUnsafeBufferPointer { jets.forward($0.baseAddress!) }
                return requested.indices.reduce(0) { total, r in total + zip(adjoints[r], jets.derivatives[r]).reduce(0) { $0 + $1.0 * $1.1 } }
            }
            var gradient = [Double](repeating: 0, count: params.count)
            params.withUnsafeBufferPointer { p in
                jets.forward(p.baseAddress!)
                gradient.withUnsafeMutableBufferPointer { jets.backward(adjoints: adjoints, gradient: $0.baseAddress!) }
            }
            let h = 1e-5
            for k in params.indices {
                var up = params, down = params
                up[k] += h; down[k] -= h
                let difference = (objective(up) - objective(down)) / (2 * h)
                XCTAssertEqual(gradient[k], difference, accuracy: 1e-6 * max(1, abs(difference)), "\(widths) \(requested) parameter \(k)")
            }
        }
    }
}

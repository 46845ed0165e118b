import Foundation
import XCTest
@testable import ReferenceSolvers

final class GaussHermiteRuleTests: XCTestCase {
    /// ∫ z^{2k} e^{−z²} dz = Γ(k + ½) is integrated exactly while 2k ≤ 2n − 1.
    func testEvenMomentsAreExact() throws {
        for n in [1, 2, 3, 5, 10, 20, 50, 100] {
            let rule = try GaussHermiteRule(count: n)
            XCTAssertEqual(rule.count, n)
            for k in 0...min(n - 1, 15) {
                let exact = tgamma(Double(k) + 0.5)
                let computed = rule.integrate { pow($0, Double(2 * k)) }
                XCTAssertEqual(computed, exact, accuracy: 1e-12 * exact, "n = \(n), k = \(k)")
            }
            // Odd moments vanish: the rule is symmetric.
            XCTAssertEqual(rule.integrate { $0 * $0 * $0 }, 0, accuracy: 1e-14)
        }
    }

    func testWeightsSumToRootPiAndArePositive() throws {
        for n in [1, 7, 64, 100, 200] {
            let rule = try GaussHermiteRule(count: n)
            XCTAssertEqual(rule.weights.reduce(0, +), Double.pi.squareRoot(), accuracy: 1e-13, "n = \(n)")
            XCTAssertTrue(rule.weights.allSatisfy { $0 >= 0 })
            XCTAssertEqual(rule.nodes, rule.nodes.sorted())
        }
    }

    /// The two-point rule in closed form: nodes ±1/√2, weights √π/2.
    func testTwoPointRule() throws {
        let rule = try GaussHermiteRule(count: 2)
        XCTAssertEqual(rule.nodes[0], -1 / 2.0.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(rule.nodes[1], 1 / 2.0.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(rule.weights[0], Double.pi.squareRoot() / 2, accuracy: 1e-15)
    }

    /// A non-polynomial integrand: ∫ cos(z) e^{−z²} dz = √π e^{−1/4}.
    func testSmoothIntegrandConverges() throws {
        let rule = try GaussHermiteRule(count: 30)
        XCTAssertEqual(rule.integrate { cos($0) }, Double.pi.squareRoot() * exp(-0.25), accuracy: 1e-14)
    }

    func testRejectsEmptyRule() {
        XCTAssertThrowsError(try GaussHermiteRule(count: 0)) { error in
            XCTAssertEqual(error as? QuadratureError, .invalidNodeCount(0))
        }
    }
}

final class GaussLegendreRuleTests: XCTestCase {
    /// ∫_{−1}^{1} x^{2k} dx = 2/(2k + 1), exact while 2k ≤ 2n − 1.
    func testPolynomialsAreExact() {
        for n in [1, 2, 3, 8, 10, 16, 40] {
            let rule = GaussLegendreRule(count: n)
            XCTAssertEqual(rule.weights.reduce(0, +), 2, accuracy: 1e-14)
            for k in 0...(n - 1) {
                var sum = 0.0
                for (x, w) in zip(rule.nodes, rule.weights) { sum += w * pow(x, Double(2 * k)) }
                XCTAssertEqual(sum, 2 / Double(2 * k + 1), accuracy: 1e-14, "n = \(n), k = \(k)")
            }
        }
    }

    func testThreePointRule() {
        let rule = GaussLegendreRule(count: 3)
        XCTAssertEqual(rule.nodes[2], (0.6).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(rule.nodes[1], 0)
        XCTAssertEqual(rule.weights[1], 8.0 / 9.0, accuracy: 1e-15)
        XCTAssertEqual(rule.weights[0], 5.0 / 9.0, accuracy: 1e-15)
    }
}

final class FFTTests: XCTestCase {
    /// Both transforms against the defining sums, and forward∘inverse = identity.
    func testComplexAndRealTransformsMatchTheDFT() {
        for n in [4, 8, 64] {
            let x: [Double] = (0..<n).map { (j: Int) -> Double in
                let a: Double = sin(0.7 * Double(j * j))
                return a + 0.3 * Double(j % 3)
            }
            var dft = [Complex](repeating: .zero, count: n)
            for k in 0..<n {
                for j in 0..<n {
                    let angle = -2 * Double.pi * Double(k * j) / Double(n)
                    let term: Complex = x[j] * Complex(cos(angle), sin(angle))
                    dft[k] = dft[k] + term
                }
            }
            var data = x.map { Complex($0) }
            let fft = RadixTwoFFT(count: n)
            fft.forward(&data)
            for k in 0..<n {
                XCTAssertEqual(data[k].re, dft[k].re, accuracy: 1e-12)
                XCTAssertEqual(data[k].im, dft[k].im, accuracy: 1e-12)
            }
            fft.inverse(&data)
            for k in 0..<n { XCTAssertEqual(data[k].re, x[k], accuracy: 1e-14) }

            var real = RealFFT(count: n)
            var half = [Complex](repeating: .zero, count: n / 2 + 1)
            var back = [Double](repeating: 0, count: n)
            x.withUnsafeBufferPointer { xb in half.withUnsafeMutableBufferPointer { real.forward(xb.baseAddress!, $0.baseAddress!) } }
            for k in 0...(n / 2) {
                XCTAssertEqual(half[k].re, dft[k].re, accuracy: 1e-12)
                XCTAssertEqual(half[k].im, dft[k].im, accuracy: 1e-12)
            }
            half.withUnsafeBufferPointer { hb in back.withUnsafeMutableBufferPointer { real.inverse(hb.baseAddress!, $0.baseAddress!) } }
            for k in 0..<n { XCTAssertEqual(back[k], x[k], accuracy: 1e-14) }
        }
    }
}

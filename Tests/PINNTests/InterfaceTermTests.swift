import XCTest
import Foundation
import PINN
import Sampling
import ReferenceSolvers

/// The nine interface terms on real family problems: zero (differences) or symmetric (single
/// terms) when both networks compute the same function, positive otherwise, and exact gradients.
final class InterfaceTermTests: XCTestCase {
    func smallProblem(_ family: any PDEFamily, seed: UInt64 = 1) throws -> XPINNProblem {
        var rng = SeededGenerator(seed: seed)
        let s = family.defaultParameters
        let reference = GridSolution(x: linspace(family.domain.lower[0], family.domain.upper[0], 5),
                                     y: linspace(family.domain.lower[1], family.domain.upper[1], 5)) { _, _ in 0 }
        let set = TrainingSet.sample(family: family, parameters: s, protocol: .forward, reference: reference,
                                     configuration: SamplingConfiguration(collocationPoints: 20, boundaryPoints: 10, periodicPoints: 6),
                                     using: &rng)
        return XPINNProblem(family: family, parameters: s, trainingSet: set, hiddenWidths: [6, 6])
    }

    /// Parameters for network `to` computing exactly network `from`'s function: the input scalings
    /// differ, so fold the change of affine map into the first layer.
    func sameFunction(_ p: [Double], from a: MLP, to b: MLP) -> [Double] {
        var q = p
        let (sa, ca, sb, cb) = (a.inputScale, a.inputShift, b.inputScale, b.inputShift)
        let width = a.widths[1], d = a.inputDimension
        for i in 0..<width {
            var bias = p[a.biasOffset(0) + i]
            for k in 0..<d {
                let w = p[a.weightOffset(0) + i * d + k]
                // w·(sa x + ca) = (w sa/sb)·(sb x + cb) + w (ca − sa cb/sb)
                q[b.weightOffset(0) + i * d + k] = w * sa[k] / sb[k]
                bias += w * (ca[k] - sa[k] * cb[k] / sb[k])
            }
            q[b.biasOffset(0) + i] = bias
        }
        return q
    }

    func testDifferenceTermsVanishForIdenticalNetworksAndSingleTermsAreSymmetric() throws {
        for family in FamilyRegistry.builtIn {
            let problem = try smallProblem(family)
            let (a, b) = (problem.networks[0], problem.networks[1])
            var rng = SeededGenerator(seed: 3)
            let p0 = a.initialParameters(using: &rng)
            let identical = p0 + sameFunction(p0, from: a, to: b)
            XCTAssertEqual(a.value(at: [family.domain.lower[0] + 0.3, family.domain.lower[1] + 0.2], parameters: p0),
                           b.value(at: [family.domain.lower[0] + 0.3, family.domain.lower[1] + 0.2], parameters: Array(identical[a.parameterCount...])),
                           accuracy: 1e-12)
            var perturbed = identical
            for i in a.parameterCount..<perturbed.count { perturbed[i] += 0.05 * rng.normal() }
            for condition in InterfaceCondition.allCases {
                let loss = problem.loss(arm: InterfaceArm([condition]), parallel: false)
                var g = [Double](repeating: 0, count: loss.dimension)
                _ = loss.value(at: identical, gradient: &g)
                let names = loss.terms.map(\.name)
                let interfaceValues = zip(names, loss.termValues).filter { $0.0.hasPrefix("interface") }.map(\.1)
                switch condition {
                case .residual, .gres:
                    // Same function on the same points: the two networks' halves are equal.
                    let half = interfaceValues.count / 2
                    for k in 0..<half { XCTAssertEqual(interfaceValues[k], interfaceValues[k + half], accuracy: 1e-9 * max(1, interfaceValues[k]), "\(family.name) \(condition)") }
                    XCTAssertGreaterThan(interfaceValues.reduce(0, +), 0)
                default:
                    XCTAssertLessThan(interfaceValues.reduce(0, +), 1e-18, "\(family.name) \(condition) not zero for identical networks")
                }
                _ = loss.value(at: perturbed, gradient: &g)
                let after = zip(names, loss.termValues).filter { $0.0.hasPrefix("interface") }.map(\.1)
                XCTAssertGreaterThan(after.reduce(0, +), 1e-8, "\(family.name) \(condition) not positive for different networks")
            }
        }
    }

    func testFamilyLossGradientsWithAllConditionsMatchFiniteDifferences() throws {
        for family in FamilyRegistry.builtIn {
            let problem = try smallProblem(family)
            let loss = problem.loss(arm: .all, parallel: true)
            var rng = SeededGenerator(seed: 4)
            let x = problem.networks.flatMap { $0.initialParameters(using: &rng) }
            var g = [Double](repeating: 0, count: loss.dimension), scratch = g
            _ = loss.value(at: x, gradient: &g)
            let scale = g.map(abs).max()!
            for i in stride(from: 1, to: loss.dimension, by: 7) {
                func d(_ h: Double) -> Double {
                    var xp = x, xm = x
                    xp[i] += h; xm[i] -= h
                    return (loss.value(at: xp, gradient: &scratch) - loss.value(at: xm, gradient: &scratch)) / (2 * h)
                }
                let fd = (4 * d(5e-5) - d(1e-4)) / 3
                XCTAssertLessThan(abs(fd - g[i]) / max(abs(fd), 1e-4 * scale), 1e-6, "\(family.name) parameter \(i): \(g[i]) vs \(fd)")
            }
        }
    }

    /// The Float32 engine computes the same loss and gradient as Float64 to Float32 rounding
    /// (ε = 6e-8; measured 1e-8–7e-8 on the loss, 1e-7–2.3e-7 on the gradient), on every family
    /// with all nine conditions, i.e. every derivative order the families request.
    func testFloat32LossAndGradientAgreeWithFloat64() throws {
        for family in FamilyRegistry.builtIn {
            let problem = try smallProblem(family)
            var rng = SeededGenerator(seed: 8)
            let x = problem.networks.flatMap { $0.initialParameters(using: &rng) }.map { $0 + 0.1 * rng.normal() }
            var g64 = [Double](repeating: 0, count: x.count), g32 = g64
            let value64 = problem.loss(arm: .all, precision: .float64).value(at: x, gradient: &g64)
            let value32 = problem.loss(arm: .all, precision: .float32).value(at: x, gradient: &g32)
            XCTAssertEqual(value32, value64, accuracy: 1e-6 * value64, family.name)
            XCTAssertNotEqual(value32, value64, "\(family.name): Float32 identical to Float64, so not computed in Float32")
            let scale = g64.map(abs).max()!
            let worst = zip(g32, g64).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(worst / scale, 2e-6, family.name)
        }
    }

    func testArmSwitchesOffDerivativeRequests() throws {
        let problem = try smallProblem(KdVFamily())
        let u = problem.loss(arm: InterfaceArm([.u]))
        let all = problem.loss(arm: .all)
        // Interface point set of network 0 is number 4.
        XCTAssertEqual(u.requestedDerivatives(network: 0, pointSet: 4), [.xy(0, 0)])
        XCTAssertEqual(Set(all.requestedDerivatives(network: 0, pointSet: 4)!).map(\.order).max(), 4)
        XCTAssertNil(problem.loss(arm: .none).requestedDerivatives(network: 0, pointSet: 4))
    }
}

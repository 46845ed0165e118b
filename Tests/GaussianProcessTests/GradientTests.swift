import Foundation
import XCTest
import LinearAlgebra
import GaussianProcess

/// Analytic gradients against central finite differences.
final class GradientTests: XCTestCase {
    func finiteDifference(_ f: ([Double]) -> Double, at h: [Double], step: Double = 1e-5) -> [Double] {
        (0..<h.count).map { k in
            var p = h, m = h
            p[k] += step
            m[k] -= step
            return (f(p) - f(m)) / (2 * step)
        }
    }

    func checkLogPosteriorGradient(kernel: any Kernel, at h: [Double], standardise: Bool = false) throws {
        var gp = GaussianProcess(kernel: kernel, inputDimension: 11, options: .init(standardiseTargets: standardise))
        let data = ReferenceData.training
        try gp.setData(inputs: data.x, targets: data.y)
        let analytic = try XCTUnwrap(gp.logMarginalLikelihood(at: h)).gradient
        let numeric = finiteDifference({ gp.logMarginalLikelihood(at: $0)!.logPosterior }, at: h)
        XCTAssertEqual(analytic.count, h.count)
        for k in 0..<h.count {
            XCTAssertEqual(analytic[k], numeric[k], accuracy: 1e-6 * max(1, abs(numeric[k])), "∂/∂h[\(k)] (\(gp.hyperparameterNames[k]))")
        }
    }

    func testReferenceKernelLogPosteriorGradient() throws {
        try checkLogPosteriorGradient(kernel: ProductKernel.reference(continuous: 0..<2, bits: 2..<11), at: [0.3, 0.7, log(50)])
        try checkLogPosteriorGradient(kernel: ProductKernel.reference(continuous: 0..<2, bits: 2..<11), at: [-1.2, 1.9, 3], standardise: true)
    }

    func testComposedKernelLogPosteriorGradient() throws {
        // (σ² · RBF-ARD(s) · Cat(bits 0–4)) + Cat(bits 5–8): every leaf, product and sum.
        let kernel = ConstantKernel(logVariance: 0.2).times(RBFKernel(dimensions: 0..<2, ard: true, logLengthScale: -0.3))
            .times(CategoricalKernel(dimensions: 2..<7, logWeight: 0.1)).plus(CategoricalKernel(dimensions: 7..<11, logWeight: -0.5))
        XCTAssertEqual(kernel.parameterCount, 5)
        try checkLogPosteriorGradient(kernel: kernel, at: [0.2, -0.3, 0.4, 0.1, -0.5, log(80)])
    }

    /// Kernel derivatives themselves, pair by pair, on a cross set.
    func testKernelGradientsMatchFiniteDifferences() {
        var kernel: any Kernel = ConstantKernel(logVariance: 0.3).times(RBFKernel(dimensions: 0..<2, ard: true))
            .plus(RBFKernel(dimensions: [1], logLengthScale: 0.5).times(CategoricalKernel(dimensions: 2..<11, logWeight: 0.4)))
        let x = ReferenceData.training.x, c = ReferenceData.candidates
        let pairs = PairSet.cross(c, x)
        let channels = kernel.features(of: pairs)
        let theta = [0.3, -0.2, 0.6, 0.5, 0.4]
        kernel.logParameters = theta
        let analytic = kernel.evaluate(channels: channels[...], pairCount: pairs.count, gradients: true)
        for k in 0..<theta.count {
            var p = theta, m = theta
            p[k] += 1e-6
            m[k] -= 1e-6
            kernel.logParameters = p
            let vp = kernel.values(on: pairs)
            kernel.logParameters = m
            let vm = kernel.values(on: pairs)
            for q in 0..<pairs.count {
                XCTAssertEqual(analytic.gradients[k][q], (vp[q] - vm[q]) / 2e-6, accuracy: 1e-7)
            }
        }
    }

    /// The packed lower-triangle layout holds the same values as the full cross layout.
    func testLayoutsAgree() {
        let kernel = ProductKernel.reference(continuous: 0..<2, bits: 2..<11, logLengthScale: 0.2, logWeight: 0.5)
        let x = ReferenceData.training.x
        let full = kernel.values(on: .cross(x, x))
        let packed = kernel.values(on: .lowerTriangle(x))
        let diagonal = kernel.values(on: .diagonal(x))
        var q = 0
        for i in 0..<12 {
            for j in 0...i {
                XCTAssertEqual(packed[q], full[i * 12 + j], accuracy: 1e-15)
                XCTAssertEqual(full[i * 12 + j], full[j * 12 + i], accuracy: 1e-15)
                q += 1
            }
            XCTAssertEqual(diagonal[i], full[i * 12 + i], accuracy: 1e-15)
            XCTAssertEqual(diagonal[i], exp(exp(0.5)), accuracy: 1e-12)
        }
    }
}

import Foundation
import XCTest
import LinearAlgebra
import Sampling
import GaussianProcess

final class FitTests: XCTestCase {
    /// n points (s ∈ [−2, 2], arms from a pool of `armPool` random masks) and one draw of f + noise from the reference-kernel GP
    /// with hyperparameters `truth`, sampled through LinearAlgebra's Cholesky (not the GP code).
    func drawFromKnownGP(n: Int, truth: [Double], seed: UInt64, armPool: Int = 512) throws -> (x: Matrix, y: [Double]) {
        var rng = SeededGenerator(seed: seed)
        let pool = (0..<armPool).map { _ in Int(rng.next() % 512) }
        var rows: [Double] = []
        for _ in 0..<n {
            rows.append(-2 + 4 * rng.uniform())
            rows += ReferenceData.bits(pool[Int(rng.next() % UInt64(armPool))])
        }
        let x = Matrix(rows: n, columns: 10, elements: rows)
        var k = Matrix(rows: n, columns: n)
        let ell = exp(truth[0]), lambda = exp(truth[1])
        for i in 0..<n {
            for j in 0..<n {
                let d = x[i, 0] - x[j, 0]
                var agree = 0.0
                for b in 1..<10 where x[i, b] == x[j, b] { agree += 1 }
                k[i, j] = exp(-d * d / ell) * exp(lambda * agree / 9)
            }
            k[i, i] += 1e-8
        }
        let l = try Cholesky(k)
        let z = (0..<n).map { _ in rng.normal() }
        let noiseSD = exp(-0.5 * truth[2])
        let f = Matrix(rows: n, columns: n, elements: l.lower) * z
        return (x, f.map { $0 + noiseSD * rng.normal() })
    }

    /// The true length-scale ℓ = 0.5 (θ₁ = log 0.5) is recovered to within a factor e^0.25 ≈ 1.28
    /// from 150 points on 6 arms (so each arm's curve along s is well sampled), starting from
    /// θ = (0, 0); λ and τ come out close too. (With 150 points spread over all 512 arms, a single
    /// draw does not determine ℓ that well: the fitted optimum is then genuinely elsewhere.)
    func testFitRecoversLengthScale() throws {
        let truth = [log(0.5), log(2.0), log(100.0)]
        for seed: UInt64 in [1, 2] {
            let data = try drawFromKnownGP(n: 150, truth: truth, seed: seed, armPool: 6)
            var gp = GaussianProcess(kernel: ProductKernel.reference(continuous: 0..<1, bits: 1..<10), inputDimension: 10)
            try gp.setData(inputs: data.x, targets: data.y)
            let before = try XCTUnwrap(gp.logMarginalLikelihood()).logPosterior
            let report = gp.fitHyperparameters(FitOptions(maxIterations: 100, restarts: 1, seed: 7))
            XCTAssertFalse(report.keptPreviousHyperparameters)
            XCTAssertGreaterThan(try XCTUnwrap(report.logPosterior), before)
            XCTAssertEqual(gp.hyperparameters[0], truth[0], accuracy: 0.25, "seed \(seed): θ₁ = \(gp.hyperparameters)")
            XCTAssertEqual(gp.hyperparameters[1], truth[1], accuracy: 0.3, "seed \(seed): θ₂")
            XCTAssertEqual(gp.hyperparameters[2], truth[2], accuracy: 0.3, "seed \(seed): log τ")
            // At the optimum the gradient vanishes.
            let g = try XCTUnwrap(gp.logMarginalLikelihood()).gradient
            XCTAssertLessThan(g.map(abs).max()!, 1e-3)
        }
    }

    /// Same data, same starting point and seed: identical hyperparameters, bit for bit.
    func testFitIsDeterministicFromSeed() throws {
        let data = try drawFromKnownGP(n: 40, truth: [0, 0.5, log(100)], seed: 3)
        func fitted(_ seed: UInt64) throws -> [Double] {
            var gp = GaussianProcess(kernel: ProductKernel.reference(continuous: 0..<1, bits: 1..<10), inputDimension: 10)
            try gp.setData(inputs: data.x, targets: data.y)
            gp.fitHyperparameters(FitOptions(maxIterations: 50, restarts: 2, seed: seed))
            return gp.hyperparameters
        }
        XCTAssertEqual(try fitted(11), try fitted(11))
    }

    /// Duplicate inputs with tiny noise and no base jitter: K + noise·I is singular to working
    /// precision. The GP escalates the jitter, reports it, and predicts finite values; fitting
    /// on the same data does not crash either.
    func testNearSingularMatrixEscalatesJitter() throws {
        var rows: [Double] = []
        var y: [Double] = []
        for i in 0..<30 {
            // 10 distinct, very close contexts, each three times, same arm.
            let s = 1e-4 * Double(i % 10)
            rows += [s] + ReferenceData.bits(77)
            y.append(sin(3 * s) + 0.01 * Double(i % 3))
        }
        let x = Matrix(rows: 30, columns: 10, elements: rows)
        let options = GaussianProcess.Options(jitter: 0, noisePrior: nil)
        var gp = GaussianProcess(kernel: ProductKernel.reference(continuous: 0..<1, bits: 1..<10, logLengthScale: 2, logWeight: 1),
                                 inputDimension: 10, logNoisePrecision: 40, options: options)
        try gp.setData(inputs: x, targets: y)
        XCTAssertTrue(gp.warnings.contains { if case .jitterEscalated = $0 { return true } else { return false } }, "\(gp.warnings)")
        XCTAssertGreaterThan(gp.extraJitter, 0)
        XCTAssertEqual(gp.conditionedCount, 30)
        let p = gp.predict(ReferenceData.candidates.dropColumn())
        XCTAssertTrue(p.mean.allSatisfy { $0.isFinite } && p.variance.allSatisfy { $0.isFinite && $0 >= 0 })

        let report = gp.fitHyperparameters(FitOptions(maxIterations: 30, restarts: 1))
        XCTAssertTrue(report.hyperparameters.allSatisfy { $0.isFinite })
        let q = gp.predict(ReferenceData.candidates.dropColumn())
        XCTAssertTrue(q.mean.allSatisfy { $0.isFinite } && q.variance.allSatisfy { $0.isFinite && $0 >= 0 })
    }

    /// With no jitter allowed at all, conditioning on duplicates with negligible noise fails: the
    /// GP says so, keeps the previous posterior (here: the prior) and still predicts finite values.
    /// A hyperparameter fit then finds a noise level that works.
    func testConditioningFailureKeepsPreviousPosterior() throws {
        let x = Matrix(rows: 4, columns: 10, elements: [Double]((0..<4).flatMap { _ in [0.5] + ReferenceData.bits(3) }))
        let options = GaussianProcess.Options(jitter: 0, jitterLadder: [], noisePrior: nil)
        var gp = GaussianProcess(kernel: ProductKernel.reference(continuous: 0..<1, bits: 1..<10),
                                 inputDimension: 10, logNoisePrecision: 60, options: options)
        try gp.setData(inputs: x, targets: [1, 2, 3, 4])
        XCTAssertEqual(gp.warnings, [.conditioningFailed])
        XCTAssertEqual(gp.count, 4)
        XCTAssertEqual(gp.conditionedCount, 0)
        let p = gp.predict(x)
        XCTAssertEqual(p.mean, [0, 0, 0, 0])
        XCTAssertTrue(p.variance.allSatisfy { $0.isFinite })

        let report = gp.fitHyperparameters(FitOptions(maxIterations: 50, restarts: 0))
        XCTAssertFalse(report.keptPreviousHyperparameters)
        XCTAssertLessThan(gp.hyperparameters[2], 12)
        XCTAssertEqual(gp.conditionedCount, 4)
        XCTAssertTrue(gp.predict(x).mean.allSatisfy { $0.isFinite })
    }

    /// A kernel whose values overflow (λ = e^7, e^λ = ∞) cannot be fitted from any start: the fit
    /// reports failure, keeps the hyperparameters, and predictions contain no NaN.
    func testFailedFitKeepsHyperparametersAndSaysSo() throws {
        let data = ReferenceData.training
        var gp = GaussianProcess(kernel: ProductKernel.reference(continuous: 0..<2, bits: 2..<11, logWeight: 7),
                                 inputDimension: 11)
        try gp.setData(inputs: data.x, targets: data.y)
        XCTAssertEqual(gp.warnings, [.conditioningFailed])
        let before = gp.hyperparameters
        let report = gp.fitHyperparameters(FitOptions(maxIterations: 20, restarts: 0))
        XCTAssertTrue(report.keptPreviousHyperparameters)
        XCTAssertTrue(report.warnings.contains(.fitFailed))
        XCTAssertEqual(gp.hyperparameters, before)
        let p = gp.predict(ReferenceData.candidates)
        XCTAssertFalse(p.mean.contains { $0.isNaN } || p.variance.contains { $0.isNaN })
    }

    /// Joint posterior draws have the posterior covariance (checked by the sample covariance).
    func testJointSamplesHavePosteriorCovariance() throws {
        var gp = GaussianProcess(kernel: ProductKernel.reference(continuous: 0..<2, bits: 2..<11), inputDimension: 11)
        let data = ReferenceData.training
        try gp.setData(inputs: data.x, targets: data.y)
        try gp.setHyperparameters([0.3, 0.7, log(50)])
        let c = ReferenceData.candidates
        let exact = gp.posteriorCovariance(c)
        var rng = SeededGenerator(seed: 5)
        let draws = gp.samplePosterior(c, count: 20000, using: &rng)
        XCTAssertTrue(draws.joint)
        for i in 0..<5 {
            for j in 0...i {
                var s = 0.0
                for d in draws.samples { s += (d[i] - exact.mean[i]) * (d[j] - exact.mean[j]) }
                s /= Double(draws.samples.count)
                let scale = (exact.covariance[i, i] * exact.covariance[j, j]).squareRoot()
                XCTAssertEqual(s, exact.covariance[i, j], accuracy: 0.05 * scale, "cov[\(i), \(j)]")
            }
        }
        let marginal = gp.samplePosterior(c, count: 3, joint: false, using: &rng)
        XCTAssertFalse(marginal.joint)
        XCTAssertEqual(marginal.samples.count, 3)
    }

    /// Joint sampling over all 512 arms of one context (a near-singular covariance) works.
    func testJointSamplingOverAllArmsOfAContext() throws {
        var gp = GaussianProcess(kernel: ProductKernel.reference(continuous: 0..<2, bits: 2..<11), inputDimension: 11)
        let data = ReferenceData.training
        try gp.setData(inputs: data.x, targets: data.y)
        let arms = Matrix(rows: 512, columns: 11, elements: (0..<512).flatMap { [0.1, -0.2] + ReferenceData.bits($0) })
        var rng = SeededGenerator(seed: 9)
        let draw = gp.samplePosterior(arms, using: &rng)
        XCTAssertTrue(draw.joint)
        XCTAssertTrue(draw.samples[0].allSatisfy { $0.isFinite })
    }
}

extension Matrix {
    /// The matrix without its first column (11-column candidates → 10-column inputs).
    func dropColumn() -> Matrix {
        var e: [Double] = []
        for i in 0..<rows { e += elements[(i * columns + 1)..<((i + 1) * columns)] }
        return Matrix(rows: rows, columns: columns - 1, elements: e)
    }
}

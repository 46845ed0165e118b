import Foundation
import XCTest
import GaussianProcess

/// GP quantities against numpy (reference_values.py: dense solve and slogdet, scipy's Gamma log-pdf).
final class ReferenceValueTests: XCTestCase {
    let hyperparameters = [0.3, 0.7, log(50.0)]

    func makeGP(standardise: Bool) throws -> GaussianProcess {
        var gp = GaussianProcess(kernel: ProductKernel.reference(continuous: 0..<2, bits: 2..<11), inputDimension: 11,
                                 options: .init(standardiseTargets: standardise))
        let data = ReferenceData.training
        try gp.setData(inputs: data.x, targets: data.y)
        XCTAssertTrue(try gp.setHyperparameters(hyperparameters))
        return gp
    }

    func check(standardise: Bool, logLikelihood: Double, logPrior: Double, mean: [Double], variance: [Double]) throws {
        let gp = try makeGP(standardise: standardise)
        let lml = try XCTUnwrap(gp.logMarginalLikelihood())
        XCTAssertEqual(lml.logLikelihood, logLikelihood, accuracy: 1e-9)
        XCTAssertEqual(lml.logPrior, logPrior, accuracy: 1e-9)
        XCTAssertEqual(lml.extraJitter, 0)
        let p = gp.predict(ReferenceData.candidates)
        for i in 0..<5 {
            XCTAssertEqual(p.mean[i], mean[i], accuracy: 1e-9, "mean \(i)")
            XCTAssertEqual(p.variance[i], variance[i], accuracy: 1e-9, "variance \(i)")
        }
        // The full posterior covariance agrees with the marginal variances.
        let joint = gp.posteriorCovariance(ReferenceData.candidates)
        for i in 0..<5 {
            XCTAssertEqual(joint.mean[i], mean[i], accuracy: 1e-9)
            XCTAssertEqual(joint.covariance[i, i], variance[i], accuracy: 1e-9)
        }
        XCTAssertTrue(gp.warnings.isEmpty)
    }

    func testMatchesNumpyWithoutStandardisation() throws {
        try check(standardise: false, logLikelihood: -23.202860411240408, logPrior: -21.843927832188967,
                  mean: [0.18102075244427138, 0.3870391622837289, -0.7137558329204817, 0.1181266530009111, 0.47567017019283697],
                  variance: [4.807389764617704, 5.039958113447809, 5.072578805970825, 6.246971598823592, 5.977185559814898])
    }

    func testMatchesNumpyWithStandardisation() throws {
        try check(standardise: true, logLikelihood: -23.055453174789932, logPrior: -21.843927832188967,
                  mean: [0.17435401885794613, 0.3887502750568522, -0.7174203392985018, 0.10334508787969529, 0.46913535462956013],
                  variance: [5.953223464933259, 6.241224109617051, 6.281619892293066, 7.73592733849107, 7.401838226399764])
    }

    /// Appending points one at a time (incremental features) gives the same posterior as setting all data at once.
    func testAppendMatchesSetData() throws {
        let full = try makeGP(standardise: false)
        var gp = GaussianProcess(kernel: ProductKernel.reference(continuous: 0..<2, bits: 2..<11), inputDimension: 11)
        try gp.setHyperparameters(hyperparameters)
        let data = ReferenceData.training
        for i in 0..<12 {
            try gp.append(Array(data.x.elements[(i * 11)..<((i + 1) * 11)]), target: data.y[i])
        }
        let a = full.predict(ReferenceData.candidates), b = gp.predict(ReferenceData.candidates)
        for i in 0..<5 {
            XCTAssertEqual(a.mean[i], b.mean[i], accuracy: 1e-12)
            XCTAssertEqual(a.variance[i], b.variance[i], accuracy: 1e-12)
        }
    }

    func testNaNTargetIsRejectedWithClearError() throws {
        var gp = GaussianProcess(kernel: ProductKernel.reference(continuous: 0..<2, bits: 2..<11), inputDimension: 11)
        let data = ReferenceData.training
        var y = data.y
        y[4] = .nan
        XCTAssertThrowsError(try gp.setData(inputs: data.x, targets: y)) { error in
            XCTAssertEqual(error as? GaussianProcessError, .nonFiniteTarget(index: 4))
            XCTAssertTrue("\(error)".contains("not finite"))
        }
        XCTAssertEqual(gp.count, 0)
        XCTAssertThrowsError(try gp.append([Double](repeating: 0, count: 11), target: .infinity))
        XCTAssertThrowsError(try gp.append([Double](repeating: 0, count: 10), target: 1)) { error in
            XCTAssertEqual(error as? GaussianProcessError, .dimensionMismatch(expected: 11, got: 10))
        }
    }
}

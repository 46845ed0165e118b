import XCTest
import Sampling

final class SamplingTests: XCTestCase {
    func testGeneratorIsReproducibleAndUniformMomentsAreRight() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        XCTAssertEqual(a.next(), b.next())
        XCTAssertNotEqual(a.next(), c.next())
        var sum = 0.0, sumSq = 0.0
        var n1 = 0.0, n2 = 0.0
        let n = 200_000
        for _ in 0..<n {
            let u = a.uniform()
            XCTAssert(u >= 0 && u < 1)
            sum += u; sumSq += u * u
            let z = a.normal()
            n1 += z; n2 += z * z
        }
        // Standard errors: 0.29/√n ≈ 6.5e-4 for the uniform mean, 1/√n ≈ 2.2e-3 for the normal mean.
        XCTAssertEqual(sum / Double(n), 0.5, accuracy: 4e-3)
        XCTAssertEqual(sumSq / Double(n), 1.0 / 3, accuracy: 4e-3)
        XCTAssertEqual(n1 / Double(n), 0, accuracy: 1e-2)
        XCTAssertEqual(n2 / Double(n), 1, accuracy: 1.5e-2)
    }

    func testLatinHypercubeHasOnePointPerStratum() {
        var rng = SeededGenerator(seed: 1)
        let count = 50
        let pts = LatinHypercube.sample(count: count, lower: [0, -1], upper: [2, 1], using: &rng)
        for (k, (lo, hi)) in [(0.0, 2.0), (-1.0, 1.0)].enumerated() {
            var seen = Set<Int>()
            for i in 0..<count {
                let v = pts[i * 2 + k]
                XCTAssert(v >= lo && v < hi)
                seen.insert(Int((v - lo) / (hi - lo) * Double(count)))
            }
            XCTAssertEqual(seen.count, count)
        }
    }
}

import XCTest
import LinearAlgebra

final class CholeskyTests: XCTestCase {
    /// A random symmetric positive-definite matrix B Bᵀ + n I.
    func randomSPD(_ n: Int, seed: UInt64) -> Matrix {
        var state = seed
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        let b = Matrix(rows: n, columns: n, elements: (0..<n * n).map { _ in next() })
        var a = b * b.transposed
        for i in 0..<n { a[i, i] += Double(n) }
        return a
    }

    func testSolveReproducesRightHandSide() throws {
        let a = randomSPD(12, seed: 3)
        let x = (0..<12).map { Double($0) - 5.5 }
        let b = a * x
        let solved = try Cholesky(a).solve(b)
        for i in 0..<12 { XCTAssertEqual(solved[i], x[i], accuracy: 1e-11) }
    }

    func testFactorTimesTransposeIsMatrixAndLogDet() throws {
        let a = randomSPD(7, seed: 9)
        let c = try Cholesky(a)
        let l = Matrix(rows: 7, columns: 7, elements: c.lower)
        let llt = l * l.transposed
        for k in 0..<49 { XCTAssertEqual(llt.elements[k], a.elements[k], accuracy: 1e-12) }
        // log det by the product of LU pivots, computed independently through eigenvalues.
        let eig = try symmetricEigen(a)
        XCTAssertEqual(c.logDeterminant, eig.values.map { Foundation.log($0) }.reduce(0, +), accuracy: 1e-10)
        // Triangular solves compose to the full solve.
        let b = Matrix(rows: 7, columns: 2, elements: (0..<14).map { Double($0) })
        let two = c.solveLowerTransposed(c.solveLower(b))
        let direct = c.solve(b)
        for k in 0..<14 { XCTAssertEqual(two.elements[k], direct.elements[k], accuracy: 1e-12) }
        let inv = c.inverse * a
        for i in 0..<7 { for j in 0..<7 { XCTAssertEqual(inv[i, j], i == j ? 1 : 0, accuracy: 1e-12) } }
    }

    func testIndefiniteAndNaNMatricesThrow() {
        var a = Matrix.identity(3)
        a[2, 2] = -1
        XCTAssertThrowsError(try Cholesky(a)) { XCTAssertEqual($0 as? LinearAlgebraError, .notPositiveDefinite(minor: 3)) }
        a[2, 2] = .nan
        XCTAssertThrowsError(try Cholesky(a)) { XCTAssertEqual($0 as? LinearAlgebraError, .nonFinite) }
    }

    func testBandAndGeneralSolversAgree() throws {
        let n = 30
        var band = BandMatrix(n: n, lowerBandwidth: 2, upperBandwidth: 1)
        var dense = Matrix(rows: n, columns: n)
        for i in 0..<n {
            for j in max(0, i - 2)...min(n - 1, i + 1) {
                let v = i == j ? 4.0 : Double((i * 7 + j * 3) % 5) / 5 - 0.4
                band[i, j] = v
                dense[i, j] = v
            }
        }
        let b = (0..<n).map { sin(Double($0)) }
        let x1 = try band.solve(b)
        let x2 = try solveLinearSystem(dense, b)
        let residual = zip(dense * x1, b).map { abs($0 - $1) }.max()!
        XCTAssertLessThan(residual, 1e-12)
        for i in 0..<n { XCTAssertEqual(x1[i], x2[i], accuracy: 1e-12) }
    }

    func testTridiagonalEigenOfSecondDifference() throws {
        // Eigenvalues of tridiag(-1, 2, -1) are 2 − 2 cos(kπ/(n+1)).
        let n = 10
        let (values, vectors) = try symmetricTridiagonalEigen(diagonal: Array(repeating: 2, count: n),
                                                              offDiagonal: Array(repeating: -1, count: n - 1))
        for k in 1...n { XCTAssertEqual(values[k - 1], 2 - 2 * cos(Double(k) * .pi / Double(n + 1)), accuracy: 1e-12) }
        var norm = 0.0
        for i in 0..<n { norm += vectors[i, 0] * vectors[i, 0] }
        XCTAssertEqual(norm, 1, accuracy: 1e-12)
    }
}

import CLAPACKE
import Foundation

/// The Cholesky factorisation A = L Lᵀ of a symmetric positive-definite matrix, by LAPACK `dpotrf`.
public struct Cholesky: Sendable {
    /// Order of the matrix.
    public let n: Int
    /// Row-major storage whose lower triangle holds L (the strict upper triangle is zero).
    public private(set) var lower: [Double]

    /// Factorises the symmetric matrix `a` (only its lower triangle is read).
    /// - Throws: `LinearAlgebraError.notPositiveDefinite` or `.nonFinite`; never traps.
    public init(_ a: Matrix) throws {
        precondition(a.rows == a.columns, "Cholesky: matrix is \(a.rows)×\(a.columns)")
        n = a.rows
        lower = a.elements
        if lower.contains(where: { !$0.isFinite }) { throw LinearAlgebraError.nonFinite }
        let n32 = Int32(n)
        let info = lower.withUnsafeMutableBufferPointer {
            LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), n32, $0.baseAddress, max(1, n32))
        }
        if info > 0 { throw LinearAlgebraError.notPositiveDefinite(minor: Int(info)) }
        if info < 0 { throw LinearAlgebraError.invalidArgument(routine: "dpotrf", index: Int(-info)) }
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { lower[i * n + j] = 0 } }
    }

    /// log det A = 2 Σ log Lᵢᵢ.
    public var logDeterminant: Double {
        var s = 0.0
        for i in 0..<n { s += log(lower[i * n + i]) }
        return 2 * s
    }

    /// Solves A X = B for a row-major n × m right-hand side (`dpotrs`).
    public func solve(_ b: Matrix) -> Matrix {
        precondition(b.rows == n, "Cholesky.solve: right-hand side has \(b.rows) rows, expected \(n)")
        var x = b
        guard b.columns > 0, n > 0 else { return x }
        lower.withUnsafeBufferPointer { l in
            x.elements.withUnsafeMutableBufferPointer { xp in
                _ = LAPACKE_dpotrs(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), Int32(b.columns),
                                   l.baseAddress, Int32(n), xp.baseAddress, Int32(b.columns))
            }
        }
        return x
    }

    /// Solves A x = b.
    public func solve(_ b: [Double]) -> [Double] {
        solve(Matrix(rows: n, columns: 1, elements: b)).elements
    }

    /// Solves L X = B (forward substitution, `dtrtrs`).
    public func solveLower(_ b: Matrix) -> Matrix {
        triangularSolve(b, transpose: false)
    }

    /// Solves Lᵀ X = B (back substitution, `dtrtrs`).
    public func solveLowerTransposed(_ b: Matrix) -> Matrix {
        triangularSolve(b, transpose: true)
    }

    private func triangularSolve(_ b: Matrix, transpose: Bool) -> Matrix {
        precondition(b.rows == n, "Cholesky: right-hand side has \(b.rows) rows, expected \(n)")
        var x = b
        guard b.columns > 0, n > 0 else { return x }
        lower.withUnsafeBufferPointer { l in
            x.elements.withUnsafeMutableBufferPointer { xp in
                _ = LAPACKE_dtrtrs(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")),
                                   Int8(UInt8(ascii: transpose ? "T" : "N")), Int8(UInt8(ascii: "N")),
                                   Int32(n), Int32(b.columns), l.baseAddress, Int32(n),
                                   xp.baseAddress, Int32(b.columns))
            }
        }
        return x
    }

    /// A⁻¹ (`dpotri`), symmetric and filled in both triangles.
    public var inverse: Matrix {
        var inv = lower
        let n32 = Int32(n)
        _ = inv.withUnsafeMutableBufferPointer {
            LAPACKE_dpotri(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), n32, $0.baseAddress, max(1, n32))
        }
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { inv[i * n + j] = inv[j * n + i] } }
        return Matrix(rows: n, columns: n, elements: inv)
    }
}


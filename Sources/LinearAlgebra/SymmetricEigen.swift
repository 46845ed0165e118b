import CLAPACKE

/// Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric tridiagonal matrix (`dstev`).
///
/// - Parameters:
///   - diagonal: the n diagonal entries.
///   - offDiagonal: the n − 1 sub-diagonal entries.
/// - Returns: `values` ascending and `vectors`, whose column k is the eigenvector of `values[k]`.
public func symmetricTridiagonalEigen(diagonal: [Double], offDiagonal: [Double]) throws -> (values: [Double], vectors: Matrix) {
    let n = diagonal.count
    precondition(offDiagonal.count == max(0, n - 1), "symmetricTridiagonalEigen: \(offDiagonal.count) off-diagonal entries for n = \(n)")
    var d = diagonal
    var e = offDiagonal + [0]
    var z = [Double](repeating: 0, count: n * n)
    let info = LAPACKE_dstev(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int32(n), &d, &e, &z, Int32(max(1, n)))
    if info > 0 { throw LinearAlgebraError.noConvergence(routine: "dstev", info: Int(info)) }
    if info < 0 { throw LinearAlgebraError.invalidArgument(routine: "dstev", index: Int(-info)) }
    return (d, Matrix(rows: n, columns: n, elements: z))
}

/// Eigenvalues (ascending) and orthonormal eigenvectors of a dense symmetric matrix (`dsyevd`).
/// Column k of `vectors` belongs to `values[k]`.
public func symmetricEigen(_ a: Matrix) throws -> (values: [Double], vectors: Matrix) {
    precondition(a.rows == a.columns, "symmetricEigen: matrix is \(a.rows)×\(a.columns)")
    if a.elements.contains(where: { !$0.isFinite }) { throw LinearAlgebraError.nonFinite }
    let n = a.rows
    var z = a.elements
    var w = [Double](repeating: 0, count: n)
    let info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "L")), Int32(n), &z, Int32(max(1, n)), &w)
    if info > 0 { throw LinearAlgebraError.noConvergence(routine: "dsyevd", info: Int(info)) }
    if info < 0 { throw LinearAlgebraError.invalidArgument(routine: "dsyevd", index: Int(-info)) }
    return (w, Matrix(rows: n, columns: n, elements: z))
}

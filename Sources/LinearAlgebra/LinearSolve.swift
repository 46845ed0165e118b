import CLAPACKE

/// Solves the general square system A x = b by LU with partial pivoting (`dgesv`).
public func solveLinearSystem(_ a: Matrix, _ b: [Double]) throws -> [Double] {
    precondition(a.rows == a.columns && a.rows == b.count, "solveLinearSystem: shapes \(a.rows)×\(a.columns), \(b.count)")
    if a.elements.contains(where: { !$0.isFinite }) || b.contains(where: { !$0.isFinite }) {
        throw LinearAlgebraError.nonFinite
    }
    var lu = a.elements
    var x = b
    var pivots = [Int32](repeating: 0, count: a.rows)
    let n = Int32(a.rows)
    let info = LAPACKE_dgesv(LAPACK_ROW_MAJOR, n, 1, &lu, n, &pivots, &x, 1)
    if info > 0 { throw LinearAlgebraError.singular(pivot: Int(info)) }
    if info < 0 { throw LinearAlgebraError.invalidArgument(routine: "dgesv", index: Int(-info)) }
    return x
}

/// A square band matrix with `lowerBandwidth` sub- and `upperBandwidth` super-diagonals.
///
/// Entries outside the band are zero and cannot be set. Stored in LAPACK's column-major band
/// layout with the extra rows `dgbsv` needs for fill-in, so solving does not copy.
public struct BandMatrix: Sendable {
    public let n: Int
    public let lowerBandwidth: Int
    public let upperBandwidth: Int
    var storage: [Double]
    var leadingDimension: Int { 2 * lowerBandwidth + upperBandwidth + 1 }

    public init(n: Int, lowerBandwidth: Int, upperBandwidth: Int) {
        self.n = n
        self.lowerBandwidth = lowerBandwidth
        self.upperBandwidth = upperBandwidth
        storage = Array(repeating: 0, count: (2 * lowerBandwidth + upperBandwidth + 1) * n)
    }

    public subscript(i: Int, j: Int) -> Double {
        get {
            guard j - i <= upperBandwidth, i - j <= lowerBandwidth else { return 0 }
            return storage[j * leadingDimension + lowerBandwidth + upperBandwidth + i - j]
        }
        set {
            precondition(j - i <= upperBandwidth && i - j <= lowerBandwidth, "BandMatrix: (\(i), \(j)) outside the band")
            storage[j * leadingDimension + lowerBandwidth + upperBandwidth + i - j] = newValue
        }
    }

    /// Solves A x = b by banded LU with partial pivoting (`dgbsv`).
    public func solve(_ b: [Double]) throws -> [Double] {
        precondition(b.count == n, "BandMatrix.solve: right-hand side has \(b.count) entries, expected \(n)")
        if storage.contains(where: { !$0.isFinite }) || b.contains(where: { !$0.isFinite }) {
            throw LinearAlgebraError.nonFinite
        }
        var ab = storage
        var x = b
        var pivots = [Int32](repeating: 0, count: n)
        let info = LAPACKE_dgbsv(LAPACK_COL_MAJOR, Int32(n), Int32(lowerBandwidth), Int32(upperBandwidth), 1,
                                 &ab, Int32(leadingDimension), &pivots, &x, Int32(n))
        if info > 0 { throw LinearAlgebraError.singular(pivot: Int(info)) }
        if info < 0 { throw LinearAlgebraError.invalidArgument(routine: "dgbsv", index: Int(-info)) }
        return x
    }
}

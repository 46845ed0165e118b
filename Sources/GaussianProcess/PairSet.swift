import LinearAlgebra

/// Which pairs of rows a kernel is evaluated on, and in what order the results are laid out.
///
/// Kernel evaluations are flat arrays indexed by pair. Three layouts cover every use:
/// - `cross`: all (i, j) with i over the left rows and j over the right rows, row-major
///   (an m × n cross-covariance, the layout GEMM wants for predictions);
/// - `lowerTriangle`: the pairs (i, j) with j ≤ i of one matrix, packed row by row
///   (a training covariance: half the work, and appending a data point appends one row);
/// - `diagonal`: the pairs (i, i) of one matrix (prior variances).
public enum PairLayout: Sendable {
    case cross, lowerTriangle, diagonal
}

/// The rows a kernel is evaluated on, with the layout of the result.
///
/// For `lowerTriangle` and `diagonal`, `right` is the same matrix as `left`.
public struct PairSet: Sendable {
    public let left: Matrix
    public let right: Matrix
    public let layout: PairLayout

    /// All pairs of a row of `left` with a row of `right`, row-major (left.rows × right.rows).
    public static func cross(_ left: Matrix, _ right: Matrix) -> PairSet {
        precondition(left.columns == right.columns, "PairSet.cross: \(left.columns) and \(right.columns) columns")
        return PairSet(left: left, right: right, layout: .cross)
    }

    /// The packed lower triangle (j ≤ i) of the pairs of rows of `x`.
    public static func lowerTriangle(_ x: Matrix) -> PairSet { PairSet(left: x, right: x, layout: .lowerTriangle) }

    /// The pairs (i, i) of rows of `x`.
    public static func diagonal(_ x: Matrix) -> PairSet { PairSet(left: x, right: x, layout: .diagonal) }

    /// Number of pairs, the length of every channel and kernel value array for this set.
    public var count: Int {
        switch layout {
        case .cross: return left.rows * right.rows
        case .lowerTriangle: return left.rows * (left.rows + 1) / 2
        case .diagonal: return left.rows
        }
    }

    /// A hyperparameter-independent statistic of each pair, over a slice of the input dimensions.
    public enum Measure: Sendable {
        /// Σ_d (x_d − y_d)² over the slice.
        case squaredDistance
        /// The fraction of the slice's dimensions on which x and y agree, for 0/1 bits (a value
        /// counts as 1 when ≥ ½).
        case agreementFraction
    }

    /// One feature channel: `measure` of every pair over `dimensions`, in this set's layout.
    ///
    /// The selected columns are first gathered into contiguous rows, so the inner loop is over
    /// adjacent memory whatever the slice.
    public func channel(dimensions: [Int], measure: Measure) -> [Double] {
        let k = dimensions.count
        let total = count
        if layout == .diagonal || k == 0 {
            // A point is at distance zero from itself and agrees with itself everywhere; an empty
            // slice likewise contributes distance zero and full agreement.
            return [Double](repeating: measure == .squaredDistance ? 0 : 1, count: total)
        }
        let m = left.rows
        let n = right.rows
        var out = [Double](repeating: 0, count: total)
        // Loops are `while` loops over raw pointers: they are the hot path of every kernel
        // evaluation, and stay tolerably fast in debug builds too (the test suites run there).
        let cross = layout == .cross
        switch measure {
        case .squaredDistance:
            let a = gather(left, dimensions)
            let b = cross ? gather(right, dimensions) : a
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    out.withUnsafeMutableBufferPointer { op in
                        var p = 0
                        var i = 0
                        while i < m {
                            let jEnd = cross ? n : i + 1
                            var j = 0
                            while j < jEnd {
                                var s = 0.0
                                var d = 0
                                let ra = i * k, rb = j * k
                                while d < k {
                                    let t = ap[ra + d] - bp[rb + d]
                                    s += t * t
                                    d += 1
                                }
                                op[p] = s
                                p += 1
                                j += 1
                            }
                            i += 1
                        }
                    }
                }
            }
        case .agreementFraction:
            // Each row's slice becomes a bit mask (bit set where the value is ≥ ½), so the number
            // of agreeing dimensions is k − popcount(maskₓ ⊕ mask_y): one operation per pair.
            let words = (k + 63) / 64
            let a = masks(left, dimensions, words)
            let b = cross ? masks(right, dimensions, words) : a
            let invK = 1 / Double(k)
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    out.withUnsafeMutableBufferPointer { op in
                        var p = 0
                        var i = 0
                        while i < m {
                            let jEnd = cross ? n : i + 1
                            var j = 0
                            while j < jEnd {
                                var differ = 0
                                var w = 0
                                while w < words {
                                    differ += (ap[i * words + w] ^ bp[j * words + w]).nonzeroBitCount
                                    w += 1
                                }
                                op[p] = Double(k - differ) * invK
                                p += 1
                                j += 1
                            }
                            i += 1
                        }
                    }
                }
            }
        }
        return out
    }

    private func masks(_ x: Matrix, _ dimensions: [Int], _ words: Int) -> [UInt64] {
        var g = [UInt64](repeating: 0, count: x.rows * words)
        x.elements.withUnsafeBufferPointer { xp in
            for i in 0..<x.rows {
                for (c, d) in dimensions.enumerated() where xp[i * x.columns + d] >= 0.5 {
                    g[i * words + c / 64] |= 1 << UInt64(c % 64)
                }
            }
        }
        return g
    }

    private func gather(_ x: Matrix, _ dimensions: [Int]) -> [Double] {
        let k = dimensions.count
        var g = [Double](repeating: 0, count: x.rows * k)
        x.elements.withUnsafeBufferPointer { xp in
            g.withUnsafeMutableBufferPointer { gp in
                for i in 0..<x.rows {
                    for (c, d) in dimensions.enumerated() { gp[i * k + c] = xp[i * x.columns + d] }
                }
            }
        }
        return g
    }
}

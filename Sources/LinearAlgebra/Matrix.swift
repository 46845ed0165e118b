/// A dense row-major matrix of Float64 values.
public struct Matrix: Equatable, Sendable {
    public var rows: Int
    public var columns: Int
    /// Entries in row-major order: element (i, j) is `elements[i * columns + j]`.
    public var elements: [Double]

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        self.rows = rows
        self.columns = columns
        self.elements = Array(repeating: value, count: rows * columns)
    }

    public init(rows: Int, columns: Int, elements: [Double]) {
        precondition(elements.count == rows * columns, "Matrix: \(elements.count) elements for \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    public subscript(i: Int, j: Int) -> Double {
        get { elements[i * columns + j] }
        set { elements[i * columns + j] = newValue }
    }

    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { t[j, i] = self[i, j] } }
        return t
    }

    /// The matrix product `self · other`, by BLAS.
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.columns == rhs.rows, "Matrix product: \(lhs.rows)×\(lhs.columns) · \(rhs.rows)×\(rhs.columns)")
        var c = Matrix(rows: lhs.rows, columns: rhs.columns)
        lhs.elements.withUnsafeBufferPointer { a in
            rhs.elements.withUnsafeBufferPointer { b in
                c.elements.withUnsafeMutableBufferPointer { cp in
                    gemm(.none, .none, m: lhs.rows, n: rhs.columns, k: lhs.columns,
                         a: a.baseAddress!, lda: lhs.columns, b: b.baseAddress!, ldb: rhs.columns,
                         c: cp.baseAddress!, ldc: rhs.columns)
                }
            }
        }
        return c
    }

    /// The matrix–vector product `self · x`, by BLAS.
    public static func * (lhs: Matrix, x: [Double]) -> [Double] {
        precondition(lhs.columns == x.count, "Matrix–vector product: \(lhs.rows)×\(lhs.columns) · \(x.count)")
        var y = [Double](repeating: 0, count: lhs.rows)
        lhs.elements.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    gemv(.none, m: lhs.rows, n: lhs.columns, a: a.baseAddress!, lda: lhs.columns,
                         x: xp.baseAddress!, y: yp.baseAddress!)
                }
            }
        }
        return y
    }
}

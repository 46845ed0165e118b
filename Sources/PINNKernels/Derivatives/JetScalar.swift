import LinearAlgebra

/// The floating-point type a `JetPropagator` computes in: `Double` (the default) or `Float`.
///
/// Only the propagation of jets through a network runs in this type; parameters, derivatives,
/// adjoints and gradients cross the propagator's interface as `Double`. Float halves the memory
/// traffic of the elementwise jet arithmetic, which bounds its speed, at Float32's
/// rounding — the precision of the reference implementation.
public protocol JetScalar: BinaryFloatingPoint, SIMDScalar, Codable, Sendable {
    /// C ← op(A) · op(B) + β · C, row-major (OpenBLAS's dgemm or sgemm).
    static func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// y[i] = tanh(x[i]) for i in 0..<count, vectorised (`VectorTanh`).
    static func tanh(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)
}

extension Double: JetScalar {
    @inline(__always)
    public static func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        LinearAlgebra.gemm(transA, transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    @inline(__always)
    public static func tanh(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int) {
        VectorTanh.apply(x, y, count: count)
    }
}

extension Float: JetScalar {
    @inline(__always)
    public static func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        LinearAlgebra.gemm(transA, transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    @inline(__always)
    public static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        VectorTanh.apply(x, y, count: count)
    }
}

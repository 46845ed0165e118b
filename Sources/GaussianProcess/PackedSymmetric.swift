/// The full row-major n × n symmetric matrix from its lower triangle packed row by row
/// (entries (i, j), j ≤ i) — the layout kernels produce for one point set against itself.
func unpackSymmetric(_ packed: [Double], n: Int) -> [Double] {
    precondition(packed.count == n * (n + 1) / 2, "unpackSymmetric: \(packed.count) entries for n = \(n)")
    var full = [Double](repeating: 0, count: n * n)
    packed.withUnsafeBufferPointer { p in
        full.withUnsafeMutableBufferPointer { f in
            var q = 0
            for i in 0..<n {
                for j in 0...i {
                    f[i * n + j] = p[q]
                    f[j * n + i] = p[q]
                    q += 1
                }
            }
        }
    }
    return full
}

import Foundation

/// An in-place iterative radix-2 complex FFT for power-of-two lengths.
///
/// forward:  X_k = Σ_n x_n e^{−2πi kn/N};  inverse: x_n = (1/N) Σ_k X_k e^{+2πi kn/N}.
/// The bit-reversal permutation and, for every butterfly level, its twiddle factors are tabulated
/// once (level by level, so the inner loop reads them sequentially); a transform then costs
/// (N/2) log₂N butterflies and no trigonometry.
struct RadixTwoFFT: Sendable {
    let count: Int
    private let swaps: [(Int, Int)]
    /// For each level (butterfly span s = 2, 4, …, N), e^{∓2πi k/s}, k < s/2, concatenated.
    private let forwardTwiddles: [Complex]
    private let inverseTwiddles: [Complex]

    init(count n: Int) {
        precondition(n >= 1 && n & (n - 1) == 0, "RadixTwoFFT: length \(n) is not a power of two")
        count = n
        var bits = 0
        while (1 << bits) < n { bits += 1 }
        var pairs: [(Int, Int)] = []
        for i in 0..<n {
            var r = 0
            for b in 0..<bits where i & (1 << b) != 0 { r |= 1 << (bits - 1 - b) }
            if i < r { pairs.append((i, r)) }
        }
        swaps = pairs
        var f: [Complex] = [], g: [Complex] = []
        var size = 2
        while size <= n {
            for k in 0..<(size / 2) {
                let angle = 2 * Double.pi * Double(k) / Double(size)
                f.append(Complex(cos(angle), -sin(angle)))
                g.append(Complex(cos(angle), sin(angle)))
            }
            size *= 2
        }
        forwardTwiddles = f
        inverseTwiddles = g
    }

    func forward(_ data: UnsafeMutablePointer<Complex>) { transform(data, forwardTwiddles) }

    /// The inverse transform, including the 1/N.
    func inverse(_ data: UnsafeMutablePointer<Complex>) {
        transform(data, inverseTwiddles)
        let scale = 1 / Double(count)
        for k in 0..<count { data[k] = scale * data[k] }
    }

    func forward(_ data: inout [Complex]) {
        precondition(data.count == count, "RadixTwoFFT: got \(data.count) values, expected \(count)")
        data.withUnsafeMutableBufferPointer { forward($0.baseAddress!) }
    }

    func inverse(_ data: inout [Complex]) {
        precondition(data.count == count, "RadixTwoFFT: got \(data.count) values, expected \(count)")
        data.withUnsafeMutableBufferPointer { inverse($0.baseAddress!) }
    }

    private func transform(_ a: UnsafeMutablePointer<Complex>, _ twiddles: [Complex]) {
        for (i, j) in swaps { let t = a[i]; a[i] = a[j]; a[j] = t }
        twiddles.withUnsafeBufferPointer { w in
            var size = 2
            var offset = 0
            while size <= count {
                let half = size / 2
                var start = 0
                while start < count {
                    for k in 0..<half {
                        let u = a[start + k]
                        let v = w[offset + k] * a[start + k + half]
                        a[start + k] = u + v
                        a[start + k + half] = u - v
                    }
                    start += size
                }
                offset += half
                size *= 2
            }
        }
    }
}

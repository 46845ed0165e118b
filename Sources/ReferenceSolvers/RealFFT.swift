import Foundation

/// The FFT of real data of even length N through one complex FFT of length N/2.
///
/// Forward: the even and odd samples are packed as z_n = x_{2n} + i x_{2n+1}; with Z = FFT(z),
/// E_k = (Z_k + conj Z_{M−k})/2 and O_k = (Z_k − conj Z_{M−k})/(2i) are the transforms of the even
/// and odd samples, and X_k = E_k + e^{−2πik/N} O_k for k = 0…M (M = N/2; the other half is
/// conj X_{N−k}). The inverse undoes these steps. Half the work of a complex transform of length N.
struct RealFFT: Sendable {
    let count: Int
    private let half: RadixTwoFFT
    /// e^{−2πik/N}, k = 0…M.
    private let twiddles: [Complex]
    private var packed: [Complex]

    init(count n: Int) {
        precondition(n >= 2 && n & (n - 1) == 0, "RealFFT: length \(n) is not a power of two ≥ 2")
        count = n
        half = RadixTwoFFT(count: n / 2)
        twiddles = (0...(n / 2)).map { k in
            let angle = -2 * Double.pi * Double(k) / Double(n)
            return Complex(cos(angle), sin(angle))
        }
        packed = [Complex](repeating: .zero, count: n / 2)
    }

    /// spectrum[k] = X_k for k = 0…N/2 (N/2 + 1 entries) from the N real values.
    mutating func forward(_ x: UnsafePointer<Double>, _ spectrum: UnsafeMutablePointer<Complex>) {
        let m = count / 2
        let fft = half
        twiddles.withUnsafeBufferPointer { w in
            packed.withUnsafeMutableBufferPointer { zb in
                let z = zb.baseAddress!
                for n in 0..<m { z[n] = Complex(x[2 * n], x[2 * n + 1]) }
                fft.forward(z)
                for k in 0...m {
                    let a = z[k == m ? 0 : k]
                    let b = z[k == 0 ? 0 : m - k]          // Z_{M−k}, index taken mod M
                    let even = Complex(0.5 * (a.re + b.re), 0.5 * (a.im - b.im))
                    let odd = Complex(0.5 * (a.im + b.im), -0.5 * (a.re - b.re))   // (a − conj b)/(2i)
                    spectrum[k] = even + w[k] * odd
                }
            }
        }
    }

    /// The N real values from X_k, k = 0…N/2 (imaginary parts of X_0 and X_{N/2} are ignored).
    mutating func inverse(_ spectrum: UnsafePointer<Complex>, _ x: UnsafeMutablePointer<Double>) {
        let m = count / 2
        let fft = half
        twiddles.withUnsafeBufferPointer { w in
            packed.withUnsafeMutableBufferPointer { zb in
                let z = zb.baseAddress!
                for k in 0..<m {
                    var a = spectrum[k], b = spectrum[m - k]
                    if k == 0 { a.im = 0; b.im = 0 }
                    let even = Complex(0.5 * (a.re + b.re), 0.5 * (a.im - b.im))
                    let diff = Complex(0.5 * (a.re - b.re), 0.5 * (a.im + b.im))  // (a − conj b)/2
                    let conjW = Complex(w[k].re, -w[k].im)
                    let odd = diff * conjW
                    z[k] = Complex(even.re - odd.im, even.im + odd.re)          // E + i O
                }
                fft.inverse(z)
                for n in 0..<m { x[2 * n] = z[n].re; x[2 * n + 1] = z[n].im }
            }
        }
    }
}

import Foundation

/// A minimal complex number for the spectral solver (the package has no swift-numerics dependency).
struct Complex: Sendable, Equatable {
    var re: Double
    var im: Double

    init(_ re: Double, _ im: Double = 0) { self.re = re; self.im = im }

    static let zero = Complex(0, 0)

    static func + (a: Complex, b: Complex) -> Complex { Complex(a.re + b.re, a.im + b.im) }
    static func - (a: Complex, b: Complex) -> Complex { Complex(a.re - b.re, a.im - b.im) }
    static func * (a: Complex, b: Complex) -> Complex {
        Complex(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
    }
    static func * (s: Double, a: Complex) -> Complex { Complex(s * a.re, s * a.im) }
    static func / (a: Complex, b: Complex) -> Complex {
        // Smith's algorithm: no overflow for large |b|.
        if abs(b.re) >= abs(b.im) {
            let r = b.im / b.re, d = b.re + b.im * r
            return Complex((a.re + a.im * r) / d, (a.im - a.re * r) / d)
        } else {
            let r = b.re / b.im, d = b.re * r + b.im
            return Complex((a.re * r + a.im) / d, (a.im * r - a.re) / d)
        }
    }

    /// e^z.
    static func exp(_ z: Complex) -> Complex {
        let m = Foundation.exp(z.re)
        return Complex(m * cos(z.im), m * sin(z.im))
    }
}

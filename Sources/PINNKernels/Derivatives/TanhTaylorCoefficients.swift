/// The Taylor coefficients s_k = tanh⁽ᵏ⁾(z)/k! of tanh at z, as polynomials in t = tanh z.
///
/// From P₀ = t, P_{k+1} = P_k′(t)·(1 − t²):
///   s₁ = 1 − t², s₂ = −t(1 − t²), s₃ = −(1 − t²)(1 − 3t²)/3,
///   s₄ = t(1 − t²)(2 − 3t²)/3, s₅ = (1 − t²)(2/15 − t² + t⁴), s₆ = −t(1 − t²)(17/45 − 4t²/3 + t⁴).
/// Closed forms, one branch-free loop per order, so the loops vectorise (a generic Horner loop
/// over coefficient arrays cost a third of an evaluation). Checked against
/// `VectorTanh.derivativePolynomials` in the tests.
public enum TanhTaylorCoefficients {
    public static let maxOrder = 6

    /// Writes s_k into `out[k]` for k = 1 … `order` (`out[0]` is not touched).
    public static func compute<S: JetScalar>(t: UnsafePointer<S>, through order: Int, into out: [UnsafeMutablePointer<S>], count n: Int) {
        precondition(order <= maxOrder, "TanhTaylorCoefficients: order \(order) > \(maxOrder)")
        if order >= 1 {
            let s1 = out[1]
            for i in 0..<n { s1[i] = 1 - t[i] * t[i] }
        }
        if order >= 2 {
            let s1 = out[1], s2 = out[2]
            for i in 0..<n { s2[i] = -t[i] * s1[i] }
        }
        if order >= 3 {
            let s1 = out[1], s3 = out[3]
            for i in 0..<n { s3[i] = -s1[i] * (1 - 3 * t[i] * t[i]) * (1 / 3 as S) }
        }
        if order >= 4 {
            let s1 = out[1], s4 = out[4]
            for i in 0..<n { s4[i] = t[i] * s1[i] * (2 - 3 * t[i] * t[i]) * (1 / 3 as S) }
        }
        if order >= 5 {
            let s1 = out[1], s5 = out[5]
            for i in 0..<n {
                let t2 = t[i] * t[i]
                s5[i] = s1[i] * (2 / 15 as S - t2 + t2 * t2)
            }
        }
        if order >= 6 {
            let s1 = out[1], s6 = out[6]
            for i in 0..<n {
                let t2 = t[i] * t[i]
                s6[i] = -t[i] * s1[i] * (17 / 45 as S - 4 / 3 * t2 + t2 * t2)
            }
        }
    }
}

import Foundation

/// The n-point Gauss–Legendre rule on [−1, 1]: ∫ f ≈ Σ_k w_k f(ξ_k), exact for degree ≤ 2n − 1.
///
/// Used panel by panel in composite quadratures. Nodes come from Newton's method on the Legendre
/// three-term recurrence, started from the asymptotic guess cos(π(k − ¼)/(n + ½)); for the modest n
/// used here (≤ ~50) this converges to full precision in a few steps and, unlike Golub–Welsch,
/// cannot fail, so constructing the rule does not throw. w_k = 2/((1 − ξ_k²) P_n'(ξ_k)²).
public struct GaussLegendreRule: Sendable, Equatable {
    /// Nodes in ascending order on (−1, 1).
    public let nodes: [Double]
    /// Positive weights, summing to 2.
    public let weights: [Double]

    public var count: Int { nodes.count }

    public init(count n: Int) {
        precondition(n >= 1, "GaussLegendreRule: need at least one node")
        var z = [Double](repeating: 0, count: n)
        var w = [Double](repeating: 0, count: n)
        for k in 0..<((n + 1) / 2) {
            var x = cos(Double.pi * (Double(k) + 0.75) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                // P_n(x) and P_n'(x) by the recurrence (j+1) P_{j+1} = (2j+1) x P_j − j P_{j−1}.
                var p0 = 1.0, p1 = x
                if n == 1 { p1 = x; p0 = 1 } else {
                    for j in 1..<n {
                        let p2 = (Double(2 * j + 1) * x * p1 - Double(j) * p0) / Double(j + 1)
                        p0 = p1; p1 = p2
                    }
                }
                derivative = Double(n) * (x * p1 - p0) / (x * x - 1)
                let step = p1 / derivative
                x -= step
                if abs(step) < 1e-16 { break }
            }
            // Recompute the derivative at the converged node.
            var p0 = 1.0, p1 = x
            if n > 1 {
                for j in 1..<n {
                    let p2 = (Double(2 * j + 1) * x * p1 - Double(j) * p0) / Double(j + 1)
                    p0 = p1; p1 = p2
                }
            }
            derivative = n == 1 ? 1 : Double(n) * (x * p1 - p0) / (x * x - 1)
            let weight = 2 / ((1 - x * x) * derivative * derivative)
            z[n - 1 - k] = x; z[k] = -x
            w[n - 1 - k] = weight; w[k] = weight
        }
        if n % 2 == 1 { z[n / 2] = 0 }
        nodes = z
        weights = w
    }
}

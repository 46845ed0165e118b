import Foundation
import LinearAlgebra

/// The n-point Gauss–Hermite rule: ∫_{−∞}^{∞} e^{−z²} f(z) dz ≈ Σ_k w_k f(z_k), exact whenever f is
/// a polynomial of degree ≤ 2n − 1.
///
/// Built by Golub–Welsch: the monic Hermite polynomials satisfy p_{k+1} = z p_k − (k/2) p_{k−1}, so
/// the nodes are the eigenvalues of the symmetric tridiagonal Jacobi matrix with zero diagonal and
/// off-diagonal √(k/2), k = 1…n−1, and w_k = √π · (first component of the k-th normalised
/// eigenvector)². This is stable for any n (no polynomial evaluation at large |z|), unlike Newton
/// iteration on the three-term recurrence. The weight function is symmetric, so the computed rule
/// is symmetrised (node k and node n−1−k averaged in magnitude, their weights averaged): odd
/// moments then vanish exactly instead of to rounding.
///
/// Extreme weights are tiny (about e^{−z²}); they are accurate in absolute terms (≈1e−16 of the
/// total), not relative ones — irrelevant for integrands that do not grow like e^{z²}.
public struct GaussHermiteRule: Sendable, Equatable {
    /// Nodes in ascending order.
    public let nodes: [Double]
    /// Positive weights, summing to √π.
    public let weights: [Double]

    public var count: Int { nodes.count }

    /// - Throws: `QuadratureError.invalidNodeCount` for count < 1; `LinearAlgebraError` if the
    ///   tridiagonal eigensolver (`dstev`) fails.
    public init(count: Int) throws {
        guard count >= 1 else { throw QuadratureError.invalidNodeCount(count) }
        let offDiagonal = (1..<max(1, count)).map { (Double($0) / 2).squareRoot() }
        let (values, vectors) = try symmetricTridiagonalEigen(diagonal: [Double](repeating: 0, count: count),
                                                              offDiagonal: count > 1 ? offDiagonal : [])
        let rootPi = Double.pi.squareRoot()
        var z = values
        var w = (0..<count).map { k in rootPi * vectors[0, k] * vectors[0, k] }
        for k in 0..<(count / 2) {
            let m = count - 1 - k
            let node = (z[m] - z[k]) / 2
            let weight = (w[k] + w[m]) / 2
            z[k] = -node; z[m] = node
            w[k] = weight; w[m] = weight
        }
        if count % 2 == 1 { z[count / 2] = 0 }
        nodes = z
        weights = w
    }

    /// Σ_k w_k f(z_k) ≈ ∫ e^{−z²} f(z) dz.
    public func integrate(_ f: (Double) -> Double) -> Double {
        var sum = 0.0
        for k in 0..<nodes.count { sum += weights[k] * f(nodes[k]) }
        return sum
    }
}

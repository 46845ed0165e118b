import Foundation
import ReferenceSolvers

/// u_xx + u_yy = g on [0, 1]², u = g on the boundary, with the sharp bump
/// g = q / max q, q = [erf(s(x−¼)) − erf(s(x−¾))]·[erf(s(y−¼)) − erf(s(y−¾))]; split at y = ½.
/// Reference: 5-point finite differences on 101 × 101.
public struct PoissonFamily: PDEFamily {
    public init() {}
    public let name = "poisson"
    public let equation = "u_xx + u_yy = g(x,y; s), u = g on the boundary"
    public let parameters = [FamilyParameter("s", 1...50, "sharpness of the source")]
    public let domain = Box(lower: [0, 0], upper: [1, 1])
    public var decomposition: Decomposition {
        .strips(of: domain, along: 1, cuts: [0.5], interfacePoints: 101)
    }

    /// dⁿ/dzⁿ [erf(s(z−¼)) − erf(s(z−¾))], through dⁿ erf(s(z−a))/dzⁿ = (2s/√π)(−s)ⁿ⁻¹ Hₙ₋₁(s(z−a)) e^{−s²(z−a)²}.
    static func bump(_ s: Double, _ z: Double, derivative n: Int) -> Double {
        if n == 0 { return erf(s * (z - 0.25)) - erf(s * (z - 0.75)) }
        func term(_ a: Double) -> Double {
            let w = s * (z - a)
            var (h0, h1) = (1.0, 2 * w)          // physicists' Hermite polynomials
            if n - 1 == 0 { h1 = h0 } else { for k in 1..<(n - 1) { (h0, h1) = (h1, 2 * w * h1 - 2 * Double(k) * h0) } }
            return 2 * s / Double.pi.squareRoot() * pow(-s, Double(n - 1)) * h1 * exp(-w * w)
        }
        return term(0.25) - term(0.75)
    }

    static func source(_ s: Double) -> KnownField {
        let peak = bump(s, 0.5, derivative: 0) * bump(s, 0.5, derivative: 0)
        return KnownField(name: "g", dimension: 2) { p, alpha in
            bump(s, p[0], derivative: alpha.orders[0]) * bump(s, p[1], derivative: alpha.orders[1]) / peak
        }
    }

    public func residual(_ s: ParameterValues) -> DerivativeExpression {
        .u(.xy(2, 0)) + .u(.xy(0, 2)) - .field(Self.source(s["s"]))
    }

    public func conditions(_ s: ParameterValues) -> [BoundaryCondition] {
        let g = Self.source(s["s"])
        let value: @Sendable ([Double]) -> Double = { g.value(at: $0) }
        return [Edge.left, .right, .bottom, .top].map { .dirichlet($0, value: value) }
    }

    public func referenceSolution(_ s: ParameterValues) throws -> GridSolution? {
        try PoissonFiniteDifference.referenceGrid(s: s["s"], n: 101)
    }
}

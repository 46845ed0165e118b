import Foundation
import Optimization

/// Known-answer problems shared by the optimizer tests.
enum TestProblems {
    /// Rosenbrock f(a, b) = (1 − a)² + 100 (b − a²)², unique minimiser (1, 1) with f = 0.
    static func rosenbrock(_ x: [Double], _ g: inout [Double]) -> Double {
        let a = x[0], b = x[1]
        let r = b - a * a
        g[0] = -2 * (1 - a) - 400 * a * r
        g[1] = 200 * r
        return (1 - a) * (1 - a) + 100 * r * r
    }

    static var rosenbrockObjective: ClosureObjective { ClosureObjective(dimension: 2, rosenbrock) }
}

/// f(x) = ½ (x − c)ᵀ A (x − c) with A = Q Λ Qᵀ, Q the Householder reflection I − 2vvᵀ/vᵀv (so A
/// is dense and not diagonal: a diagonally-preconditioned method gets no free pass) and Λ
/// log-spaced from 1 to `conditionNumber`. The minimiser is c, with f(c) = 0.
struct RotatedQuadratic: DifferentiableObjective {
    let dimension: Int
    let eigenvalues: [Double]
    let v: [Double]
    let vv: Double
    let minimizer: [Double]
    var evaluations = 0

    init(dimension n: Int, conditionNumber: Double) {
        dimension = n
        eigenvalues = (0..<n).map { n == 1 ? 1 : pow(conditionNumber, Double($0) / Double(n - 1)) }
        v = (0..<n).map { 1 + 0.5 * cos(Double($0)) }
        vv = v.reduce(0) { $0 + $1 * $1 }
        minimizer = (0..<n).map { sin(Double($0) + 1) }
    }

    /// Applies the (symmetric, orthogonal) reflection Q in place.
    func reflect(_ z: inout [Double]) {
        var vz = 0.0
        for i in 0..<dimension { vz += v[i] * z[i] }
        let c = 2 * vz / vv
        for i in 0..<dimension { z[i] -= c * v[i] }
    }

    func hessianTimes(_ z: [Double]) -> [Double] {
        var w = z
        reflect(&w)
        for i in 0..<dimension { w[i] *= eigenvalues[i] }
        reflect(&w)
        return w
    }

    mutating func value(at x: [Double], gradient: inout [Double]) -> Double {
        evaluations += 1
        let e = (0..<dimension).map { x[$0] - minimizer[$0] }
        let ae = hessianTimes(e)
        var f = 0.0
        for i in 0..<dimension {
            f += 0.5 * e[i] * ae[i]
            gradient[i] = ae[i]
        }
        return f
    }
}

func maxDistance(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

// Times one loss-and-gradient evaluation of the XPINN loss at the reference configuration.
//
//   swift run -c release pinn-benchmark [repeats]
//
// Two [2,20,20,1] networks; per network 1000 collocation points, 100 boundary points and the
// 101 interface points, each requesting only the derivatives its terms read. Prints a markdown
// table: median milliseconds per evaluation (serial and one thread per network), the GEMM
// GFLOP/s achieved, and the single-thread dgemm rate of this machine measured in the same run.
import Foundation
import LinearAlgebra
import Optimization
import PINN
import Sampling

BLASKernelSelection.useVectorKernelsIfMisdetected()
BLASThreads.set(1)
let repeats = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 200 : 200

struct Configuration {
    let name: String
    let residual: [MultiIndex]
    let interface: [MultiIndex]
}

let configurations = [
    Configuration(name: "advection requests", residual: [.xy(0, 0), .xy(1, 0), .xy(0, 1)],
                  interface: [.xy(0, 0), .xy(1, 0), .xy(0, 1), .xy(2, 0), .xy(1, 1), .xy(0, 2)]),
    Configuration(name: "KdV requests", residual: [.xy(0, 0), .xy(1, 0), .xy(0, 1), .xy(3, 0)],
                  interface: [.xy(0, 0), .xy(1, 0), .xy(0, 1), .xy(1, 1), .xy(0, 2), .xy(2, 0), .xy(3, 0), .xy(4, 0), .xy(3, 1)]),
    Configuration(name: "arm {u} (interface u only)", residual: [.xy(0, 0), .xy(1, 0), .xy(0, 1)], interface: [.xy(0, 0)]),
]

/// A loss whose terms read exactly the requested derivatives: one squared-mean term per
/// requested derivative and point set (interface terms as differences between the networks).
func makeLoss(_ c: Configuration, parallel: Bool) -> (PINNLoss, [Double]) {
    var rng = SeededGenerator(seed: 0)
    let boxes = [Box(lower: [0, 0], upper: [2 * .pi, 0.5]), Box(lower: [0, 0.5], upper: [2 * .pi, 1])]
    let nets = boxes.map { MLP(widths: [2, 20, 20, 1], inputBox: $0) }
    let interface = (0..<101).flatMap { [2 * Double.pi * Double($0) / 100, 0.5] }
    var sets = [[[Double]]]()
    var terms = [LossTerm]()
    for (n, box) in boxes.enumerated() {
        let collocation = LatinHypercube.sample(count: 1000, lower: box.lower, upper: box.upper, using: &rng)
        let boundary = LatinHypercube.sample(count: 100, lower: box.lower, upper: box.upper, using: &rng)
        sets.append([collocation, boundary, interface])
        let residual = c.residual.reduce(DerivativeExpression.constant(0)) { $0 + .u($1) }
        terms.append(LossTerm(name: "residual\(n)", weight: 1, components: [.init(network: n, pointSet: 0, expression: residual)]))
        terms.append(LossTerm(name: "boundary\(n)", weight: 20, components: [.init(network: n, pointSet: 1, expression: .value())],
                              target: Array(repeating: 0.5, count: 100)))
    }
    for m in c.interface {
        terms.append(LossTerm(name: "\(m)", weight: 5, components: [.init(network: 0, pointSet: 2, expression: .u(m)),
                                                                    .init(network: 1, pointSet: 2, expression: .u(m), coefficient: -1)]))
    }
    let loss = PINNLoss(networks: nets, pointSets: sets, terms: terms, parallel: parallel)
    return (loss, nets.flatMap { $0.initialParameters(using: &rng) })
}

/// GEMM floating-point operations of one evaluation (forward and reverse), from the stream counts.
func gemmFlops(_ c: Configuration) -> Double {
    var total = 0.0
    for (points, requests) in [(1000, c.residual), (100, [MultiIndex.xy(0, 0)]), (101, c.interface)] {
        let rows = Double(JetPlan(requesting: requests).streamCount * points)
        let forward = 2 * rows * (2 * 20 + 20 * 20)
        let reverse = 2 * rows * (20 * 2 + 20 * 20) + 2 * rows * 20 * 20
        total += 2 * (forward + reverse)  // two networks
    }
    return total
}

func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }

func time(_ body: () -> Void) -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
}

/// Single-thread dgemm rate at a layer-shaped product (3000×20 · 20×20) and at 512³.
func dgemmRate(m: Int, n: Int, k: Int, repeats: Int) -> Double {
    let a = [Double](repeating: 0.5, count: m * k), b = [Double](repeating: 0.25, count: k * n)
    var c = [Double](repeating: 0, count: m * n)
    var samples = [Double]()
    for _ in 0..<repeats {
        samples.append(time {
            a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                gemm(.none, .none, m: m, n: n, k: k, a: ap.baseAddress!, lda: k, b: bp.baseAddress!, ldb: n, c: cp.baseAddress!, ldc: n)
            } } }
        })
    }
    return 2 * Double(m * n * k) / (median(samples) * 1e6)
}

let layerRate = dgemmRate(m: 3000, n: 20, k: 20, repeats: 400)
let peakRate = dgemmRate(m: 512, n: 512, k: 512, repeats: 10)

print("| configuration | serial ms | 2 threads ms | GEMM GFLOP/s (2 threads) | vs reference 17 ms |")
print("|---|---|---|---|---|")
for c in configurations {
    var results = [Double]()
    for parallel in [false, true] {
        let (loss, params) = makeLoss(c, parallel: parallel)
        var g = [Double](repeating: 0, count: loss.dimension)
        for _ in 0..<20 { _ = loss.value(at: params, gradient: &g) }
        results.append(median((0..<repeats).map { _ in time { _ = loss.value(at: params, gradient: &g) } }))
    }
    let gflops = gemmFlops(c) / (results[1] * 1e6)
    print(String(format: "| %@ | %.3f | %.3f | %.2f | %.1f× |", c.name, results[0], results[1], gflops, 17 / results[1]))
}
print("")
print(String(format: "Single-thread dgemm on this machine: %.2f GFLOP/s at 3000×20·20×20 (layer shape), %.2f GFLOP/s at 512³.", layerRate, peakRate))
print("Machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; OpenBLAS kernels \(BLASKernelSelection.coreName); median of \(repeats) evaluations.")

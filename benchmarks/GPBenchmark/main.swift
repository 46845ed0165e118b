// Times the METALIC surrogate at the sizes of an online study: refitting the GP's
// hyperparameters (θ₁, θ₂, log τ by L-BFGS with strong Wolfe) and scoring all 512 arms for one
// context, at n = 50, 200 and 500 observations. Prints a markdown table of median times.
//
//     swift run -c release gp-benchmark
import MetalicCore
import Bandit
import Foundation
import GaussianProcess
import LinearAlgebra
import Sampling

BLASKernelSelection.useVectorKernelsIfMisdetected()
BLASThreads.set(1)

/// Synthetic rewards with a context-dependent best arm (as in the bandit tests).
func reward(_ s: Double, _ a: InterfaceArm, _ rng: inout SeededGenerator) -> Double {
    let b = a.bits
    return b[0] * (2 * s - 1) + b[1] * (1 - 2 * s) + 0.5 * b[2] - 0.3 * b[3...].reduce(0, +) / 6 + 0.05 * rng.normal()
}

let space = ContextSpace(lower: 0, upper: 1)

func history(_ n: Int, seed: UInt64) -> BanditHistory {
    var rng = SeededGenerator(seed: seed)
    return BanditHistory(observations: (0..<n).map { _ in
        let s = rng.uniform()
        let a = InterfaceArm.random(using: &rng)
        return .query(context: space.context([s]), arm: a, reward: reward(s, a, &rng))
    })
}

func milliseconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
}

func format(_ x: Double) -> String { String(format: x < 10 ? "%.2f" : "%.1f", x) }

let context = space.context([0.37])
print("| n | condition | refit, cold (3 starts) | refit, warm (3 starts) | score 512 arms (μ, σ²) | Thompson joint 512 | online round (record + refit + UCB choice) | evals cold / warm |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in [50, 200, 500] {
    let reps = n <= 200 ? 21 : 7
    let configuration = BanditConfiguration(rule: .ucb, refitEvery: 0)
    let data = history(n, seed: UInt64(n))
    // A bandit holding n − 1 observations with fitted hyperparameters: the state before round n.
    var before = try! MetalicBandit(contextSpace: space, configuration: configuration,
                                    replaying: BanditHistory(observations: Array(data.observations.dropLast())))
    before.refit()
    var after = before
    try! after.record(data.observations.last!)
    let gp = after.gaussianProcess
    let candidates = Matrix(rows: 512, columns: 10, elements: InterfaceArm.everyArm.flatMap { space.standardise(context) + $0.bits })

    var condition: [Double] = [], cold: [Double] = [], warm: [Double] = [], score: [Double] = [], thompson: [Double] = []
    var round: [Double] = []
    var coldEvals = 0, warmEvals = 0
    var rng = SeededGenerator(seed: 1)
    for _ in 0..<reps {
        var g = gp
        condition.append(milliseconds { _ = try! g.setHyperparameters(gp.hyperparameters) })
        // Cold: from the initial hyperparameters (θ₁ = θ₂ = 0, log τ = log 100).
        var c = GaussianProcess(kernel: ProductKernel.reference(continuous: 0..<1, bits: 1..<10), inputDimension: 10)
        try! c.setData(inputs: gp.inputs, targets: gp.targets)
        cold.append(milliseconds { coldEvals = c.fitHyperparameters(FitOptions(seed: 3)).evaluations })
        // Warm: from the previous round's optimum, as in an online study.
        var w = gp
        warm.append(milliseconds { warmEvals = w.fitHyperparameters(FitOptions(seed: 3)).evaluations })
        score.append(milliseconds { _ = gp.predict(candidates) })
        thompson.append(milliseconds { _ = gp.samplePosterior(candidates, using: &rng) })
        var b = before
        round.append(milliseconds {
            try! b.record(data.observations.last!)     // refitEvery 0 here, so refit explicitly as refitEvery 1 would
            b.refit()
            _ = b.chooseArm(context: context, round: n, rng: &rng)
        })
    }
    print("| \(n) | \(format(median(condition))) | \(format(median(cold))) | \(format(median(warm))) | \(format(median(score))) | \(format(median(thompson))) | \(format(median(round))) | \(coldEvals) / \(warmEvals) |")
}
print("\nmedian milliseconds, one BLAS thread; \"online round\" refits with the bandit's default FitOptions (current optimum + 2 seeded restarts, ≤ 200 L-BFGS iterations each).")

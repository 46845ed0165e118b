import MetalicCore
import Foundation
import GaussianProcess
import LinearAlgebra
import Sampling

/// One GP over inputs (continuous prefix…, standardised context…, arm bits, [fixed arm bits])
/// and the rules that choose an arm from it. Both bandits are built from these: the query
/// bandit has one, the two-stage bandit two (the second with r₁ as continuous prefix).
///
/// Column layout: [prefix (p) | context (d) | chosen arm (9) | fixed arms (9 each)]. The kernel
/// is RBF over the first p + d columns times one categorical kernel per 9-bit block — the
/// reference kernel when there is one block.
struct ArmModel: Sendable {
    let prefixCount: Int
    let contextDimension: Int
    let fixedArmBlocks: Int
    let surrogate: SurrogateConfiguration
    private(set) var gp: GaussianProcess
    private(set) var lastFit: FitReport?

    init(prefixCount: Int, contextDimension: Int, fixedArmBlocks: Int, surrogate: SurrogateConfiguration) {
        self.prefixCount = prefixCount
        self.contextDimension = contextDimension
        self.fixedArmBlocks = fixedArmBlocks
        self.surrogate = surrogate
        let continuous = prefixCount + contextDimension
        var kernel: any Kernel = ProductKernel(
            RBFKernel(dimensions: 0..<continuous, ard: surrogate.ardContext, logLengthScale: surrogate.initialLogLengthScale),
            CategoricalKernel(dimensions: continuous..<(continuous + InterfaceArm.bitCount), logWeight: surrogate.initialLogWeight))
        for b in 0..<fixedArmBlocks {
            let start = continuous + InterfaceArm.bitCount * (b + 1)
            kernel = ProductKernel(kernel, CategoricalKernel(dimensions: start..<(start + InterfaceArm.bitCount),
                                                             logWeight: surrogate.initialLogWeight))
        }
        gp = GaussianProcess(kernel: kernel, inputDimension: continuous + InterfaceArm.bitCount * (1 + fixedArmBlocks),
                             logNoisePrecision: surrogate.initialLogNoisePrecision, options: surrogate.gp)
    }

    var inputDimension: Int { gp.inputDimension }

    /// The GP input of one (prefix, standardised context, chosen arm, fixed arms).
    func input(prefix: [Double], context: [Double], arm: InterfaceArm, fixed: [InterfaceArm]) -> [Double] {
        precondition(prefix.count == prefixCount && context.count == contextDimension && fixed.count == fixedArmBlocks,
                     "ArmModel.input: wrong shapes")
        var row = prefix + context + arm.bits
        for f in fixed { row += f.bits }
        return row
    }

    /// The 512 candidate inputs for one (prefix, context, fixed arms), row = arm mask.
    func candidates(prefix: [Double], context: [Double], fixed: [InterfaceArm]) -> Matrix {
        let d = inputDimension
        let head = prefix + context
        var tail: [Double] = []
        for f in fixed { tail += f.bits }
        var e = [Double](repeating: 0, count: InterfaceArm.count * d)
        InterfaceArm.bitTable.withUnsafeBufferPointer { bits in
            e.withUnsafeMutableBufferPointer { ep in
                for a in 0..<InterfaceArm.count {
                    let row = a * d
                    for (k, v) in head.enumerated() { ep[row + k] = v }
                    for k in 0..<InterfaceArm.bitCount { ep[row + head.count + k] = bits[a * InterfaceArm.bitCount + k] }
                    for (k, v) in tail.enumerated() { ep[row + head.count + InterfaceArm.bitCount + k] = v }
                }
            }
        }
        return Matrix(rows: InterfaceArm.count, columns: d, elements: e)
    }

    mutating func append(_ input: [Double], target: Double) throws {
        try gp.append(input, target: target)
    }

    mutating func refit(seed: UInt64) -> FitReport {
        var options = surrogate.fit
        options.seed = seed
        let report = gp.fitHyperparameters(options)
        lastFit = report
        return report
    }

    /// The arm with the largest posterior mean among `candidates` (ties broken by lowest mask).
    func bestIndex(_ candidates: Matrix) -> Int {
        let mean = gp.predict(candidates).mean
        var best = 0
        for i in 1..<mean.count where mean[i] > mean[best] { best = i }
        return best
    }

    /// The rule's choice among the 512 candidates at round t (t ≥ 1 for GP-UCB).
    func select(rule: SelectionRule, candidates: Matrix, round t: Int, rng: inout SeededGenerator) -> (index: Int, warnings: [GPWarning]) {
        switch rule {
        case .explore, .random:
            return (Int(rng.next() % UInt64(candidates.rows)), [])
        case .ucb(let schedule):
            let p = gp.predict(candidates)
            let c = schedule.coefficient(round: t, armCount: candidates.rows)
            let scores = (0..<candidates.rows).map { p.mean[$0] + c * p.variance[$0].squareRoot() }
            return (argmax(scores, using: &rng), [])
        case .thompson(let joint):
            let draw = gp.samplePosterior(candidates, count: 1, joint: joint, using: &rng)
            return (argmax(draw.samples[0], using: &rng), draw.warnings)
        }
    }

    /// q choices for q candidate sets, made before any of their rewards is known: after each
    /// choice the model is conditioned on a hallucinated observation at its own posterior mean
    /// (kriging believer; for UCB this is GP-BUCB). The mean is unchanged by such an observation
    /// but the variance around the chosen arm collapses, so later choices in the batch go
    /// elsewhere instead of q workers all training the same arm. Hyperparameters are not refit
    /// on hallucinated data; the bandit itself is not modified.
    func selectBatch(rule: SelectionRule, candidateSets: [Matrix], round t: Int, rng: inout SeededGenerator) -> (indices: [Int], warnings: [GPWarning]) {
        var believer = self
        var indices: [Int] = []
        var warnings: [GPWarning] = []
        for (k, candidates) in candidateSets.enumerated() {
            let (i, w) = believer.select(rule: rule, candidates: candidates, round: t, rng: &rng)
            indices.append(i)
            warnings += w
            guard !rule.isRandomWhileLearning, k + 1 < candidateSets.count else { continue }
            let x = Array(candidates.elements[(i * candidates.columns)..<((i + 1) * candidates.columns)])
            let mu = believer.gp.predict(Matrix(rows: 1, columns: x.count, elements: x)).mean[0]
            try? believer.gp.append(x, target: mu)
            warnings += believer.gp.warnings
        }
        return (indices, warnings)
    }
}

/// Index of the largest score; exact ties (e.g. all arms before any data) are broken uniformly at random.
func argmax(_ scores: [Double], using rng: inout SeededGenerator) -> Int {
    var best = -Double.infinity
    var ties: [Int] = []
    for (i, s) in scores.enumerated() {
        if s > best {
            best = s
            ties = [i]
        } else if s == best {
            ties.append(i)
        }
    }
    if ties.isEmpty { return Int(rng.next() % UInt64(scores.count)) }    // all NaN: cannot happen, stay safe
    return ties.count == 1 ? ties[0] : ties[Int(rng.next() % UInt64(ties.count))]
}

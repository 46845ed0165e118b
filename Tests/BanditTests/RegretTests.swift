import MetalicCore
import Foundation
import XCTest
import Bandit
import GaussianProcess
import LinearAlgebra
import Sampling

/// UCB and Thompson sampling against random arms on `SyntheticContextualBandit`.
///
/// Cheaper configuration than the reference so the suite stays fast in debug builds:
/// hyperparameters are refit every 10 rounds (not every round) with 40 L-BFGS iterations and one
/// restart; the GP is still re-conditioned on every observation.
final class RegretTests: XCTestCase {
    let problem = SyntheticContextualBandit()
    let seeds: [UInt64] = [1, 2, 3]
    let rounds = 200

    override class func setUp() {
        super.setUp()
        BLASThreads.set(1)      // small matrices: one BLAS thread, no spinning workers
    }

    func configuration(_ rule: SelectionRule) -> BanditConfiguration {
        BanditConfiguration(rule: rule, warmupRounds: 5, refitEvery: 10,
                            surrogate: SurrogateConfiguration(fit: FitOptions(maxIterations: 40, restarts: 1)))
    }

    /// Mean cumulative regret over `seeds` of each rule. Runs are independent value-type
    /// computations, so they are spread over the cores to keep the debug-mode suite short.
    func meanRegrets(_ rules: [SelectionRule]) throws -> [Double] {
        let jobs = rules.indices.flatMap { r in seeds.map { (r, $0) } }
        let results = Results(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { k in
            let (r, seed) = jobs[k]
            results.set(k, Result { try problem.cumulativeRegret(configuration: configuration(rules[r]), rounds: rounds, seed: seed) })
        }
        var means = [Double](repeating: 0, count: rules.count)
        for (k, job) in jobs.enumerated() { means[job.0] += try results.get(k) / Double(seeds.count) }
        return means
    }

    /// Margin: over 200 rounds averaged over 3 seeds, UCB's and Thompson sampling's cumulative
    /// regret must each be below 40 % of random's (random's is ≈ 0.9 per round, ≈ 170 in total).
    func testUCBAndThompsonBeatRandomClearly() throws {
        let regrets = try meanRegrets([.random, .ucb, .thompson])
        let (random, ucb, thompson) = (regrets[0], regrets[1], regrets[2])
        print("cumulative regret over \(rounds) rounds (mean of \(seeds.count) seeds): random \(random), UCB \(ucb), Thompson \(thompson)")
        XCTAssertGreaterThan(random, 120, "random baseline regret is implausibly low")
        XCTAssertLessThan(ucb, 0.4 * random)
        XCTAssertLessThan(thompson, 0.4 * random)
    }
}

/// Thread-safe slots for concurrently computed results.
final class Results: @unchecked Sendable {
    private var values: [Result<Double, Error>?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ k: Int, _ value: Result<Double, Error>) {
        lock.lock()
        values[k] = value
        lock.unlock()
    }
    func get(_ k: Int) throws -> Double {
        lock.lock()
        defer { lock.unlock() }
        return try values[k]!.get()
    }
}

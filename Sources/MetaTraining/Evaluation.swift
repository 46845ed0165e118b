import Bandit
import Foundation
import PINN
import Sampling

/// How one strategy picks the arms of a test instance.
public struct EvaluationStrategy: Sendable {
    public let name: String
    let firstArm: @Sendable (ParameterValues, inout SeededGenerator) -> InterfaceArm
    /// For a two-stage study: the L-BFGS arm after seeing the Adam-stage reward.
    let secondArm: (@Sendable (ParameterValues, InterfaceArm, Double) -> InterfaceArm)?

    /// The test-time rule of a study's model: argmax of the posterior mean. A study run with
    /// random arms is labelled the explore rule, whose online phase is the same random arms.
    public static func learned(_ model: StudyModel, label: String) -> EvaluationStrategy {
        let name = model.settings.heuristic == .random ? "explore (\(label))" : "learned (\(label))"
        var second: (@Sendable (ParameterValues, InterfaceArm, Double) -> InterfaceArm)?
        if model.settings.mode == .step {
            second = { s, first, r1 in model.bestSecondArm(context: s, firstArm: first, firstReward: r1) }
        }
        return EvaluationStrategy(name: name, firstArm: { s, _ in model.bestFirstArm(context: s) }, secondArm: second)
    }

    /// A uniformly random arm per instance.
    public static let random = EvaluationStrategy(name: "random", firstArm: { _, g in InterfaceArm.random(using: &g) }, secondArm: nil)

    /// The same arm for every instance.
    public static func fixed(_ arm: InterfaceArm) -> EvaluationStrategy {
        EvaluationStrategy(name: "fixed \(arm.name)", firstArm: { _, _ in arm }, secondArm: nil)
    }
}

/// Strategies compared on the same fresh instances of a family, each instance trained once per
/// strategy with the same seed (docs/BANDITS.md, "Evaluation").
public struct Evaluation: Sendable {
    public let family: any PDEFamily
    public let strategies: [EvaluationStrategy]
    public let training: TrainingOptions
    public let seed: UInt64
    /// The test instances, drawn uniformly from the family's range with `seed`.
    public let instances: [ParameterValues]
    /// Every training to run, in order: (instance, strategy, first arm).
    public let jobs: [Job]

    public struct Job: Sendable, Hashable {
        public let instance: Int
        public let strategy: Int
        public let arm: InterfaceArm
    }

    public struct Result: Sendable {
        public let instance: Int
        public let context: ParameterValues
        public let strategy: String
        /// "u" or, for a two-stage strategy, "u / uavg,rc".
        public let arms: String
        public let error: Double
        public let seconds: Double

        public init(instance: Int, context: ParameterValues, strategy: String, arms: String, error: Double, seconds: Double) {
            self.instance = instance
            self.context = context
            self.strategy = strategy
            self.arms = arms
            self.error = error
            self.seconds = seconds
        }
    }

    public init(family: any PDEFamily, strategies: [EvaluationStrategy], instanceCount: Int, seed: UInt64, training: TrainingOptions) {
        self.family = family
        self.strategies = strategies
        self.training = training.fingerprint
        self.seed = seed
        var rng = SeededGenerator(seed: seed)
        let space = ContextSpace(parameters: family.parameters)
        let instances = (0..<instanceCount).map { _ in space.sample(using: &rng) }
        var jobs = [Job]()
        for c in instances.indices {
            for (k, strategy) in strategies.enumerated() {
                jobs.append(Job(instance: c, strategy: k, arm: strategy.firstArm(instances[c], &rng)))
            }
        }
        self.instances = instances
        self.jobs = jobs
    }

    /// Trains `jobs` with `workers` threads, handing each result to `record` as it finishes
    /// (serialised: `record` may write files). The first error stops the hand-out and is rethrown.
    /// `progress` sees each running training (slot = worker thread).
    public func run(_ jobs: [Job], workers: Int, progress: WorkProgressHandler? = nil,
                    record: @escaping (Result) throws -> Void) throws {
        let lock = NSLock()
        var slots = 0
        try processConcurrently(jobs, jobs: workers) {
            let slot = lock.withLock { defer { slots += 1 }; return slots }
            return { job in
                let s = instances[job.instance]
                let strategy = strategies[job.strategy]
                var options = training
                options.seed = seed &+ UInt64(job.instance)
                options.parallel = workers == 1
                let solver = try XPINNSolver(family: family, parameters: s, options: options)
                var second = job.arm
                let unit = "instance \(job.instance + 1), \(strategy.name)", total = options.iterationBudget
                let observe = progress.map { handler in { (r: TrainingRecord) in handler(.training(slot: slot, unit: unit, record: r, totalIterations: total)) } }
                let result = solver.train(adamArm: job.arm, progress: observe) { adam in
                    if let choose = strategy.secondArm { second = choose(s, job.arm, adam?.reward ?? 0) }
                    return second
                }
                let arms = second == job.arm ? job.arm.name : "\(job.arm.name) / \(second.name)"
                lock.lock()
                defer { lock.unlock() }
                try record(Result(instance: job.instance, context: s, strategy: strategy.name, arms: arms,
                                  error: result.error, seconds: result.trainingSeconds))
            }
        }
    }

    /// Mean and median error and mean reward (−log₁₀ error) of one strategy's results.
    public struct Summary: Sendable, Codable, Equatable {
        public let strategy: String
        public let count: Int
        public let meanError: Double
        public let medianError: Double
        public let meanReward: Double
    }

    /// One summary per strategy, in the order of `strategies`, over the results given.
    public func summaries(_ results: [Result]) -> [Summary] {
        strategies.map { strategy in
            let errors = results.filter { $0.strategy == strategy.name }.map(\.error).sorted()
            let n = Double(max(errors.count, 1))
            return Summary(strategy: strategy.name, count: errors.count, meanError: errors.reduce(0, +) / n,
                           medianError: errors.isEmpty ? .nan : errors[errors.count / 2],
                           meanReward: errors.map { -log10($0) }.reduce(0, +) / n)
        }
    }
}

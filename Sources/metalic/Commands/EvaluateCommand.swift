import ArgumentParser
import Bandit
import Dispatch
import Foundation
import PINN
import Plotting
import Sampling
import StudyStore

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Test a meta-trained study on fresh instances against random and fixed arms.",
        discussion: """
        Draws --contexts new instances of the study's family and trains each with: the learned arm (argmax of the \
        posterior mean), a random arm, and each --fixed-arm, at the study's budgets. Prints mean and median errors, \
        writes evaluation.csv and accumulated-error.png (the study's online rounds) to --out.
        """)

    @Argument(help: "The PDE family of the study.")
    var family: String

    @Option(help: "The study file.")
    var study: String

    @Option(help: "Number of test instances.")
    var contexts: Int = 100

    @Option(name: .customLong("fixed-arm"), help: "A fixed arm to compare with (repeatable). Default: none, u, uavg+rc, all.")
    var fixedArms: [String] = ["none", "u", "uavg,rc", "all"]

    @Option(help: "Trainings run in parallel.")
    var jobs: Int = 1

    @Option(help: "Seed of the test instances (distinct from the study's own rounds).")
    var seed: UInt64 = 1_000_003

    @Option(help: "Output directory.")
    var out: String = "metalic-evaluation"

    func validate() throws {
        _ = try InstanceOptions.family(named: family)
        guard contexts >= 1 else { throw ValidationError("--contexts must be at least 1") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        for a in fixedArms { do { _ = try InterfaceArm(parsing: a) } catch { throw ValidationError(String(describing: error)) } }
        guard FileManager.default.fileExists(atPath: study) else { throw ValidationError("study file \(study) does not exist") }
    }

    struct Row { let context: Int; let strategy: String; let arms: String; let error: Double; let seconds: Double }

    func run() throws {
        let f = try InstanceOptions.family(named: family)
        let outDir = try prepareOutputDirectory(out)
        let model = try StudyAdvisor.model(studyPath: study, family: f)
        let settings = model.settings
        let (store, _) = try openStudy(study)
        let trials = try store.trials()
        print("study \(study): \(model.observationCount) completed trials, \(settings.heuristic.rawValue), \(settings.mode.rawValue) mode; testing on \(contexts) instances")

        var rng = SeededGenerator(seed: seed)
        let space = settings.contextSpace
        let instances = (0..<contexts).map { _ in space.sample(using: &rng) }
        var strategies: [(String, ([Double], inout SeededGenerator) -> InterfaceArm)] = [
            ("learned", { s, _ in InterfaceArm(model.bestFirstArm(context: s)) }),
            ("random", { _, g in InterfaceArm(Arm.random(using: &g)) }),
        ]
        for a in fixedArms {
            let arm = try InterfaceArm(parsing: a)
            strategies.append(("fixed \(arm.name)", { _, _ in arm }))
        }
        var jobsList = [(Int, Int, InterfaceArm)]()
        for (c, s) in instances.enumerated() {
            for (k, strategy) in strategies.enumerated() { jobsList.append((c, k, strategy.1(s, &rng))) }
        }
        var rows = [Row]()
        let lock = NSLock()
        var next = 0
        var failure: Error?
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            while true {
                lock.lock()
                guard next < jobsList.count, failure == nil else { lock.unlock(); return }
                let (c, k, arm) = jobsList[next]
                next += 1
                lock.unlock()
                do {
                    let s = try f.parameterValues(Dictionary(uniqueKeysWithValues: zip(f.parameters.map(\.name), instances[c])))
                    var options = settings.training
                    options.seed = seed &+ UInt64(c)
                    options.errorEvery = 0
                    options.parallel = jobs == 1
                    let solver = try XPINNSolver(family: f, parameters: s, options: options)
                    var second = arm
                    let learned = k == 0 && settings.mode == .step
                    let result = solver.train(adamArm: arm) { adam in
                        if learned { second = InterfaceArm(model.bestSecondArm(context: instances[c], firstArm: Arm(arm), firstReward: adam?.reward ?? 0)) }
                        return second
                    }
                    let arms = second == arm ? arm.name : "\(arm.name) / \(second.name)"
                    let row = Row(context: c, strategy: strategies[k].0, arms: arms, error: result.error, seconds: result.trainingSeconds)
                    lock.lock()
                    rows.append(row)
                    print(String(format: "  instance %3d  %@  %-28@ error %.3e  (%d/%d)", c + 1, s.description, row.strategy, row.error, rows.count, jobsList.count))
                    fflush(stdout)
                    lock.unlock()
                } catch {
                    lock.lock(); failure = failure ?? error; lock.unlock()
                }
            }
        }
        if let failure { throw CLIError("evaluation failed: \(failure)") }

        print("\n| strategy | mean error | median error | mean reward |")
        print("|---|---|---|---|")
        for (name, _) in strategies {
            let errors = rows.filter { $0.strategy == name }.map(\.error).sorted()
            let mean = errors.reduce(0, +) / Double(errors.count)
            let reward = errors.map { -log10($0) }.reduce(0, +) / Double(errors.count)
            print(String(format: "| %@ | %.3e | %.3e | %.3f |", name, mean, errors[errors.count / 2], reward))
        }
        var csv = "instance," + f.parameters.map(\.name).joined(separator: ",") + ",strategy,arms,error,seconds\n"
        for r in rows.sorted(by: { ($0.context, $0.strategy) < ($1.context, $1.strategy) }) {
            csv += "\(r.context)," + instances[r.context].map { "\($0)" }.joined(separator: ",") + ",\(r.strategy),\"\(r.arms)\",\(r.error),\(r.seconds)\n"
        }
        do {
            try csv.write(to: outDir.appendingPathComponent("evaluation.csv"), atomically: true, encoding: .utf8)
            try accumulatedErrorPlot(trials).writePNG(to: outDir.appendingPathComponent("accumulated-error.png").path)
        } catch {
            throw CLIError("cannot write to \(out): \(error.localizedDescription)")
        }
        print("\nwrote \(out)/evaluation.csv and \(out)/accumulated-error.png")
    }

    /// Accumulated error over the study's online rounds (warm-up included), in round order.
    func accumulatedErrorPlot(_ trials: [Trial]) -> Canvas {
        let done = trials.filter { $0.status == .completed }.sorted { $0.round < $1.round }
        var total = 0.0
        let ys = done.map { t -> Double in total += t.error ?? 0; return total }
        let series = LineSeries(name: "accumulated error", xs: done.map { Double($0.round + 1) }, ys: ys, color: .blue)
        return LinePlot.render(LinePlot(title: "study \((study as NSString).lastPathComponent)", xLabel: "round",
                                        yLabel: "accumulated relative L2 error", series: [series]), width: 900, height: 560)
    }
}

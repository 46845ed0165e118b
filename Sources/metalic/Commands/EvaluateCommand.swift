import ArgumentParser
import Bandit
import Foundation
import PINN
import Plotting
import Sampling
import StudyStore

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Test meta-trained studies on fresh instances against random and fixed arms.",
        discussion: """
        Draws --contexts new instances of the studies' family and trains each with: the arm each study learned \
        (argmax of its posterior mean; for a study run with the random heuristic that is the explore rule, whose \
        online phase is the same random arms), a random arm, \
        and each --fixed-arm, at the studies' budgets (several --study files must share them). Prints mean and \
        median errors, writes evaluation.csv and accumulated-error.png (the studies' online rounds) to --out. \
        Each finished training is appended to evaluation.csv at once: rerunning the same command resumes, and a \
        file written with other settings (or for studies that have since grown) is refused.
        """)

    @Argument(help: "The PDE family of the studies.", completion: Completions.families)
    var family: String

    @Option(name: .customLong("study"), help: "A study file (repeatable: studies are compared on the same instances).")
    var studies: [String]

    @Option(help: "Number of test instances.")
    var contexts: Int = 100

    @Option(name: .customLong("fixed-arm"), help: "A fixed arm to compare with (repeatable). Default: none, u, uavg+rc, all.", completion: Completions.arms)
    var fixedArms: [String] = ["none", "u", "uavg,rc", "all"]

    @Option(help: "Trainings run in parallel.")
    var jobs: Int = 1

    @Option(help: "Seed of the test instances (distinct from the study's own rounds).")
    var seed: UInt64 = 1_000_003

    @Option(name: [.customShort("o"), .long], help: "Output directory.")
    var out: String = "metalic-evaluation"

    func validate() throws {
        _ = try InstanceOptions.family(named: family)
        guard contexts >= 1 else { throw ValidationError("--contexts must be at least 1") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        for a in fixedArms { do { _ = try InterfaceArm(parsing: a) } catch { throw ValidationError(String(describing: error)) } }
        for study in studies where !FileManager.default.fileExists(atPath: study) { throw ValidationError("study file \(study) does not exist") }
        guard Set(studies).count == studies.count else { throw ValidationError("a study is given twice") }
    }

    /// How one strategy picks the arms of a test instance.
    struct Strategy {
        let name: String
        let firstArm: ([Double], inout SeededGenerator) -> InterfaceArm
        /// For a two-stage study: the L-BFGS arm after seeing the Adam-stage reward.
        var secondArm: (([Double], InterfaceArm, Double) -> InterfaceArm)? = nil
    }

    struct Row { let context: Int; let strategy: String; let arms: String; let error: Double; let seconds: Double }

    func run() throws {
        let f = try InstanceOptions.family(named: family)
        let outDir = try prepareOutputDirectory(out)
        let models = try studies.map { try StudyAdvisor.model(studyPath: $0, family: f) }
        let training = models[0].settings.training
        for (path, model) in zip(studies, models).dropFirst() {
            let t = model.settings.training
            guard (t.adamIterations, t.lbfgsIterations, t.dataProtocol, t.lineSearch, t.precision)
                    == (training.adamIterations, training.lbfgsIterations, training.dataProtocol, training.lineSearch, training.precision) else {
                throw CLIError("study \(path) was trained with other budgets, data or precision than \(studies[0]); evaluate it separately")
            }
        }
        var strategies = [Strategy]()
        for (path, model) in zip(studies, models) {
            let name = (path as NSString).lastPathComponent
            print("study \(name): \(model.observationCount) completed trials, \(model.settings.heuristic.rawValue), \(model.settings.mode.rawValue) mode")
            // Explore plays random arms while learning and the GP mean at test time: a random
            // study's test-time model is explore's, so one study serves both rules.
            let label = model.settings.heuristic == .random ? "explore (\(name))" : "learned (\(name))"
            var strategy = Strategy(name: label, firstArm: { s, _ in InterfaceArm(model.bestFirstArm(context: s)) })
            if model.settings.mode == .step {
                strategy.secondArm = { s, first, r1 in InterfaceArm(model.bestSecondArm(context: s, firstArm: InterfaceArm(first), firstReward: r1)) }
            }
            strategies.append(strategy)
        }
        strategies.append(Strategy(name: "random", firstArm: { _, g in InterfaceArm(InterfaceArm.random(using: &g)) }))
        for a in fixedArms {
            let arm = try InterfaceArm(parsing: a)
            strategies.append(Strategy(name: "fixed \(arm.name)", firstArm: { _, _ in arm }))
        }
        print("testing on \(contexts) instances, \(training.adamIterations) Adam + ≤\(training.lbfgsIterations) L-BFGS each")

        var rng = SeededGenerator(seed: seed)
        let space = models[0].settings.contextSpace
        let instances = (0..<contexts).map { _ in space.sample(using: &rng) }
        var jobsList = [(Int, Int, InterfaceArm)]()
        for (c, s) in instances.enumerated() {
            for (k, strategy) in strategies.enumerated() { jobsList.append((c, k, strategy.firstArm(s, &rng))) }
        }
        let names = f.parameters.map(\.name)
        let studyCounts = zip(studies, models).map { "\(($0 as NSString).lastPathComponent):\($1.observationCount)" }
        let file = ResumableCSV(
            url: outDir.appendingPathComponent("evaluation.csv"),
            settings: "family=\(f.name) studies=\(studyCounts.joined(separator: ",")) fixed=\(fixedArms.joined(separator: ";")) contexts=\(contexts) seed=\(seed) adam=\(training.adamIterations) lbfgs=\(training.lbfgsIterations) protocol=\(training.dataProtocol.rawValue) lineSearch=\(training.lineSearch.rawValue) precision=\(training.precision.rawValue)",
            header: "instance," + names.joined(separator: ",") + ",strategy,arms,error,seconds")
        var rows = try file.load().compactMap { fields -> Row? in
            let k = names.count
            guard let c = Int(fields[0]), c < contexts, let error = Double(fields[k + 3]), let seconds = Double(fields[k + 4]) else { return nil }
            return Row(context: c, strategy: fields[k + 1], arms: fields[k + 2], error: error, seconds: seconds)
        }
        let done = Set(rows.map { "\($0.context) \($0.strategy)" })
        let todo = jobsList.filter { !done.contains("\($0.0) \(strategies[$0.1].name)") }
        if !done.isEmpty { print("resuming: \(jobsList.count - todo.count) of \(jobsList.count) trainings already in \(out)/evaluation.csv") }
        let printLock = NSLock()
        do {
            try processConcurrently(todo, jobs: jobs) {
                { job in
                    let (c, k, arm) = job
                    let s = try f.parameterValues(Dictionary(uniqueKeysWithValues: zip(names, instances[c])))
                    var options = training
                    options.seed = seed &+ UInt64(c)
                    options.errorEvery = 0
                    options.parallel = jobs == 1
                    let solver = try XPINNSolver(family: f, parameters: s, options: options)
                    var second = arm
                    let result = solver.train(adamArm: arm) { adam in
                        if let choose = strategies[k].secondArm { second = choose(instances[c], arm, adam?.reward ?? 0) }
                        return second
                    }
                    let arms = second == arm ? arm.name : "\(arm.name) / \(second.name)"
                    let row = Row(context: c, strategy: strategies[k].name, arms: arms, error: result.error, seconds: result.trainingSeconds)
                    printLock.lock()
                    defer { printLock.unlock() }
                    try file.append(["\(c)"] + instances[c].map { "\($0)" } + [csvField(row.strategy), csvField(row.arms), "\(row.error)", "\(row.seconds)"])
                    rows.append(row)
                    print(String(format: "  instance %3d  %@  %-28@ error %.3e  (%d/%d)", c + 1, s.description, row.strategy, row.error, rows.count, jobsList.count))
                    fflush(stdout)
                }
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("evaluation failed: \(error) (rerun to resume)")
        }

        print("\n| strategy | mean error | median error | mean reward |")
        print("|---|---|---|---|")
        for strategy in strategies {
            let errors = rows.filter { $0.strategy == strategy.name }.map(\.error).sorted()
            let mean = errors.reduce(0, +) / Double(errors.count)
            let reward = errors.map { -log10($0) }.reduce(0, +) / Double(errors.count)
            print(String(format: "| %@ | %.3e | %.3e | %.3f |", strategy.name, mean, errors[errors.count / 2], reward))
        }
        do {
            let trials = try studies.map { try openStudy($0).0.trials() }
            try accumulatedErrorPlot(trials, models: models).writePNG(to: outDir.appendingPathComponent("accumulated-error.png").path)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("cannot write to \(out): \(error.localizedDescription)")
        }
        print("\nwrote \(out)/evaluation.csv and \(out)/accumulated-error.png")
    }

    /// Accumulated error over each study's online rounds (warm-up included), in round order.
    func accumulatedErrorPlot(_ trials: [[Trial]], models: [StudyModel]) -> Canvas {
        let colors: [RGB] = [.blue, .orange, .green, .red, .purple, .brown, .pink, .grey, .olive, .cyan]
        let series = zip(trials, models).enumerated().map { k, pair -> LineSeries in
            let done = pair.0.filter { $0.status == .completed }.sorted { $0.round < $1.round }
            var total = 0.0
            let ys = done.map { t -> Double in total += t.error ?? 0; return total }
            let s = pair.1.settings
            let label = s.mode == .step ? "\(s.heuristic.rawValue) (two-stage)" : s.heuristic.rawValue
            return LineSeries(name: label, xs: done.map { Double($0.round + 1) }, ys: ys, color: colors[k % colors.count])
        }
        return LinePlot.render(LinePlot(title: "\(family): accumulated error of the online rounds", xLabel: "round",
                                        yLabel: "accumulated relative L2 error", series: series), width: 900, height: 560)
    }
}

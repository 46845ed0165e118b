import ArgumentParser
import MetaTraining
import Foundation
import PINN
import Plotting
import StudyStore

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Test meta-trained studies on fresh instances against random and fixed arms.",
        discussion: """
        Draws --contexts new instances of the studies' family and trains each with: the arm each study learned \
        (argmax of its posterior mean; for a study run with the random heuristic that is the explore rule, whose \
        online phase is the same random arms), a random arm, \
        and each --fixed-arm, at the studies' budgets (several --study files must share them). Prints mean and \
        median errors, writes evaluation.csv and accumulated-error.png (the studies' online rounds; .svg or .pdf with \
        --plot-format) to --out. \
        Each finished training is appended to evaluation.csv at once: rerunning the same command resumes, and a \
        file written with other settings (or for studies that have since grown) is refused.
        """)

    @Argument(help: "The PDE family of the studies.", completion: Completions.families)
    var family: String

    @OptionGroup var study: StudyOptions

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

    @OptionGroup var plot: PlotFormatOption
    @OptionGroup var output: FormatOption
    @OptionGroup var quiet: QuietFlag

    func validate() throws {
        _ = try InstanceOptions.family(named: family)
        guard contexts >= 1 else { throw ValidationError("--contexts must be at least 1") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        for a in fixedArms { do { _ = try InterfaceArm(parsing: a) } catch { throw ValidationError(String(describing: error)) } }
        guard try !study.references().isEmpty else { throw ValidationError("name at least one study: --study FILE, or --storage URL --study-name NAME") }
    }

    func run() throws {
        let log = output.log(quiet: quiet.quiet)
        let f = try InstanceOptions.family(named: family)
        let outDir = try prepareOutputDirectory(out)
        let references = try study.references()
        let studies = try references.map { try $0.open() }
        let models = try studies.map { try $0.model() }
        for (reference, model) in zip(references, models) where model.settings.family.name != f.name {
            throw CLIError("study \(reference) was trained on \(model.settings.family.name), not \(f.name)")
        }
        let training = models[0].settings.training
        for (reference, model) in zip(references, models).dropFirst() where model.settings.training != training {
            throw CLIError("study \(reference) was trained with other training options than \(references[0]); evaluate it separately")
        }
        var strategies = [EvaluationStrategy]()
        for (reference, model) in zip(references, models) {
            log.write("study \(reference.label): \(model.observationCount) completed trials, \(model.settings.heuristic.rawValue), \(model.settings.mode.rawValue) mode")
            strategies.append(.learned(model, label: reference.label))
        }
        strategies.append(.random)
        for a in fixedArms { strategies.append(.fixed(try InterfaceArm(parsing: a))) }
        log.write("testing on \(contexts) instances, \(training.adamIterations) Adam + ≤\(training.lbfgsIterations) L-BFGS each")

        let evaluation = Evaluation(family: f, strategies: strategies, instanceCount: contexts, seed: seed, training: training)
        let names = f.parameters.map(\.name)
        let studyCounts = zip(references, models).map { "\($0.label):\($1.observationCount)" }
        let file = ResumableCSV(
            url: outDir.appendingPathComponent("evaluation.csv"),
            identity: "family=\(f.name) studies=\(studyCounts.joined(separator: ",")) fixed=\(fixedArms.joined(separator: ";")) contexts=\(contexts) seed=\(seed)",
            training: training,
            header: "instance," + names.joined(separator: ",") + ",strategy,arms,error,seconds")
        var results = try file.load().compactMap { fields -> Evaluation.Result? in
            let k = names.count
            guard let c = Int(fields[0]), c < contexts, let error = Double(fields[k + 3]), let seconds = Double(fields[k + 4]) else { return nil }
            return Evaluation.Result(instance: c, context: evaluation.instances[c], strategy: fields[k + 1], arms: fields[k + 2],
                                     error: error, seconds: seconds)
        }
        let done = Set(results.map { "\($0.instance) \($0.strategy)" })
        let todo = evaluation.jobs.filter { !done.contains("\($0.instance) \(strategies[$0.strategy].name)") }
        if !done.isEmpty { log.write("resuming: \(evaluation.jobs.count - todo.count) of \(evaluation.jobs.count) trainings already in \(out)/evaluation.csv") }
        log.update(.overall(done: results.count, total: evaluation.jobs.count))
        defer { log.finish() }
        do {
            try evaluation.run(todo, workers: jobs, progress: log.handler) { row in
                try file.append(["\(row.instance)"] + row.context.values.map { "\($0)" } + [csvField(row.strategy), csvField(row.arms), "\(row.error)", "\(row.seconds)"])
                results.append(row)
                log.update(.overall(done: results.count, total: evaluation.jobs.count))
                log.write(String(format: "  instance %3d  %@  %-28@ error %.3e  (%d/%d)", row.instance + 1, row.context.description, row.strategy, row.error, results.count, evaluation.jobs.count))
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("evaluation failed: \(error) (rerun to resume)")
        }

        let summaries = evaluation.summaries(results)
        if output.format == .table {
            print("\n| strategy | mean error | median error | mean reward |")
            print("|---|---|---|---|")
            for summary in summaries {
                print(String(format: "| %@ | %.3e | %.3e | %.3f |", summary.strategy, summary.meanError, summary.medianError, summary.meanReward))
            }
        } else {
            var table = Table(columns: ["strategy", "instances", "mean_error", "median_error", "mean_reward"])
            for s in summaries {
                table.rows.append([.text(s.strategy), .integer(s.count), .number(s.meanError), .number(s.medianError), .number(s.meanReward)])
            }
            print(table.render(output.format))
        }
        let errorLabel = try f.errorSource(at: evaluation.instances[0]).label
        do {
            let trials = try studies.map { try $0.trials() }
            try accumulatedErrorPlot(trials, models: models, errorLabel: errorLabel).write(in: outDir, name: "accumulated-error", format: plot.plotFormat)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("cannot write to \(out): \(error.localizedDescription)")
        }
        log.write("\nwrote \(out)/evaluation.csv and \(out)/\(plot.fileName("accumulated-error"))")
    }

    /// Accumulated error over each study's online rounds (warm-up included), in round order.
    func accumulatedErrorPlot(_ trials: [[Trial]], models: [StudyModel], errorLabel: String) -> Figure {
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
                                        yLabel: "accumulated \(errorLabel)", series: series), width: 900, height: 560)
    }
}

import ArgumentParser
import Foundation
import MetaTraining
import PINN
import StudyStore

struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve", abstract: "Train the XPINN of one PDE instance and write its solution, error and plots.",
        discussion: """
        The interface conditions come from --arm (names like u,rc or 9 bits like 100100001), or from a \
        meta-trained study (--study FILE or --storage URL --study-name NAME: the arm with the best posterior mean for this instance).
        Writes summary.json, solution.csv, solution.png, loss.csv, loss.png and model.json (the trained networks, for \
        `metalic predict` and --init-from) to --out; --plot-format svg or pdf writes the figures as solution.svg, loss.svg \
        (or .pdf) instead.
        """)

    @OptionGroup var instance: InstanceOptions
    @OptionGroup var training: TrainingOptionGroup

    @Option(help: "Interface conditions: names (u,rc,flux), none, all, or 9 bits (100100001). Default: u.", completion: Completions.arms)
    var arm: String?

    @Option(help: "Interface conditions for the L-BFGS stage, if different from --arm.", completion: Completions.arms)
    var lbfgsArm: String?

    @OptionGroup var study: StudyOptions

    @Option(name: [.customShort("o"), .long], help: "Output directory.")
    var out: String = "metalic-out"

    @OptionGroup var plot: PlotFormatOption

    @Option(help: ArgumentHelp("Continue training from a saved model (model.json of an earlier solve of this family).", valueName: "model.json"))
    var initFrom: String?

    @Flag(help: "Start from the trained networks of the study's completed trial nearest to this instance (needs a study; the study's networks must have the widths of this training).")
    var warmStart = false

    @Flag(help: "Print less.")
    var quiet = false

    func validate() throws {
        if arm != nil, try study.single() != nil { throw ValidationError("give either --arm or a study, not both") }
        if warmStart, try study.single() == nil {
            throw ValidationError("--warm-start starts from a study's trained networks: name the study (--study FILE, or --storage URL [--study-name NAME])")
        }
        if warmStart, initFrom != nil { throw ValidationError("give either --warm-start or --init-from, not both") }
        for a in [arm, lbfgsArm].compactMap({ $0 }) {
            do { _ = try InterfaceArm(parsing: a) } catch { throw ValidationError(String(describing: error)) }
        }
    }

    func run() throws {
        let (family, s) = try instance.resolved()
        let outDir = try prepareOutputDirectory(out)
        var adamArm = try arm.map { try InterfaceArm(parsing: $0) } ?? InterfaceArm([.u])
        let fixedSecondArm = try lbfgsArm.map { try InterfaceArm(parsing: $0) }
        var chooseSecondArm: (StageResult?) -> InterfaceArm = { _ in fixedSecondArm ?? adamArm }
        var warmSource: (study: Study, trial: Trial)?
        if let reference = try study.single() {
            // The learned model's test-time rule: argmax of the posterior mean (two-stage: the
            // L-BFGS arm is picked after seeing the Adam-stage reward).
            let opened = try reference.open()
            let model = try opened.model()
            guard model.settings.family.name == family.name else {
                throw CLIError("study \(reference) was trained on \(model.settings.family.name), not \(family.name)")
            }
            guard model.observationCount > 0 else { throw CLIError("study \(reference) has no completed trials yet") }
            adamArm = model.bestFirstArm(context: s)
            let first = adamArm
            if model.settings.mode == .step {
                chooseSecondArm = { adam in model.bestSecondArm(context: s, firstArm: first, firstReward: adam?.reward ?? 0) }
            } else {
                chooseSecondArm = { _ in first }
            }
            if !quiet { print("study \(reference) (\(model.observationCount) trials, \(model.settings.mode.rawValue) mode) picks \(adamArm) for \(s)") }
            if warmStart {
                guard let source = WarmStart.nearestTrial(to: s, among: try opened.trials(), space: model.settings.contextSpace) else {
                    throw CLIError("study \(reference) has no completed trial with stored network parameters to warm-start from (its trials were recorded by metalic 0.3 or earlier, or none has completed): train it further with `metalic meta-train`, or drop --warm-start")
                }
                warmSource = (opened, source)
            }
        }
        let options = training.options
        if !quiet { print("solving \(family.name) \(s) with \(adamArm)\(fixedSecondArm.map { " / \($0)" } ?? ""): \(options.adamIterations) Adam + ≤\(options.lbfgsIterations) L-BFGS iterations, \(options.dataProtocol) protocol, \(options.precision)") }
        let solver = try XPINNSolver(family: family, parameters: s, options: options)
        var start: [Double]?
        if let initFrom {
            let saved = try SavedModel.read(from: URL(fileURLWithPath: initFrom))
            do { try saved.check(against: family) } catch { throw CLIError("--init-from \(initFrom): \(error)") }
            guard saved.networks.map(\.widths) == solver.problem.networks.map(\.widths) else {
                throw CLIError("--init-from \(initFrom): the model's networks have widths \(saved.networks.map(\.widths)); this training builds \(solver.problem.networks.map(\.widths))")
            }
            start = saved.flatParameters
            if !quiet { print("starting from \(initFrom) (trained for \(saved.parameters), error \(String(format: "%.3e", saved.error)) there)") }
        }
        if let (opened, source) = warmSource {
            do { start = try WarmStart.parameters(ofTrial: source.id, in: opened.store, for: solver) } catch {
                throw CLIError("--warm-start: study \(try study.required()): \(error)")
            }
            if !quiet { print("warm start from trial \(source.id) (round \(source.round), \(source.context), arm \(source.arms.map(\.name).joined(separator: " / ")), error \(source.error.map { String(format: "%.3e", $0) } ?? "?") there)") }
        }
        let log = ProgressLog(quiet: quiet, milestones: true)
        let total = options.adamIterations + options.lbfgsIterations
        let result = solver.train(adamArm: adamArm, from: start, progress: { log.update(.training(slot: 0, unit: "training", record: $0, totalIterations: total)) },
                                  lbfgsArm: chooseSecondArm)
        log.finish()

        let report = SolveReport(result: result, prediction: solver.predict(result.networkParameters), reference: solver.reference)
        do {
            try report.summaryJSON().write(to: outDir.appendingPathComponent("summary.json"))
            try report.solutionCSV().write(to: outDir.appendingPathComponent("solution.csv"), atomically: true, encoding: .utf8)
            try report.lossCSV().write(to: outDir.appendingPathComponent("loss.csv"), atomically: true, encoding: .utf8)
            try SolvePlots.write(report: report, family: family, to: outDir, format: plot.plotFormat)
            try SavedModel(solver: solver, result: result).write(to: outDir.appendingPathComponent("model.json"))
        } catch {
            throw CLIError("cannot write results to \(out): \(error.localizedDescription)")
        }
        for stage in result.stages {
            print(String(format: "%@ (%@): %d iterations, loss %.3e, %@ %.3e, %.1f s, %@",
                         stage.name, stage.arm.name, stage.iterations, stage.finalLoss, report.errorName, stage.error, stage.seconds, stage.stopReason.description))
        }
        print(String(format: "%@ %.4e (reward %.3f) — results in %@", report.errorName, result.error, result.reward, out))
    }
}

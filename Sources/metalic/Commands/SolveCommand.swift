import ArgumentParser
import Foundation
import PINN

struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve", abstract: "Train the XPINN of one PDE instance and write its solution, error and plots.",
        discussion: """
        The interface conditions come from --arm (names like u,rc or 9 bits like 100100001), or from a \
        meta-trained study (--study: the arm with the best posterior mean for this instance).
        Writes summary.json, solution.csv, solution.png, loss.csv and loss.png to --out.
        """)

    @OptionGroup var instance: InstanceOptions
    @OptionGroup var training: TrainingOptionGroup

    @Option(help: "Interface conditions: names (u,rc,flux), none, all, or 9 bits (100100001).")
    var arm: String?

    @Option(help: "Interface conditions for the L-BFGS stage, if different from --arm.")
    var lbfgsArm: String?

    @Option(help: "A meta-training study (SQLite file) whose learned model picks the arm.")
    var study: String?

    @Option(help: "Output directory.")
    var out: String = "metalic-out"

    @Flag(help: "Print less.")
    var quiet = false

    func validate() throws {
        if arm != nil && study != nil { throw ValidationError("give either --arm or --study, not both") }
        for a in [arm, lbfgsArm].compactMap({ $0 }) {
            do { _ = try InterfaceArm(parsing: a) } catch { throw ValidationError(String(describing: error)) }
        }
        if let study, !FileManager.default.fileExists(atPath: study) { throw ValidationError("study file \(study) does not exist") }
    }

    func run() throws {
        let (family, s) = try instance.resolved()
        let outDir = try prepareOutputDirectory(out)
        var adamArm = try arm.map { try InterfaceArm(parsing: $0) } ?? InterfaceArm([.u])
        var secondArm = try lbfgsArm.map { try InterfaceArm(parsing: $0) }
        if let study {
            throw CLIError("--study \(study): not wired yet")  // TODO(lead): StudyAdvisor once Bandit lands
        }
        let options = training.options
        if !quiet { print("solving \(family.name) \(s) with \(adamArm)\(secondArm.map { " / \($0)" } ?? ""): \(options.adamIterations) Adam + ≤\(options.lbfgsIterations) L-BFGS iterations, \(options.dataProtocol) protocol") }
        let solver = try XPINNSolver(family: family, parameters: s, options: options)
        let progress = ProgressPrinter(total: options.adamIterations + options.lbfgsIterations, enabled: !quiet)
        let result = solver.train(adamArm: adamArm, lbfgsArm: secondArm) { progress.update($0) }
        progress.finish()

        let report = SolveReport(result: result, prediction: solver.predict(result.networkParameters), reference: solver.reference)
        do {
            try report.summaryJSON().write(to: outDir.appendingPathComponent("summary.json"))
            try report.solutionCSV().write(to: outDir.appendingPathComponent("solution.csv"), atomically: true, encoding: .utf8)
            try report.lossCSV().write(to: outDir.appendingPathComponent("loss.csv"), atomically: true, encoding: .utf8)
        } catch {
            throw CLIError("cannot write results to \(out): \(error.localizedDescription)")
        }
        for stage in result.stages {
            print(String(format: "%@ (%@): %d iterations, loss %.3e, relative L2 error %.3e, %.1f s, %@",
                         stage.name, stage.arm.name, stage.iterations, stage.finalLoss, stage.error, stage.seconds, stage.stopReason.description))
        }
        print(String(format: "relative L2 error %.4e (reward %.3f) — results in %@", result.error, result.reward, out))
    }
}

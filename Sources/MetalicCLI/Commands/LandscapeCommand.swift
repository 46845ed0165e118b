import ArgumentParser
import MetaTraining
import Foundation
import PINN
import Plotting

struct LandscapeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "landscape", abstract: "Train one PDE instance with each of the 512 arms: the oracle arm and the error landscape.",
        discussion: """
        Writes landscape.csv (one row per arm, appended as trainings finish, so rerunning the same command resumes) \
        and landscape.png (errors sorted ascending; .svg or .pdf with --plot-format) to --out. With --study, the arms \
        that meta-trained studies pick for this instance are highlighted and their ranks printed.
        """)

    @OptionGroup var instance: InstanceOptions
    @OptionGroup var training: TrainingOptionGroup

    @Option(help: "Trainings run in parallel.")
    var jobs: Int = 1

    @OptionGroup var study: StudyOptions

    @Option(name: [.customShort("o"), .long], help: "Output directory.")
    var out: String = "metalic-landscape"

    @OptionGroup var plot: PlotFormatOption
    @OptionGroup var output: FormatOption
    @OptionGroup var quiet: QuietFlag

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let log = output.log(quiet: quiet.quiet, unitName: "arms")
        let (family, s) = try instance.resolved()
        let outDir = try prepareOutputDirectory(out)
        let options = training.options
        let file = LandscapeFile(url: outDir.appendingPathComponent("landscape.csv"),
                                 identity: "family=\(family.name) \(s) seed=\(options.seed)", training: options)
        var landscape = try file.load()
        let todo = InterfaceArm.everyArm.filter { landscape.errors[$0] == nil }
        log.write("landscape of \(family.name) \(s), \(options.adamIterations) Adam + ≤\(options.lbfgsIterations) L-BFGS: \(landscape.errors.count) arms done, \(todo.count) to train")
        log.update(.overall(done: landscape.errors.count, total: InterfaceArm.count))
        do {
            defer { log.finish() }
            try LandscapeTraining(family: family, parameters: s, options: options).run(todo, workers: jobs, progress: log.handler) { arm, result in
                let error = result.error, seconds = result.trainingSeconds
                try file.append(arm, error: error, seconds: seconds)
                landscape.record(arm, error: error)
                log.update(.overall(done: landscape.errors.count, total: InterfaceArm.count))
                log.write(String(format: "  %3d/512  %-34@ error %.3e  (%.1f s)", landscape.errors.count, arm.name, error, seconds))
            }
        } catch {
            throw CLIError("landscape stopped: \(error) (rerun to resume)")
        }

        // The summary: oracle, median and worst arm, the usual fixed arms, and each study's learned arm.
        let ranked = landscape.ranked
        log.write(String(format: "\noracle: %@ error %.3e; median %.3e; worst %@ %.3e", ranked[0].arm.name, ranked[0].error,
                               landscape.quantile(0.5), ranked[ranked.count - 1].arm.name, ranked[ranked.count - 1].error))
        var table = Table(columns: ["label", "arm", "error", "rank"])
        var highlighted = [InterfaceArm]()
        func row(_ label: String, _ arm: InterfaceArm) {
            table.rows.append([.text(label), .text(arm.name), .number(landscape.errors[arm]!), .integer(landscape.rank(of: arm)!)])
        }
        row("oracle", ranked[0].arm)
        row("median", ranked[ranked.count / 2].arm)
        row("worst", ranked[ranked.count - 1].arm)
        for arm in [InterfaceArm.none, InterfaceArm([.u]), InterfaceArm([.uavg, .rc]), InterfaceArm.all] { row("fixed", arm) }
        for reference in try study.references() {
            let model = try reference.open().model()
            guard model.settings.family.name == family.name else { throw CLIError("study \(reference) was trained on \(model.settings.family.name), not \(family.name)") }
            guard model.settings.mode == .query else {
                log.write("\(reference.label): a two-stage study; its arm pair is not in a one-arm landscape")
                continue
            }
            let arm = model.bestFirstArm(context: s)
            highlighted.append(arm)
            row("learned by \(reference.label)", arm)
        }
        if output.format == .table {
            print("\n| | arm | error | rank of 512 |\n|---|---|---|---|")
            for r in table.rows { print("| \(r[0].plain) | {\(r[1].plain)} | \(r[2].plain) | \(r[3].plain) |") }
        } else {
            print(table.render(output.format))
        }
        let values = InterfaceArm.everyArm.map { landscape.errors[$0]! }
        let chart = SortedErrorChart(title: "\(family.name) \(s): all 512 arms", xLabel: "rank", yLabel: try family.errorSource(at: s).label,
                                     values: values, highlighted: Set(highlighted.map { Int($0.mask) }),
                                     name: "arms", highlightName: highlighted.isEmpty ? "" : "learned arms")
        do {
            try SortedErrorChart.render(chart, width: 900, height: 560).write(in: outDir, name: "landscape", format: plot.plotFormat)
        } catch {
            throw CLIError("cannot write to \(out): \(error.localizedDescription)")
        }
        log.write("\nwrote \(out)/landscape.csv and \(out)/\(plot.fileName("landscape"))")
    }
}

/// landscape.csv: a settings line, a header, then one row per trained arm in completion order.
struct LandscapeFile {
    let csv: ResumableCSV

    init(url: URL, identity: String, training: TrainingOptions) {
        csv = ResumableCSV(url: url, identity: identity, training: training, header: "mask,bits,arm,error,seconds")
    }

    /// The arms already in the file (creating it if absent).
    func load() throws -> ArmLandscape {
        var landscape = ArmLandscape()
        for fields in try csv.load() {
            guard let mask = UInt16(fields[0]), mask < 512, let error = Double(fields[3]) else { continue }
            landscape.record(InterfaceArm(mask: mask), error: error)
        }
        return landscape
    }

    func append(_ arm: InterfaceArm, error: Double, seconds: Double) throws {
        try csv.append(["\(arm.mask)", arm.bitString, csvField(arm.name), "\(error)", "\(seconds)"])
    }
}

import ArgumentParser
import Bandit
import Foundation
import PINN
import Plotting

struct LandscapeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "landscape", abstract: "Train one PDE instance with each of the 512 arms: the oracle arm and the error landscape.",
        discussion: """
        Writes landscape.csv (one row per arm, appended as trainings finish, so rerunning the same command resumes) \
        and landscape.png (errors sorted ascending) to --out. With --study, the arms that meta-trained studies pick \
        for this instance are highlighted and their ranks printed.
        """)

    @OptionGroup var instance: InstanceOptions
    @OptionGroup var training: TrainingOptionGroup

    @Option(help: "Trainings run in parallel.")
    var jobs: Int = 1

    @Option(name: .customLong("study"), help: "A meta-trained study whose learned arm to rank (repeatable).")
    var studies: [String] = []

    @Option(name: [.customShort("o"), .long], help: "Output directory.")
    var out: String = "metalic-landscape"

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        for s in studies where !FileManager.default.fileExists(atPath: s) { throw ValidationError("study file \(s) does not exist") }
    }

    func run() throws {
        let (family, s) = try instance.resolved()
        let outDir = try prepareOutputDirectory(out)
        var options = training.options
        options.errorEvery = 0
        options.parallel = jobs == 1
        let file = LandscapeFile(url: outDir.appendingPathComponent("landscape.csv"),
                                 settings: "family=\(family.name) \(s) adam=\(options.adamIterations) lbfgs=\(options.lbfgsIterations) protocol=\(options.dataProtocol.rawValue) lineSearch=\(options.lineSearch.rawValue) seed=\(options.seed)")
        var landscape = try file.load()
        let todo = InterfaceArm.everyArm.filter { landscape.errors[$0] == nil }
        print("landscape of \(family.name) \(s), \(options.adamIterations) Adam + ≤\(options.lbfgsIterations) L-BFGS: \(landscape.errors.count) arms done, \(todo.count) to train")
        fflush(stdout)

        let lock = NSLock()
        do {
            try processConcurrently(todo, jobs: jobs) {
                // One solver per worker: it is reused across arms but not shareable between threads.
                let solver = try XPINNSolver(family: family, parameters: s, options: options)
                return { arm in
                    let result = solver.train(adamArm: arm)
                    lock.lock()
                    defer { lock.unlock() }
                    try file.append(arm, error: result.error, seconds: result.trainingSeconds)
                    landscape.record(arm, error: result.error)
                    print(String(format: "  %3d/512  %-34@ error %.3e  (%.1f s)", landscape.errors.count, arm.name, result.error, result.trainingSeconds))
                    fflush(stdout)
                }
            }
        } catch {
            throw CLIError("landscape stopped: \(error) (rerun to resume)")
        }

        let ranked = landscape.ranked
        let oracle = ranked[0]
        print(String(format: "\noracle: %@ error %.3e; median %.3e; worst %@ %.3e", oracle.arm.name, oracle.error,
                     landscape.quantile(0.5), ranked.last!.arm.name, ranked.last!.error))
        print("\n| arm | error | rank of 512 |\n|---|---|---|")
        var highlighted = [InterfaceArm]()
        func row(_ label: String, _ arm: InterfaceArm) {
            print(String(format: "| %@ | %.3e | %d |", label, landscape.errors[arm]!, landscape.rank(of: arm)!))
        }
        for arm in [InterfaceArm.none, InterfaceArm([.u]), InterfaceArm([.uavg, .rc]), InterfaceArm.all] { row("{\(arm.name)}", arm) }
        for path in studies {
            let model = try StudyAdvisor.model(studyPath: path, family: family)
            guard model.settings.mode == .query else { print("| \(path): two-stage study, its arm pair is not in a one-arm landscape | | |"); continue }
            let arm = InterfaceArm(model.bestFirstArm(context: s.values))
            highlighted.append(arm)
            row("learned by \((path as NSString).lastPathComponent) ({\(arm.name)})", arm)
        }
        let values = InterfaceArm.everyArm.map { landscape.errors[$0]! }
        let chart = SortedErrorChart(title: "\(family.name) \(s): all 512 arms", xLabel: "rank", yLabel: "relative L2 error",
                                     values: values, highlighted: Set(highlighted.map { Int($0.mask) }),
                                     name: "arms", highlightName: highlighted.isEmpty ? "" : "learned arms")
        do {
            try SortedErrorChart.render(chart, width: 900, height: 560).writePNG(to: outDir.appendingPathComponent("landscape.png").path)
        } catch {
            throw CLIError("cannot write to \(out): \(error.localizedDescription)")
        }
        print("\nwrote \(out)/landscape.csv and \(out)/landscape.png")
    }
}

/// landscape.csv: a settings line, a header, then one row per trained arm in completion order.
struct LandscapeFile {
    let csv: ResumableCSV

    init(url: URL, settings: String) {
        csv = ResumableCSV(url: url, settings: settings, header: "mask,bits,arm,error,seconds")
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

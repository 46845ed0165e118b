import ArgumentParser
import Foundation
import MetaTraining
import PINN
import StudyStore

struct MetaTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meta-train", abstract: "Learn which interface conditions to use across a PDE family (the online METALIC loop).",
        discussion: """
        Each round draws a fresh instance of the family, picks an arm with the bandit rule, trains, and records the \
        reward in the study (--storage: a SQLite file, or a PostgreSQL database shared by many machines). Rerunning \
        the same command resumes: completed trials are kept, trials whose worker died are re-run once their heartbeat \
        is older than --grace-period. Any number of processes, on any machines, may work on one study at once.
        """)

    @Argument(help: "The PDE family.", completion: Completions.families)
    var family: String

    @OptionGroup var study: StudyOptions

    @Option(help: "Bandit rule while learning: \(Heuristic.allCases.map(\.rawValue).joined(separator: ", ")).")
    var heuristic: Heuristic = .ucb

    @Option(help: "query: one arm per trial; step: an arm for Adam, then one for L-BFGS chosen after seeing the Adam-stage reward.")
    var mode: StudyMode = .query

    @Option(help: "Online rounds after warm-up.")
    var rounds: Int = 200

    @Option(help: "Warm-up rounds with random arms.")
    var warmup: Int = 5

    @Option(help: "Trainings run in parallel in this process.")
    var jobs: Int = 1

    @Flag(help: "Two-stage variant: feed the first arm to the second-stage GP too.")
    var secondStageSeesFirstArm = false

    @Option(help: ArgumentHelp("Where each round's networks start: cold (fresh networks, the default of a new study) or nearest (the trained networks of the completed trial with the nearest context). Fixed with the study: resuming without it follows the study; a different value is refused.", valueName: "cold|nearest"))
    var warmStart: WarmStart?

    @OptionGroup var training: TrainingOptionGroup
    @OptionGroup var worker: WorkerPolicyOptions
    @OptionGroup var quiet: QuietFlag

    func validate() throws {
        _ = try InstanceOptions.family(named: family)
        _ = try study.required()
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if mode == .step, training.adam == 0 || training.lbfgs == 0 {
            throw ValidationError("--mode step picks one arm per stage: it needs both --adam and --lbfgs positive")
        }
        do { try settings().validate() } catch { throw ValidationError(String(describing: error)) }
        if case .sqlite(let path)? = try study.single()?.storage {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) { throw ValidationError("directory of the study file \(path) does not exist") }
        }
    }

    func settings() throws -> StudySettings {
        StudySettings(family: try InstanceOptions.family(named: family), mode: mode, heuristic: heuristic, warmup: warmup,
                      rounds: rounds, seed: training.seed, training: training.options, secondStageSeesFirstArm: secondStageSeesFirstArm,
                      warmStart: warmStart ?? .cold)
    }

    func run() throws {
        let reference = try study.required()
        let opened: (study: Study, created: Bool)
        do {
            opened = try Study.openOrCreate(storage: reference.storage, name: reference.name, settings: try settings(),
                                            families: MetalicCommand.families)
        } catch {
            throw CLIError("\(reference): \(error)")
        }
        let s = opened.study.settings
        // Warm and cold trials reach different errors on the same budget: one study holds one kind.
        if let warmStart, warmStart != s.warmStart {
            throw CLIError("\(reference): the study was created with --warm-start \(s.warmStart.rawValue); resume it without --warm-start (or with --warm-start \(s.warmStart.rawValue)), or start a new study for --warm-start \(warmStart.rawValue)")
        }
        let done = try opened.study.trials().filter { $0.status != .running }.count
        let log = ProgressLog(quiet: quiet.quiet, unitName: "rounds")
        log.write(opened.created
              ? "created study \(reference): \(s.family.name), \(s.mode.rawValue) mode, \(s.heuristic.rawValue), \(s.warmup) + \(s.rounds) rounds, \(s.training.adamIterations) Adam + ≤\(s.training.lbfgsIterations) L-BFGS, \(s.training.dataProtocol.rawValue) protocol, \(s.warmStart.rawValue) starts"
              : "resuming study \(reference): \(done) of \(s.totalRounds) rounds done (settings from the study)")
        do {
            defer { log.finish() }
            try opened.study.run(workers: jobs, policy: worker.policy, log: log.write, progress: log.handler)
        } catch {
            throw CLIError("\(reference): \(error)")
        }
        let trials = try opened.study.trials()
        let completed = trials.filter { $0.status == .completed }
        let running = trials.filter { $0.status == .running }.count
        let failed = trials.filter { $0.status == .failed }
        let errors = completed.compactMap(\.error)
        print(String(format: "study %@: %d completed, %d failed, %d still running elsewhere; mean error %.3e, accumulated error %.3e",
                     reference.description, completed.count, failed.count, running,
                     errors.reduce(0, +) / Double(max(errors.count, 1)), errors.reduce(0, +)))
        if !failed.isEmpty {
            for t in failed { print("round \(t.round) failed: \(t.message ?? "no message")") }
            throw CLIError("\(reference): \(failed.count) of \(trials.count) trials failed")
        }
    }
}

import ArgumentParser
import Dispatch
import Foundation
import PINN
import StudyStore

struct MetaTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meta-train", abstract: "Learn which interface conditions to use across a PDE family (the online METALIC loop).",
        discussion: """
        Each round draws a fresh instance of the family, picks an arm with the bandit rule, trains, and records the \
        reward in the study file (SQLite). Rerunning the same command resumes: completed trials are kept, trials that \
        were running when a worker died are re-run. Several processes may work on one study at once.
        """)

    @Argument(help: "The PDE family.", completion: Completions.families)
    var family: String

    @Option(help: "The study file (created if it does not exist).")
    var study: String

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

    @OptionGroup var training: TrainingOptionGroup

    func validate() throws {
        _ = try InstanceOptions.family(named: family)
        guard rounds >= 0, warmup >= 0, rounds + warmup > 0 else { throw ValidationError("--rounds and --warmup must be non-negative and not both 0") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if mode == .step, training.adam == 0 || training.lbfgs == 0 {
            throw ValidationError("--mode step picks one arm per stage: it needs both --adam and --lbfgs positive")
        }
        let dir = (study as NSString).deletingLastPathComponent
        if !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) { throw ValidationError("directory of --study \(study) does not exist") }
    }

    func run() throws {
        let settings = StudySettings(family: try InstanceOptions.family(named: family), mode: mode, heuristic: heuristic,
                                     warmup: warmup, rounds: rounds, seed: training.seed, training: training.options,
                                     secondStageSeesFirstArm: secondStageSeesFirstArm)
        let (store, created) = try openStudy(study, creating: settings.configuration)
        let stored = try StudySettings(store.configuration)
        let done = try store.trials().filter { $0.status != .running }.count
        print(created ? "created study \(study): \(stored.family.name), \(stored.mode.rawValue) mode, \(stored.heuristic.rawValue), \(stored.warmup) + \(stored.rounds) rounds, \(stored.training.adamIterations) Adam + ≤\(stored.training.lbfgsIterations) L-BFGS, \(stored.training.dataProtocol.rawValue) protocol"
                      : "resuming study \(study): \(done) of \(stored.warmup + stored.rounds) rounds done (settings from the study file)")
        fflush(stdout)
        let printLock = NSLock()
        let log: (String) -> Void = { line in printLock.lock(); print(line); fflush(stdout); printLock.unlock() }
        var failure: Error?
        let failureLock = NSLock()
        DispatchQueue.concurrentPerform(iterations: jobs) { j in
            do {
                // Each worker has its own connection: the store serialises claims across them.
                let connection = j == 0 ? store : try SQLiteStudyStore.open(at: study)
                let worker = StudyWorker(store: connection, settings: stored, name: jobs > 1 ? "worker \(j + 1)" : "", log: log)
                try worker.run(parallelNetworks: jobs == 1)
            } catch {
                failureLock.lock(); failure = failure ?? error; failureLock.unlock()
            }
        }
        if let failure { throw CLIError("\(study): \(failure)") }
        let trials = try store.trials()
        let completed = trials.filter { $0.status == .completed }
        let running = trials.filter { $0.status == .running }.count
        let failed = trials.filter { $0.status == .failed }.count
        let errors = completed.compactMap(\.error)
        print(String(format: "study %@: %d completed, %d failed, %d still running elsewhere; mean error %.3e, accumulated error %.3e",
                     study, completed.count, failed, running,
                     errors.reduce(0, +) / Double(max(errors.count, 1)), errors.reduce(0, +)))
        if failed > 0 {
            for t in trials where t.status == .failed { print("round \(t.round) failed: \(t.message ?? "no message")") }
            throw CLIError("\(study): \(failed) of \(trials.count) trials failed")
        }
    }
}

/// Opens a study (or creates it), turning store errors into one-line messages.
func openStudy(_ path: String, creating configuration: StudyConfiguration? = nil) throws -> (SQLiteStudyStore, Bool) {
    do {
        if let configuration { return try SQLiteStudyStore.openOrCreate(at: path, configuration: configuration) }
        return (try SQLiteStudyStore.open(at: path), false)
    } catch let error as StudyStoreError {
        throw CLIError(String(describing: error))
    }
}

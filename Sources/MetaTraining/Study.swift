import Dispatch
import Foundation
import PINN
import StudyStore

/// A meta-training study: a family, a bandit rule and its trials, in a `StudyStorage`.
///
///     let settings = StudySettings(family: MyFamily(), warmup: 5, rounds: 50,
///                                  training: TrainingOptions(adamIterations: 1000, lbfgsIterations: 3000))
///     let study = try Study.openOrCreate(storage: .sqlite(path: "my.db"), settings: settings)
///     try study.run(workers: 2)
///     let arm = try study.model().bestFirstArm(context: try MyFamily().parameterValues(["k": 2]))
///
/// Running it again resumes; any number of processes, on any machines that reach the storage,
/// may run the same study at once (docs/STUDIES.md).
public final class Study: @unchecked Sendable {
    public let storage: StudyStorage
    public let store: any StudyStore
    /// The settings stored with the study (which win over the ones a resuming caller passed).
    public let settings: StudySettings

    public var name: String { store.studyName }

    private init(storage: StudyStorage, store: any StudyStore, families: FamilyRegistry) throws {
        self.storage = storage
        self.store = store
        settings = try StudySettings(store.configuration, families: families)
    }

    /// Opens the named study (nil: the only study in the storage), or creates it with `settings`.
    /// An existing study must be of the same family and mode; its stored settings are used.
    public static func openOrCreate(storage: StudyStorage, name: String? = nil, settings: StudySettings,
                                    families: FamilyRegistry? = nil) throws -> (study: Study, created: Bool) {
        try settings.validate()
        let registry = try families ?? FamilyRegistry([settings.family])
        let (store, created) = try storage.openOrCreate(study: name, configuration: settings.configuration)
        return (try Study(storage: storage, store: store, families: registry), created)
    }

    /// Opens an existing study; its family must be in `families`. `retry` bounds how long a
    /// server storage is retried when it cannot be reached.
    public static func open(storage: StudyStorage, name: String? = nil, families: FamilyRegistry = .standard,
                            retry: ConnectionRetry = .standard) throws -> Study {
        try Study(storage: storage, store: try storage.open(study: name, retry: retry), families: families)
    }

    public func trials() throws -> [Trial] { try store.trials() }

    /// The study's model on every completed trial so far, its hyperparameters fitted once on all
    /// of them (not replayed fit by fit: that costs Σₖ fit(k), half an hour at n = 1000).
    public func model() throws -> StudyModel {
        var model = StudyModel(settings: settings)
        try model.update(with: store.trials(), refit: .once)
        return model
    }

    /// Runs `workers` workers in this process until every round is claimed (and, with
    /// `policy.waitForRunning`, until every round is done). Each worker has its own connection.
    /// - Returns: the trials completed by this process.
    @discardableResult
    /// - Parameters:
    ///   - log: one line per finished or failed round (and notices), from any worker thread.
    ///   - progress: each running training's iterations and the study's rounds done.
    public func run(workers: Int = 1, policy: WorkerPolicy = WorkerPolicy(), log: @escaping (String) -> Void = { _ in },
                    progress: WorkProgressHandler? = nil) throws -> Int {
        guard workers >= 1 else { throw MetaTrainingError("a study needs at least one worker (got \(workers))") }
        let lock = NSLock()
        var failure: Error?
        var completed = 0
        DispatchQueue.concurrentPerform(iterations: workers) { j in
            do {
                let connection = j == 0 ? store : try storage.open(study: name)
                let worker = StudyWorker(store: connection, settings: settings, policy: policy,
                                         name: workers > 1 ? "worker \(j + 1)" : "", slot: j, log: log, progress: progress)
                let n = try worker.run(parallelNetworks: workers == 1)
                lock.lock(); completed += n; lock.unlock()
            } catch {
                lock.lock(); failure = failure ?? error; lock.unlock()
            }
        }
        if let failure { throw failure }
        return completed
    }
}

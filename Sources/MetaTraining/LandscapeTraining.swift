import Foundation
import PINN

/// Trains one PDE instance with many arms (all 512 for an `ArmLandscape`), each with the same
/// seed, points and budget, so that their errors differ only by the arm.
public struct LandscapeTraining: Sendable {
    public let family: any PDEFamily
    public let parameters: ParameterValues
    public let options: TrainingOptions

    public init(family: any PDEFamily, parameters: ParameterValues, options: TrainingOptions) {
        self.family = family
        self.parameters = parameters
        self.options = options
    }

    /// Trains `arms` with `workers` threads, handing each arm and its training's result to `record`
    /// as it finishes (serialised). The first error stops the hand-out and is rethrown.
    /// `progress` sees each running training (slot = worker thread).
    public func run(_ arms: [InterfaceArm], workers: Int, progress: WorkProgressHandler? = nil,
                    record: @escaping (_ arm: InterfaceArm, _ result: TrainingResult) throws -> Void) throws {
        var options = self.options
        options.parallel = workers == 1
        let lock = NSLock()
        var slots = 0
        try processConcurrently(arms, jobs: workers) {
            let slot = lock.withLock { defer { slots += 1 }; return slots }
            // One solver per worker: it is reused across arms but not shareable between threads.
            let solver = try XPINNSolver(family: family, parameters: parameters, options: options)
            return { arm in
                let total = options.iterationBudget
                let observe = progress.map { handler in { (r: TrainingRecord) in handler(.training(slot: slot, unit: arm.name, record: r, totalIterations: total)) } }
                let result = solver.train(adamArm: arm, progress: observe)
                lock.lock()
                defer { lock.unlock() }
                try record(arm, result)
            }
        }
    }
}

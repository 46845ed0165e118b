import Bandit
import Foundation
import Optimization
import PINN
import StudyStore

/// Everything a study fixes at creation. Stored with the study, so that resumed and extra
/// workers — on this machine or another — train exactly as the first one did.
public struct StudySettings: Sendable {
    public var family: any PDEFamily
    public var mode: StudyMode
    public var heuristic: Heuristic
    public var warmup: Int
    public var rounds: Int
    public var seed: UInt64
    /// The training of every trial; its `fingerprint` is what makes two runs comparable.
    public var training: TrainingOptions
    /// Feed a₁ to GP₂ as well (two-stage variant).
    public var secondStageSeesFirstArm: Bool
    /// Where each round's networks start. Part of what makes trials comparable (a warm-started
    /// training reaches other errors with the same budget), so fixed with the study like the training.
    public var warmStart: WarmStart

    public init(family: any PDEFamily, mode: StudyMode = .query, heuristic: Heuristic = .ucb, warmup: Int = 5,
                rounds: Int = 200, seed: UInt64 = 0, training: TrainingOptions, secondStageSeesFirstArm: Bool = false,
                warmStart: WarmStart = .cold) {
        self.family = family
        self.mode = mode
        self.heuristic = heuristic
        self.warmup = warmup
        self.rounds = rounds
        self.seed = seed
        self.training = training.fingerprint
        self.secondStageSeesFirstArm = secondStageSeesFirstArm
        self.warmStart = warmStart
    }

    /// Throws for settings no study can run with, naming the fix.
    public func validate() throws {
        guard rounds >= 0, warmup >= 0, rounds + warmup > 0 else {
            throw MetaTrainingError("a study needs rounds ≥ 0 and warm-up rounds ≥ 0, not both 0 (got \(warmup) + \(rounds))")
        }
        if mode == .step, training.adamIterations == 0 || training.lbfgsIterations == 0 {
            throw MetaTrainingError("a two-stage (step) study picks one arm per stage: it needs both Adam and L-BFGS iterations")
        }
        try training.validate()
    }

    /// The settings as the store records them: the training options as JSON under "training",
    /// the warm start under "warmStart" (absent in studies from before warm starts: cold).
    public var configuration: StudyConfiguration {
        StudyConfiguration(family: family.name, parameterNames: family.parameters.map(\.name), mode: mode.rawValue,
                           heuristic: heuristic.rawValue, warmupRounds: warmup, rounds: rounds, seed: seed,
                           settings: ["training": Self.encode(training),
                                      "secondStageSeesFirstArm": String(secondStageSeesFirstArm),
                                      "warmStart": warmStart.rawValue])
    }

    /// The settings stored with a study, its family looked up in `families`.
    public init(_ c: StudyConfiguration, families: FamilyRegistry) throws {
        family = try families.family(named: c.family)
        guard family.parameters.map(\.name) == c.parameterNames else {
            throw MetaTrainingError("the study's family \(c.family) had parameters \(c.parameterNames); the family known now has \(family.parameters.map(\.name))")
        }
        guard let m = StudyMode(rawValue: c.mode), let h = Heuristic(rawValue: c.heuristic) else {
            throw MetaTrainingError("the study has unknown mode '\(c.mode)' or heuristic '\(c.heuristic)' (written by a newer metalic?)")
        }
        mode = m
        heuristic = h
        warmup = c.warmupRounds
        rounds = c.rounds
        seed = c.seed
        secondStageSeesFirstArm = c.settings["secondStageSeesFirstArm"] == "true"
        guard let w = WarmStart(rawValue: c.settings["warmStart"] ?? WarmStart.cold.rawValue) else {
            throw MetaTrainingError("the study has unknown warm start '\(c.settings["warmStart"] ?? "")' (written by a newer metalic?)")
        }
        warmStart = w
        if let json = c.settings["training"] {
            do {
                training = try JSONDecoder().decode(TrainingOptions.self, from: Data(json.utf8))
            } catch {
                throw MetaTrainingError("the study's training settings cannot be read: \(json)")
            }
        } else {
            training = try Self.trainingBefore0_3(c)
        }
    }

    /// Studies written by metalic 0.2 and earlier stored the settings that differed from the
    /// defaults as separate strings.
    private static func trainingBefore0_3(_ c: StudyConfiguration) throws -> TrainingOptions {
        guard let adam = c.settings["adam"].flatMap(Int.init), let lbfgs = c.settings["lbfgs"].flatMap(Int.init),
              let p = c.settings["protocol"].flatMap(TrainingDataProtocol.init(rawValue:)),
              let ls = c.settings["lineSearch"].flatMap(LBFGS.LineSearch.init(rawValue:)),
              let precision = Precision(rawValue: c.settings["precision"] ?? Precision.float64.rawValue) else {
            throw MetaTrainingError("the study has malformed training settings \(c.settings)")
        }
        var training = TrainingOptions(adamIterations: adam, lbfgsIterations: lbfgs, dataProtocol: p)
        training.lineSearch = ls
        training.precision = precision
        return training.fingerprint
    }

    private static func encode(_ training: TrainingOptions) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // TrainingOptions holds only finite numbers and strings: encoding cannot fail.
        return String(decoding: try! encoder.encode(training), as: UTF8.self)
    }

    public var totalRounds: Int { warmup + rounds }

    public var contextSpace: ContextSpace { ContextSpace(parameters: family.parameters) }

    public var banditConfiguration: BanditConfiguration {
        BanditConfiguration(rule: heuristic.rule, warmupRounds: warmup, seed: seed, feedFirstArmToSecondStage: secondStageSeesFirstArm)
    }
}

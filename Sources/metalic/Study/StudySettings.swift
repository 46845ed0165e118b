import ArgumentParser
import Bandit
import Optimization
import PINN
import StudyStore

/// The bandit rule a study learns with, as typed after `--heuristic`.
enum Heuristic: String, CaseIterable, ExpressibleByArgument {
    /// μ + σ (the reference's UCB, c = 1).
    case ucb
    /// μ + √β_t σ with the GP-UCB schedule (δ = 0.1).
    case gpucb
    /// Thompson sampling, joint draws over the 512 arms.
    case ts
    /// Thompson sampling with independent marginal draws, as the reference implementation.
    case tsMarginal = "ts-marginal"
    /// Random arms while learning; the GP's mean at test time.
    case explore
    /// Random arms always.
    case random

    var rule: SelectionRule {
        switch self {
        case .ucb: return .ucb
        case .gpucb: return .ucb(.gpUCB(delta: 0.1))
        case .ts: return .thompson(joint: true)
        case .tsMarginal: return .thompson(joint: false)
        case .explore: return .explore
        case .random: return .random
        }
    }
}

/// Single-stage (one arm per trial) or two-stage (an arm for Adam, another for L-BFGS chosen after seeing r₁).
enum StudyMode: String, CaseIterable, ExpressibleByArgument {
    case query, step
}

/// Everything a study fixes at creation, stored in the study file so that resumed and extra
/// workers train exactly as the first one did.
struct StudySettings {
    var family: any PDEFamily
    var mode: StudyMode
    var heuristic: Heuristic
    var warmup: Int
    var rounds: Int
    var seed: UInt64
    var training: TrainingOptions
    /// Feed a₁ to GP₂ as well (two-stage variant).
    var secondStageSeesFirstArm: Bool

    var configuration: StudyConfiguration {
        StudyConfiguration(family: family.name, mode: mode.rawValue, heuristic: heuristic.rawValue, warmupRounds: warmup,
                           rounds: rounds, seed: seed, settings: [
                               "adam": String(training.adamIterations), "lbfgs": String(training.lbfgsIterations),
                               "protocol": training.dataProtocol.rawValue, "lineSearch": training.lineSearch.rawValue,
                               "precision": training.precision.rawValue,
                               "secondStageSeesFirstArm": String(secondStageSeesFirstArm),
                           ])
    }

    /// The settings stored in a study file.
    init(_ c: StudyConfiguration) throws {
        func setting(_ key: String) throws -> String {
            guard let v = c.settings[key] else { throw CLIError("study file is missing setting '\(key)'") }
            return v
        }
        family = try FamilyRegistry.family(named: c.family)
        guard let m = StudyMode(rawValue: c.mode), let h = Heuristic(rawValue: c.heuristic) else {
            throw CLIError("study has unknown mode '\(c.mode)' or heuristic '\(c.heuristic)'")
        }
        mode = m
        heuristic = h
        warmup = c.warmupRounds
        rounds = c.rounds
        seed = c.seed
        guard let adam = Int(try setting("adam")), let lbfgs = Int(try setting("lbfgs")),
              let p = TrainingDataProtocol(rawValue: try setting("protocol")),
              let ls = LBFGS.LineSearch(rawValue: try setting("lineSearch")) else {
            throw CLIError("study file has malformed training settings \(c.settings)")
        }
        training = TrainingOptions(adamIterations: adam, lbfgsIterations: lbfgs, dataProtocol: p, seed: seed)
        training.lineSearch = ls
        // Studies written before the option existed ran in Float64.
        guard let precision = Precision(rawValue: c.settings["precision"] ?? Precision.float64.rawValue) else {
            throw CLIError("study file has unknown precision '\(c.settings["precision"]!)'")
        }
        training.precision = precision
        secondStageSeesFirstArm = c.settings["secondStageSeesFirstArm"] == "true"
    }

    init(family: any PDEFamily, mode: StudyMode, heuristic: Heuristic, warmup: Int, rounds: Int, seed: UInt64,
         training: TrainingOptions, secondStageSeesFirstArm: Bool) {
        self.family = family
        self.mode = mode
        self.heuristic = heuristic
        self.warmup = warmup
        self.rounds = rounds
        self.seed = seed
        self.training = training
        self.secondStageSeesFirstArm = secondStageSeesFirstArm
    }

    var contextSpace: ContextSpace {
        ContextSpace(lower: family.parameters.map(\.range.lowerBound), upper: family.parameters.map(\.range.upperBound))
    }

    var banditConfiguration: BanditConfiguration {
        BanditConfiguration(rule: heuristic.rule, warmupRounds: warmup, seed: seed, feedFirstArmToSecondStage: secondStageSeesFirstArm)
    }
}

extension InterfaceArm {
    init(_ arm: InterfaceArm) { self.init(mask: arm.mask) }
}

extension InterfaceArm {
    init(_ arm: InterfaceArm) { self.init(mask: arm.mask) }
}

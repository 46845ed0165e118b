import Optimization

/// Everything that defines one training run besides the PDE instance and the arm.
public struct TrainingOptions: Hashable, Sendable, Codable {
    public var adamIterations: Int = 1000
    public var lbfgsIterations: Int = 10000
    public var adamLearningRate: Double = 1e-3
    public var lbfgsLearningRate: Double = 0.1
    public var lbfgsHistory: Int = 50
    public var lineSearch: LBFGS.LineSearch = .fixedStep
    public var dataProtocol: TrainingDataProtocol = .forward
    public var seed: UInt64 = 0
    public var hiddenWidths: [Int] = [20, 20]
    public var sampling = SamplingConfiguration()
    public var weights = LossWeights()
    /// The error on the reference grid is recorded every this many iterations (0: only at stage ends).
    public var errorEvery: Int = 100
    /// One thread per subdomain network.
    public var parallel: Bool = true
    /// The arithmetic of the derivative propagation (Float32 is the reference's, about 1.6× as fast).
    public var precision: Precision = .float64

    public init(adamIterations: Int = 1000, lbfgsIterations: Int = 10000, dataProtocol: TrainingDataProtocol = .forward, seed: UInt64 = 0) {
        self.adamIterations = adamIterations
        self.lbfgsIterations = lbfgsIterations
        self.dataProtocol = dataProtocol
        self.seed = seed
    }

    /// The budgets the reference uses per family (docs/METHOD.md), for benchmarks.
    public static func referenceBudget(family: String) -> (adam: Int, lbfgs: Int) {
        switch family {
        case "advection": return (2000, 20000)
        case "kdv": return (2000, 50000)
        case "burgers": return (10000, 50000)
        default: return (2000, 20000)
        }
    }
}

extension TrainingOptions {
    /// Throws for options no training can run with (`XPINNSolver` checks them first).
    public func validate() throws {
        guard !hiddenWidths.isEmpty, hiddenWidths.allSatisfy({ $0 > 0 }) else {
            throw InvalidTrainingOptions(description: "hidden widths \(hiddenWidths): a network needs at least one hidden layer, every width positive")
        }
        guard adamIterations >= 0, lbfgsIterations >= 0 else {
            throw InvalidTrainingOptions(description: "iteration counts must be non-negative (Adam \(adamIterations), L-BFGS \(lbfgsIterations))")
        }
    }
}

/// Training options that no training can run with.
public struct InvalidTrainingOptions: Error, Equatable, CustomStringConvertible {
    public let description: String
}

extension LBFGS.LineSearch: Codable {}

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
    /// These options without what does not change a training's result or is chosen per run:
    /// the seed (each trial, test instance or landscape records its own), how often the error
    /// is recorded, and whether networks train on parallel threads. Two runs are comparable —
    /// may share a study, an evaluation file or a landscape file — exactly when their
    /// fingerprints are equal (`==`); stored as JSON (Codable), they are compared the same way.
    public var fingerprint: TrainingOptions {
        var f = self
        f.seed = 0
        f.errorEvery = 0
        f.parallel = false
        return f
    }

    /// Throws for options no training can run with (`XPINNSolver` checks them first).
    public func validate() throws {
        guard !hiddenWidths.isEmpty, hiddenWidths.allSatisfy({ $0 > 0 }) else {
            throw InvalidTrainingOptions(description: "hidden widths \(hiddenWidths): a network needs at least one hidden layer, every width positive")
        }
        guard adamIterations >= 0, lbfgsIterations >= 0 else {
            throw InvalidTrainingOptions(description: "iteration counts must be non-negative (Adam \(adamIterations), L-BFGS \(lbfgsIterations))")
        }
        for (name, rate) in [("Adam", adamLearningRate), ("L-BFGS", lbfgsLearningRate)] where !(rate.isFinite && rate > 0) {
            throw InvalidTrainingOptions(description: "the \(name) learning rate \(rate) must be positive and finite")
        }
        guard lbfgsHistory >= 1 else {
            throw InvalidTrainingOptions(description: "the L-BFGS history \(lbfgsHistory) must hold at least one pair (50 is usual)")
        }
        guard errorEvery >= 0 else {
            throw InvalidTrainingOptions(description: "errorEvery \(errorEvery) must be 0 (stage ends only) or positive")
        }
        let c = sampling
        guard c.collocationPoints >= 1, c.boundaryPoints >= 0, c.periodicPoints >= 0 else {
            throw InvalidTrainingOptions(description: "point counts \(c.collocationPoints) collocation, \(c.boundaryPoints) boundary, \(c.periodicPoints) periodic: at least one collocation point, none negative")
        }
        guard c.margin.isFinite, c.margin >= 0 else {
            throw InvalidTrainingOptions(description: "the sampling margin \(c.margin) must be finite and non-negative")
        }
        for (name, w) in [("boundary", weights.boundary), ("residual", weights.residual), ("interface", weights.interface)] where !(w.isFinite && w >= 0) {
            throw InvalidTrainingOptions(description: "the \(name) loss weight \(w) must be finite and non-negative")
        }
    }

    /// Throws for options that cannot sample a family's instance: a margin that leaves no room
    /// inside a subdomain piece, and no points for the conditions the family has.
    func validate(for family: any PDEFamily, parameters: ParameterValues) throws {
        let pieces = family.decomposition.subdomains.flatMap(\.pieces)
        if let thinnest = pieces.flatMap({ zip($0.lower, $0.upper).map { $1 - $0 } }).min(), 2 * sampling.margin >= thinnest {
            throw InvalidTrainingOptions(description: "the sampling margin \(sampling.margin) leaves no room in a subdomain piece \(thinnest) wide (family \(family.name)): use a margin below \(thinnest / 2)")
        }
        guard dataProtocol == .forward else { return }
        let conditions = family.conditions(parameters)
        if sampling.boundaryPoints == 0 && conditions.contains(where: { !$0.isPeriodic }) {
            throw InvalidTrainingOptions(description: "sampling.boundaryPoints is 0, so the .dirichlet conditions of family \(family.name) would get no points")
        }
        if sampling.periodicPoints == 0 && conditions.contains(where: \.isPeriodic) {
            throw InvalidTrainingOptions(description: "sampling.periodicPoints is 0, so the .periodic conditions of family \(family.name) would get no points")
        }
    }
}

/// Training options that no training can run with.
public struct InvalidTrainingOptions: Error, Equatable, CustomStringConvertible {
    public let description: String
}

extension LBFGS.LineSearch: Codable {}

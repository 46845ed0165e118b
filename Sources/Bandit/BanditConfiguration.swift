import Foundation
import GaussianProcess

/// The GP behind a bandit: kernel form, starting hyperparameters, GP options and fitting.
public struct SurrogateConfiguration: Codable, Sendable, Equatable {
    /// One length-scale per continuous input (context dimensions, and r₁ for the second stage)
    /// instead of the reference's single isotropic one.
    public var ardContext: Bool = false
    /// Starting θ₁ = log ℓ, θ₂ = log λ and log τ.
    public var initialLogLengthScale: Double = 0
    public var initialLogWeight: Double = 0
    public var initialLogNoisePrecision: Double = log(100)
    /// Jitter, noise prior, target standardisation (off, as the reference).
    public var gp = GaussianProcess.Options()
    /// L-BFGS settings of each hyperparameter refit (the seed is derived per refit, see `BanditConfiguration.seed`).
    public var fit = FitOptions()

    public init(ardContext: Bool = false, initialLogLengthScale: Double = 0, initialLogWeight: Double = 0,
                initialLogNoisePrecision: Double = log(100), gp: GaussianProcess.Options = .init(), fit: FitOptions = .init()) {
        self.ardContext = ardContext
        self.initialLogLengthScale = initialLogLengthScale
        self.initialLogWeight = initialLogWeight
        self.initialLogNoisePrecision = initialLogNoisePrecision
        self.gp = gp
        self.fit = fit
    }
}

/// Everything that defines a bandit's behaviour apart from its context space and its history.
public struct BanditConfiguration: Codable, Sendable, Equatable {
    /// Rule while learning.
    public var rule: SelectionRule = .ucb
    /// Rounds (counted by the caller's `round`, from 0) played with uniformly random arms before the rule takes over.
    public var warmupRounds: Int = 5
    /// Refit hyperparameters after every `refitEvery`-th recorded observation (1 = every round,
    /// as the reference; 0 = only on explicit `refit()`). Between refits the GP is re-conditioned
    /// on the new data with the current hyperparameters.
    public var refitEvery: Int = 1
    /// The GP surrogate(s).
    public var surrogate = SurrogateConfiguration()
    /// Seed of the hyperparameter-fit restarts; refit k uses a seed derived from this and the
    /// number of observations, so replaying a history reproduces every fit.
    public var seed: UInt64 = 0
    /// Two-stage only: GP₁ is fit to (r₁ + discount · r₂)/2 (reference 0.9).
    public var discount: Double = 0.9
    /// Two-stage only: also give a₁ to GP₂ as a second categorical input (a variant, docs/BANDITS.md).
    public var feedFirstArmToSecondStage: Bool = false

    public init(rule: SelectionRule = .ucb, warmupRounds: Int = 5, refitEvery: Int = 1,
                surrogate: SurrogateConfiguration = .init(), seed: UInt64 = 0, discount: Double = 0.9,
                feedFirstArmToSecondStage: Bool = false) {
        self.rule = rule
        self.warmupRounds = warmupRounds
        self.refitEvery = refitEvery
        self.surrogate = surrogate
        self.seed = seed
        self.discount = discount
        self.feedFirstArmToSecondStage = feedFirstArmToSecondStage
    }
}

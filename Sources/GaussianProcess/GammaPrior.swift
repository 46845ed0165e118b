import Foundation

/// A Gamma(shape a, rate b) prior on the noise precision τ (noise variance 1/τ).
///
/// The reference puts Gamma(100, 1) on τ, which keeps the noise variance near 0.01 unless the
/// data insist; without it, a GP with no amplitude can explain everything as noise.
/// The density is in τ (no Jacobian for the log-τ parameterisation), normalised.
public struct GammaPrior: Codable, Sendable, Equatable {
    public var shape: Double
    public var rate: Double

    public init(shape: Double, rate: Double) {
        precondition(shape > 0 && rate > 0, "GammaPrior: shape and rate must be positive")
        self.shape = shape
        self.rate = rate
    }

    /// log p(τ) = a log b − log Γ(a) + (a − 1) log τ − b τ.
    public func logDensity(logPrecision: Double) -> Double {
        shape * log(rate) - lgamma(shape) + (shape - 1) * logPrecision - rate * exp(logPrecision)
    }

    /// d log p(τ) / d log τ = (a − 1) − b τ.
    public func logDensityDerivative(logPrecision: Double) -> Double {
        (shape - 1) - rate * exp(logPrecision)
    }
}

/// Which data the networks are trained on (docs/METHOD.md).
public enum TrainingDataProtocol: String, CaseIterable, Sendable, Codable {
    /// Only what a user has: the PDE and its initial, boundary and periodic conditions.
    case forward
    /// The reference implementation's training sets: values of the reference solution on every
    /// domain-boundary edge of each subdomain, the final-time edge included — for side-by-side
    /// comparison only, since it uses the solution at the final time.
    case reference
}

/// The loss weights (docs/METHOD.md): L = boundary · MSE_b + residual · MSE_r + interface · Σ_k a_k I_k.
public struct LossWeights: Hashable, Sendable, Codable {
    public var boundary: Double
    public var residual: Double
    public var interface: Double

    public init(boundary: Double = 20, residual: Double = 1, interface: Double = 5) {
        self.boundary = boundary
        self.residual = residual
        self.interface = interface
    }
}

/// How many points each subdomain gets (docs/METHOD.md).
public struct SamplingConfiguration: Hashable, Sendable, Codable {
    /// Collocation points per subdomain (Latin hypercube).
    public var collocationPoints: Int = 1000
    /// Boundary/initial points per subdomain.
    public var boundaryPoints: Int = 100
    /// Point pairs for each periodic condition, per subdomain touching the lower edge of its axis.
    public var periodicPoints: Int = 100
    /// Distance of collocation points from the subdomain's edges.
    public var margin: Double = 0.01

    public init(collocationPoints: Int = 1000, boundaryPoints: Int = 100, periodicPoints: Int = 100, margin: Double = 0.01) {
        self.collocationPoints = collocationPoints
        self.boundaryPoints = boundaryPoints
        self.periodicPoints = periodicPoints
        self.margin = margin
    }
}

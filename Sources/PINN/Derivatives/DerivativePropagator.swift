/// Exact partial derivatives of one network's output at a fixed point set and the reverse pass
/// through them — what `PINNLoss` needs of a `JetPropagator`, whichever precision it computes in.
public protocol DerivativePropagator: AnyObject {
    var network: MLP { get }
    var plan: JetPlan { get }
    var pointCount: Int { get }
    /// ∂^α u at every point for each requested α: `derivatives[r][p]`, in `plan.requested` order.
    var derivatives: [[Double]] { get }
    /// Computes `derivatives` for the network parameters `parameters[0 ..< network.parameterCount]`.
    func forward(_ parameters: UnsafePointer<Double>)
    /// Accumulates into `gradient[0 ..< network.parameterCount]` the gradient of
    /// Σ_r Σ_p adjoints[r][p] · derivatives[r][p] at the parameters of the last `forward`.
    func backward(adjoints: [[Double]], gradient: UnsafeMutablePointer<Double>)
}

/// The arithmetic a loss's derivative propagation runs in.
public enum Precision: String, CaseIterable, Codable, Sendable {
    /// Float64 throughout (the default).
    case float64
    /// Jets propagated, and each network's gradient summed, in Float32 as the reference
    /// implementation computes; parameters, loss terms and the optimiser stay Float64.
    case float32

    /// A propagator computing in this precision.
    public func propagator(network: MLP, plan: JetPlan, points: [Double]) -> any DerivativePropagator {
        switch self {
        case .float64: JetPropagator<Double>(network: network, plan: plan, points: points)
        case .float32: JetPropagator<Float>(network: network, plan: plan, points: points)
        }
    }
}

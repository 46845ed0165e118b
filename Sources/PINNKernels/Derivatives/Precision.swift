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

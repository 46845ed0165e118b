/// Exact partial derivatives of one network's output at a fixed point set and the reverse pass
/// through them — what `PINNLoss` needs of a `JetPropagator`, whichever precision it computes in.
public protocol DerivativePropagator: AnyObject {
    var plan: JetPlan { get }
    var pointCount: Int { get }
    /// ∂^α u at every point for each requested α: `derivatives[r][p]`, in `plan.requested` order.
    var derivatives: [[Double]] { get }
    /// Computes `derivatives` for the network's parameters `parameters[0 ..< parameterCount]`.
    func forward(_ parameters: UnsafePointer<Double>)
    /// Accumulates into `gradient[0 ..< parameterCount]` (the network's slice) the gradient of
    /// Σ_r Σ_p adjoints[r][p] · derivatives[r][p] at the parameters of the last `forward`.
    func backward(adjoints: [[Double]], gradient: UnsafeMutablePointer<Double>)
}

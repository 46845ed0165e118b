/// A positive-definite covariance function on input vectors, with hyperparameters in log space.
///
/// Inputs mix continuous dimensions (a standardised context) with categorical bits (an arm), so
/// each leaf kernel acts on a declared slice of dimensions and kernels compose by product and sum.
///
/// Evaluation is split in two so that fitting hyperparameters does not redo work:
/// `appendFeatures` computes hyperparameter-independent statistics of each pair (squared
/// distances, fractions of agreeing bits) once per data set, and `evaluate` maps those channels
/// to covariances — and, for the marginal-likelihood gradient, to their derivatives with respect
/// to each log-hyperparameter — for whatever hyperparameter values the optimiser tries.
/// Composite kernels concatenate their children's channels and parameters in order.
public protocol Kernel: Sendable, CustomStringConvertible {
    /// Number of log-hyperparameters.
    var parameterCount: Int { get }
    /// The log-hyperparameters, `parameterCount` of them.
    var logParameters: [Double] { get set }
    /// A short name for each log-hyperparameter, for reports.
    var parameterNames: [String] { get }
    /// Number of feature channels `appendFeatures` appends.
    var featureChannelCount: Int { get }
    /// Appends this kernel's `featureChannelCount` channels for `pairs`, each of length `pairs.count`.
    func appendFeatures(of pairs: PairSet, to channels: inout [[Double]])
    /// Covariances of the pairs whose channels are given (exactly this kernel's channels, in
    /// order), and, if `gradients`, ∂k/∂(log-hyperparameter) for each parameter.
    func evaluate(channels: ArraySlice<[Double]>, pairCount: Int, gradients: Bool) -> KernelValues
}

/// Kernel values for a set of pairs and, optionally, their derivatives.
public struct KernelValues: Sendable {
    /// k for each pair.
    public var values: [Double]
    /// `gradients[p][q]` = ∂k/∂(log-hyperparameter p) for pair q; empty if not requested.
    public var gradients: [[Double]]

    public init(values: [Double], gradients: [[Double]]) {
        self.values = values
        self.gradients = gradients
    }
}

extension Kernel {
    /// All feature channels of this kernel for `pairs`.
    public func features(of pairs: PairSet) -> [[Double]] {
        var channels: [[Double]] = []
        channels.reserveCapacity(featureChannelCount)
        appendFeatures(of: pairs, to: &channels)
        return channels
    }

    /// Kernel values on `pairs` (features and evaluation in one go).
    public func values(on pairs: PairSet) -> [Double] {
        let channels = features(of: pairs)
        return evaluate(channels: channels[...], pairCount: pairs.count, gradients: false).values
    }
}

/// Applies `body` to contiguous buffers — a small helper so leaf kernels' loops stay tight in debug builds too.
@inline(__always)
func withOutput(_ count: Int, _ body: (UnsafeMutableBufferPointer<Double>) -> Void) -> [Double] {
    [Double](unsafeUninitializedCapacity: count) { buffer, initialised in
        body(buffer)
        initialised = count
    }
}

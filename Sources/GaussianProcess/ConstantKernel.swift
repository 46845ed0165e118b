import Foundation

/// k(x, y) = σ² = e^θ for every pair: an amplitude, as a factor of a product, or a constant
/// offset, as a term of a sum. The reference kernel has none; it is here for composition.
public struct ConstantKernel: Kernel {
    private var theta: Double

    public init(logVariance: Double = 0) { theta = logVariance }

    public var parameterCount: Int { 1 }
    public var logParameters: [Double] {
        get { [theta] }
        set {
            precondition(newValue.count == 1, "ConstantKernel: \(newValue.count) parameters, expected 1")
            theta = newValue[0]
        }
    }
    public var parameterNames: [String] { ["log σ²"] }
    public var featureChannelCount: Int { 0 }

    public func appendFeatures(of pairs: PairSet, to channels: inout [[Double]]) {}

    public func evaluate(channels: ArraySlice<[Double]>, pairCount: Int, gradients: Bool) -> KernelValues {
        let v = [Double](repeating: exp(theta), count: pairCount)
        return KernelValues(values: v, gradients: gradients ? [v] : [])
    }

    public var description: String { "Constant(σ² = \(String(format: "%.4g", exp(theta))))" }
}

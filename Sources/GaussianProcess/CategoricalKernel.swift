import Foundation

/// The arm kernel of docs/BANDITS.md on binary inputs: k(a, a') = exp(λ · m(a, a')), m the fraction of the
/// slice's bits on which a and a' agree, λ = e^θ.
///
/// It is a product over bits of 2 × 2 positive-definite factors, hence positive definite; with
/// no separate amplitude, e^λ is also the prior variance, so λ trades correlation between arms
/// against the scale of the rewards.
public struct CategoricalKernel: Kernel {
    /// The input dimensions (0/1 bits) this kernel reads.
    public let dimensions: [Int]
    private var theta: Double

    public init(dimensions: [Int], logWeight: Double = 0) {
        self.dimensions = dimensions
        theta = logWeight
    }

    public init(dimensions: Range<Int>, logWeight: Double = 0) {
        self.init(dimensions: Array(dimensions), logWeight: logWeight)
    }

    public var parameterCount: Int { 1 }
    public var logParameters: [Double] {
        get { [theta] }
        set {
            precondition(newValue.count == 1, "CategoricalKernel: \(newValue.count) parameters, expected 1")
            theta = newValue[0]
        }
    }
    public var parameterNames: [String] { ["log λ"] }
    public var featureChannelCount: Int { 1 }

    public func appendFeatures(of pairs: PairSet, to channels: inout [[Double]]) {
        channels.append(pairs.channel(dimensions: dimensions, measure: .agreementFraction))
    }

    public func evaluate(channels: ArraySlice<[Double]>, pairCount: Int, gradients: Bool) -> KernelValues {
        let lambda = exp(theta)
        let m = channels[channels.startIndex]
        let values = m.withUnsafeBufferPointer { mp in
            withOutput(pairCount) { v in
                var q = 0
                while q < pairCount {
                    v[q] = exp(lambda * mp[q])
                    q += 1
                }
            }
        }
        guard gradients else { return KernelValues(values: values, gradients: []) }
        // ∂k/∂θ = k · λ m.
        let g = values.withUnsafeBufferPointer { v in
            m.withUnsafeBufferPointer { mp in
                withOutput(pairCount) { g in
                    var q = 0
                    while q < pairCount {
                        g[q] = v[q] * lambda * mp[q]
                        q += 1
                    }
                }
            }
        }
        return KernelValues(values: values, gradients: [g])
    }

    public var description: String {
        "Categorical(dims \(dimensions), λ = \(String(format: "%.4g", exp(theta))))"
    }
}

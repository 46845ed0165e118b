import Foundation

/// The squared-exponential kernel k(x, y) = exp(−Σ_d (x_d − y_d)² / ℓ_d) on a slice of dimensions.
///
/// This is the reference's parameterisation: ℓ = e^θ divides the squared distance directly, so
/// ℓ equals 2σ² for the textbook form exp(−r²/2σ²). Isotropic (one ℓ for the whole slice, as in
/// the reference) or ARD (one ℓ per dimension, when context dimensions differ in relevance).
/// There is no amplitude; multiply by a `ConstantKernel` for one.
public struct RBFKernel: Kernel {
    /// The input dimensions this kernel reads.
    public let dimensions: [Int]
    /// One length-scale per dimension instead of one for all.
    public let ard: Bool
    private var theta: [Double]

    /// - Parameters:
    ///   - dimensions: the slice of input dimensions.
    ///   - ard: automatic relevance determination (one length-scale per dimension).
    ///   - logLengthScale: initial θ = log ℓ for every length-scale.
    public init(dimensions: [Int], ard: Bool = false, logLengthScale: Double = 0) {
        self.dimensions = dimensions
        self.ard = ard
        theta = [Double](repeating: logLengthScale, count: ard ? dimensions.count : 1)
    }

    public init(dimensions: Range<Int>, ard: Bool = false, logLengthScale: Double = 0) {
        self.init(dimensions: Array(dimensions), ard: ard, logLengthScale: logLengthScale)
    }

    public var parameterCount: Int { theta.count }
    public var logParameters: [Double] {
        get { theta }
        set {
            precondition(newValue.count == theta.count, "RBFKernel: \(newValue.count) parameters, expected \(theta.count)")
            theta = newValue
        }
    }
    public var parameterNames: [String] {
        ard ? dimensions.map { "log ℓ[\($0)]" } : ["log ℓ"]
    }
    public var featureChannelCount: Int { ard ? dimensions.count : 1 }

    public func appendFeatures(of pairs: PairSet, to channels: inout [[Double]]) {
        if ard {
            for d in dimensions { channels.append(pairs.channel(dimensions: [d], measure: .squaredDistance)) }
        } else {
            channels.append(pairs.channel(dimensions: dimensions, measure: .squaredDistance))
        }
    }

    public func evaluate(channels: ArraySlice<[Double]>, pairCount: Int, gradients: Bool) -> KernelValues {
        let inverseScales = theta.map { exp(-$0) }
        let base = channels.startIndex
        // exponent = −Σ_c D_c / ℓ_c; k = exp(exponent); ∂k/∂θ_c = k · D_c / ℓ_c.
        var exponent = [Double](repeating: 0, count: pairCount)
        exponent.withUnsafeMutableBufferPointer { e in
            for c in 0..<theta.count {
                let s = inverseScales[c]
                channels[base + c].withUnsafeBufferPointer { d in
                    var q = 0
                    while q < pairCount {
                        e[q] -= d[q] * s
                        q += 1
                    }
                }
            }
        }
        let values = exponent.withUnsafeBufferPointer { e in
            withOutput(pairCount) { v in
                var q = 0
                while q < pairCount {
                    v[q] = exp(e[q])
                    q += 1
                }
            }
        }
        guard gradients else { return KernelValues(values: values, gradients: []) }
        var grads: [[Double]] = []
        grads.reserveCapacity(theta.count)
        values.withUnsafeBufferPointer { v in
            for c in 0..<theta.count {
                let s = inverseScales[c]
                grads.append(channels[base + c].withUnsafeBufferPointer { d in
                    withOutput(pairCount) { g in
                        var q = 0
                        while q < pairCount {
                            g[q] = v[q] * d[q] * s
                            q += 1
                        }
                    }
                })
            }
        }
        return KernelValues(values: values, gradients: grads)
    }

    public var description: String {
        let ls = theta.map { String(format: "%.4g", exp($0)) }.joined(separator: ", ")
        return "RBF\(ard ? "-ARD" : "")(dims \(dimensions), ℓ = [\(ls)])"
    }
}

/// The product k₁ · k₂ of two kernels (positive definite by the Schur product theorem).
///
/// Parameters and feature channels are k₁'s followed by k₂'s; ∂(k₁k₂)/∂θ = (∂k₁/∂θ) k₂ for θ of k₁.
public struct ProductKernel: BinaryKernel {
    public var first: any Kernel
    public var second: any Kernel

    public init(_ first: any Kernel, _ second: any Kernel) {
        self.first = first
        self.second = second
    }

    public func evaluate(channels: ArraySlice<[Double]>, pairCount: Int, gradients: Bool) -> KernelValues {
        let (a, b) = evaluateParts(channels: channels, pairCount: pairCount, gradients: gradients)
        let values = multiply(a.values, b.values, pairCount)
        guard gradients else { return KernelValues(values: values, gradients: []) }
        return KernelValues(values: values,
                            gradients: a.gradients.map { multiply($0, b.values, pairCount) }
                                + b.gradients.map { multiply($0, a.values, pairCount) })
    }

    public var description: String { "\(first) × \(second)" }
}

/// The sum k₁ + k₂ of two kernels. Parameters and channels are k₁'s followed by k₂'s.
public struct SumKernel: BinaryKernel {
    public var first: any Kernel
    public var second: any Kernel

    public init(_ first: any Kernel, _ second: any Kernel) {
        self.first = first
        self.second = second
    }

    public func evaluate(channels: ArraySlice<[Double]>, pairCount: Int, gradients: Bool) -> KernelValues {
        let (a, b) = evaluateParts(channels: channels, pairCount: pairCount, gradients: gradients)
        let values = a.values.withUnsafeBufferPointer { x in
            b.values.withUnsafeBufferPointer { y in
                withOutput(pairCount) { v in
                    var q = 0
                    while q < pairCount {
                        v[q] = x[q] + y[q]
                        q += 1
                    }
                }
            }
        }
        return KernelValues(values: values, gradients: a.gradients + b.gradients)
    }

    public var description: String { "(\(first) + \(second))" }
}

/// A kernel built from two others: parameters and feature channels are the first's followed
/// by the second's; only how the two values combine differs.
public protocol BinaryKernel: Kernel {
    var first: any Kernel { get set }
    var second: any Kernel { get set }
}

extension BinaryKernel {
    public var parameterCount: Int { first.parameterCount + second.parameterCount }
    public var logParameters: [Double] {
        get { first.logParameters + second.logParameters }
        set {
            precondition(newValue.count == parameterCount, "\(Self.self): \(newValue.count) parameters, expected \(parameterCount)")
            first.logParameters = Array(newValue[0..<first.parameterCount])
            second.logParameters = Array(newValue[first.parameterCount...])
        }
    }
    public var parameterNames: [String] { first.parameterNames + second.parameterNames }
    public var featureChannelCount: Int { first.featureChannelCount + second.featureChannelCount }

    public func appendFeatures(of pairs: PairSet, to channels: inout [[Double]]) {
        first.appendFeatures(of: pairs, to: &channels)
        second.appendFeatures(of: pairs, to: &channels)
    }

    /// Both parts evaluated on their own channels.
    func evaluateParts(channels: ArraySlice<[Double]>, pairCount: Int, gradients: Bool) -> (KernelValues, KernelValues) {
        let split = channels.startIndex + first.featureChannelCount
        return (first.evaluate(channels: channels[..<split], pairCount: pairCount, gradients: gradients),
                second.evaluate(channels: channels[split...], pairCount: pairCount, gradients: gradients))
    }
}

extension Kernel {
    /// self · other. (Methods rather than `*`/`+` operators: extra global overloads of the
    /// arithmetic operators would slow type-checking of every numeric expression in importing files.)
    public func times(_ other: any Kernel) -> ProductKernel { ProductKernel(self, other) }

    /// self + other.
    public func plus(_ other: any Kernel) -> SumKernel { SumKernel(self, other) }
}

private func multiply(_ x: [Double], _ y: [Double], _ count: Int) -> [Double] {
    x.withUnsafeBufferPointer { xp in
        y.withUnsafeBufferPointer { yp in
            withOutput(count) { v in
                var q = 0
                while q < count {
                    v[q] = xp[q] * yp[q]
                    q += 1
                }
            }
        }
    }
}

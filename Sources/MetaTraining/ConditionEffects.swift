import PINN

/// What a study has learned about each interface condition: the model's predicted change in
/// log₁₀ error when the condition is switched on, averaged over the 256 arms without it
/// (Δ_k(s) = −mean_a [μ(a ∪ {k}, s) − μ(a, s)], μ the posterior mean reward), along one
/// parameter of the family with the others at the middle of their ranges. Negative: the
/// condition lowers the error.
public struct ConditionEffects: Sendable {
    /// The parameter varied.
    public let parameter: String
    public let values: [Double]
    /// `change[k][i]`: the predicted change in log₁₀ error from condition k at `values[i]`.
    public let change: [[Double]]

    /// - Parameters:
    ///   - parameter: index of the parameter to vary (the others sit at the middle of their ranges).
    ///   - points: how many values across its range (≥ 2).
    public init(model: StudyModel, parameter: Int, points: Int = 9) {
        let family = model.settings.family
        let p = family.parameters[parameter]
        let middle = family.parameters.map { ($0.range.lowerBound + $0.range.upperBound) / 2 }
        let n = max(points, 2)
        values = (0..<n).map { p.range.lowerBound + (p.range.upperBound - p.range.lowerBound) * Double($0) / Double(n - 1) }
        self.parameter = p.name
        var change = [[Double]](repeating: [Double](repeating: 0, count: n), count: InterfaceCondition.allCases.count)
        for (i, v) in values.enumerated() {
            var x = middle
            x[parameter] = v
            let mean = model.predictedRewards(context: ParameterValues(names: family.parameters.map(\.name), values: x))
            for c in InterfaceCondition.allCases {
                let pairs = InterfaceArm.everyArm.filter { !$0.contains(c) }
                let gain = pairs.map { mean[Int(InterfaceArm($0.conditions + [c]).mask)] - mean[Int($0.mask)] }.reduce(0, +)
                change[c.rawValue][i] = -gain / Double(pairs.count)
            }
        }
        self.change = change
    }
}

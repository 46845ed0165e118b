import MetalicCore
import Sampling

/// The range of PDE parameters s of a family, with the standardisation the GP sees.
///
/// Contexts are standardised per dimension with the mean and standard deviation of a fixed
/// design over the range (docs/BANDITS.md): a linspace for a 1-D range, a Latin hypercube sample for a
/// multi-dimensional one. The statistics depend only on the range (and the design's seed), not
/// on the contexts drawn so far, so a model can be rebuilt from its history exactly.
public struct ContextSpace: Codable, Sendable, Equatable {
    /// The parameters' names, in the order of a context's values.
    public let names: [String]
    public let lower: [Double]
    public let upper: [Double]
    /// Per-dimension mean and standard deviation of the design (a degenerate dimension gets scale 1).
    public let mean: [Double]
    public let scale: [Double]

    /// - Parameters:
    ///   - designPoints: size of the linspace / Latin hypercube used for the statistics.
    ///   - seed: seed of the Latin hypercube (multi-dimensional ranges only).
    public init(parameters: [FamilyParameter], designPoints: Int = 100, seed: UInt64 = 0) {
        self.init(names: parameters.map(\.name), lower: parameters.map(\.range.lowerBound),
                  upper: parameters.map(\.range.upperBound), designPoints: designPoints, seed: seed)
    }

    /// A box of anonymous parameters named s1, s2, … (synthetic problems).
    public init(lower: [Double], upper: [Double], designPoints: Int = 100, seed: UInt64 = 0) {
        self.init(names: (0..<lower.count).map { "s\($0 + 1)" }, lower: lower, upper: upper,
                  designPoints: designPoints, seed: seed)
    }

    private init(names: [String], lower: [Double], upper: [Double], designPoints: Int, seed: UInt64) {
        precondition(lower.count == upper.count && !lower.isEmpty, "ContextSpace: bounds of different or zero dimension")
        self.names = names
        precondition(zip(lower, upper).allSatisfy { $0 <= $1 }, "ContextSpace: lower bound above upper bound")
        precondition(designPoints >= 2, "ContextSpace: need at least 2 design points")
        self.lower = lower
        self.upper = upper
        let d = lower.count
        let points: [Double]
        if d == 1 {
            let step = (upper[0] - lower[0]) / Double(designPoints - 1)
            points = (0..<designPoints).map { lower[0] + Double($0) * step }
        } else {
            var rng = SeededGenerator(seed: seed)
            points = LatinHypercube.sample(count: designPoints, lower: lower, upper: upper, using: &rng)
        }
        var mean = [Double](repeating: 0, count: d)
        var scale = [Double](repeating: 0, count: d)
        for k in 0..<d {
            var s = 0.0
            for i in 0..<designPoints { s += points[i * d + k] }
            let m = s / Double(designPoints)
            var v = 0.0
            for i in 0..<designPoints { v += (points[i * d + k] - m) * (points[i * d + k] - m) }
            let sd = (v / Double(designPoints)).squareRoot()
            mean[k] = m
            scale[k] = sd > 0 ? sd : 1
        }
        self.mean = mean
        self.scale = scale
    }

    /// Convenience for a one-parameter family.
    public init(lower: Double, upper: Double, designPoints: Int = 100) {
        self.init(lower: [lower], upper: [upper], designPoints: designPoints)
    }

    public var dimension: Int { lower.count }

    /// A context drawn uniformly from the box.
    public func sample(using rng: inout SeededGenerator) -> ParameterValues {
        context((0..<dimension).map { lower[$0] + (upper[$0] - lower[$0]) * rng.uniform() })
    }

    /// The context with these values, in the order of `names`.
    public func context(_ values: [Double]) -> ParameterValues {
        ParameterValues(names: names, values: values)
    }

    /// (s − mean) / scale, per dimension: the GP's context input.
    public func standardise(_ s: ParameterValues) -> [Double] {
        precondition(s.names == names, "ContextSpace.standardise: context \(s) is not over the parameters \(names)")
        return (0..<dimension).map { (s.values[$0] - mean[$0]) / scale[$0] }
    }
}

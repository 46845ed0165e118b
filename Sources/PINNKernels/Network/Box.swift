/// An axis-aligned box [lower₁, upper₁] × ⋯ × [lower_d, upper_d].
///
/// Boxes are written in families (domains, subdomain pieces), so the initialiser takes any
/// bounds and `PDEFamily.validate` reports boxes that are not `isValid`.
public struct Box: Hashable, Sendable, Codable, CustomStringConvertible {
    public var lower: [Double]
    public var upper: [Double]

    /// - Parameters: bounds of the same dimension with lower < upper, all finite (see `isValid`).
    public init(lower: [Double], upper: [Double]) {
        self.lower = lower
        self.upper = upper
    }

    /// Bounds of `dimension` coordinates, finite, and lower < upper along each.
    public func isValid(dimension: Int) -> Bool {
        lower.count == dimension && upper.count == dimension
            && zip(lower, upper).allSatisfy { $0.isFinite && $1.isFinite && $0 < $1 }
    }

    public var dimension: Int { lower.count }

    public func contains(_ point: [Double], tolerance: Double = 0) -> Bool {
        zip(point, zip(lower, upper)).allSatisfy { $0 >= $1.0 - tolerance && $0 <= $1.1 + tolerance }
    }

    /// The smallest box containing both.
    public func union(_ other: Box) -> Box {
        Box(lower: zip(lower, other.lower).map { Swift.min($0, $1) }, upper: zip(upper, other.upper).map { Swift.max($0, $1) })
    }

    public var description: String {
        zip(lower, upper).map { "[\($0), \($1)]" }.joined(separator: "×")
    }
}

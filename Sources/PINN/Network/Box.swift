/// An axis-aligned box [lower₁, upper₁] × ⋯ × [lower_d, upper_d].
public struct Box: Hashable, Sendable, Codable, CustomStringConvertible {
    public var lower: [Double]
    public var upper: [Double]

    public init(lower: [Double], upper: [Double]) {
        precondition(lower.count == upper.count, "Box: bounds of different dimension")
        precondition(zip(lower, upper).allSatisfy { $0 < $1 }, "Box: empty box \(lower)…\(upper)")
        self.lower = lower
        self.upper = upper
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

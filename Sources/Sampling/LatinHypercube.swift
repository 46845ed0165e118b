/// Latin hypercube sampling in an axis-aligned box.
public enum LatinHypercube {
    /// `count` points in the box `lower...upper` (one entry per dimension), one point in each of
    /// `count` equal strata of every axis, strata paired by independent random permutations.
    /// - Returns: points in row-major order, `count × lower.count`.
    public static func sample(count: Int, lower: [Double], upper: [Double], using rng: inout SeededGenerator) -> [Double] {
        precondition(lower.count == upper.count, "LatinHypercube: bounds of different dimension")
        let d = lower.count
        var points = [Double](repeating: 0, count: count * d)
        guard count > 0 else { return points }
        for k in 0..<d {
            var strata = Array(0..<count)
            strata.shuffle(using: &rng)
            let width = (upper[k] - lower[k]) / Double(count)
            for i in 0..<count {
                points[i * d + k] = lower[k] + (Double(strata[i]) + rng.uniform()) * width
            }
        }
        return points
    }
}

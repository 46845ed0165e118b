import Foundation

/// A one-dimensional axis: data limits, linear or log10 scale, ticks and their labels.
public struct Axis: Sendable {
    /// Lower and upper data limits of the axis (positive when `isLog`).
    public var lower: Double
    public var upper: Double
    public var isLog: Bool
    public var ticks: [Double]
    public var labels: [String]
    public var minorTicks: [Double]

    /// Linear axis whose limits are widened to the covering nice ticks.
    public static func linearCovering(min lo: Double, max hi: Double, targetCount: Int = 6) -> Axis {
        let (ticks, step) = Ticks.linear(min: lo, max: hi, targetCount: targetCount)
        return Axis(lower: ticks.first!, upper: ticks.last!, isLog: false, ticks: ticks,
                    labels: Ticks.labels(ticks, step: step), minorTicks: [])
    }

    /// Linear axis with exactly the given limits; ticks are the nice ticks inside them.
    public static func linearTight(min lo: Double, max hi: Double, targetCount: Int = 6) -> Axis {
        var (a, b) = Ticks.sanitize(lo, hi)
        if a == b {
            let pad = a == 0 ? 0.5 : abs(a) * 0.05
            a -= pad; b += pad
        }
        let (ticks, step) = Ticks.linearInside(min: a, max: b, targetCount: targetCount)
        return Axis(lower: a, upper: b, isLog: false, ticks: ticks,
                    labels: Ticks.labels(ticks, step: step), minorTicks: [])
    }

    /// Log10 axis whose limits are the covering powers of ten.
    public static func logCovering(min lo: Double, max hi: Double, maxCount: Int = 8) -> Axis {
        let ticks = Ticks.powersOfTen(min: lo, max: hi, maxCount: maxCount)
        let lower = ticks.first!, upper = ticks.last!
        let decadeStride = ticks.count >= 2 ? Foundation.log10(ticks[1] / ticks[0]) : 1
        let minor = decadeStride < 1.5 && ticks.count <= 9 ? Ticks.powersOfTenMinor(min: lower, max: upper) : []
        return Axis(lower: lower, upper: upper, isLog: true, ticks: ticks,
                    labels: ticks.map(Ticks.logLabel), minorTicks: minor)
    }

    func transform(_ v: Double) -> Double { isLog ? Foundation.log10(v) : v }

    /// Position of `v` along the axis as a fraction of its length (0 at `lower`, 1 at `upper`).
    /// NaN for values that cannot be placed (NaN, or non-positive on a log axis).
    public func fraction(_ v: Double) -> Double {
        if isLog && !(v > 0) { return .nan }
        let a = transform(lower), b = transform(upper)
        guard b != a else { return 0.5 }
        return (transform(v) - a) / (b - a)
    }

    /// Inverse of `fraction`.
    public func value(atFraction f: Double) -> Double {
        let a = transform(lower), b = transform(upper)
        let t = a + f * (b - a)
        return isLog ? pow(10, t) : t
    }
}

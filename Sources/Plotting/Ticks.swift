import Foundation

/// Tick placement ("nice numbers", after Heckbert's Graphics Gems algorithm) and tick labels.
public enum Ticks {
    /// A "nice" number close to `x` > 0: 1, 2, 5 or 10 times a power of ten. With `round` the
    /// nearest such number, otherwise the smallest one that is >= x.
    public static func niceNumber(_ x: Double, round: Bool) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let exponent = floor(log10(x))
        let power = pow(10, exponent)
        let f = x / power
        let nice: Double
        if round {
            if f < 1.5 { nice = 1 } else if f < 3 { nice = 2 } else if f < 7 { nice = 5 } else { nice = 10 }
        } else {
            if f <= 1 { nice = 1 } else if f <= 2 { nice = 2 } else if f <= 5 { nice = 5 } else { nice = 10 }
        }
        return nice * power
    }

    /// Evenly spaced round ticks covering `min...max`: the first tick is <= min, the last >= max,
    /// and the spacing is 1, 2 or 5 times a power of ten. About `targetCount` ticks.
    /// Degenerate or non-finite ranges are widened to something sensible.
    public static func linear(min lo: Double, max hi: Double, targetCount: Int = 6) -> (ticks: [Double], step: Double) {
        var (a, b) = sanitize(lo, hi)
        if a == b {
            let pad = a == 0 ? 1 : abs(a) * 0.1
            a -= pad; b += pad
        }
        let n = Swift.max(2, targetCount)
        let range = niceNumber(b - a, round: false)
        var step = niceNumber(range / Double(n - 1), round: true)
        // Guard against floating-point degeneracy (e.g. a range far below the value's ulp).
        if !(step > 0) || (b - a) / step > 1000 { step = (b - a) / Double(n - 1) }
        let first = floor(a / step + 1e-9)
        let last = ceil(b / step - 1e-9)
        var ticks: [Double] = []
        var k = first
        while k <= last && ticks.count < 1000 {
            var v = k * step
            if abs(v) < step * 1e-9 { v = 0 }
            ticks.append(v)
            k += 1
        }
        if ticks.count < 2 { ticks = [first * step, (first + 1) * step] }
        return (ticks, step)
    }

    /// Ticks of `linear(min:max:)` restricted to those inside `min...max` (up to rounding);
    /// used for axes whose limits are the data limits (heatmaps, colour bars).
    public static func linearInside(min lo: Double, max hi: Double, targetCount: Int = 6) -> (ticks: [Double], step: Double) {
        let (a, b) = sanitize(lo, hi)
        let (all, step) = linear(min: a, max: b, targetCount: targetCount)
        let eps = step * 1e-6
        return (all.filter { $0 >= a - eps && $0 <= b + eps }, step)
    }

    /// Powers of ten covering `min...max` (both > 0): the first is <= min, the last >= max.
    /// When the range spans more than `maxCount` decades, every k-th decade is used.
    public static func powersOfTen(min lo: Double, max hi: Double, maxCount: Int = 8) -> [Double] {
        let (lowExp, highExp, stride) = logExponents(min: lo, max: hi, maxCount: maxCount)
        var ticks: [Double] = []
        var e = lowExp
        while e <= highExp {
            ticks.append(pow(10, Double(e)))
            e += stride
        }
        return ticks
    }

    /// Decade exponents used by `powersOfTen(min:max:)`: (lowest, highest, stride).
    static func logExponents(min lo: Double, max hi: Double, maxCount: Int) -> (Int, Int, Int) {
        var a = lo, b = hi
        if !(a > 0) || !a.isFinite { a = (b > 0 && b.isFinite) ? b / 10 : 1 }
        if !(b > 0) || !b.isFinite { b = a * 10 }
        if a > b { swap(&a, &b) }
        var low = Int(floor(Foundation.log10(a) + 1e-9))
        var high = Int(ceil(Foundation.log10(b) - 1e-9))
        low = Swift.max(-320, Swift.min(308, low))
        high = Swift.max(-320, Swift.min(308, high))
        if high <= low { high = low + 1 }
        let decades = high - low
        let stride = Swift.max(1, Int(ceil(Double(decades) / Double(Swift.max(1, maxCount - 1)))))
        // Align to multiples of the stride so the labels read 1e-6, 1e-4, ... rather than odd steps.
        if stride > 1 {
            low = Int(floor(Double(low) / Double(stride))) * stride
            high = Int(ceil(Double(high) / Double(stride))) * stride
        }
        return (low, high, stride)
    }

    /// Minor ticks (2...9 times each power of ten) inside `min...max`.
    public static func powersOfTenMinor(min lo: Double, max hi: Double) -> [Double] {
        guard lo > 0, hi > lo, lo.isFinite, hi.isFinite else { return [] }
        let low = Int(floor(Foundation.log10(lo))), high = Int(ceil(Foundation.log10(hi)))
        guard high - low <= 12 else { return [] }
        var out: [Double] = []
        for e in low...high {
            let p = pow(10, Double(e))
            for m in 2...9 {
                let v = Double(m) * p
                if v >= lo && v <= hi { out.append(v) }
            }
        }
        return out
    }

    /// Label for a linear tick given the tick spacing: enough decimals to tell ticks apart,
    /// scientific notation ("2.5e-5") for very small or very large magnitudes.
    public static func label(_ value: Double, step: Double, magnitude: Double? = nil) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        let step = (step > 0 && step.isFinite) ? step : Swift.max(abs(value), 1)
        if abs(value) < step * 1e-6 { return "0" }
        let mag = Swift.max(magnitude ?? abs(value), abs(value))
        let stepExp = Int(floor(Foundation.log10(step) + 1e-9))
        if mag >= 1e5 || stepExp < -4 {
            let e = Int(floor(Foundation.log10(abs(value)) + 1e-9))
            let digits = Swift.max(0, Swift.min(6, e - stepExp))
            var mantissa = value / pow(10, Double(e))
            var exp = e
            // Rounding may produce 10.0: renormalise.
            let rounded = (mantissa * pow(10, Double(digits))).rounded() / pow(10, Double(digits))
            if abs(rounded) >= 10 { mantissa /= 10; exp += 1 }
            return String(format: "%.\(digits)fe%d", mantissa, exp)
        }
        let decimals = Swift.max(0, -stepExp)
        let s = String(format: "%.\(decimals)f", value)
        return s == "-0" ? "0" : s
    }

    /// Labels for a list of linear ticks.
    public static func labels(_ ticks: [Double], step: Double) -> [String] {
        let mag = ticks.map { abs($0) }.max() ?? 0
        return ticks.map { label($0, step: step, magnitude: mag) }
    }

    /// Label for a power-of-ten tick: "1", "10", "100", otherwise "1e-3", "1e5", ...
    public static func logLabel(_ value: Double) -> String {
        guard value > 0, value.isFinite else { return "\(value)" }
        let e = Int(Foundation.log10(value).rounded())
        switch e {
        case 0: return "1"
        case 1: return "10"
        case 2: return "100"
        default: return "1e\(e)"
        }
    }

    static func sanitize(_ lo: Double, _ hi: Double) -> (Double, Double) {
        var a = lo, b = hi
        if !a.isFinite && !b.isFinite { return (0, 1) }
        if !a.isFinite { a = b }
        if !b.isFinite { b = a }
        if a > b { swap(&a, &b) }
        return (a, b)
    }
}

/// A multi-index α = (α₁, …, α_d) naming the partial derivative ∂^α = ∂^{α₁}/∂x₁^{α₁} ⋯ ∂^{α_d}/∂x_d^{α_d}.
///
/// Coordinates are called (x, y) in two dimensions (y is t for time-dependent families);
/// the type itself works in any dimension.
public struct MultiIndex: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var orders: [Int]

    /// - Parameter orders: non-negative (a family's multi-indices are checked by `PDEFamily.validate`).
    public init(_ orders: [Int]) {
        self.orders = orders
    }

    /// The zero multi-index (the value u itself) in `dimension` variables.
    public static func zero(dimension: Int) -> MultiIndex { MultiIndex(Array(repeating: 0, count: dimension)) }

    /// The unit multi-index e_k: the first derivative along coordinate k.
    public static func unit(_ k: Int, dimension: Int) -> MultiIndex {
        var o = Array(repeating: 0, count: dimension)
        o[k] = 1
        return MultiIndex(o)
    }

    public var dimension: Int { orders.count }
    /// |α| = Σ αᵢ, the total order.
    public var order: Int { orders.reduce(0, +) }
    /// α! = Π αᵢ!, the factor between a Taylor coefficient and the partial derivative.
    public var factorial: Double { orders.reduce(1.0) { acc, k in acc * (1...max(1, k)).reduce(1.0) { $0 * Double($1) } } }
    public var isZero: Bool { orders.allSatisfy { $0 == 0 } }

    public static func + (a: MultiIndex, b: MultiIndex) -> MultiIndex {
        MultiIndex(zip(a.orders, b.orders).map { $0 + $1 })
    }

    /// α − β if β ≤ α componentwise, else nil.
    public func subtracting(_ b: MultiIndex) -> MultiIndex? {
        let d = zip(orders, b.orders).map { $0 - $1 }
        return d.allSatisfy { $0 >= 0 } ? MultiIndex(d) : nil
    }

    /// Every β ≤ α componentwise (the indices a Taylor coefficient of order α depends on).
    public var downwardClosure: Set<MultiIndex> {
        var result: Set<MultiIndex> = [MultiIndex.zero(dimension: dimension)]
        for k in 0..<dimension {
            var next = Set<MultiIndex>()
            for m in result {
                for j in 0...orders[k] {
                    var o = m.orders
                    o[k] = j
                    next.insert(MultiIndex(o))
                }
            }
            result = next
        }
        return result
    }

    /// Ordered by total order first, then lexicographically with the first coordinate slowest,
    /// so that every index comes after the indices it is built from.
    public static func < (a: MultiIndex, b: MultiIndex) -> Bool {
        if a.order != b.order { return a.order < b.order }
        return a.orders.lexicographicallyPrecedes(b.orders, by: >)
    }

    /// `u`, `u_x`, `u_xy`, `u_yy` … in two or three variables (x, y, z); `u_(1,0,2,1)` beyond.
    public var description: String {
        if isZero { return "u" }
        let names = ["x", "y", "z"]
        guard dimension <= names.count, orders.allSatisfy({ $0 >= 0 }) else { return "u_(" + orders.map(String.init).joined(separator: ",") + ")" }
        var s = "u_"
        for (k, n) in orders.enumerated() { s += String(repeating: names[k], count: n) }
        return s
    }
}

extension MultiIndex {
    /// Shorthands in two variables (x, y).
    public static func xy(_ x: Int, _ y: Int) -> MultiIndex { MultiIndex([x, y]) }
}

/// A pointwise expression in the partial derivatives of one network's output u — how PDE
/// residuals, fluxes and interface quantities are written.
///
/// `DerivativeExpression.u(.xy(1, 0))` is u_x; `u_t + β u_x` is
/// `.u(.xy(0, 1)) + beta * .u(.xy(1, 0))`. Known functions of the point (coordinates, source
/// terms, boundary data) enter as `KnownField`s. Expressions can be differentiated symbolically
/// along a coordinate (for the gradient-of-residual condition), and they know which partial
/// derivatives they need, so a point set requests exactly those.
public indirect enum DerivativeExpression: Sendable {
    case derivative(MultiIndex)
    case constant(Double)
    case field(KnownField)
    case sum(DerivativeExpression, DerivativeExpression)
    case product(DerivativeExpression, DerivativeExpression)

    /// ∂^α u.
    public static func u(_ alpha: MultiIndex) -> DerivativeExpression { .derivative(alpha) }

    /// The value u in `dimension` variables.
    public static func value(dimension: Int = 2) -> DerivativeExpression { .derivative(.zero(dimension: dimension)) }

    /// The partial derivatives of u this expression reads.
    public var derivatives: Set<MultiIndex> {
        switch self {
        case .derivative(let m): return [m]
        case .constant, .field: return []
        case .sum(let a, let b), .product(let a, let b): return a.derivatives.union(b.derivatives)
        }
    }

    /// The known fields the expression contains.
    var fields: [KnownField] {
        switch self {
        case .derivative, .constant: return []
        case .field(let f): return [f]
        case .sum(let a, let b), .product(let a, let b): return a.fields + b.fields
        }
    }

    /// ∂/∂x_k of the expression (product rule; known fields supply their own derivatives).
    public func differentiated(along k: Int) -> DerivativeExpression {
        switch self {
        case .derivative(let m):
            return .derivative(m + .unit(k, dimension: m.dimension))
        case .constant:
            return .constant(0)
        case .field(let f):
            return .field(f.differentiated(along: k))
        case .sum(let a, let b):
            return a.differentiated(along: k) + b.differentiated(along: k)
        case .product(let a, let b):
            return a.differentiated(along: k) * b + a * b.differentiated(along: k)
        }
    }

    /// The expression's value at one point, given ∂^α u there (used by tests and plotting).
    public func evaluate(at point: [Double], derivative: (MultiIndex) -> Double) -> Double {
        switch self {
        case .derivative(let m): return derivative(m)
        case .constant(let c): return c
        case .field(let f): return f.value(at: point)
        case .sum(let a, let b): return a.evaluate(at: point, derivative: derivative) + b.evaluate(at: point, derivative: derivative)
        case .product(let a, let b): return a.evaluate(at: point, derivative: derivative) * b.evaluate(at: point, derivative: derivative)
        }
    }

    var isZeroConstant: Bool {
        if case .constant(0) = self { return true }
        return false
    }

    public static func + (a: DerivativeExpression, b: DerivativeExpression) -> DerivativeExpression {
        if a.isZeroConstant { return b }
        if b.isZeroConstant { return a }
        return .sum(a, b)
    }

    public static func * (a: DerivativeExpression, b: DerivativeExpression) -> DerivativeExpression {
        if a.isZeroConstant || b.isZeroConstant { return .constant(0) }
        if case .constant(1) = a { return b }
        if case .constant(1) = b { return a }
        return .product(a, b)
    }

    public static func - (a: DerivativeExpression, b: DerivativeExpression) -> DerivativeExpression { a + (-1) * b }
    public static prefix func - (a: DerivativeExpression) -> DerivativeExpression { (-1) * a }
    public static func * (c: Double, a: DerivativeExpression) -> DerivativeExpression { .constant(c) * a }
    public static func + (a: DerivativeExpression, c: Double) -> DerivativeExpression { a + .constant(c) }
    public static func - (a: DerivativeExpression, c: Double) -> DerivativeExpression { a + .constant(-c) }
}

/// A known function of the point — a coordinate, a source term, boundary data — with its
/// partial derivatives, so that expressions containing it can be differentiated exactly.
public struct KnownField: Sendable {
    public let name: String
    /// The multi-index of the derivative this field currently stands for.
    public let order: MultiIndex
    private let function: @Sendable (_ point: [Double], _ derivative: MultiIndex) -> Double

    /// - Parameter function: ∂^α f at a point, for any α the expression may need (the gradient
    ///   of a residual asks for one order more than the residual itself).
    public init(name: String, dimension: Int, _ function: @escaping @Sendable (_ point: [Double], _ derivative: MultiIndex) -> Double) {
        self.name = name
        self.order = .zero(dimension: dimension)
        self.function = function
    }

    private init(name: String, order: MultiIndex, function: @escaping @Sendable ([Double], MultiIndex) -> Double) {
        self.name = name
        self.order = order
        self.function = function
    }

    public func value(at point: [Double]) -> Double { function(point, order) }

    public func differentiated(along k: Int) -> KnownField {
        KnownField(name: name, order: order + .unit(k, dimension: order.dimension), function: function)
    }

    /// The coordinate x_k as a field.
    public static func coordinate(_ k: Int, dimension: Int = 2) -> KnownField {
        KnownField(name: "x\(k)", dimension: dimension) { point, alpha in
            if alpha.isZero { return point[k] }
            return alpha == .unit(k, dimension: dimension) ? 1 : 0
        }
    }
}

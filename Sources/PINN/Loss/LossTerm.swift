/// One term of a multi-network PINN loss: `weight · mean_p (Σ_j c_j · e_j(p) − target(p))²`.
///
/// Each component evaluates an expression of one network's derivatives on one of that
/// network's point sets; all components of a term use point sets of the same size, paired
/// point by point. This one shape covers boundary fits (u − g), residuals (f), and every
/// interface condition (u₁ − u₂, f₁ − f₂, F₁ − F₂ …), as well as periodicity (u(0,t) − u(L,t)).
public struct LossTerm: Sendable {
    public struct Component: Sendable {
        public var network: Int
        public var pointSet: Int
        public var expression: DerivativeExpression
        public var coefficient: Double

        public init(network: Int, pointSet: Int, expression: DerivativeExpression, coefficient: Double = 1) {
            self.network = network
            self.pointSet = pointSet
            self.expression = expression
            self.coefficient = coefficient
        }
    }

    public var name: String
    public var weight: Double
    public var components: [Component]
    /// Values subtracted at each point (e.g. boundary data); nil means zero.
    public var target: [Double]?

    public init(name: String, weight: Double, components: [Component], target: [Double]? = nil) {
        self.name = name
        self.weight = weight
        self.components = components
        self.target = target
    }
}

import ReferenceSolvers

/// One PDE instance set up for training: its networks, point sets, and the loss for any arm.
///
/// Point sets of network n are numbered: 0 collocation, 1 boundary data, then one per group of
/// periodic pairs with a side in the network (lower side, then upper side, in the order of
/// `TrainingSet.periodicPairs`), then one per interface the network borders (in decomposition
/// order).
public struct XPINNProblem: Sendable {
    public let family: any PDEFamily
    public let parameters: ParameterValues
    public let networks: [MLP]
    public let trainingSet: TrainingSet
    public let weights: LossWeights
    let pointSets: [[[Double]]]
    /// For each group of `trainingSet.periodicPairs`: the point-set number of its lower points
    /// on the lower network and of its upper points on the upper network.
    let periodicSets: [(Int, Int)]
    /// For each interface: the point-set number on its first and second network.
    let interfaceSets: [(Int, Int)]

    /// The family must have passed `validate` (as `XPINNSolver` ensures).
    public init(family: any PDEFamily, parameters: ParameterValues, trainingSet: TrainingSet,
                hiddenWidths: [Int] = [20, 20], weights: LossWeights = LossWeights()) {
        self.family = family
        self.parameters = parameters
        self.trainingSet = trainingSet
        self.weights = weights
        let decomposition = family.decomposition
        networks = decomposition.subdomains.map { MLP(widths: [2] + hiddenWidths + [1], inputBox: $0.boundingBox) }
        var sets = trainingSet.subdomains.map { [$0.collocation, $0.boundary] }
        var periodicSets = [(Int, Int)]()
        for pairs in trainingSet.periodicPairs {
            sets[pairs.lowerSubdomain].append(pairs.lower)
            let lowerSet = sets[pairs.lowerSubdomain].count - 1
            sets[pairs.upperSubdomain].append(pairs.upper)
            periodicSets.append((lowerSet, sets[pairs.upperSubdomain].count - 1))
        }
        self.periodicSets = periodicSets
        var interfaceSets = [(Int, Int)]()
        for i in decomposition.interfaces {
            let p = i.points
            sets[i.first].append(p)
            sets[i.second].append(p)
            interfaceSets.append((sets[i.first].count - 1, sets[i.second].count - 1))
        }
        pointSets = sets
        self.interfaceSets = interfaceSets
    }

    public var parameterCount: Int { networks.reduce(0) { $0 + $1.parameterCount } }

    /// The loss terms for an arm (docs/METHOD.md, docs/INTERFACE-CONDITIONS.md).
    public func terms(arm: InterfaceArm) -> [LossTerm] {
        typealias C = LossTerm.Component
        let f = family.residual(parameters)
        let u = DerivativeExpression.value()
        var terms = [LossTerm]()
        let pairGroups = trainingSet.periodicPairs
        let severalConditions = Set(pairGroups.map(\.condition)).count > 1
        for (n, sub) in trainingSet.subdomains.enumerated() {
            if !sub.collocation.isEmpty {
                terms.append(LossTerm(name: "residual[\(n)]", weight: weights.residual, components: [C(network: n, pointSet: 0, expression: f)]))
            }
            if !sub.boundary.isEmpty {
                terms.append(LossTerm(name: "boundary[\(n)]", weight: weights.boundary, components: [C(network: n, pointSet: 1, expression: u)],
                                      target: sub.boundaryValues))
            }
            // Each periodic condition with its own derivatives, after the network holding the
            // lower points; a pair may join two networks.
            for (pairs, (lowerSet, upperSet)) in zip(pairGroups, periodicSets) where pairs.lowerSubdomain == n && pairs.count > 0 {
                let b = pairs.upperSubdomain
                let networks = b == n ? "\(n)" : "\(n)|\(b)"
                let axis = severalConditions ? " \(axisName(pairs.axis))#\(pairs.condition)" : ""
                for m in pairs.derivatives {
                    terms.append(LossTerm(name: "periodic\(axis) \(m)[\(networks)]", weight: weights.boundary, components: [
                        C(network: n, pointSet: lowerSet, expression: .u(m)), C(network: b, pointSet: upperSet, expression: .u(m), coefficient: -1),
                    ]))
                }
            }
        }
        let w = weights.interface
        for (k, interface) in family.decomposition.interfaces.enumerated() {
            let (a, b) = (interface.first, interface.second)
            let (sa, sb) = interfaceSets[k]
            func difference(_ name: String, _ ea: DerivativeExpression, _ eb: DerivativeExpression, _ scale: Double = 1) -> LossTerm {
                LossTerm(name: "interface \(name)[\(a)|\(b)]", weight: w, components: [C(network: a, pointSet: sa, expression: ea, coefficient: scale),
                                                                            C(network: b, pointSet: sb, expression: eb, coefficient: -scale)])
            }
            func single(_ name: String, _ net: Int, _ set: Int, _ e: DerivativeExpression) -> LossTerm {
                LossTerm(name: "interface \(name)[\(net) at \(a)|\(b)]", weight: w, components: [C(network: net, pointSet: set, expression: e)])
            }
            let normal = interface.lines[0].normalAxis
            for c in arm.conditions {
                switch c {
                case .u: terms.append(difference("u", u, u))
                case .uavg:
                    // u₁ − ū = (u₁ − u₂)/2 and u₂ − ū = −(u₁ − u₂)/2: two means of the same square.
                    terms.append(difference("uavg 1", u, u, 0.5))
                    terms.append(difference("uavg 2", u, u, -0.5))
                case .residual:
                    terms.append(single("residual", a, sa, f))
                    terms.append(single("residual", b, sb, f))
                case .rc: terms.append(difference("rc", f, f))
                case .flux:
                    let flux = family.flux(parameters, normalAxis: normal)
                    terms.append(difference("flux", flux, flux))
                case .uyy: terms.append(difference("uyy", .u(.xy(0, 2)), .u(.xy(0, 2))))
                case .gres:
                    let fx = f.differentiated(along: 0), fy = f.differentiated(along: 1)
                    terms += [single("gres x", a, sa, fx), single("gres y", a, sa, fy), single("gres x", b, sb, fx), single("gres y", b, sb, fy)]
                case .ux: terms.append(difference("ux", .u(.xy(1, 0)), .u(.xy(1, 0))))
                case .uxx: terms.append(difference("uxx", .u(.xy(2, 0)), .u(.xy(2, 0))))
                }
            }
        }
        return terms
    }

    /// The loss for an arm, ready to optimise.
    public func loss(arm: InterfaceArm, parallel: Bool = true, precision: Precision = .float64) -> PINNLoss {
        PINNLoss(networks: networks, pointSets: pointSets, terms: terms(arm: arm), parallel: parallel, precision: precision)
    }
}

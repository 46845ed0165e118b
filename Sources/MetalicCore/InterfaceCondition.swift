/// The nine interface conditions, in the bit order of an arm. See docs/INTERFACE-CONDITIONS.md.
public enum InterfaceCondition: Int, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// mean (u₁ − u₂)²
    case u
    /// mean (u₁ − ū)² + mean (u₂ − ū)², ū = (u₁ + u₂)/2
    case uavg
    /// mean f₁² + mean f₂²
    case residual
    /// residual continuity: mean (f₁ − f₂)²
    case rc
    /// mean (F₁ − F₂)², F the family's flux across the interface
    case flux
    /// mean (u₁_yy − u₂_yy)²
    case uyy
    /// gradient of the residual (gPINN): mean f₁_x² + mean f₁_y² + mean f₂_x² + mean f₂_y²
    case gres
    /// mean (u₁_x − u₂_x)²
    case ux
    /// mean (u₁_xx − u₂_xx)²
    case uxx

    /// The name users type.
    public var name: String {
        switch self {
        case .u: return "u"
        case .uavg: return "uavg"
        case .residual: return "residual"
        case .rc: return "rc"
        case .flux: return "flux"
        case .uyy: return "uyy"
        case .gres: return "gres"
        case .ux: return "ux"
        case .uxx: return "uxx"
        }
    }

    public var description: String { name }

    public init?(name: String) {
        guard let c = InterfaceCondition.allCases.first(where: { $0.name == name }) else { return nil }
        self = c
    }

    /// A one-line formula, for listings.
    public var formula: String {
        switch self {
        case .u: return "mean (u1 - u2)^2"
        case .uavg: return "mean (u1 - uavg)^2 + mean (u2 - uavg)^2, uavg = (u1 + u2)/2"
        case .residual: return "mean f1^2 + mean f2^2"
        case .rc: return "mean (f1 - f2)^2"
        case .flux: return "mean (F1 - F2)^2, F the family's flux across the interface"
        case .uyy: return "mean (u1_yy - u2_yy)^2"
        case .gres: return "mean f1_x^2 + mean f1_y^2 + mean f2_x^2 + mean f2_y^2"
        case .ux: return "mean (u1_x - u2_x)^2"
        case .uxx: return "mean (u1_xx - u2_xx)^2"
        }
    }
}

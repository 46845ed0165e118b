/// Why a quadrature rule could not be built.
public enum QuadratureError: Error, Equatable, CustomStringConvertible {
    /// A rule needs at least one node.
    case invalidNodeCount(Int)

    public var description: String {
        switch self {
        case .invalidNodeCount(let n): return "a quadrature rule needs at least one node (asked for \(n))"
        }
    }
}

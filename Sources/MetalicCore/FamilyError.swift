/// Errors a user can cause when choosing a family and its parameters.
public enum FamilyError: Error, Equatable, CustomStringConvertible {
    case unknownFamily(String, known: [String])
    case duplicateFamily(String)
    case unknownParameter(String, family: String, known: [String])
    case missingParameter(String, family: String)
    case parameterOutOfRange(String, Double, ClosedRange<Double>)

    public var description: String {
        switch self {
        case .unknownFamily(let n, let known):
            return "unknown family '\(n)' (known: \(known.joined(separator: ", ")))"
        case .duplicateFamily(let n):
            return "two families are named '\(n)'; give each family a unique name"
        case .unknownParameter(let n, let f, let known):
            return "family \(f) has no parameter '\(n)' (parameters: \(known.joined(separator: ", ")))"
        case .missingParameter(let n, let f):
            return "family \(f) needs a value for parameter '\(n)' (e.g. --param \(n)=…)"
        case .parameterOutOfRange(let n, let v, let r):
            return "parameter \(n)=\(v) is outside its range [\(r.lowerBound), \(r.upperBound)]"
        }
    }
}

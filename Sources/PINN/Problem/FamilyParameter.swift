import Foundation

/// A named scalar parameter of a PDE family and the range the family is defined on.
public struct FamilyParameter: Hashable, Sendable, Codable {
    public let name: String
    public let range: ClosedRange<Double>
    public let summary: String

    public init(_ name: String, _ range: ClosedRange<Double>, _ summary: String = "") {
        self.name = name
        self.range = range
        self.summary = summary
    }
}

/// Values for a family's parameters, validated against their ranges, in the family's order.
public struct ParameterValues: Hashable, Sendable, Codable, CustomStringConvertible {
    public let names: [String]
    public let values: [Double]

    /// - Throws: `FamilyError` for an unknown name, a missing value, a non-finite value or one out of range.
    public init(_ given: [String: Double], for parameters: [FamilyParameter], family: String) throws {
        for name in given.keys where !parameters.contains(where: { $0.name == name }) {
            throw FamilyError.unknownParameter(name, family: family, known: parameters.map(\.name))
        }
        var values = [Double]()
        for p in parameters {
            guard let v = given[p.name] else { throw FamilyError.missingParameter(p.name, family: family) }
            guard v.isFinite, p.range.contains(v) else { throw FamilyError.parameterOutOfRange(p.name, v, p.range) }
            values.append(v)
        }
        names = parameters.map(\.name)
        self.values = values
    }

    public subscript(name: String) -> Double {
        guard let i = names.firstIndex(of: name) else { preconditionFailure("ParameterValues: no parameter \(name)") }
        return values[i]
    }

    public var dictionary: [String: Double] { Dictionary(uniqueKeysWithValues: zip(names, values)) }

    public var description: String {
        zip(names, values).map { "\($0)=\(formatParameter($1))" }.joined(separator: ",")
    }
}

/// Integers without a decimal point, others with up to 10 significant digits (3.9, not 3.9000000000000004).
func formatParameter(_ v: Double) -> String {
    if v == v.rounded() && abs(v) < 1e9 { return String(Int(v)) }
    var s = String(format: "%.10g", v)
    if s.contains("e") { return s }
    while s.hasSuffix("0") { s.removeLast() }
    return s
}

/// Errors a user can cause when choosing a family and its parameters.
public enum FamilyError: Error, Equatable, CustomStringConvertible {
    case unknownFamily(String, known: [String])
    case unknownParameter(String, family: String, known: [String])
    case missingParameter(String, family: String)
    case parameterOutOfRange(String, Double, ClosedRange<Double>)

    public var description: String {
        switch self {
        case .unknownFamily(let n, let known):
            return "unknown family '\(n)' (known: \(known.joined(separator: ", ")))"
        case .unknownParameter(let n, let f, let known):
            return "family \(f) has no parameter '\(n)' (parameters: \(known.joined(separator: ", ")))"
        case .missingParameter(let n, let f):
            return "family \(f) needs a value for parameter '\(n)' (e.g. --param \(n)=…)"
        case .parameterOutOfRange(let n, let v, let r):
            return "parameter \(n)=\(v) is outside its range [\(r.lowerBound), \(r.upperBound)]"
        }
    }
}

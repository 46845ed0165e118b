import Foundation

/// Values for a family's parameters, validated against their ranges, in the family's order.
///
/// A family reads its values by name (`s["beta"]`). Reading a name the family does not declare
/// is a mistake in the family's code; `PDEFamily.validate` finds it before any training by
/// evaluating the family's functions on a *probing* copy, which records unknown names (and
/// answers with a placeholder) instead of stopping. Outside such a probe an unknown name stops
/// the process with a message (`fatalError`, checked in every build configuration): it never
/// yields a value silently.
public struct ParameterValues: Hashable, Sendable, Codable, CustomStringConvertible {
    public let names: [String]
    public let values: [Double]
    /// Set only on the copies validation evaluates a family with.
    package var probe: ParameterProbe? = nil

    private enum CodingKeys: String, CodingKey { case names, values }

    /// - Throws: `FamilyError` for an unknown name, a missing value, a non-finite value or one out of range.
    public init(_ given: [String: Double], for parameters: [FamilyParameter], family: String) throws {
        for name in given.keys.sorted() where !parameters.contains(where: { $0.name == name }) {
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

    /// Values taken as they are, without a range check: a context as recorded in a study's history
    /// (it was checked when it was drawn), or values `PDEFamily.validate` checks itself. For what a
    /// user typed, use `init(_:for:family:)`.
    public init(names: [String], values: [Double]) {
        precondition(names.count == values.count, "ParameterValues: \(names.count) names for \(values.count) values")
        self.names = names
        self.values = values
    }

    /// A copy whose unknown names are recorded in `probe` instead of stopping the process.
    package func probing(_ probe: ParameterProbe) -> ParameterValues {
        var copy = self
        copy.probe = probe
        return copy
    }

    /// The value of parameter `name`.
    ///
    /// An unknown name is recorded on a probing copy (which answers 1, a harmless placeholder the
    /// validation never lets reach a training) and stops the process on any other.
    public subscript(name: String) -> Double {
        if let i = names.firstIndex(of: name) { return values[i] }
        if let probe {
            probe.record(name)
            return 1
        }
        fatalError("ParameterValues: no parameter '\(name)' (parameters: \(names.joined(separator: ", "))). "
                   + "PDEFamily.validate() and XPINNSolver report this as an error; call one of them before using the family directly.")
    }

    public var dictionary: [String: Double] { Dictionary(zip(names, values), uniquingKeysWith: { first, _ in first }) }

    public var description: String {
        zip(names, values).map { "\($0)=\(formatParameter($1))" }.joined(separator: ",")
    }

    public static func == (a: ParameterValues, b: ParameterValues) -> Bool { a.names == b.names && a.values == b.values }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(names)
        hasher.combine(values)
    }
}

/// Integers without a decimal point, others with up to 10 significant digits (3.9, not 3.9000000000000004).
package func formatParameter(_ v: Double) -> String {
    if v == v.rounded() && abs(v) < 1e9 { return String(Int(v)) }
    var s = String(format: "%.10g", v)
    // Trailing zeros of a fraction only ("90", the rounding of 90.00000000000001, stays 90).
    guard s.contains("."), !s.contains("e") else { return s }
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}

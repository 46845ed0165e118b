import Foundation

/// The text forms of values exchanged with PostgreSQL (parameters are sent as text, results read
/// as text). Doubles go out in Swift's shortest round-trip form and come back in PostgreSQL's
/// (`extra_float_digits = 3`), so a value survives the trip bit for bit; NaN and ±infinity use
/// PostgreSQL's spellings, which `float8` stores natively.
enum PostgresText {
    static func double(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return "\(value)"
    }

    static func double(_ text: String, what: String) throws -> Double {
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let value = Double(text) else { throw StudyStoreError.corrupted("\(what): '\(text)' is not a number") }
            return value
        }
    }

    /// A one-dimensional array literal, e.g. `{0.5,NaN,-Infinity}`.
    static func array(_ values: [Double]) -> String {
        "{" + values.map(double).joined(separator: ",") + "}"
    }

    static func array(_ values: [UInt16]) -> String {
        "{" + values.map(String.init).joined(separator: ",") + "}"
    }

    /// The elements of a one-dimensional array of numbers as PostgreSQL prints it.
    static func elements(_ text: String, what: String) throws -> [String] {
        guard text.hasPrefix("{"), text.hasSuffix("}") else { throw StudyStoreError.corrupted("\(what): '\(text)' is not an array") }
        let inner = text.dropFirst().dropLast()
        if inner.isEmpty { return [] }
        let elements = inner.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if elements.contains("NULL") { throw StudyStoreError.corrupted("\(what) contains NULL") }
        return elements
    }

    static func doubles(_ text: String, what: String) throws -> [Double] {
        try elements(text, what: what).map { try double($0, what: what) }
    }
}

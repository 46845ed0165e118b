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

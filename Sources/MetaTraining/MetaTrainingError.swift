/// A study, evaluation or landscape that cannot go on as asked; the message names the fix.
public struct MetaTrainingError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

import Foundation

/// Every observation of a study, in order: what is stored, and all that is needed (with the
/// configuration and context space) to rebuild the model.
///
/// Replaying a history records its observations in order, which repeats exactly the
/// conditioning and the scheduled hyperparameter refits of the original run (fits are seeded
/// from the configuration's seed and the observation count), so the rebuilt model has the same
/// hyperparameters and posterior bit for bit. Manual `refit()` calls are not part of the history.
public struct BanditHistory: Codable, Sendable, Equatable {
    public var observations: [BanditObservation]

    public init(observations: [BanditObservation] = []) {
        self.observations = observations
    }

    public var count: Int { observations.count }

    /// JSON, pretty-printed with sorted keys so stored files diff cleanly.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    public init(jsonData: Data) throws {
        self = try JSONDecoder().decode(BanditHistory.self, from: jsonData)
    }
}

import Foundation

/// One line of a storage's table of contents: a study, its settings and how far it got.
public struct StudySummary: Equatable, Sendable {
    public var name: String
    public var configuration: StudyConfiguration
    /// When the study was created (by the store's clock).
    public var created: Date
    public var completed: Int
    public var running: Int
    public var failed: Int

    public init(name: String, configuration: StudyConfiguration, created: Date, completed: Int, running: Int, failed: Int) {
        self.name = name
        self.configuration = configuration
        self.created = created
        self.completed = completed
        self.running = running
        self.failed = failed
    }

    public var family: String { configuration.family }
    public var mode: String { configuration.mode }
    public var heuristic: String { configuration.heuristic }
    /// Rounds the study runs in all (warm-up and online).
    public var totalRounds: Int { configuration.totalRounds }
}

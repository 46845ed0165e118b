import Foundation
import MetalicCore

/// Lifecycle of a trial: claimed (`running`), then `completed` with an outcome or `failed` with a reason.
/// Both end states count as a done round; only `running` trials can be reclaimed.
public enum TrialStatus: String, Codable, Sendable {
    case running, completed, failed
}

/// One round of the study: the context drawn, the arm(s) chosen, and — once done — what training achieved.
public struct Trial: Codable, Equatable, Sendable {
    /// Row id in the store; stable for the lifetime of the study.
    public var id: Int64
    /// 0-based round, unique per study.
    public var round: Int
    /// PDE parameter values s.
    public var context: ParameterValues
    /// One arm (query mode) or two (step mode: Adam arm, L-BFGS arm).
    public var arms: [InterfaceArm]
    /// Seed of this trial's training run (network initialisation, collocation points).
    public var seed: UInt64
    public var status: TrialStatus
    /// The worker that holds (or last held) the trial, as `WorkerID.description` ("host:pid").
    public var worker: String
    /// Relative L2 error after each stage (empty until completed).
    public var stageErrors: [Double]
    /// Reward after each stage (empty until completed).
    public var stageRewards: [Double]
    /// Final relative L2 error (nil until completed).
    public var error: Double?
    /// Final reward (nil until completed).
    public var reward: Double?
    /// Training wall-clock seconds (nil until completed).
    public var seconds: Double?
    /// Failure reason (failed trials only).
    public var message: String?
    /// When the current holder claimed the trial (reset when a trial is reclaimed, since training restarts).
    public var startedAt: Date
    /// When the trial completed or failed.
    public var finishedAt: Date?
    /// Last sign of life from the holder; a running trial whose heartbeat is too old is reclaimable.
    public var heartbeatAt: Date
    /// How many times the trial was claimed: 1, plus one per reclaim. Lets a caller give up on a
    /// round that keeps killing its workers (e.g. out of memory) instead of reclaiming it forever.
    public var attempts: Int
    /// The completed trial whose trained networks this trial's training starts from (a warm
    /// start, decided when the round was planned); nil for a cold start from fresh networks.
    public var warmStartTrialID: Int64?
    /// Whether the store holds this trial's trained network parameters (`StudyStore.parameters(ofTrial:)`):
    /// completed trials of schema version 3 and later that reported them.
    public var hasParameters: Bool

    public init(id: Int64, round: Int, context: ParameterValues, arms: [InterfaceArm], seed: UInt64, status: TrialStatus,
                worker: String, stageErrors: [Double] = [], stageRewards: [Double] = [], error: Double? = nil,
                reward: Double? = nil, seconds: Double? = nil, message: String? = nil, startedAt: Date,
                finishedAt: Date? = nil, heartbeatAt: Date? = nil, attempts: Int = 1, warmStartTrialID: Int64? = nil,
                hasParameters: Bool = false) {
        self.id = id
        self.round = round
        self.context = context
        self.arms = arms
        self.seed = seed
        self.status = status
        self.worker = worker
        self.stageErrors = stageErrors
        self.stageRewards = stageRewards
        self.error = error
        self.reward = reward
        self.seconds = seconds
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.heartbeatAt = heartbeatAt ?? startedAt
        self.attempts = attempts
        self.warmStartTrialID = warmStartTrialID
        self.hasParameters = hasParameters
    }
}

/// What a worker decides when it claims a round: the context, the arm(s) and the training seed.
public struct TrialPlan: Sendable, Equatable {
    public var context: ParameterValues
    public var arms: [InterfaceArm]
    public var seed: UInt64
    /// The completed trial (with stored parameters) whose networks this round's training starts
    /// from; nil for a cold start. Fixed with the plan, so a reclaimed round re-runs from the same networks.
    public var warmStartTrialID: Int64?

    public init(context: ParameterValues, arms: [InterfaceArm], seed: UInt64, warmStartTrialID: Int64? = nil) {
        self.context = context
        self.arms = arms
        self.seed = seed
        self.warmStartTrialID = warmStartTrialID
    }
}

/// What a worker reports when training of a trial finished.
public struct TrialOutcome: Sendable, Equatable {
    public var stageErrors: [Double]
    public var stageRewards: [Double]
    public var error: Double
    public var reward: Double
    public var seconds: Double
    /// The arms actually trained, when they were decided during the trial (a two-stage trial
    /// picks its L-BFGS arm after the Adam stage); nil keeps the arms of the plan.
    public var arms: [InterfaceArm]?
    /// The trained network parameters (all networks, concatenated in `XPINNSolver`'s layout), kept
    /// with the trial for later warm starts; nil stores none.
    public var parameters: [Double]?

    public init(stageErrors: [Double], stageRewards: [Double], error: Double, reward: Double, seconds: Double,
                arms: [InterfaceArm]? = nil, parameters: [Double]? = nil) {
        self.stageErrors = stageErrors
        self.stageRewards = stageRewards
        self.error = error
        self.reward = reward
        self.seconds = seconds
        self.arms = arms
        self.parameters = parameters
    }
}

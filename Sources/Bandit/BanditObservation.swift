import MetalicCore
/// One round of a bandit study: the context handed out, the arm(s) played, and what came back.
///
/// A query-mode round has one arm and one reward; a two-stage ("step") round has the Adam-stage
/// arm and reward first, then the L-BFGS-stage arm and reward. Errors (e.g. relative L2 error of
/// the trained PINN) are kept alongside the rewards derived from them, so a study can be
/// re-scored with a different reward transform without retraining.
public struct BanditObservation: Codable, Sendable, Equatable {
    /// The raw (unstandardised) context s.
    public var context: ParameterValues
    /// The arm of each stage.
    public var arms: [InterfaceArm]
    /// The reward after each stage (larger is better).
    public var rewards: [Double]
    /// Optional error after each stage (same count as `rewards`, nil where not measured).
    public var errors: [Double?]

    public init(context: ParameterValues, arms: [InterfaceArm], rewards: [Double], errors: [Double?]? = nil) {
        precondition(arms.count == rewards.count, "BanditObservation: \(arms.count) arms but \(rewards.count) rewards")
        self.context = context
        self.arms = arms
        self.rewards = rewards
        self.errors = errors ?? [Double?](repeating: nil, count: rewards.count)
        precondition(self.errors.count == rewards.count, "BanditObservation: errors and rewards differ in count")
    }

    /// A single-stage ("query") round.
    public static func query(context: ParameterValues, arm: InterfaceArm, reward: Double, error: Double? = nil) -> BanditObservation {
        BanditObservation(context: context, arms: [arm], rewards: [reward], errors: [error])
    }

    /// A two-stage ("step") round.
    public static func twoStage(context: ParameterValues, firstArm: InterfaceArm, firstReward: Double, secondArm: InterfaceArm, secondReward: Double,
                                firstError: Double? = nil, secondError: Double? = nil) -> BanditObservation {
        BanditObservation(context: context, arms: [firstArm, secondArm], rewards: [firstReward, secondReward],
                          errors: [firstError, secondError])
    }

    /// Number of stages (1 or 2).
    public var stages: Int { arms.count }
}

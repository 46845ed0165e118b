import MetalicCore
import LinearAlgebra
import Sampling

/// A trial handed out to some worker whose reward is not known yet.
public struct PendingTrial: Sendable, Equatable {
    public var context: ParameterValues
    public var arm: InterfaceArm

    public init(context: ParameterValues, arm: InterfaceArm) {
        self.context = context
        self.arm = arm
    }
}

extension ArmModel {
    /// A copy of the model with each pending trial added at its posterior mean (kriging
    /// believer): the posterior variance there shrinks, so concurrent workers spread over arms
    /// instead of all trying the one with the highest upper bound.
    func believing(_ pending: [PendingTrial], in space: ContextSpace) -> ArmModel {
        var believer = self
        for p in pending {
            let x = input(prefix: [], context: space.standardise(p.context), arm: p.arm, fixed: [])
            let mean = believer.gp.predict(Matrix(rows: 1, columns: x.count, elements: x)).mean[0]
            try? believer.append(x, target: mean)
        }
        return believer
    }
}

extension MetalicBandit {
    /// The arm for `context` while other workers are still training `pending` trials, which are
    /// believed at the posterior mean. The bandit itself is not changed.
    public func chooseArm(context: ParameterValues, round: Int, pending: [PendingTrial], rng: inout SeededGenerator) -> InterfaceArm {
        var believer = self
        believer.model = model.believing(pending, in: contextSpace)
        return believer.chooseArm(context: context, round: round, rng: &rng)
    }
}

extension TwoStageBandit {
    /// The first-stage arm for `context` with `pending` first-stage trials believed at GP₁'s mean.
    public func chooseFirstArm(context: ParameterValues, round: Int, pending: [PendingTrial], rng: inout SeededGenerator) -> InterfaceArm {
        var believer = self
        believer.first = first.believing(pending, in: contextSpace)
        return believer.chooseFirstArm(context: context, round: round, rng: &rng)
    }
}

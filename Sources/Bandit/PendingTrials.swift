import Sampling

/// A trial handed out to some worker whose reward is not known yet.
public struct PendingTrial: Sendable, Equatable {
    public var context: [Double]
    public var arm: Arm

    public init(context: [Double], arm: Arm) {
        self.context = context
        self.arm = arm
    }
}

extension MetalicBandit {
    /// The arm for `context` while other workers are still training `pending` trials: those are
    /// first added to a copy of the model at their posterior mean (kriging believer), so that the
    /// posterior variance there shrinks and concurrent workers spread over arms instead of all
    /// trying the one with the highest upper bound. The bandit itself is not changed.
    public func chooseArm(context: [Double], round: Int, pending: [PendingTrial], rng: inout SeededGenerator) -> Arm {
        var believer = self
        for p in pending {
            let x = model.input(prefix: [], context: contextSpace.standardise(p.context), arm: p.arm, fixed: [])
            let mean = believer.model.gp.predict(Matrix(rows: 1, columns: x.count, elements: x)).mean[0]
            try? believer.model.append(x, target: mean)
        }
        return believer.chooseArm(context: context, round: round, rng: &rng)
    }
}

extension TwoStageBandit {
    /// The first-stage arm for `context` with `pending` first-stage trials believed at GP₁'s mean.
    public func chooseFirstArm(context: [Double], round: Int, pending: [PendingTrial], rng: inout SeededGenerator) -> Arm {
        var believer = self
        for p in pending {
            let x = first.input(prefix: [], context: contextSpace.standardise(p.context), arm: p.arm, fixed: [])
            let mean = believer.first.gp.predict(Matrix(rows: 1, columns: x.count, elements: x)).mean[0]
            try? believer.first.append(x, target: mean)
        }
        return believer.chooseFirstArm(context: context, round: round, rng: &rng)
    }
}

import LinearAlgebra

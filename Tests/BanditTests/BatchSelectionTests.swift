import MetalicCore
import Foundation
import XCTest
import Bandit
import GaussianProcess
import Sampling

final class BatchSelectionTests: XCTestCase {
    let problem = SyntheticContextualBandit()

    /// A bandit after `n` random rounds, hyperparameters fixed at sensible values (no refits),
    /// so uncertainty about most of the 512 arms is still high.
    func banditAfterRandomRounds(_ n: Int, rule: SelectionRule) throws -> MetalicBandit {
        let configuration = BanditConfiguration(rule: rule, warmupRounds: 5, refitEvery: 0,
                                                surrogate: SurrogateConfiguration(initialLogLengthScale: 0, initialLogWeight: 1))
        var bandit = MetalicBandit(contextSpace: problem.space, configuration: configuration)
        var rng = SeededGenerator(seed: 21)
        for round in 0..<n {
            let s = problem.space.sample(using: &rng)
            let arm = bandit.chooseArm(context: s, round: round, rng: &rng)
            try bandit.record(.query(context: s, arm: arm, reward: problem.reward(s.values[0], arm, rng: &rng)))
        }
        return bandit
    }

    /// Four workers asking for the same context at once get four different arms, whereas
    /// asking four times without hallucinated observations gives the same arm four times.
    func testUCBBatchOfFourIsDistinctForOneContext() throws {
        var bandit = try banditAfterRandomRounds(6, rule: .ucb)
        var rng = SeededGenerator(seed: 3)
        let context = problem.space.context([0.8])
        let batch = bandit.chooseArms(contexts: Array(repeating: context, count: 4), round: 6, rng: &rng)
        XCTAssertEqual(batch.count, 4)
        XCTAssertEqual(Set(batch).count, 4, "\(batch)")
        let naive = (0..<4).map { _ in bandit.chooseArm(context: context, round: 6, rng: &rng) }
        XCTAssertEqual(Set(naive).count, 1, "without hallucination UCB repeats itself: \(naive)")
        XCTAssertEqual(naive[0], batch[0])
        XCTAssertEqual(bandit.history.count, 6, "batch selection must not record anything")
    }

    /// Workers in other processes: trials already handed out (pending, no reward yet) are
    /// believed at the posterior mean, so the next worker is steered away from them.
    func testPendingTrialsOfOtherWorkersSteerTheChoice() throws {
        let bandit = try banditAfterRandomRounds(6, rule: .ucb)
        var rng = SeededGenerator(seed: 4)
        let context = problem.space.context([0.8])
        var pending = [PendingTrial]()
        for _ in 0..<4 {
            let arm = bandit.chooseArm(context: context, round: 6, pending: pending, rng: &rng)
            XCTAssertFalse(pending.contains { $0.arm == arm }, "pending arm \(arm) chosen again")
            pending.append(PendingTrial(context: context, arm: arm))
        }
        // Without pending trials the first choice is the plain UCB arm.
        XCTAssertEqual(bandit.chooseArm(context: context, round: 6, pending: [], rng: &rng), pending[0].arm)
        XCTAssertEqual(bandit.history.count, 6)
    }

    /// Nearby contexts too, and with Thompson sampling.
    func testBatchOfFourIsDistinctForNearbyContextsAndThompson() throws {
        var ucb = try banditAfterRandomRounds(6, rule: .ucb(.gpUCB(delta: 0.1)))
        var rng = SeededGenerator(seed: 4)
        let contexts = [0.30, 0.31, 0.32, 0.33].map { problem.space.context([$0]) }
        XCTAssertEqual(Set(ucb.chooseArms(contexts: contexts, round: 6, rng: &rng)).count, 4)
        var thompson = try banditAfterRandomRounds(6, rule: .thompson)
        XCTAssertEqual(Set(thompson.chooseArms(contexts: contexts, round: 6, rng: &rng)).count, 4)
    }

    /// During warm-up a batch is random arms, one per context.
    func testWarmUpBatchIsRandom() {
        var bandit = MetalicBandit(contextSpace: problem.space)
        var rng = SeededGenerator(seed: 5)
        let arms = bandit.chooseArms(contexts: [0.1, 0.2, 0.3, 0.4].map { problem.space.context([$0]) }, round: 0, rng: &rng)
        XCTAssertEqual(arms.count, 4)
        XCTAssertGreaterThan(Set(arms).count, 1)
    }
}

import MetalicCore
import Foundation
import XCTest
import Bandit
import GaussianProcess
import Sampling

/// Hyperparameter refits over time, on a real study's history: a refit warm-started from the
/// previous hyperparameters must never end below a fresh fit from the initial ones, and the
/// model must tell arms apart once the warm-up is over.
final class RefitTests: XCTestCase {
    /// The same bandit the study ran (UCB, reference kernel, raw targets, refit every round).
    func replayedBandit(rule: SelectionRule = .ucb) -> MetalicBandit {
        MetalicBandit(contextSpace: advectionContextSpace, configuration: BanditConfiguration(rule: rule, seed: 1))
    }

    /// A fresh fit on the same data: the initial hyperparameters as the only start.
    func freshFit(of gp: GaussianProcess, fit: FitOptions) throws -> FitReport {
        var fresh = gp
        try fresh.setHyperparameters(fresh.initialHyperparameters)
        var single = fit
        single.restarts = 0
        return fresh.fitHyperparameters(single)
    }

    /// Replays the committed advection study trial by trial. Warm-started refits alone fell into
    /// a degenerate optimum at 4 observations and stayed there until 41 (log posterior −45.7
    /// against a fresh fit's −38.0 at 25). Now every refit must reach the fresh fit's log
    /// posterior. Measured: the warm fit is never below it (differences exactly 0 where the
    /// initial start wins); the tolerance 1e-9 only absorbs rounding in the comparison.
    func testRefitIsNeverWorseThanAFreshFitOnAStudyHistory() throws {
        var bandit = replayedBandit()
        var shortfalls: [(Int, Double)] = []
        for (n, o) in advectionStudyHistory.enumerated() {
            try bandit.record(.query(context: advectionContextSpace.context([o.beta]), arm: InterfaceArm(mask: o.mask), reward: o.reward))
            let warm = try XCTUnwrap(bandit.lastFitReport?.logPosterior, "refit at n = \(n + 1) failed")
            let fresh = try XCTUnwrap(freshFit(of: bandit.gaussianProcess, fit: bandit.configuration.surrogate.fit).logPosterior)
            if warm < fresh - 1e-9 { shortfalls.append((n + 1, fresh - warm)) }
        }
        XCTAssertTrue(shortfalls.isEmpty, "refit below a fresh fit at (n, shortfall): \(shortfalls)")
    }

    /// Once the online phase has a few observations, the UCB scores of the 512 arms must not be
    /// (nearly) all tied: with warm-started refits alone, 19 of the study's first 36 UCB rounds
    /// chose by tie-break. Checked at three contexts for every n from 7 to 60. Measured: the
    /// smallest spread max − min of the scores there is 0.74 (reward units, −log10 error); with
    /// warm-started refits alone it was below 1e-6 at every n from 4 to 40.
    ///
    /// At n = 4…6 the scores are tied, rightly: on so few rewards the maximum of the posterior
    /// is the degenerate λ → 0 (all arms alike; log posterior −8.59 against −9.04 for the best
    /// fit that separates arms, at n = 5), which the first test checks is no worse than fresh.
    func testUCBScoresSeparateArmsOnceTheDataDo() throws {
        var bandit = replayedBandit()
        var smallest = (spread: Double.infinity, n: 0, beta: 0.0)
        for (n, o) in advectionStudyHistory.enumerated() {
            try bandit.record(.query(context: advectionContextSpace.context([o.beta]), arm: InterfaceArm(mask: o.mask), reward: o.reward))
            guard n + 1 >= 7 else { continue }
            for beta in [5.0, 15.0, 27.0] {
                let p = bandit.predict(context: advectionContextSpace.context([beta]))
                let scores = zip(p.mean, p.variance).map { $0 + $1.squareRoot() }
                let spread = scores.max()! - scores.min()!
                if spread < smallest.spread { smallest = (spread, n + 1, beta) }
            }
        }
        XCTAssertGreaterThan(smallest.spread, 0.1, "UCB scores nearly tied at n = \(smallest.n), β = \(smallest.beta)")
    }

    /// Thompson sampling and the two-stage bandit refit through the same code: their fits must
    /// not fall below a fresh fit either (two-stage: both GPs, on the study history with the
    /// reward split into a synthetic first stage).
    func testOtherRulesAndTheTwoStageBanditRefitNoWorseThanFresh() throws {
        var ts = replayedBandit(rule: .thompson(joint: true))
        var twoStage = TwoStageBandit(contextSpace: advectionContextSpace, configuration: BanditConfiguration(rule: .ucb, seed: 1))
        var shortfalls: [String] = []
        for (n, o) in advectionStudyHistory.prefix(45).enumerated() {
            try ts.record(.query(context: advectionContextSpace.context([o.beta]), arm: InterfaceArm(mask: o.mask), reward: o.reward))
            let fit = ts.configuration.surrogate.fit
            if let warm = ts.lastFitReport?.logPosterior, let fresh = try freshFit(of: ts.gaussianProcess, fit: fit).logPosterior,
               warm < fresh - 1e-9 { shortfalls.append("TS n=\(n + 1)") }
            // First stage: a noisy half of the reward, second stage the full reward.
            try twoStage.record(.twoStage(context: advectionContextSpace.context([o.beta]), firstArm: InterfaceArm(mask: o.mask), firstReward: 0.5 * o.reward + 0.1,
                                          secondArm: InterfaceArm(mask: (o.mask &* 7) % 512), secondReward: o.reward))
            let reports = try XCTUnwrap(twoStage.lastFitReports)
            for (k, (report, gp)) in [(reports.first, twoStage.firstStageProcess),
                                      (reports.second, twoStage.secondStageProcess)].enumerated() {
                if let warm = report.logPosterior, let fresh = try freshFit(of: gp, fit: fit).logPosterior,
                   warm < fresh - 1e-9 { shortfalls.append("two-stage GP\(k + 1) n=\(n + 1)") }
            }
        }
        XCTAssertTrue(shortfalls.isEmpty, "\(shortfalls)")
    }

    /// Replays are deterministic: the same history gives bit-identical hyperparameters.
    func testReplayIsDeterministic() throws {
        let history = BanditHistory(observations: advectionStudyHistory.prefix(30).map {
            .query(context: advectionContextSpace.context([$0.beta]), arm: InterfaceArm(mask: $0.mask), reward: $0.reward)
        })
        let a = try MetalicBandit(contextSpace: advectionContextSpace, configuration: BanditConfiguration(seed: 1), replaying: history)
        let b = try MetalicBandit(contextSpace: advectionContextSpace, configuration: BanditConfiguration(seed: 1), replaying: history)
        XCTAssertEqual(a.hyperparameters, b.hyperparameters)
    }
}

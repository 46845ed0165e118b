import MetalicCore
import Foundation
import XCTest
import Bandit
import GaussianProcess
import Sampling

final class HistoryTests: XCTestCase {
    let configuration = BanditConfiguration(rule: .ucb, warmupRounds: 5, refitEvery: 5,
                                            surrogate: SurrogateConfiguration(fit: FitOptions(maxIterations: 40, restarts: 2)),
                                            seed: 17)

    /// A history serialised to JSON and replayed rebuilds the query bandit exactly: same
    /// hyperparameters and same predictions, bit for bit.
    func testQueryHistoryRoundTripsAndReplaysExactly() throws {
        let problem = SyntheticContextualBandit()
        var bandit = MetalicBandit(contextSpace: problem.space, configuration: configuration)
        var rng = SeededGenerator(seed: 2)
        for round in 0..<30 {
            let s = problem.space.sample(using: &rng)
            let arm = bandit.chooseArm(context: s, round: round, rng: &rng)
            let r = problem.reward(s.values[0], arm, rng: &rng)
            try bandit.record(.query(context: s, arm: arm, reward: r, error: round % 3 == 0 ? nil : exp(-r)))
        }
        let data = try bandit.history.jsonData()
        let decoded = try BanditHistory(jsonData: data)
        XCTAssertEqual(decoded, bandit.history)
        XCTAssertNil(decoded.observations[0].errors[0])
        XCTAssertNotNil(decoded.observations[1].errors[0])

        let replayed = try MetalicBandit(contextSpace: problem.space, configuration: configuration, replaying: decoded)
        XCTAssertEqual(replayed.hyperparameters, bandit.hyperparameters)
        XCTAssertNotEqual(bandit.hyperparameters, MetalicBandit(contextSpace: problem.space).hyperparameters, "refits happened")
        for s in [0.1, 0.5, 0.93].map({ problem.space.context([$0]) }) {
            XCTAssertEqual(replayed.predict(context: s), bandit.predict(context: s))
            XCTAssertEqual(replayed.bestArm(context: s), bandit.bestArm(context: s))
        }
        // A different seed gives a (generally) different fit path but the same data.
        var other = configuration
        other.seed = 99
        let reseeded = try MetalicBandit(contextSpace: problem.space, configuration: other, replaying: decoded)
        XCTAssertEqual(reseeded.history, bandit.history)
    }

    func testTwoStageHistoryReplaysExactly() throws {
        let problem = SyntheticTwoStageProblem()
        var bandit = TwoStageBandit(contextSpace: problem.space, configuration: configuration)
        var rng = SeededGenerator(seed: 6)
        for round in 0..<15 {
            let s = problem.space.sample(using: &rng)
            let a1 = bandit.chooseFirstArm(context: s, round: round, rng: &rng)
            let r1 = problem.firstReward(s.values[0], a1, luck: rng.uniform())
            let a2 = bandit.chooseSecondArm(context: s, firstReward: r1, round: round, rng: &rng)
            try bandit.record(.twoStage(context: s, firstArm: a1, firstReward: r1, secondArm: a2,
                                        secondReward: problem.secondReward(r1, a2), firstError: 0.1, secondError: 0.01))
        }
        let replayed = try TwoStageBandit(contextSpace: problem.space, configuration: configuration,
                                          replaying: BanditHistory(jsonData: bandit.history.jsonData()))
        XCTAssertEqual(replayed.firstStageProcess.hyperparameters, bandit.firstStageProcess.hyperparameters)
        XCTAssertEqual(replayed.secondStageProcess.hyperparameters, bandit.secondStageProcess.hyperparameters)
        let s = problem.space.context([0.4])
        XCTAssertEqual(replayed.predictSecond(context: s, firstReward: 1.2), bandit.predictSecond(context: s, firstReward: 1.2))
    }

    /// Unusable observations are rejected before anything changes.
    func testInvalidObservationsAreRejected() throws {
        let space = ContextSpace(lower: 0, upper: 1)
        var bandit = MetalicBandit(contextSpace: space)
        XCTAssertThrowsError(try bandit.record(.query(context: space.context([0.5]), arm: InterfaceArm(mask: 3), reward: .nan))) { error in
            XCTAssertEqual(error as? BanditError, .nonFinite("reward of stage 1"))
        }
        // A context over other parameters: more of them, or as many under other names.
        XCTAssertThrowsError(try bandit.record(.query(context: ParameterValues(names: ["s1", "s2"], values: [0.5, 0.2]),
                                                      arm: InterfaceArm(mask: 3), reward: 1))) { error in
            XCTAssertEqual(error as? BanditError, .wrongContextParameters(expected: ["s1"], got: ["s1", "s2"]))
        }
        XCTAssertThrowsError(try bandit.record(.query(context: ParameterValues(names: ["beta"], values: [0.5]),
                                                      arm: InterfaceArm(mask: 3), reward: 1))) { error in
            XCTAssertEqual(error as? BanditError, .wrongContextParameters(expected: ["s1"], got: ["beta"]))
        }
        XCTAssertThrowsError(try bandit.record(.twoStage(context: space.context([0.5]), firstArm: InterfaceArm(mask: 1), firstReward: 1,
                                                         secondArm: InterfaceArm(mask: 2), secondReward: 2)))
        XCTAssertEqual(bandit.history.count, 0)
        XCTAssertEqual(bandit.gaussianProcess.count, 0)
        var twoStage = TwoStageBandit(contextSpace: space)
        XCTAssertThrowsError(try twoStage.record(.twoStage(context: space.context([0.5]), firstArm: InterfaceArm(mask: 1), firstReward: 1,
                                                           secondArm: InterfaceArm(mask: 2), secondReward: .infinity)))
        XCTAssertThrowsError(try twoStage.record(.twoStage(context: ParameterValues(names: ["beta"], values: [0.5]), firstArm: InterfaceArm(mask: 1),
                                                           firstReward: 1, secondArm: InterfaceArm(mask: 2), secondReward: 2))) { error in
            XCTAssertEqual(error as? BanditError, .wrongContextParameters(expected: ["s1"], got: ["beta"]))
        }
        XCTAssertEqual(twoStage.history.count, 0)
        XCTAssertEqual(twoStage.firstStageProcess.count, 0)
    }
}

import Foundation
import MetalicCore
import StudyStore
import XCTest

/// `meta-train --warm-start` and `solve --study … --warm-start`, and their errors.
extension CommandLineTests {
    func testWarmStartIsFixedWithTheStudyAndSolveStartsFromIt() throws {
        let db = path("cold.db")
        let budget = ["--warmup", "2", "--rounds", "0", "--adam", "5", "--lbfgs", "0"]
        XCTAssertEqual(try run(["meta-train", "reaction", "--study", db] + budget).status, 0)
        // The study was created cold: asking for warm starts is refused in one line, not ignored.
        let warm = try run(["meta-train", "reaction", "--study", db, "--warm-start", "nearest"] + budget)
        XCTAssertNotEqual(warm.status, 0)
        XCTAssertTrue(warm.stderr.contains("created with --warm-start cold"), warm.stderr)
        XCTAssertEqual(warm.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count, 1, warm.stderr)
        // Without the option a resumed study follows what it stored.
        let resumed = try run(["meta-train", "reaction", "--study", db] + budget)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let show = try run(["study", "show", "--study", db, "--format", "csv"])
        XCTAssertTrue(show.stdout.contains("warm start,cold"), show.stdout)

        // Every completed trial of this metalic stores its networks: solve can start from them.
        let solve = try run(["solve", "reaction", "--param", "rho=4", "--study", db, "--warm-start", "--adam", "5", "--lbfgs", "0", "--out", path("s")])
        XCTAssertEqual(solve.status, 0, solve.stderr)
        XCTAssertTrue(solve.stdout.contains("warm start from trial"), solve.stdout)

        let alone = try run(["solve", "reaction", "--param", "rho=4", "--warm-start", "--adam", "5", "--lbfgs", "0", "--out", path("t")])
        XCTAssertNotEqual(alone.status, 0)
        XCTAssertTrue(alone.stderr.contains("name the study"), alone.stderr)
    }

    /// A study whose trials stored no networks (recorded before warm starts) gives one clear error.
    func testSolveWarmStartNeedsStoredParameters() throws {
        let db = path("old.db")
        let c = StudyConfiguration(family: "reaction", parameterNames: ["rho"], mode: "query", heuristic: "ucb", warmupRounds: 1, rounds: 0, seed: 0,
                                   settings: ["adam": "5", "lbfgs": "0", "protocol": "forward", "lineSearch": "fixedStep",
                                              "precision": "float64", "secondStageSeesFirstArm": "false"])
        let store = try SQLiteStudyStore.create(at: db, configuration: c)
        let claim = try store.claimRound(worker: .current, policy: .standard) { _, _ in
            TrialPlan(context: ParameterValues(names: ["rho"], values: [3]), arms: [InterfaceArm(mask: 256)], seed: 1)
        }
        guard case .claimed(let lease, _) = claim else { return XCTFail("got \(claim)") }
        try store.complete(lease, outcome: TrialOutcome(stageErrors: [0.5], stageRewards: [0.3], error: 0.5, reward: 0.3, seconds: 1))
        let r = try run(["solve", "reaction", "--param", "rho=4", "--study", db, "--warm-start", "--adam", "5", "--lbfgs", "0", "--out", path("s")])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("no completed trial with stored network parameters"), r.stderr)
        XCTAssertEqual(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count, 1, r.stderr)
    }
}

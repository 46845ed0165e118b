import Bandit
import Foundation
@testable import MetaTraining
import PINN
import StudyStore
import XCTest

/// Warm starts: which trial a round starts from, and that it starts exactly at that trial's networks.
final class WarmStartTests: XCTestCase {
    func trial(_ id: Int64, round: Int, _ values: [Double], status: TrialStatus = .completed, parameters: Bool = true,
               names: [String] = ["s1", "s2"]) -> Trial {
        Trial(id: id, round: round, context: ParameterValues(names: names, values: values), arms: [InterfaceArm(mask: 1)],
              seed: 0, status: status, worker: "w", startedAt: Date(), hasParameters: parameters)
    }

    /// Distances are taken in the GP's standardised coordinates, so a parameter with a range of
    /// 100 does not drown one with a range of 1; trials that are not completed or have no stored
    /// parameters are never sources; ties go to the earliest round.
    func testNearestIsJudgedInStandardisedCoordinates() {
        let space = ContextSpace(lower: [0, 0], upper: [1, 100])
        let target = space.context([0.45, 50])
        let nearInScale = trial(1, round: 0, [0.45, 60])   // 10 % of the second range away
        let nearInRaw = trial(2, round: 1, [0.95, 50])     // raw distance 0.5, but half the first range
        var trials = [nearInScale, nearInRaw,
                      trial(3, round: 2, [0.45, 50], status: .running, parameters: false),
                      trial(4, round: 3, [0.45, 50], parameters: false),
                      trial(5, round: 4, [0.45, 50], status: .failed)]
        XCTAssertEqual(WarmStart.nearestTrial(to: target, among: trials, space: space)?.id, 1)
        XCTAssertEqual(WarmStart.nearestTrial(to: target, among: [nearInRaw], space: space)?.id, 2)
        // Standardised distances of the two candidates, for the record: 0.12 against 3 (raw: 100 against 0.25).
        let z = space.standardise(target), a = space.standardise(nearInScale.context), b = space.standardise(nearInRaw.context)
        let da = zip(z, a).map { ($0 - $1) * ($0 - $1) }.reduce(0, +), db = zip(z, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        XCTAssertLessThan(da, db / 10)

        trials += [trial(6, round: 9, [0.5, 55]), trial(7, round: 6, [0.5, 55])]
        XCTAssertEqual(WarmStart.nearestTrial(to: space.context([0.5, 55]), among: trials, space: space)?.id, 7, "a tie goes to the earlier round")
        XCTAssertNil(WarmStart.nearestTrial(to: target, among: Array(trials[2...4]), space: space))
        XCTAssertNil(WarmStart.nearestTrial(to: target, among: [], space: space))
    }

    /// With no iterations, a warm-started trial's networks are its source's, bit for bit, and its
    /// error is the source's networks' error on its own instance; each round's source is the
    /// nearest among the trials completed before it was claimed, and is recorded.
    func testWarmStartedTrialsStartExactlyAtTheirSourcesNetworks() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("metalic-warm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var training = TrainingOptions(adamIterations: 0, lbfgsIterations: 0)
        training.sampling.collocationPoints = 50
        let settings = StudySettings(family: ReactionFamily(), warmup: 4, rounds: 0, seed: 5, training: training, warmStart: .nearest)
        let (study, _) = try Study.openOrCreate(storage: .sqlite(path: directory.appendingPathComponent("warm.db").path), settings: settings)
        XCTAssertEqual(study.settings.warmStart, .nearest)
        XCTAssertEqual(try study.run(), 4)

        let trials = try study.trials()
        XCTAssertEqual(trials.map(\.status), Array(repeating: .completed, count: 4))
        XCTAssertTrue(trials.allSatisfy(\.hasParameters))
        XCTAssertNil(trials[0].warmStartTrialID, "nothing to start from yet: cold")
        var options = settings.training
        options.seed = trials[0].seed
        let first = try XPINNSolver(family: settings.family, parameters: trials[0].context, options: options)
        XCTAssertEqual(try study.store.parameters(ofTrial: trials[0].id), first.initialParameters())
        for t in trials.dropFirst() {
            let expected = WarmStart.nearestTrial(to: t.context, among: trials.filter { $0.round < t.round }, space: settings.contextSpace)
            XCTAssertNotNil(t.warmStartTrialID)
            XCTAssertEqual(t.warmStartTrialID, expected?.id, "round \(t.round)")
            let source = try XCTUnwrap(try study.store.parameters(ofTrial: try XCTUnwrap(t.warmStartTrialID)))
            let mine = try XCTUnwrap(try study.store.parameters(ofTrial: t.id))
            // (XCTAssertTrue: a failure would print a thousand numbers twice.)
            XCTAssertTrue(mine.map(\.bitPattern) == source.map(\.bitPattern), "round \(t.round) does not start at its source's networks")
            options.seed = t.seed
            let solver = try XPINNSolver(family: settings.family, parameters: t.context, options: options)
            XCTAssertNotEqual(solver.initialParameters(), source, "a cold start would differ")
            XCTAssertEqual(t.error, cappedError(solver.relativeError(source)))
        }
    }

    /// The warm start is stored with the study; studies from before warm starts read as cold.
    func testWarmStartIsAStudySetting() throws {
        let settings = StudySettings(family: ReactionFamily(), training: TrainingOptions(), warmStart: .nearest)
        var configuration = settings.configuration
        XCTAssertEqual(configuration.settings["warmStart"], "nearest")
        let families = try FamilyRegistry([ReactionFamily()])
        XCTAssertEqual(try StudySettings(configuration, families: families).warmStart, .nearest)
        configuration.settings["warmStart"] = nil
        XCTAssertEqual(try StudySettings(configuration, families: families).warmStart, .cold)
        configuration.settings["warmStart"] = "previous"
        XCTAssertThrowsError(try StudySettings(configuration, families: families)) {
            XCTAssertTrue(String(describing: $0).contains("previous"), "\($0)")
        }
    }
}

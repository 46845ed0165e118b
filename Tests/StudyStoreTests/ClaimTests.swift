import MetalicCore
import Foundation
import XCTest
@testable import StudyStore

/// The trial lifecycle: claim, complete/fail, heartbeat, reclaim of abandoned trials.
final class ClaimTests: StudyStoreTestCase {
    func testClaimsEveryRoundOnceThenNil() throws {
        let store = try SQLiteStudyStore.create(at: path(), configuration: configuration(warmup: 2, rounds: 3))
        var seen: [Int] = []
        let plan: ([Trial], Int) throws -> TrialPlan = { existing, round in
            XCTAssertEqual(existing.map(\.round), Array(0..<round), "plan sees all earlier trials, running ones included")
            return try Self.plan()(existing, round)
        }
        while let claimed = try store.claimRound(worker: .current, staleAfter: 3600, plan: plan) {
            let trial = claimed.trial
            XCTAssertFalse(claimed.reclaimed)
            XCTAssertEqual(trial.status, .running)
            XCTAssertEqual(trial.worker, WorkerID.current.description)
            XCTAssertEqual(trial.attempts, 1)
            seen.append(trial.round)
            if seen.count > 10 { return XCTFail("claim must stop at totalRounds") }
        }
        XCTAssertEqual(seen, [0, 1, 2, 3, 4])
        // All five are running under a live worker with fresh heartbeats: nothing to reclaim.
        XCTAssertNil(try store.claimRound(worker: WorkerID(host: "other", pid: 1), staleAfter: 3600, plan: Self.plan()))
        for trial in try store.trials() { try store.complete(trialID: trial.id, outcome: Self.outcome(trial.round)) }
        XCTAssertNil(try store.claimRound(worker: .current, staleAfter: 0, plan: Self.plan()), "done rounds are never reclaimed")
    }

    func testClaimReturnsWhatIsStored() throws {
        let store = try SQLiteStudyStore.create(at: path(), configuration: configuration(mode: "step"))
        let claimed = try XCTUnwrap(store.claimRound(worker: .current, staleAfter: 60, plan: Self.plan(mode: "step")))
        XCTAssertEqual(try SQLiteStudyStore.open(at: path()).trials(), [claimed.trial])
        XCTAssertEqual(claimed.trial.arms, [0, 511])
        XCTAssertEqual(claimed.trial.seed, 1000)
    }

    /// A two-stage trial decides its L-BFGS arm after the Adam stage: completion records it.
    func testCompletionCanRecordTheArmsActuallyTrained() throws {
        let store = try SQLiteStudyStore.create(at: path(), configuration: configuration(mode: "step"))
        let a = try XCTUnwrap(store.claimRound(worker: .current, staleAfter: 60, plan: Self.plan(mode: "step"))).trial
        let b = try XCTUnwrap(store.claimRound(worker: .current, staleAfter: 60, plan: Self.plan(mode: "step"))).trial
        var outcome = Self.outcome(0)
        outcome.arms = [0, 289]
        try store.complete(trialID: a.id, outcome: outcome)
        try store.complete(trialID: b.id, outcome: Self.outcome(1))
        let trials = try SQLiteStudyStore.open(at: path()).trials()
        XCTAssertEqual(trials[0].arms, [0, 289])
        XCTAssertEqual(trials[1].arms, b.arms, "no arms in the outcome keeps the planned ones")
        let c = try XCTUnwrap(store.claimRound(worker: .current, staleAfter: 60, plan: Self.plan(mode: "step"))).trial
        outcome.arms = [0, 512]
        XCTAssertThrowsError(try store.complete(trialID: c.id, outcome: outcome))
        XCTAssertEqual(try store.trials()[2].status, .running, "a rejected outcome changes nothing")
    }

    func testCompleteAndFailAreVisibleFromAnotherConnection() throws {
        let store = try SQLiteStudyStore.create(at: path(), configuration: configuration())
        let reader = try SQLiteStudyStore.open(at: path())
        let first = try XCTUnwrap(store.claimRound(worker: .current, staleAfter: 60, plan: Self.plan())).trial
        let second = try XCTUnwrap(store.claimRound(worker: .current, staleAfter: 60, plan: Self.plan())).trial
        XCTAssertEqual(try reader.trials().map(\.status), [.running, .running])

        try store.complete(trialID: first.id, outcome: Self.outcome(0))
        try store.fail(trialID: second.id, message: "training diverged: loss is NaN at Adam step 1234")

        let trials = try SQLiteStudyStore.open(at: path()).trials()
        XCTAssertEqual(try reader.trials(), trials)
        XCTAssertEqual(trials.count, 2)
        let done = trials[0]
        XCTAssertEqual(done.status, .completed)
        XCTAssertEqual(done.stageErrors, Self.outcome(0).stageErrors)
        XCTAssertEqual(done.stageRewards, [-1, -2])
        XCTAssertEqual(done.error, 0.01)
        XCTAssertEqual(done.reward, -0.0)
        XCTAssertEqual(done.seconds, 1.5)
        XCTAssertNil(done.message)
        XCTAssertNotNil(done.finishedAt)
        XCTAssertEqual(done.context, first.context)
        let failed = trials[1]
        XCTAssertEqual(failed.status, .failed)
        XCTAssertEqual(failed.message, "training diverged: loss is NaN at Adam step 1234")
        XCTAssertNil(failed.error)
        XCTAssertEqual(failed.stageErrors, [])
        XCTAssertNotNil(failed.finishedAt)
        XCTAssertEqual(try reader.trial(id: second.id), failed)
    }

    func testFinishedTrialsCannotBeFinishedAgain() throws {
        let store = try SQLiteStudyStore.create(at: path(), configuration: configuration())
        let trial = try XCTUnwrap(store.claimRound(worker: .current, staleAfter: 60, plan: Self.plan())).trial
        try store.complete(trialID: trial.id, outcome: Self.outcome(0))
        XCTAssertThrowsError(try store.complete(trialID: trial.id, outcome: Self.outcome(1))) {
            XCTAssertEqual($0 as? StudyStoreError, .trialNotRunning(trial.id))
        }
        XCTAssertThrowsError(try store.fail(trialID: trial.id, message: "late")) {
            XCTAssertEqual($0 as? StudyStoreError, .trialNotRunning(trial.id))
        }
        XCTAssertThrowsError(try store.heartbeat(trialID: trial.id)) {
            XCTAssertEqual($0 as? StudyStoreError, .trialNotRunning(trial.id))
        }
        XCTAssertThrowsError(try store.complete(trialID: 999, outcome: Self.outcome(1))) {
            XCTAssertEqual($0 as? StudyStoreError, .trialNotFound(999))
        }
        XCTAssertEqual(try store.trials().first?.error, 0.01, "the first outcome stands")
    }

    func testNumbersRoundTripExactlyIncludingNonFinite() throws {
        var config = configuration()
        config.seed = .max
        let store = try SQLiteStudyStore.create(at: path(), configuration: config)
        let context = [0.1, 1e-300, Double.pi, Double.leastNonzeroMagnitude, -0.0, Double.greatestFiniteMagnitude, 1.0 / 3.0]
        let trial = try XCTUnwrap(store.claimRound(worker: .current, staleAfter: 60) { _, _ in
            TrialPlan(context: context, arms: [511], seed: .max)
        }).trial
        let outcome = TrialOutcome(stageErrors: [.infinity, .nan, 2.0 / 3.0], stageRewards: [-.infinity, 0.7],
                                   error: .nan, reward: -.infinity, seconds: 12.345678901234567)
        try store.complete(trialID: trial.id, outcome: outcome)
        let read = try XCTUnwrap(SQLiteStudyStore.open(at: path()).trials().first)
        XCTAssertEqual(read.context.map(\.bitPattern), context.map(\.bitPattern))
        XCTAssertEqual(read.seed, .max)
        XCTAssertEqual(read.arms, [511])
        XCTAssertEqual(read.stageErrors.count, 3)
        XCTAssertEqual(read.stageErrors[0], .infinity)
        XCTAssertTrue(read.stageErrors[1].isNaN)
        XCTAssertEqual(read.stageErrors[2], 2.0 / 3.0)
        XCTAssertEqual(read.stageRewards, [-.infinity, 0.7])
        XCTAssertTrue(read.error?.isNaN == true, "a NaN error must not read back as nil")
        XCTAssertEqual(read.reward, -.infinity)
        XCTAssertEqual(read.seconds, 12.345678901234567)
        XCTAssertEqual(try SQLiteStudyStore.open(at: path()).configuration.seed, .max)
    }

    func testInvalidOrThrowingPlanInsertsNothing() throws {
        let store = try SQLiteStudyStore.create(at: path(), configuration: configuration(mode: "step"))
        XCTAssertThrowsError(try store.claimRound(worker: .current, staleAfter: 60) { _, _ in
            TrialPlan(context: [1], arms: [3], seed: 0)
        }) { error in
            guard case .invalidPlan? = error as? StudyStoreError else { return XCTFail("got \(error)") }
        }
        XCTAssertThrowsError(try store.claimRound(worker: .current, staleAfter: 60) { _, _ in
            TrialPlan(context: [1], arms: [3, 512], seed: 0)
        })
        XCTAssertThrowsError(try store.claimRound(worker: .current, staleAfter: 60) { _, _ in
            TrialPlan(context: [.nan], arms: [3, 5], seed: 0)
        })
        struct PlanFailure: Error {}
        XCTAssertThrowsError(try store.claimRound(worker: .current, staleAfter: 60) { _, _ in throw PlanFailure() }) {
            XCTAssertTrue($0 is PlanFailure)
        }
        XCTAssertEqual(try store.trials(), [])
        // The transaction was released: the next claim (from this and another connection) works.
        let trial = try XCTUnwrap(SQLiteStudyStore.open(at: path()).claimRound(worker: .current, staleAfter: 60, plan: Self.plan(mode: "step")))
        XCTAssertEqual(trial.trial.round, 0)
    }

    func testTrialOfDeadWorkerOnThisHostIsReclaimedUnchanged() throws {
        let store = try SQLiteStudyStore.create(at: path(), configuration: configuration(warmup: 1, rounds: 3))
        let dead = WorkerID(host: WorkerID.current.host, pid: try deadPID())
        let live = WorkerID.current
        let running = try XCTUnwrap(store.claimRound(worker: live, staleAfter: 3600, plan: Self.plan())).trial
        let abandoned = try XCTUnwrap(store.claimRound(worker: dead, staleAfter: 3600, plan: Self.plan())).trial
        XCTAssertEqual([running.round, abandoned.round], [0, 1], "a live worker's fresh trial is not reclaimed")

        let (trial, reclaimed) = try XCTUnwrap(store.claimRound(worker: live, staleAfter: 3600) { _, _ in
            XCTFail("must reclaim before planning a new round")
            return try Self.plan()([], 99)
        })
        XCTAssertTrue(reclaimed)
        XCTAssertEqual(trial.id, abandoned.id)
        XCTAssertEqual(trial.round, abandoned.round)
        XCTAssertEqual(trial.context, abandoned.context)
        XCTAssertEqual(trial.arms, abandoned.arms)
        XCTAssertEqual(trial.seed, abandoned.seed)
        XCTAssertEqual(trial.status, .running)
        XCTAssertEqual(trial.worker, live.description)
        XCTAssertEqual(trial.attempts, 2)
        XCTAssertEqual(try store.trial(id: trial.id), trial)

        // Now both running trials belong to a live worker with fresh heartbeats: the next claim is a new round.
        let next = try XCTUnwrap(store.claimRound(worker: live, staleAfter: 3600, plan: Self.plan()))
        XCTAssertFalse(next.reclaimed)
        XCTAssertEqual(next.trial.round, 2)
    }

    func testWorkerOnAnotherHostIsJudgedByHeartbeatOnly() throws {
        let store = try SQLiteStudyStore.create(at: path(), configuration: configuration(warmup: 1, rounds: 0))
        // Same pid as a dead local process, but on another host: its pid says nothing here.
        let remote = WorkerID(host: "some-other-host.example", pid: try deadPID())
        let trial = try XCTUnwrap(store.claimRound(worker: remote, staleAfter: 3600, plan: Self.plan())).trial
        XCTAssertNil(try store.claimRound(worker: .current, staleAfter: 3600, plan: Self.plan()))
        usleep(20_000)
        let reclaimed = try XCTUnwrap(store.claimRound(worker: .current, staleAfter: 0.005, plan: Self.plan()))
        XCTAssertTrue(reclaimed.reclaimed)
        XCTAssertEqual(reclaimed.trial.id, trial.id)
        XCTAssertEqual(reclaimed.trial.context, trial.context)
    }

    func testStaleHeartbeatIsReclaimedAndHeartbeatKeepsTrialAlive() throws {
        let store = try SQLiteStudyStore.create(at: path(), configuration: configuration(warmup: 1, rounds: 0))
        let holder = WorkerID(host: "cluster-node-7", pid: 4242)
        let trial = try XCTUnwrap(store.claimRound(worker: holder, staleAfter: 3600, plan: Self.plan())).trial
        usleep(20_000)
        try store.heartbeat(trialID: trial.id)
        let beaten = try XCTUnwrap(store.trial(id: trial.id))
        XCTAssertGreaterThan(beaten.heartbeatAt, trial.heartbeatAt)
        XCTAssertEqual(beaten.startedAt, trial.startedAt)
        XCTAssertEqual(beaten.worker, holder.description)
        // A fresh heartbeat protects the trial from a reasonable staleness limit...
        XCTAssertNil(try store.claimRound(worker: .current, staleAfter: 60, plan: Self.plan()))
        // ...but any heartbeat is older than zero seconds.
        usleep(2_000)
        let reclaimed = try XCTUnwrap(store.claimRound(worker: .current, staleAfter: 0, plan: Self.plan()))
        XCTAssertTrue(reclaimed.reclaimed)
        XCTAssertEqual(reclaimed.trial.id, trial.id)
        XCTAssertEqual(reclaimed.trial.seed, trial.seed)
        XCTAssertEqual(reclaimed.trial.worker, WorkerID.current.description)
        XCTAssertGreaterThan(reclaimed.trial.startedAt, trial.startedAt)
        // The new holder completes it; the old holder's late completion is refused.
        try store.complete(trialID: trial.id, outcome: Self.outcome(0))
        XCTAssertThrowsError(try store.complete(trialID: trial.id, outcome: Self.outcome(5)))
        XCTAssertEqual(try store.trials().map(\.status), [.completed])
    }

    /// The heartbeat timer stamps a running trial on its own (no training progress needed) and
    /// stops when told.
    func testHeartbeatTimerStampsUntilStopped() throws {
        let store = try SQLiteStudyStore.create(at: path(), configuration: configuration(warmup: 1, rounds: 0))
        let holder = WorkerID(host: "cluster-node-7", pid: 4242)
        let trial = try XCTUnwrap(store.claimRound(worker: holder, staleAfter: 3600, plan: Self.plan())).trial
        let heartbeat = TrialHeartbeat(store: store, trialID: trial.id, interval: 0.05)
        let beating = waitUntil(timeout: 10) {
            ((try? store.trial(id: trial.id))??.heartbeatAt ?? .distantPast) > trial.heartbeatAt.addingTimeInterval(0.1)
        }
        XCTAssertTrue(beating, "no heartbeat stamped in 10 s")
        heartbeat.stop()
        usleep(100_000)
        let last = try XCTUnwrap(store.trial(id: trial.id)).heartbeatAt
        usleep(300_000)
        XCTAssertEqual(try XCTUnwrap(store.trial(id: trial.id)).heartbeatAt, last, "stamped after stop")
    }

    func testWorkerIDLiveness() throws {
        XCTAssertFalse(WorkerID.current.isKnownDead)
        XCTAssertTrue(WorkerID(host: WorkerID.current.host, pid: try deadPID()).isKnownDead)
        XCTAssertFalse(WorkerID(host: "elsewhere", pid: try deadPID()).isKnownDead)
        XCTAssertTrue(WorkerID(host: WorkerID.current.host, pid: 0).isKnownDead, "pid 0 would address the process group")
        XCTAssertTrue(WorkerID(host: WorkerID.current.host, pid: -1).isKnownDead)
        XCTAssertFalse(WorkerID(host: WorkerID.current.host, pid: 1).isKnownDead, "init is alive even if we may not signal it")
        XCTAssertEqual(WorkerID(host: "h", pid: 12).description, "h:12")
        XCTAssertFalse(WorkerID.current.host.isEmpty)
    }

    func testOneStoreIsUsableFromSeveralThreads() throws {
        // E.g. a heartbeat timer thread next to the training thread, sharing one store.
        let store = try SQLiteStudyStore.create(at: path(), configuration: configuration(warmup: 0, rounds: 1))
        let trial = try XCTUnwrap(store.claimRound(worker: .current, staleAfter: 60, plan: Self.plan())).trial
        let failures = Locked(0)
        runConcurrently(4) { _ in
            for _ in 0..<25 {
                do { try store.heartbeat(trialID: trial.id); _ = try store.trials() } catch { failures.mutate { $0 += 1 } }
            }
        }
        XCTAssertEqual(failures.value, 0)
    }
}

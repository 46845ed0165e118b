import MetalicCore
import Foundation
import XCTest
@testable import StudyStore

/// The behaviour every `StudyStore` backend must have, written once against `StudyStorage` and
/// `any StudyStore`. Each backend subclasses this with its `makeStorage()` and one `test…` method
/// per check (XCTest on Linux discovers only the test methods a class declares itself, not
/// inherited ones; `SQLiteConformanceTests` and `PostgresConformanceTests` list the same checks).
class StoreConformanceTestCase: StudyStoreTestCase {
    /// A new, empty storage for this test (called once per test).
    func makeStorage() throws -> StudyStorage {
        preconditionFailure("\(type(of: self)) must override makeStorage()")
    }

    private var cachedStorage: StudyStorage?

    /// This test's storage.
    func storage() throws -> StudyStorage {
        if let cachedStorage { return cachedStorage }
        let made = try makeStorage()
        cachedStorage = made
        return made
    }

    /// A new study in this test's storage.
    func study(_ name: String? = "study", _ configuration: StudyConfiguration) throws -> any StudyStore {
        let (store, created) = try storage().openOrCreate(study: name, configuration: configuration)
        XCTAssertTrue(created)
        return store
    }

    /// Another connection to the same study.
    func reopen(_ store: any StudyStore) throws -> any StudyStore {
        try storage().open(study: store.studyName)
    }

    func claim(_ store: any StudyStore, worker: WorkerID = .current, policy: ClaimPolicy = patient,
               mode: String = "query") throws -> TrialLease {
        let result = try store.claimRound(worker: worker, policy: policy, plan: Self.plan(mode: mode))
        guard let lease = result.lease else { throw XCTSkip("expected a claim, got \(result)") }
        return lease
    }

    func assertLeaseLost(_ expression: @autoclosure () throws -> Void, trial id: Int64,
                         file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) {
            XCTAssertEqual($0 as? StudyStoreError, .leaseLost(trialID: id), file: file, line: line)
        }
    }

    // MARK: Studies

    func checkCreateThenOpen() throws {
        var config = configuration(settings: ["protocol": "reference", "note": "ünïcode \"quoted\"; DROP TABLE trials; '); --"])
        config.seed = .max
        let (created, isNew) = try storage().openOrCreate(study: "advection-ucb", configuration: config)
        XCTAssertTrue(isNew)
        XCTAssertEqual(created.studyName, "advection-ucb")
        XCTAssertEqual(created.configuration, config)
        let opened = try storage().open(study: "advection-ucb")
        XCTAssertEqual(opened.configuration, config)
        XCTAssertEqual(try opened.trials(), [])
        XCTAssertEqual(try storage().open(study: nil).studyName, "advection-ucb", "nil opens the only study")
        let (again, isNewAgain) = try storage().openOrCreate(study: nil, configuration: config)
        XCTAssertFalse(isNewAgain)
        XCTAssertEqual(again.studyName, "advection-ucb", "nil with one study is that study")
    }

    func checkOpenOrCreateKeepsStoredConfigurationAndRefusesOtherFamilyOrMode() throws {
        let first = try study("s", configuration())
        _ = try claim(first)
        var other = configuration()
        other.heuristic = "ts"
        other.rounds = 100
        let (second, created) = try storage().openOrCreate(study: "s", configuration: other)
        XCTAssertFalse(created)
        XCTAssertEqual(second.configuration, configuration(), "the stored configuration wins")
        XCTAssertEqual(try second.trials().count, 1)
        XCTAssertThrowsError(try storage().openOrCreate(study: "s", configuration: configuration(family: "burgers"))) { error in
            guard case .configurationMismatch(let what)? = error as? StudyStoreError else { return XCTFail("got \(error)") }
            XCTAssertTrue(what.contains("family") && what.contains("burgers") && !what.contains("mode"), what)
        }
        XCTAssertThrowsError(try storage().openOrCreate(study: "s", configuration: configuration(family: "kdv", mode: "step"))) { error in
            guard case .configurationMismatch(let what)? = error as? StudyStoreError else { return XCTFail("got \(error)") }
            XCTAssertTrue(what.contains("family") && what.contains("mode") && what.contains("step"), what)
        }
    }

    func checkManyStudiesInOneStorage() throws {
        XCTAssertThrowsError(try storage().open(study: nil)) { error in
            // An empty storage: no file yet for SQLite, an empty database for a server.
            switch error as? StudyStoreError {
            case .studyNameNeeded(available: [])?, .fileNotFound?: break
            default: XCTFail("got \(error)")
            }
        }
        let (unnamed, created) = try storage().openOrCreate(study: nil, configuration: configuration(warmup: 0, rounds: 2))
        XCTAssertTrue(created)
        XCTAssertEqual(unnamed.studyName, "default", "nil creates 'default' in an empty storage")
        let burgers = try study("burgers-step", configuration(family: "burgers", mode: "step", warmup: 1, rounds: 2))
        let advection = try study("advection", configuration(warmup: 0, rounds: 1))

        // Each study has its own rounds: round 0 exists once in each.
        let a = try claim(advection)
        let b0 = try claim(burgers, mode: "step")
        let b1 = try claim(burgers, mode: "step")
        let d = try claim(unnamed)
        XCTAssertEqual([a.trial.round, b0.trial.round, b1.trial.round, d.trial.round], [0, 0, 1, 0])
        try advection.complete(a, outcome: Self.outcome(0))
        try burgers.fail(b1, message: "diverged")
        XCTAssertEqual(try advection.trials().map(\.id), [a.trial.id])
        XCTAssertEqual(try burgers.trials().map(\.id), [b0.trial.id, b1.trial.id])
        XCTAssertEqual(try advection.claimRound(worker: .current, policy: Self.patient, plan: Self.plan()), .finished)
        // A lease of one study means nothing in another.
        XCTAssertThrowsError(try advection.complete(b0, outcome: Self.outcome(0))) {
            XCTAssertEqual($0 as? StudyStoreError, .trialNotFound(b0.trial.id))
        }

        XCTAssertThrowsError(try storage().open(study: nil)) {
            XCTAssertEqual($0 as? StudyStoreError, .studyNameNeeded(available: ["advection", "burgers-step", "default"]))
        }
        XCTAssertThrowsError(try storage().openOrCreate(study: nil, configuration: configuration())) {
            XCTAssertEqual($0 as? StudyStoreError, .studyNameNeeded(available: ["advection", "burgers-step", "default"]))
        }
        XCTAssertThrowsError(try storage().open(study: "kdv")) {
            XCTAssertEqual($0 as? StudyStoreError, .studyNotFound("kdv", available: ["advection", "burgers-step", "default"]))
            XCTAssertTrue(String(describing: $0).contains("'burgers-step'"))
        }
        XCTAssertThrowsError(try storage().openOrCreate(study: "", configuration: configuration())) { error in
            guard case .invalidStudyName? = error as? StudyStoreError else { return XCTFail("got \(error)") }
        }

        let summaries = try storage().studies()
        XCTAssertEqual(summaries.map(\.name), ["advection", "burgers-step", "default"])
        let summary = try XCTUnwrap(summaries.first { $0.name == "burgers-step" })
        XCTAssertEqual(summary.family, "burgers")
        XCTAssertEqual(summary.mode, "step")
        XCTAssertEqual(summary.heuristic, "ucb")
        XCTAssertEqual(summary.totalRounds, 3)
        XCTAssertEqual([summary.completed, summary.running, summary.failed], [0, 1, 1])
        XCTAssertEqual(summaries.map { [$0.completed, $0.running, $0.failed] }, [[1, 0, 0], [0, 1, 1], [0, 1, 0]])
        XCTAssertLessThan(abs(summary.created.timeIntervalSinceNow), 600)
    }

    func checkConcurrentOpenOrCreateCreatesExactlyOnce() throws {
        let storage = try storage()
        let results = Locked<[Result<Bool, Error>]>([])
        let config = configuration()
        runConcurrently(6) { _ in
            let result = Result { try storage.openOrCreate(study: "raced", configuration: config).created }
            results.mutate { $0.append(result) }
        }
        let created = try results.value.map { try $0.get() }
        XCTAssertEqual(created.filter { $0 }.count, 1)
        XCTAssertEqual(created.count, 6)
        XCTAssertEqual(try storage.studies().map(\.name), ["raced"])
    }

    // MARK: Claims

    func checkClaimsRoundsInOrderThenBusyThenFinished() throws {
        let store = try study("s", configuration(warmup: 2, rounds: 3))
        var seen: [Int] = []
        while true {
            let result = try store.claimRound(worker: .current, policy: Self.patient) { existing, round in
                XCTAssertEqual(existing.map(\.round), Array(0..<round), "plan sees all earlier trials, running ones included")
                return try Self.plan()(existing, round)
            }
            guard let lease = result.lease else {
                XCTAssertEqual(result, .busy(running: 5), "every round has a trial, all running")
                break
            }
            XCTAssertFalse(result.reclaimed)
            XCTAssertEqual(lease.trial.status, .running)
            XCTAssertEqual(lease.trial.worker, WorkerID.current.description)
            XCTAssertEqual(lease.trial.attempts, 1)
            XCTAssertFalse(lease.token.isEmpty)
            seen.append(lease.trial.round)
            if seen.count > 10 { return XCTFail("claim must stop at totalRounds") }
        }
        XCTAssertEqual(seen, [0, 1, 2, 3, 4])
        // Running under a live worker with fresh heartbeats: nothing to reclaim.
        XCTAssertEqual(try store.claimRound(worker: WorkerID(host: "other", pid: 1), policy: Self.patient, plan: Self.plan()),
                       .busy(running: 5))
        let trials = try store.trials()
        XCTAssertEqual(Set(trials.map(\.id)).count, 5)
        XCTAssertEqual(trials.map(\.round), [0, 1, 2, 3, 4])
    }

    func checkBusyUntilEveryRoundIsDoneThenFinished() throws {
        let store = try study("s", configuration(warmup: 0, rounds: 2))
        let first = try claim(store)
        let second = try claim(store)
        XCTAssertEqual(try store.claimRound(worker: .current, policy: Self.patient, plan: Self.plan()), .busy(running: 2))
        try store.complete(first, outcome: Self.outcome(0))
        XCTAssertEqual(try store.claimRound(worker: .current, policy: Self.patient, plan: Self.plan()), .busy(running: 1))
        try store.fail(second, message: "out of memory")
        let done = ClaimPolicy(gracePeriod: 0, maxAttempts: 1)
        XCTAssertEqual(try store.claimRound(worker: .current, policy: done) { _, _ in
            XCTFail("a finished study plans nothing")
            return try Self.plan()([], 0)
        }, .finished, "done rounds are never reclaimed, whatever the policy")
        XCTAssertEqual(try store.trials().map(\.status), [.completed, .failed])
    }

    func checkClaimReturnsWhatIsStored() throws {
        let store = try study("s", configuration(mode: "step"))
        let lease = try claim(store, mode: "step")
        XCTAssertEqual(try reopen(store).trials(), [lease.trial])
        XCTAssertEqual(lease.trial.arms, Self.arms(0, 511))
        XCTAssertEqual(lease.trial.seed, 1000)
        XCTAssertEqual(lease.trial.context, Self.context([0.25, 1.0 / 3.0]))
    }

    func checkConcurrentClaimsWithOwnConnectionsTakeEachRoundOnce() throws {
        let config = configuration(warmup: 5, rounds: 25)
        let name = try study("s", config).studyName
        let storage = try storage()
        let claims = Locked<[Int]>([])
        let problems = Locked<[String]>([])
        runConcurrently(4) { thread in
            do {
                let store = try storage.open(study: name)
                while true {
                    let result = try store.claimRound(worker: .current, policy: Self.patient) { existing, round in
                        // Under the study's lock every earlier round exists, running ones included.
                        if existing.map(\.round) != Array(0..<round) {
                            problems.mutate { $0.append("thread \(thread) planned round \(round) seeing \(existing.map(\.round))") }
                        }
                        return TrialPlan(context: Self.context([Double(round), Double(thread)]),
                                         arms: Self.arms(UInt16(thread)), seed: UInt64(round))
                    }
                    guard let lease = result.lease else { break }
                    if result.reclaimed { problems.mutate { $0.append("unexpected reclaim of \(lease.trial.round)") } }
                    claims.mutate { $0.append(lease.trial.round) }
                    usleep(UInt32.random(in: 0...2_000))
                    try store.complete(lease, outcome: Self.outcome(lease.trial.round))
                }
            } catch {
                problems.mutate { $0.append("thread \(thread): \(error)") }
            }
        }
        XCTAssertEqual(problems.value, [])
        XCTAssertEqual(claims.value.sorted(), Array(0..<config.totalRounds), "every round claimed exactly once")
        let trials = try storage.open(study: name).trials()
        XCTAssertEqual(trials.map(\.round), Array(0..<config.totalRounds))
        XCTAssertEqual(Set(trials.map(\.status)), [.completed])
        XCTAssertEqual(trials.map(\.seed), (0..<UInt64(config.totalRounds)).map { $0 })
        XCTAssertEqual(Set(trials.map(\.id)).count, trials.count)
    }

    func checkInvalidOrThrowingPlanInsertsNothing() throws {
        let store = try study("s", configuration(mode: "step"))
        XCTAssertThrowsError(try store.claimRound(worker: .current, policy: Self.patient) { _, _ in
            TrialPlan(context: Self.context([1, 2]), arms: Self.arms(3), seed: 0)
        }) { error in
            guard case .invalidPlan? = error as? StudyStoreError else { return XCTFail("got \(error)") }
        }
        XCTAssertThrowsError(try store.claimRound(worker: .current, policy: Self.patient) { _, _ in
            TrialPlan(context: ParameterValues(names: ["c"], values: [1]), arms: Self.arms(3, 5), seed: 0)
        })
        XCTAssertThrowsError(try store.claimRound(worker: .current, policy: Self.patient) { _, _ in
            TrialPlan(context: Self.context([.nan, 1]), arms: Self.arms(3, 5), seed: 0)
        })
        struct PlanFailure: Error {}
        XCTAssertThrowsError(try store.claimRound(worker: .current, policy: Self.patient) { _, _ in throw PlanFailure() }) {
            XCTAssertTrue($0 is PlanFailure)
        }
        for policy in [ClaimPolicy(gracePeriod: -1, maxAttempts: 3), ClaimPolicy(gracePeriod: .nan, maxAttempts: 3),
                       ClaimPolicy(gracePeriod: 60, maxAttempts: 0)] {
            XCTAssertThrowsError(try store.claimRound(worker: .current, policy: policy, plan: Self.plan(mode: "step"))) { error in
                guard case .invalidPolicy? = error as? StudyStoreError else { return XCTFail("got \(error)") }
            }
        }
        XCTAssertEqual(try store.trials(), [])
        // The lock was released: the next claim (from this and another connection) works.
        XCTAssertEqual(try claim(reopen(store), mode: "step").trial.round, 0)
    }

    // MARK: Leases

    func checkCompleteAndFailAreVisibleFromAnotherConnection() throws {
        let store = try study("s", configuration())
        let reader = try reopen(store)
        let first = try claim(store)
        let second = try claim(store)
        XCTAssertEqual(try reader.trials().map(\.status), [.running, .running])
        try store.complete(first, outcome: Self.outcome(0))
        try store.fail(second, message: "training diverged: loss is NaN at Adam step 1234; 'quoted' \\ \"double\"")

        let trials = try reopen(store).trials()
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
        XCTAssertEqual(done.context, first.trial.context)
        let failed = trials[1]
        XCTAssertEqual(failed.status, .failed)
        XCTAssertEqual(failed.message, "training diverged: loss is NaN at Adam step 1234; 'quoted' \\ \"double\"")
        XCTAssertNil(failed.error)
        XCTAssertEqual(failed.stageErrors, [])
        XCTAssertNotNil(failed.finishedAt)
    }

    func checkLeaseIsLostAfterReclaimAndExactlyOneResultStands() throws {
        let store = try study("s", configuration(warmup: 1, rounds: 0))
        let remote = WorkerID(host: "cluster-node-7", pid: 4242)
        let old = try claim(store, worker: remote)
        usleep(30_000)
        let result = try store.claimRound(worker: .current, policy: ClaimPolicy(gracePeriod: 0.01, maxAttempts: 3), plan: Self.plan())
        let new = try XCTUnwrap(result.lease)
        XCTAssertTrue(result.reclaimed)
        XCTAssertEqual(new.trial.id, old.trial.id)
        XCTAssertNotEqual(new.token, old.token, "a reclaim hands out a new token")
        XCTAssertEqual(new.trial.attempts, 2)
        XCTAssertEqual(new.trial.worker, WorkerID.current.description)

        // The old holder learns it lost the trial, from every call, and changes nothing.
        assertLeaseLost(try store.heartbeat(old), trial: old.trial.id)
        assertLeaseLost(try store.complete(old, outcome: Self.outcome(7)), trial: old.trial.id)
        assertLeaseLost(try store.fail(old, message: "late"), trial: old.trial.id)
        XCTAssertEqual(try store.trials(), [new.trial])
        XCTAssertTrue(StudyStoreError.leaseLost(trialID: 1).description.contains("reclaimed"))

        // The new holder's result is the one that stands; repeating it (a retry after a lost
        // acknowledgement) succeeds, a different result under the same lease does not.
        try store.heartbeat(new)
        try store.complete(new, outcome: Self.outcome(0))
        try store.complete(new, outcome: Self.outcome(0))
        assertLeaseLost(try store.complete(new, outcome: Self.outcome(1)), trial: new.trial.id)
        assertLeaseLost(try store.fail(new, message: "late"), trial: new.trial.id)
        assertLeaseLost(try store.heartbeat(new), trial: new.trial.id)
        assertLeaseLost(try store.complete(old, outcome: Self.outcome(0)), trial: old.trial.id)
        let trials = try reopen(store).trials()
        XCTAssertEqual(trials.count, 1)
        XCTAssertEqual(trials[0].status, .completed)
        XCTAssertEqual(trials[0].error, Self.outcome(0).error)
        XCTAssertEqual(trials[0].attempts, 2)

        // Unknown trials and forged tokens.
        var forged = new
        forged.trial.id = 999_999
        XCTAssertThrowsError(try store.complete(forged, outcome: Self.outcome(1))) {
            XCTAssertEqual($0 as? StudyStoreError, .trialNotFound(999_999))
        }
        let fresh = try study("other", configuration(warmup: 1, rounds: 0))
        var guessed = try claim(fresh)
        guessed.token = "'; UPDATE trials SET status = 'completed'; --"
        assertLeaseLost(try fresh.complete(guessed, outcome: Self.outcome(0)), trial: guessed.trial.id)
        XCTAssertEqual(try fresh.trials().map(\.status), [.running])
    }

    func checkFailIsIdempotentUnderTheSameLease() throws {
        let store = try study("s", configuration(warmup: 1, rounds: 0))
        let lease = try claim(store)
        try store.fail(lease, message: "killed by the OOM killer")
        try store.fail(lease, message: "killed by the OOM killer")
        assertLeaseLost(try store.fail(lease, message: "another reason"), trial: lease.trial.id)
        assertLeaseLost(try store.complete(lease, outcome: Self.outcome(0)), trial: lease.trial.id)
        XCTAssertEqual(try store.trials().map(\.message), ["killed by the OOM killer"])
    }

    func checkGracePeriodDecidesStaleness() throws {
        let store = try study("s", configuration(warmup: 1, rounds: 0))
        let holder = WorkerID(host: "cluster-node-7", pid: 4242)
        let lease = try claim(store, worker: holder)
        usleep(30_000)
        try store.heartbeat(lease)
        let beaten = try XCTUnwrap(store.trials().first)
        XCTAssertGreaterThan(beaten.heartbeatAt, lease.trial.heartbeatAt)
        XCTAssertEqual(beaten.startedAt, lease.trial.startedAt)
        XCTAssertEqual(beaten.worker, holder.description)
        // A fresh heartbeat protects the trial for the grace period...
        XCTAssertEqual(try store.claimRound(worker: .current, policy: ClaimPolicy(gracePeriod: 60, maxAttempts: 3), plan: Self.plan()),
                       .busy(running: 1))
        // ...and not beyond it.
        usleep(50_000)
        let result = try store.claimRound(worker: .current, policy: ClaimPolicy(gracePeriod: 0.02, maxAttempts: 3), plan: Self.plan())
        let reclaimed = try XCTUnwrap(result.lease)
        XCTAssertTrue(result.reclaimed)
        XCTAssertEqual(reclaimed.trial.id, lease.trial.id)
        XCTAssertEqual(reclaimed.trial.context, lease.trial.context)
        XCTAssertEqual(reclaimed.trial.arms, lease.trial.arms)
        XCTAssertEqual(reclaimed.trial.seed, lease.trial.seed)
        XCTAssertGreaterThan(reclaimed.trial.startedAt, lease.trial.startedAt, "training restarts")
    }

    func checkMaxAttemptsMarksTheRoundFailed() throws {
        let store = try store2Rounds()
        let policy = ClaimPolicy(gracePeriod: 0.01, maxAttempts: 2)
        let remote = WorkerID(host: "cluster-node-7", pid: 4242)
        let first = try claim(store, worker: remote, policy: policy)
        usleep(30_000)
        let second = try store.claimRound(worker: remote, policy: policy, plan: Self.plan())
        XCTAssertTrue(second.reclaimed)
        XCTAssertEqual(second.lease?.trial.attempts, 2)
        usleep(30_000)
        // Abandoned again after its second attempt: failed, and the claim moves on to round 1.
        let third = try store.claimRound(worker: .current, policy: policy, plan: Self.plan())
        XCTAssertFalse(third.reclaimed)
        XCTAssertEqual(third.lease?.trial.round, 1)
        let round0 = try XCTUnwrap(store.trials().first)
        XCTAssertEqual(round0.status, .failed)
        XCTAssertEqual(round0.message, "abandoned after 2 attempts")
        XCTAssertEqual(round0.attempts, 2)
        XCTAssertNotNil(round0.finishedAt)
        assertLeaseLost(try store.complete(XCTUnwrap(second.lease), outcome: Self.outcome(0)), trial: first.trial.id)
        assertLeaseLost(try store.fail(XCTUnwrap(second.lease), message: "abandoned after 2 attempts"), trial: first.trial.id)
        try store.complete(XCTUnwrap(third.lease), outcome: Self.outcome(1))
        XCTAssertEqual(try store.claimRound(worker: .current, policy: policy, plan: Self.plan()), .finished)
    }

    private func store2Rounds() throws -> any StudyStore { try study("s", configuration(warmup: 1, rounds: 1)) }

    func checkTrialOfDeadWorkerOnThisHostIsReclaimedAtOnce() throws {
        let store = try study("s", configuration(warmup: 1, rounds: 2))
        let dead = WorkerID(host: WorkerID.current.host, pid: try deadPID())
        let running = try claim(store)
        let abandoned = try claim(store, worker: dead)
        XCTAssertEqual([running.trial.round, abandoned.trial.round], [0, 1], "a live worker's fresh trial is not reclaimed")
        let result = try store.claimRound(worker: .current, policy: Self.patient) { _, _ in
            XCTFail("must reclaim before planning a new round")
            return try Self.plan()([], 99)
        }
        let reclaimed = try XCTUnwrap(result.lease)
        XCTAssertTrue(result.reclaimed)
        XCTAssertEqual(reclaimed.trial.id, abandoned.trial.id)
        XCTAssertEqual(reclaimed.trial.context, abandoned.trial.context)
        XCTAssertEqual(reclaimed.trial.seed, abandoned.trial.seed)
        XCTAssertEqual(reclaimed.trial.attempts, 2)
        XCTAssertEqual(try store.trials().first { $0.id == reclaimed.trial.id }, reclaimed.trial)
        // A worker on another host with the same pid is judged by its heartbeat only.
        let remote = WorkerID(host: "some-other-host.example", pid: dead.pid)
        let next = try store.claimRound(worker: remote, policy: Self.patient, plan: Self.plan())
        XCTAssertFalse(next.reclaimed)
        XCTAssertEqual(next.lease?.trial.round, 2)
        XCTAssertEqual(try store.claimRound(worker: .current, policy: Self.patient, plan: Self.plan()), .busy(running: 3))
    }

    func checkHeartbeatTimerStampsUntilStoppedAndReportsLostLease() throws {
        let store = try study("s", configuration(warmup: 1, rounds: 0))
        let holder = WorkerID(host: "cluster-node-7", pid: 4242)
        let lease = try claim(store, worker: holder)
        let heartbeat = TrialHeartbeat(store: store, lease: lease, interval: 0.05)
        let beating = waitUntil(timeout: 10) {
            ((try? store.trials())?.first?.heartbeatAt ?? .distantPast) > lease.trial.heartbeatAt.addingTimeInterval(0.1)
        }
        XCTAssertTrue(beating, "no heartbeat stamped in 10 s")
        heartbeat.stop()
        usleep(100_000)
        let last = try XCTUnwrap(store.trials().first).heartbeatAt
        usleep(300_000)
        XCTAssertEqual(try XCTUnwrap(store.trials().first).heartbeatAt, last, "stamped after stop")

        // While the timer runs the trial is not abandoned; once it stops, it is.
        let policy = ClaimPolicy(gracePeriod: 1, maxAttempts: 3)
        let alive = TrialHeartbeat(store: store, lease: lease, interval: 0.05)
        usleep(1_300_000)
        XCTAssertEqual(try store.claimRound(worker: .current, policy: policy, plan: Self.plan()), .busy(running: 1))
        alive.stop()
        usleep(1_300_000)
        let taken = try store.claimRound(worker: .current, policy: policy, plan: Self.plan())
        XCTAssertTrue(taken.reclaimed)

        // The old holder's timer finds the trial taken over: it says so, once, and stops.
        let lost = Locked(0)
        let orphan = TrialHeartbeat(store: store, lease: lease, interval: 0.05) { lost.mutate { $0 += 1 } }
        XCTAssertTrue(waitUntil(timeout: 10) { orphan.leaseLost })
        usleep(200_000)
        XCTAssertEqual(lost.value, 1)
        XCTAssertEqual(try store.trials().first?.worker, WorkerID.current.description)
    }

    func checkOneStoreIsUsableFromSeveralThreads() throws {
        // E.g. a heartbeat timer thread next to the training thread, sharing one store.
        let store = try study("s", configuration(warmup: 0, rounds: 1))
        let lease = try claim(store)
        let failures = Locked<[String]>([])
        runConcurrently(4) { _ in
            for _ in 0..<25 {
                do { try store.heartbeat(lease); _ = try store.trials() } catch { failures.mutate { $0.append("\(error)") } }
            }
        }
        XCTAssertEqual(failures.value, [])
    }

    // MARK: Values

    func checkNumbersRoundTripExactlyIncludingNonFinite() throws {
        var config = configuration()
        config.seed = .max
        let store = try study("s", config)
        let values = [Double.pi, 1e-300, Double.leastNonzeroMagnitude, -0.0, Double.greatestFiniteMagnitude, 1.0 / 3.0]
        let result = try store.claimRound(worker: .current, policy: Self.patient) { _, _ in
            TrialPlan(context: Self.context([values[0], values[1]]), arms: Self.arms(511), seed: .max)
        }
        let lease = try XCTUnwrap(result.lease)
        let outcome = TrialOutcome(stageErrors: [.infinity, .nan, 2.0 / 3.0, values[2], values[3]],
                                   stageRewards: [-.infinity, 0.7, values[4], values[5]],
                                   error: .nan, reward: -.infinity, seconds: 12.345678901234567)
        try store.complete(lease, outcome: outcome)
        try store.complete(lease, outcome: outcome)  // NaN equals NaN for a repeated completion
        let read = try XCTUnwrap(reopen(store).trials().first)
        XCTAssertEqual(read.context.values.map(\.bitPattern), [values[0], values[1]].map(\.bitPattern))
        XCTAssertEqual(read.seed, .max)
        XCTAssertEqual(read.arms, Self.arms(511))
        XCTAssertEqual(read.stageErrors.count, 5)
        XCTAssertEqual(read.stageErrors[0], .infinity)
        XCTAssertTrue(read.stageErrors[1].isNaN)
        XCTAssertEqual(read.stageErrors[2], 2.0 / 3.0)
        XCTAssertEqual(read.stageErrors[3].bitPattern, values[2].bitPattern, "subnormals survive")
        XCTAssertEqual(read.stageErrors[4].bitPattern, (-0.0).bitPattern, "negative zero survives")
        XCTAssertEqual(read.stageRewards.map(\.bitPattern), [-.infinity, 0.7, values[4], values[5]].map(\.bitPattern))
        XCTAssertTrue(read.error?.isNaN == true, "a NaN error must not read back as nil")
        XCTAssertEqual(read.reward, -.infinity)
        XCTAssertEqual(read.seconds, 12.345678901234567)
        XCTAssertEqual(try reopen(store).configuration.seed, .max)
    }

    func checkContextsAndArmsRoundTrip() throws {
        let store = try study("s", configuration(mode: "step", warmup: 3, rounds: 0))
        var leases: [TrialLease] = []
        let plans = [(Self.context([0.5, -2]), Self.arms(0, 511)), (Self.context([1e6, 0.125]), Self.arms(289, 1)),
                     (Self.context([-1e-9, 3]), Self.arms(256, 170))]
        for (context, arms) in plans {
            let result = try store.claimRound(worker: .current, policy: Self.patient) { _, round in
                TrialPlan(context: context, arms: arms, seed: UInt64(round) &* 0x9E37_79B9_7F4A_7C15)
            }
            leases.append(try XCTUnwrap(result.lease))
        }
        // A two-stage trial decides its L-BFGS arm after the Adam stage: completion records it.
        var outcome = Self.outcome(0)
        outcome.arms = Self.arms(0, 289)
        try store.complete(leases[0], outcome: outcome)
        try store.complete(leases[1], outcome: Self.outcome(1))
        outcome.arms = Self.arms(0, 1, 2)
        XCTAssertThrowsError(try store.complete(leases[2], outcome: outcome)) { error in
            guard case .invalidPlan? = error as? StudyStoreError else { return XCTFail("got \(error)") }
        }
        let trials = try reopen(store).trials()
        XCTAssertEqual(trials.map(\.context), plans.map(\.0))
        XCTAssertEqual(trials.map(\.arms), [Self.arms(0, 289), plans[1].1, plans[2].1], "no arms in the outcome keeps the planned ones")
        XCTAssertEqual(trials.map(\.seed), (0..<3).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 })
        XCTAssertEqual(trials[2].status, .running, "a rejected outcome changes nothing")
        XCTAssertEqual(trials[0].context.names, Self.parameterNames)
    }

    // MARK: Warm starts

    func checkTrainedParametersAndWarmStartSourcesRoundTrip() throws {
        let store = try study("s", configuration(warmup: 4, rounds: 0))
        // Bit for bit: signed zeros, subnormals, extremes, NaN, infinities; and a
        // realistic size (two [2, 20, 20, 1] networks: 1002 values).
        let special: [Double] = [0, -0.0, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude,
                                 1 / 3, -2.5e-300, .infinity, -.infinity, .nan]
        let parameters = special + (0..<992).map { sin(Double($0) * 0.731) * pow(10, Double($0 % 9) - 4) }
        let first = try claim(store)
        XCTAssertNil(first.trial.warmStartTrialID)
        XCTAssertFalse(first.trial.hasParameters)
        var outcome = Self.outcome(0)
        outcome.parameters = parameters
        try store.complete(first, outcome: outcome)
        try store.complete(first, outcome: outcome)  // a retry after a lost acknowledgement
        let without = try claim(store)
        try store.complete(without, outcome: Self.outcome(1))
        let running = try claim(store)

        // A warm start may only name a completed trial of this study that has parameters.
        for source in [without.trial.id, running.trial.id, first.trial.id + 1000] {
            XCTAssertThrowsError(try store.claimRound(worker: .current, policy: Self.patient) { _, _ in
                TrialPlan(context: Self.context([1, 2]), arms: Self.arms(3), seed: 1, warmStartTrialID: source)
            }, "source \(source)") { error in
                guard case .invalidPlan(let what)? = error as? StudyStoreError else { return XCTFail("got \(error)") }
                XCTAssertTrue(what.contains("\(source)"), what)
            }
        }
        XCTAssertEqual(try store.trials().count, 3, "a refused plan inserts nothing")
        let warm = try XCTUnwrap(try store.claimRound(worker: .current, policy: Self.patient) { trials, _ in
            XCTAssertEqual(trials.map(\.hasParameters), [true, false, false], "the plan sees which trials have parameters")
            return TrialPlan(context: Self.context([1, 2]), arms: Self.arms(3), seed: 1, warmStartTrialID: first.trial.id)
        }.lease)
        XCTAssertEqual(warm.trial.warmStartTrialID, first.trial.id)
        // A reclaimed round re-runs from the same source (the plan is kept as it is). Rounds 2
        // and 3 go stale; the first claim takes round 2 (re-stamping it), the second round 3.
        usleep(600_000)
        let impatient = ClaimPolicy(gracePeriod: 0.3, maxAttempts: 5)
        var reclaimed: [TrialLease] = []
        for _ in 0..<2 { reclaimed.append(try XCTUnwrap(try store.claimRound(worker: .current, policy: impatient, plan: Self.plan()).lease)) }
        let again = try XCTUnwrap(reclaimed.first { $0.trial.id == warm.trial.id })
        XCTAssertEqual(again.trial.warmStartTrialID, first.trial.id)
        XCTAssertEqual(again.trial.attempts, 2)
        try store.complete(again, outcome: Self.outcome(3))

        let other = try reopen(store)
        let trials = try other.trials()
        XCTAssertEqual(trials.map(\.warmStartTrialID), [nil, nil, nil, first.trial.id])
        XCTAssertEqual(trials.map(\.hasParameters), [true, false, false, false])
        let stored = try XCTUnwrap(try other.parameters(ofTrial: first.trial.id))
        XCTAssertEqual(stored.map(\.bitPattern), parameters.map(\.bitPattern))
        XCTAssertNil(try other.parameters(ofTrial: without.trial.id))
        XCTAssertNil(try other.parameters(ofTrial: running.trial.id))
        XCTAssertThrowsError(try other.parameters(ofTrial: first.trial.id + 1000)) {
            XCTAssertEqual($0 as? StudyStoreError, .trialNotFound(first.trial.id + 1000))
        }
    }
}

import MetalicCore
import Foundation
import XCTest
@testable import StudyStore

/// Several connections (threads) and several OS processes working on one study file.
final class ConcurrencyTests: StudyStoreTestCase {
    func testThreadsWithOwnConnectionsClaimEachRoundExactlyOnce() throws {
        let config = configuration(warmup: 5, rounds: 35)
        _ = try SQLiteStudyStore.create(at: path(), configuration: config)
        let target = path()
        let claims = Locked<[Int]>([])
        let problems = Locked<[String]>([])
        runConcurrently(4) { thread in
            do {
                let store = try SQLiteStudyStore.open(at: target)
                let worker = WorkerID(host: WorkerID.current.host, pid: getpid())
                while let claimed = try store.claimRound(worker: worker, staleAfter: 3600, plan: { existing, round in
                    // Inside the write transaction every earlier round exists, pending ones included.
                    if existing.map(\.round) != Array(0..<round) {
                        problems.mutate { $0.append("thread \(thread) planned round \(round) seeing \(existing.map(\.round))") }
                    }
                    return TrialPlan(context: [Double(round)], arms: [UInt16(thread)], seed: UInt64(round))
                }) {
                    if claimed.reclaimed { problems.mutate { $0.append("unexpected reclaim of \(claimed.trial.round)") } }
                    claims.mutate { $0.append(claimed.trial.round) }
                    usleep(UInt32.random(in: 0...2_000))
                    try store.complete(trialID: claimed.trial.id, outcome: Self.outcome(claimed.trial.round))
                }
            } catch {
                problems.mutate { $0.append("thread \(thread): \(error)") }
            }
        }
        XCTAssertEqual(problems.value, [])
        XCTAssertEqual(claims.value.sorted(), Array(0..<config.totalRounds), "every round claimed exactly once")
        let trials = try SQLiteStudyStore.open(at: target).trials()
        XCTAssertEqual(trials.map(\.round), Array(0..<config.totalRounds))
        XCTAssertEqual(Set(trials.map(\.status)), [.completed])
        XCTAssertEqual(trials.map(\.seed), (0..<UInt64(config.totalRounds)).map { $0 })
        XCTAssertEqual(Set(trials.map(\.id)).count, trials.count)
    }

    func testWorkerProcessesClaimEachRoundExactlyOnce() throws {
        let config = configuration(warmup: 4, rounds: 20)
        _ = try SQLiteStudyStore.create(at: path(), configuration: config)
        let children = try (0..<3).map { index in
            try ChildWorker.spawn(study: path(), log: path("worker-\(index).log"), pauseMicroseconds: 20_000)
        }
        for child in children {
            XCTAssertTrue(waitUntil(timeout: 60) { !child.isRunning }, "worker process did not finish")
            if child.isRunning { child.terminate() }
            child.waitUntilExit()
            XCTAssertEqual(child.terminationReason, .exit)
            XCTAssertEqual(child.terminationStatus, 0, "worker process failed")
        }
        let trials = try SQLiteStudyStore.open(at: path()).trials()
        XCTAssertEqual(trials.map(\.round), Array(0..<config.totalRounds))
        XCTAssertEqual(Set(trials.map(\.status)), [.completed])
        XCTAssertTrue(trials.allSatisfy { $0.attempts == 1 })
        let logged = try (0..<3).flatMap { try ChildWorker.completedIDs(log: path("worker-\($0).log")) }
        XCTAssertEqual(logged.sorted(), trials.map(\.id).sorted(), "each trial completed by exactly one process")
        let pids = Set(trials.map(\.worker))
        print("StudyStore: \(config.totalRounds) rounds done by \(pids.count) worker process(es): \(pids.sorted())")
        XCTAssertFalse(pids.contains(WorkerID.current.description), "the test process itself claimed nothing")
    }
}

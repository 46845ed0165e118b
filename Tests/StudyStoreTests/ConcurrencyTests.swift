import MetalicCore
import Foundation
import XCTest
@testable import StudyStore

/// Several OS processes working on one SQLite study file (threads: `StoreConformanceTestCase`;
/// processes on PostgreSQL, with kills and a restart: `ChaosTests`).
final class ConcurrencyTests: StudyStoreTestCase {
    func testWorkerProcessesClaimEachRoundExactlyOnce() throws {
        let config = configuration(warmup: 4, rounds: 20)
        _ = try SQLiteStudyStore.create(at: path(), study: "shared", configuration: config)
        let children = try (0..<3).map { index in
            try ChildWorker.spawn(storage: .sqlite(path: path()), study: "shared", log: path("worker-\(index).log"),
                                  options: .init(pauseMicroseconds: 20_000))
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

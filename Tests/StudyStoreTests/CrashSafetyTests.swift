import MetalicCore
import Foundation
import XCTest
@testable import StudyStore

/// A worker killed with SIGKILL at any moment must not lose a completed trial nor damage the file.
final class CrashSafetyTests: StudyStoreTestCase {
    /// Our own store in a child process, killed at a random point of its claim/complete loop:
    /// every trial it reported completed (after `complete` returned) must be completed in the file,
    /// the file must pass an integrity check, and the trial it was running must be reclaimable.
    func testSIGKILLedWorkerProcessLosesNoCompletedTrial() throws {
        _ = try SQLiteStudyStore.create(at: path(), configuration: configuration(warmup: 0, rounds: 100_000))
        let log = path("worker.log")
        let child = try ChildWorker.spawn(storage: .sqlite(path: path()), study: "default", log: log)
        let enough = waitUntil(timeout: 30) { ((try? ChildWorker.completedIDs(log: log))?.count ?? 0) >= 40 || !child.isRunning }
        XCTAssertTrue(child.isRunning, "worker exited early with status \(child.terminationStatus)")
        XCTAssertTrue(enough)
        usleep(UInt32.random(in: 0...5_000))
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .uncaughtSignal)

        let reported = Set(try ChildWorker.completedIDs(log: log))
        let store = try SQLiteStudyStore.open(at: path())
        XCTAssertEqual(try store.integrityProblems(), [])
        let trials = try store.trials()
        let completed = Set(trials.filter { $0.status == .completed }.map(\.id))
        XCTAssertTrue(reported.isSubset(of: completed), "lost: \(reported.subtracting(completed).sorted())")
        XCTAssertGreaterThanOrEqual(completed.count, 40)
        XCTAssertEqual(trials.map(\.round), Array(0..<trials.count), "rounds stay contiguous")
        for trial in trials where trial.status == .completed {
            XCTAssertEqual(trial.error, Self.outcome(trial.round).error)
            XCTAssertEqual(trial.stageErrors, Self.outcome(trial.round).stageErrors)
        }
        // At most one trial was mid-flight; its worker is dead, so it is reclaimed, unchanged.
        let running = trials.filter { $0.status == .running }
        XCTAssertLessThanOrEqual(running.count, 1)
        let next = try store.claimRound(worker: .current, policy: Self.patient, plan: Self.plan())
        if let orphan = running.first {
            XCTAssertTrue(next.reclaimed)
            XCTAssertEqual(next.lease?.trial.id, orphan.id)
            XCTAssertEqual(next.lease?.trial.context, orphan.context)
            XCTAssertEqual(next.lease?.trial.seed, orphan.seed)
        } else {
            XCTAssertFalse(next.reclaimed)
            XCTAssertEqual(next.lease?.trial.round, trials.count)
        }
    }

    /// The `sqlite3` shell killed in the middle of a large uncommitted write transaction (which
    /// spills pages into the WAL and tampers with completed rows): the study opens, the completed
    /// trials are exactly as before, and nothing of the killed transaction is visible.
    func testSIGKILLDuringForeignWriteTransactionKeepsStudyIntact() throws {
        let sqlite3 = "/usr/bin/sqlite3"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: sqlite3), "sqlite3 shell not installed")
        let store = try SQLiteStudyStore.create(at: path(), configuration: configuration(warmup: 2, rounds: 3))
        for _ in 0..<4 {
            let lease = try XCTUnwrap(store.claimRound(worker: .current, policy: Self.patient, plan: Self.plan()).lease)
            try store.complete(lease, outcome: Self.outcome(lease.trial.round))
        }
        let before = try store.trials()

        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: sqlite3)
        shell.arguments = [path()]
        let input = Pipe()
        shell.standardInput = input
        shell.standardOutput = FileHandle.nullDevice
        shell.standardError = FileHandle.nullDevice
        try shell.run()
        let script = """
            PRAGMA busy_timeout = 10000;
            PRAGMA cache_size = 50;
            BEGIN IMMEDIATE;
            UPDATE trials SET status = 'failed', error = NULL, message = 'tampered' WHERE status = 'completed';
            WITH RECURSIVE n(i) AS (SELECT 1000 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000)
            INSERT INTO trials (study_id, round, context, arms, seed, status, worker, worker_host, worker_pid, started_at, heartbeat_at)
            SELECT 1, i, '[0.5, 0.25]', '[7]', i, 'running', 'shell', 'shell', 1, 0, 0 FROM n;
            COMMIT;

            """
        input.fileHandleForWriting.write(Data(script.utf8))
        try input.fileHandleForWriting.close()
        // Wait until the transaction has spilled a good amount into the WAL, then kill.
        let wal = path() + "-wal"
        let spilled = waitUntil(timeout: 10) {
            ((try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0) > 2_000_000 || !shell.isRunning
        }
        XCTAssertTrue(shell.isRunning, "the shell finished before it could be killed")
        XCTAssertTrue(spilled)
        kill(shell.processIdentifier, SIGKILL)
        shell.waitUntilExit()
        XCTAssertEqual(shell.terminationReason, .uncaughtSignal)

        let reopened = try SQLiteStudyStore.open(at: path())
        XCTAssertEqual(try reopened.integrityProblems(), [])
        XCTAssertEqual(try reopened.trials(), before)
        XCTAssertEqual(try store.trials(), before, "the connection open during the crash also sees the committed state")
        // And the study goes on.
        let next = try XCTUnwrap(reopened.claimRound(worker: .current, policy: Self.patient, plan: Self.plan()).lease)
        XCTAssertEqual(next.trial.round, 4)
        try reopened.complete(next, outcome: Self.outcome(4))
        XCTAssertEqual(try reopened.claimRound(worker: .current, policy: Self.patient, plan: Self.plan()), .finished)
    }
}

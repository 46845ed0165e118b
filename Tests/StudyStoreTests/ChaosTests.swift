import MetalicCore
import Foundation
import XCTest
@testable import StudyStore

/// Four worker processes on one study, SIGKILLed at random moments (and replaced), one of them
/// frozen (SIGSTOP) mid-trial for longer than the grace period, and — for PostgreSQL — the server
/// restarted once mid-run: at the end every round has exactly one completed result, no round was
/// completed twice, the killed workers' rounds were reclaimed, and the frozen worker's late
/// completion was refused.
final class ChaosTests: StudyStoreTestCase {
    func testPostgresWorkersKilledAndServerRestartedMidRun() throws {
        let database = try PostgresTestServer.createDatabase()
        defer { try? database.drop() }
        try runChaos(storage: .postgres(url: database.url), restartServer: true)
    }

    func testSQLiteWorkersKilledMidRun() throws {
        try runChaos(storage: .sqlite(path: path("chaos.db")), restartServer: false)
    }

    /// Whether a write transaction can start now (a SQLite file's lock is free); always true for
    /// a server, where a single-statement heartbeat holds no lock once it was sent.
    private func othersCanWrite(_ storage: StudyStorage) throws -> Bool {
        guard case .sqlite(let path) = storage else { return true }
        let connection = try SQLiteConnection(path: path, create: false, busyTimeout: 0.5)
        do {
            try connection.execute("BEGIN IMMEDIATE")
            try connection.execute("ROLLBACK")
            return true
        } catch StudyStoreError.sqlite(code: 5, _) {
            return false
        }
    }

    private struct Worker {
        var process: Process
        var log: String
    }

    private func runChaos(storage: StudyStorage, restartServer: Bool) throws {
        let start = Date()
        let rounds = 48
        let (store, _) = try storage.openOrCreate(study: "chaos", configuration: configuration(warmup: 0, rounds: rounds))
        // Trials "train" 0.3 s while heart-beating every 0.1 s; a second without one is abandonment.
        let options = ChildWorker.Options(pauseMicroseconds: 300_000, gracePeriod: 1.0)
        var workers: [Worker] = []
        func spawn() throws {
            let log = path("worker-\(workers.count).log")
            workers.append(Worker(process: try ChildWorker.spawn(storage: storage, study: "chaos", log: log, options: options), log: log))
        }
        for _ in 0..<4 { try spawn() }

        var killed: [Worker] = []
        var restartWanted = restartServer
        var restarted = false
        var frozen: (worker: Worker, round: Int)?
        var serverStarts: [String] = []
        let deadline = start.addingTimeInterval(50)
        while Date() < deadline {
            usleep(UInt32.random(in: 200_000...500_000))
            let live = workers.filter(\.process.isRunning)
            if live.isEmpty { break }
            // The frozen worker is spared, so that it lives to try its late completion.
            let killable = live.filter { $0.process !== frozen?.worker.process }
            let completed = workers.reduce(0) { $0 + ((try? ChildWorker.completedIDs(log: $1.log).count) ?? 0) }
            if killed.count < 6, completed < rounds - 6, !killable.isEmpty {
                // Every other kill hits a worker in the middle of a trial (its last line is a claim).
                let midTrial = killable.filter { (try? ChildWorker.entries(log: $0.log).last?.event) == "claimed" }
                guard let victim = (killed.count % 2 == 0 ? midTrial.randomElement() : nil) ?? killable.randomElement() else { continue }
                kill(victim.process.processIdentifier, SIGKILL)
                victim.process.waitUntilExit()
                killed.append(victim)
                try spawn()
            }
            if frozen == nil, killed.count >= 1,
               let victim = workers.first(where: { worker in
                   worker.process.isRunning && !killed.contains { $0.process === worker.process }
                       && (try? ChildWorker.entries(log: worker.log).last?.event) == "claimed"
               }),
               let round = try ChildWorker.entries(log: victim.log).last?.round {
                // Frozen until its trial, stale after the grace period, has gone to another worker;
                // thawed at once, while the new holder trains, so that its completion races theirs.
                let pid = victim.process.processIdentifier
                kill(pid, SIGSTOP)
                // A worker frozen inside a write transaction (a heartbeat, here) would hold a SQLite
                // file's write lock and stall everyone: thaw it and try again at the next turn.
                guard try othersCanWrite(storage) else {
                    kill(pid, SIGCONT)
                    continue
                }
                let taken = waitUntil(timeout: 15) {
                    ((try? store.trials())?.first { $0.round == round }?.worker).map { $0 != "\(WorkerID.current.host):\(pid)" } ?? false
                }
                kill(pid, SIGCONT)
                XCTAssertTrue(taken, "the frozen worker's trial was not reclaimed")
                frozen = (victim, round)
            }
            // The restart comes while rounds remain, so workers are cut off in the middle of their calls.
            if restartWanted, !restarted, killed.count >= 2, completed < rounds - 6 {
                let admin = try PostgresTestServer.adminURL()
                serverStarts.append(try PostgresTestServer.execute(admin, "SELECT pg_postmaster_start_time()::text").first?[0] ?? "")
                restarted = try PostgresTestServer.restart()
                if !restarted {
                    print("ChaosTests: \(PostgresTestServer.dataDirectoryVariable) is not set: the server is not restarted")
                    restartWanted = false
                }
                serverStarts.append(try PostgresTestServer.execute(admin, "SELECT pg_postmaster_start_time()::text").first?[0] ?? "")
            }
        }
        for worker in workers where !killed.contains(where: { $0.process === worker.process }) {
            let finished = waitUntil(timeout: max(1, deadline.timeIntervalSinceNow)) { !worker.process.isRunning }
            XCTAssertTrue(finished, "worker \(worker.log) did not finish")
            if worker.process.isRunning { worker.process.terminate() }
            worker.process.waitUntilExit()
            let stderr = (try? String(contentsOfFile: worker.log + ".stderr", encoding: .utf8)) ?? ""
            XCTAssertEqual(worker.process.terminationStatus, 0, "worker \(worker.log) failed: \(stderr.suffix(2000))")
        }

        // Every round has exactly one completed result.
        let trials = try storage.open(study: "chaos").trials()
        XCTAssertEqual(trials.map(\.round), Array(0..<rounds))
        XCTAssertEqual(trials.filter { $0.status == .completed }.count, rounds, "\(trials.filter { $0.status != .completed })")
        for trial in trials where trial.status == .completed {
            XCTAssertEqual(trial.error, Self.outcome(trial.round).error)
        }
        // No round was completed twice: each accepted completion is the holder's recorded in the
        // study (its process is the trial's worker).
        var completions: [Int: [String]] = [:]
        var lost = 0
        for worker in workers {
            let entries = try ChildWorker.entries(log: worker.log)
            lost += entries.filter { $0.event == "lost" }.count
            for entry in entries where entry.event == "completed" {
                completions[entry.round, default: []].append("\(WorkerID.current.host):\(worker.process.processIdentifier)")
            }
        }
        for (round, completers) in completions {
            XCTAssertEqual(completers.count, 1, "round \(round) completed by \(completers)")
            XCTAssertEqual(completers.first, trials[round].worker, "round \(round)")
        }
        // The rounds the killed workers held were reclaimed and completed by others.
        var orphans = 0
        for victim in killed {
            guard let last = try ChildWorker.entries(log: victim.log).last, last.event == "claimed" else { continue }
            let trial = trials[last.round]
            // Killed after its completion committed but before it logged it: not an orphan.
            if trial.worker == "\(WorkerID.current.host):\(victim.process.processIdentifier)" { continue }
            orphans += 1
            XCTAssertGreaterThanOrEqual(trial.attempts, 2, "round \(last.round) of a killed worker")
            XCTAssertNotEqual(trial.worker, "\(WorkerID.current.host):\(victim.process.processIdentifier)")
        }
        // The frozen worker learnt it lost its trial instead of writing a second result.
        if let (worker, round) = frozen {
            let entries = try ChildWorker.entries(log: worker.log).filter { $0.round == round }
            let stderr = (try? String(contentsOfFile: worker.log + ".stderr", encoding: .utf8)) ?? ""
            XCTAssertEqual(entries.map(\.event), ["claimed", "lost"],
                           "round \(round) of the frozen worker (exit \(worker.process.terminationStatus)): \(stderr.suffix(1500))")
            XCTAssertNotEqual(trials[round].worker, "\(WorkerID.current.host):\(worker.process.processIdentifier)")
            XCTAssertGreaterThanOrEqual(trials[round].attempts, 2)
        } else {
            XCTFail("no worker was frozen mid-trial")
        }
        XCTAssertGreaterThanOrEqual(killed.count, 2, "the run ended before the kills")
        XCTAssertGreaterThanOrEqual(orphans, 1, "no worker was killed in the middle of a trial")
        if restartWanted {
            XCTAssertTrue(restarted)
            XCTAssertEqual(serverStarts.count, 2)
            XCTAssertNotEqual(serverStarts.first, serverStarts.last, "the server did not restart")
        }
        print("ChaosTests (\(storage.description.prefix(10))…): \(rounds) rounds, \(workers.count) processes, \(killed.count) killed "
              + "(\(orphans) mid-trial), 1 frozen, \(trials.filter { $0.attempts > 1 }.count) reclaimed, \(lost) leases lost, "
              + "server restarted: \(restarted), \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
    }
}

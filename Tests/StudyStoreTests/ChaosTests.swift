import MetalicCore
import Foundation
import XCTest
@testable import StudyStore

/// Four worker processes on one study, SIGKILLed at random moments (and replaced), and — for
/// PostgreSQL — the server restarted once mid-run: at the end every round has exactly one
/// completed result, no round was completed twice, and the killed workers' rounds were reclaimed.
final class ChaosTests: StudyStoreTestCase {
    func testPostgresWorkersKilledAndServerRestartedMidRun() throws {
        let database = try PostgresTestServer.createDatabase()
        defer { try? database.drop() }
        try runChaos(storage: .postgres(url: database.url), restartServer: true)
    }

    func testSQLiteWorkersKilledMidRun() throws {
        try runChaos(storage: .sqlite(path: path("chaos.db")), restartServer: false)
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
        var serverStarts: [String] = []
        let deadline = start.addingTimeInterval(50)
        while Date() < deadline {
            usleep(UInt32.random(in: 200_000...500_000))
            let live = workers.filter(\.process.isRunning)
            if live.isEmpty { break }
            let completed = workers.reduce(0) { $0 + ((try? ChildWorker.completedIDs(log: $1.log).count) ?? 0) }
            if killed.count < 6, completed < rounds - 6 {
                // Every other kill hits a worker in the middle of a trial (its last line is a claim).
                let midTrial = live.filter { (try? ChildWorker.entries(log: $0.log).last?.event) == "claimed" }
                let victim = (killed.count % 2 == 0 ? midTrial.randomElement() : nil) ?? live.randomElement()!
                kill(victim.process.processIdentifier, SIGKILL)
                victim.process.waitUntilExit()
                killed.append(victim)
                try spawn()
            }
            if restartWanted, !restarted, killed.count >= 2 {
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
            orphans += 1
            let trial = trials[last.round]
            XCTAssertGreaterThanOrEqual(trial.attempts, 2, "round \(last.round) of a killed worker")
            XCTAssertNotEqual(trial.worker, "\(WorkerID.current.host):\(victim.process.processIdentifier)")
        }
        XCTAssertGreaterThanOrEqual(killed.count, 2, "the run ended before the kills")
        XCTAssertGreaterThanOrEqual(orphans, 1, "no worker was killed in the middle of a trial")
        if restartWanted {
            XCTAssertTrue(restarted)
            XCTAssertEqual(serverStarts.count, 2)
            XCTAssertNotEqual(serverStarts.first, serverStarts.last, "the server did not restart")
        }
        _ = store
        print("ChaosTests (\(storage.description.prefix(10))…): \(rounds) rounds, \(workers.count) processes, \(killed.count) killed "
              + "(\(orphans) mid-trial), \(trials.filter { $0.attempts > 1 }.count) reclaimed, \(lost) leases lost, "
              + "server restarted: \(restarted), \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
    }
}

import Foundation
import XCTest

/// Four `metalic meta-train --wait` worker processes on one study, SIGKILLed again and again at
/// random moments and restarted, with (PostgreSQL) a server restart in the middle: at the end
/// every round is completed exactly once, nothing once completed is lost or changed, and every
/// completed round's error is what an uninterrupted `solve` of its context, arm and seed gives.
extension CommandLineTests {
    func testChaosOnPostgreSQL() throws {
        guard let url = try postgresURLForTests() else { return }
        try runChaos(storage: url, studyName: "chaos-\(UUID().uuidString.prefix(8))",
                     restartServer: ProcessInfo.processInfo.environment["METALIC_TEST_POSTGRES_DATADIR"])
    }

    func testChaosOnSQLite() throws {
        try runChaos(storage: "sqlite:///" + path("chaos.db"), studyName: "chaos", restartServer: nil)
    }

    /// The server of the PostgreSQL tests (`scripts/with-postgres.sh` starts one); a missing server
    /// fails the test, unless METALIC_SKIP_POSTGRES=1 says to skip.
    func postgresURLForTests() throws -> String? {
        let env = ProcessInfo.processInfo.environment
        if let url = env["METALIC_TEST_POSTGRES_URL"], !url.isEmpty { return url }
        if env["METALIC_SKIP_POSTGRES"] == "1" { throw XCTSkip("METALIC_SKIP_POSTGRES=1") }
        XCTFail("METALIC_TEST_POSTGRES_URL is not set: run the tests through `bash scripts/with-postgres.sh swift test …` (or set METALIC_SKIP_POSTGRES=1)")
        return nil
    }

    func runChaos(storage: String, studyName: String, restartServer dataDirectory: String?) throws {
        let rounds = 16, warmup = 4
        let args = ["meta-train", "reaction", "--storage", storage, "--study-name", studyName, "--rounds", "\(rounds)", "--warmup", "\(warmup)",
                    "--adam", "250", "--lbfgs", "0", "--heartbeat-interval", "0.3", "--grace-period", "1.5", "--max-attempts", "20", "--wait"]
        var workers = try (0..<4).map { _ in try launch(args).0 }
        var rng = SystemRandomNumberGenerator()
        var kills = 0, restarted = false
        var seen = [Int: String]()   // round → "context arm seed error" once completed
        let deadline = Date().addingTimeInterval(180)
        func completedRows() throws -> [[String]] {
            let r = try run(["study", "trials", "--storage", storage, "--study-name", studyName, "--format", "csv"])
            guard r.status == 0 else { return [] }  // the server may be restarting
            return r.stdout.split(separator: "\n").dropFirst().map(csvFields).filter { $0[1] == "completed" }
        }
        while Date() < deadline {
            Thread.sleep(forTimeInterval: Double.random(in: 0.2...0.7, using: &rng))
            for row in try completedRows() {
                let round = Int(row[0])!, record = row[2...5].joined(separator: " ")
                if let before = seen[round] { XCTAssertEqual(record, before, "round \(round) changed after it completed") }
                seen[round] = record
            }
            if seen.count == rounds + warmup && kills >= 10 { break }
            if kills < 12 {
                let k = Int.random(in: 0..<workers.count, using: &rng)
                kill(workers[k].processIdentifier, SIGKILL)
                workers[k].waitUntilExit()
                kills += 1
                workers[k] = try launch(args).0
            }
            if kills == 5, !restarted, let dataDirectory {
                try restartPostgres(dataDirectory)
                restarted = true
            }
        }
        // Let the last workers finish their rounds (with --wait they exit once the study is done).
        for w in workers { w.waitUntilExit() }
        XCTAssertGreaterThanOrEqual(kills, 10)
        if dataDirectory != nil { XCTAssert(restarted) }

        let all = try run(["study", "trials", "--storage", storage, "--study-name", studyName, "--format", "csv"])
        XCTAssertEqual(all.status, 0, all.stderr)
        let rows = all.stdout.split(separator: "\n").dropFirst().map(csvFields)
        XCTAssertEqual(rows.map { Int($0[0])! }, Array(0..<(rounds + warmup)), "one trial per round")
        XCTAssertEqual(rows.filter { $0[1] == "completed" }.count, rounds + warmup, rows.map { $0[1] }.joined(separator: ","))
        for row in rows {
            let round = Int(row[0])!, record = row[2...5].joined(separator: " ")
            if let before = seen[round] { XCTAssertEqual(record, before, "round \(round) changed after it completed") }
        }
        XCTAssertGreaterThan(rows.map { Int($0[9])! }.max()!, 1, "no round was ever reclaimed: the kills missed every training")
        // Each completed round is exactly what its context, arm and seed give when trained alone.
        for row in rows.shuffled(using: &rng).prefix(4) {
            let r = try run(["solve", "reaction", "--param", "rho=\(row[2])", "--arm", row[3], "--seed", row[4], "--adam", "250", "--lbfgs", "0",
                             "--out", path("replay-\(row[0])"), "--quiet"])
            XCTAssertEqual(r.status, 0, r.stderr)
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("replay-\(row[0])") + "/summary.json"))) as! [String: Any]
            // The same training; the error agrees to rounding (solve also records errors during training,
            // whose evaluation sums in another order: measured differences ≤ 3 ulp).
            XCTAssertEqual(summary["error"] as! Double, Double(row[5])!, accuracy: 1e-12 * Double(row[5])!, "round \(row[0]) replayed")
        }
    }

    /// `pg_ctl restart` of the test cluster, as the data directory's owner (the server refuses root).
    func restartPostgres(_ dataDirectory: String) throws {
        let env = ProcessInfo.processInfo.environment
        let pgCtl = (env["METALIC_TEST_POSTGRES_BINDIR"].map { $0 + "/pg_ctl" }) ?? "pg_ctl"
        let owner = try FileManager.default.attributesOfItem(atPath: dataDirectory)[.ownerAccountName] as? String ?? ""
        let argv = getuid() == 0 && owner != "root"
            ? ["/usr/sbin/runuser", "-u", owner, "--", pgCtl, "restart", "-D", dataDirectory, "-m", "fast", "-w", "-l", dataDirectory + "/../restart.log"]
            : [pgCtl, "restart", "-D", dataDirectory, "-m", "fast", "-w", "-l", dataDirectory + "/../restart.log"]
        // posix_spawn and waitpid rather than Foundation's Process: the restarted server inherits
        // the descriptors Process watches for the child's exit, and would keep it waiting forever.
        var pid: pid_t = 0
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        XCTAssertEqual(posix_spawn(&pid, argv[0], nil, nil, cArgs, environ), 0, "cannot start \(argv[0])")
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        XCTAssertEqual(status, 0, "pg_ctl restart failed (status \(status))")
    }
}

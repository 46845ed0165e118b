import Foundation
import XCTest

/// Studies named by storage URL and study name, several in one database, inspected with
/// `metalic study` in every format.
extension CommandLineTests {
    func testStudiesByURLAndTheirInspection() throws {
        let storage = "sqlite:///" + path("many.db")  // an absolute path: sqlite:////tmp/…
        let budget = ["--warmup", "2", "--adam", "20", "--lbfgs", "5"]
        for (name, heuristic) in [("first", "ucb"), ("second", "random")] {
            let r = try run(["meta-train", "reaction", "--storage", storage, "--study-name", name, "--heuristic", heuristic, "--rounds", "1"] + budget)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        // list: both studies, with their progress, in the three formats.
        let list = try JSONSerialization.jsonObject(with: Data(try run(["study", "list", "--storage", storage, "--format", "json"]).stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(Set(list.map { $0["name"] as! String }), ["first", "second"])
        for s in list {
            XCTAssertEqual(s["completed"] as? Int, 3)
            XCTAssertEqual(s["family"] as? String, "reaction")
        }
        let csv = try run(["study", "list", "--storage", storage, "--format", "csv"]).stdout.split(separator: "\n")
        XCTAssertEqual(csv.first, "name,family,mode,heuristic,rounds,completed,running,failed")
        XCTAssertEqual(csv.count, 3)
        XCTAssert(try run(["study", "list", "--storage", storage]).stdout.contains("second"))

        // trials: one row per round, contexts that read back as numbers in the family's range.
        let trials = try run(["study", "trials", "--storage", storage, "--study-name", "first", "--format", "csv"]).stdout.split(separator: "\n")
        XCTAssertEqual(trials.first, "round,status,rho,arms,seed,error,reward,seconds,worker,attempts,warm start")
        XCTAssertEqual(trials.count, 4)
        for row in trials.dropFirst() {
            let f = csvFields(row)
            XCTAssertEqual(f[1], "completed")
            XCTAssert((1...15).contains(Double(f[2])!), "\(row)")
            XCTAssertEqual(-log10(Double(f[5])!), Double(f[6])!, accuracy: 1e-9)
        }
        // show and best: the settings stored, and a learned arm that `solve` would also pick.
        let show = try JSONSerialization.jsonObject(with: Data(try run(["study", "show", "--storage", storage, "--study-name", "first", "--format", "json"]).stdout.utf8)) as! [String: Any]
        XCTAssertEqual(show["heuristic"] as? String, "ucb")
        XCTAssertEqual(show["completed"] as? Int, 3)
        XCTAssertEqual(show["adam"] as? Int, 20)
        let best = try run(["study", "best", "--storage", storage, "--study-name", "first", "--param", "rho=4", "--format", "json"])
        XCTAssertEqual(best.status, 0, best.stderr)
        let arm = ((try JSONSerialization.jsonObject(with: Data(best.stdout.utf8)) as! [[String: Any]])[0]["arm"] as! String)
        let solve = try run(["solve", "reaction", "--param", "rho=4", "--storage", storage, "--study-name", "first", "--adam", "5", "--lbfgs", "0", "--out", path("s")])
        XCTAssertEqual(solve.status, 0, solve.stderr)
        XCTAssert(solve.stdout.contains("picks \(arm) for"), "study best says \(arm); solve: \(solve.stdout)")

        // effects: one row per parameter value, nine finite effects each, and the figure.
        let effects = try run(["study", "effects", "--storage", storage, "--study-name", "first", "--points", "4", "--format", "csv", "--out", path("fx")])
        XCTAssertEqual(effects.status, 0, effects.stderr)
        let fx = effects.stdout.split(separator: "\n")
        XCTAssertEqual(fx.first, "parameter,value,u,uavg,residual,rc,flux,uyy,gres,ux,uxx")
        XCTAssertEqual(fx.dropFirst().map { Double(csvFields($0)[1])! }, [1, 5.666666666666667, 10.333333333333334, 15])
        XCTAssert(fx.dropFirst().allSatisfy { csvFields($0).dropFirst(2).allSatisfy { Double($0)!.isFinite } })
        XCTAssert(FileManager.default.fileExists(atPath: path("fx") + "/effects-rho.png"))
        XCTAssert(effects.stderr.contains("effects-rho.png"), effects.stderr)
        let pdf = try run(["study", "effects", "--storage", storage, "--study-name", "first", "--points", "4", "--out", path("fx-pdf"),
                           "--plot-format", "pdf"])
        XCTAssertEqual(pdf.status, 0, pdf.stderr)
        XCTAssert(pdf.stdout.contains("\(path("fx-pdf"))/effects-rho.pdf"), pdf.stdout)
        XCTAssertEqual(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path("fx-pdf") + "/effects-rho.pdf")).prefix(5), as: UTF8.self), "%PDF-")

        // Without --study-name a storage with two studies is ambiguous; unknown names and URLs are refused.
        for (args, message) in [(["study", "show", "--storage", storage], "first"),
                                (["study", "show", "--storage", storage, "--study-name", "third"], "third"),
                                (["study", "list", "--storage", "mysql://x/y"], "postgresql://")] {
            let r = try run(args)
            XCTAssertNotEqual(r.status, 0, "\(args)")
            XCTAssert(r.stderr.hasPrefix("Error: ") && r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }

    func testEvaluateSummaryAsJSON() throws {
        let db = path("e.db")
        XCTAssertEqual(try run(["meta-train", "reaction", "--study", db, "--rounds", "1", "--warmup", "2", "--adam", "20", "--lbfgs", "5"]).status, 0)
        let r = try run(["evaluate", "reaction", "--study", db, "--contexts", "2", "--fixed-arm", "u", "--out", path("ev"), "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(rows.map { $0["strategy"] as! String }, ["learned (e.db)", "random", "fixed u"])
        // The summary agrees with evaluation.csv.
        let csv = try String(contentsOfFile: path("ev/evaluation.csv"), encoding: .utf8).split(separator: "\n").dropFirst(2).map(csvFields)
        for row in rows {
            let errors = csv.filter { $0[2] == row["strategy"] as! String }.map { Double($0[4])! }
            XCTAssertEqual(row["instances"] as? Int, 2)
            XCTAssertEqual(row["mean_error"] as! Double, errors.reduce(0, +) / 2, accuracy: 1e-12)
        }
        XCTAssert(r.stderr.contains("instance"), "progress goes to stderr with --format json")
    }
}

/// What a user gets wrong with a server: every case a one-line error, a non-zero exit, and no
/// study left behind.
extension CommandLineTests {
    func testBadStorageInputOnPostgreSQL() throws {
        guard let url = try postgresURLForTests() else { return }
        guard var parts = URLComponents(string: url) else { return XCTFail("cannot parse \(url)") }
        let name = "bad-input-\(UUID().uuidString.prefix(8))"
        let budget = ["--rounds", "1", "--warmup", "1", "--adam", "5", "--lbfgs", "0"]
        XCTAssertEqual(try run(["meta-train", "reaction", "--storage", url, "--study-name", name] + budget).status, 0)

        var wrongUser = parts
        wrongUser.user = "nosuchrole"
        let unreachable = "postgresql://postgres@127.0.0.1:1/postgres"
        parts.path = "/nosuchdatabase"
        let cases: [([String], String)] = [
            (["study", "list", "--storage", unreachable], "127.0.0.1:1"),
            (["study", "list", "--storage", wrongUser.string!], "nosuchrole"),
            (["study", "list", "--storage", parts.string!], "nosuchdatabase"),
            (["study", "show", "--storage", url, "--study-name", "no-such-study"], "no-such-study"),
            // The same name with another family: refused, the existing study untouched.
            (["meta-train", "advection", "--storage", url, "--study-name", name] + budget, "family"),
        ]
        for (args, message) in cases {
            let started = Date()
            let r = try run(args)
            XCTAssertNotEqual(r.status, 0, "\(args)")
            let lines = r.stderr.split(separator: "\n")
            XCTAssert(lines.count == 1 && lines[0].hasPrefix("Error: ") && lines[0].contains(message), "\(args): \(r.stderr)")
            XCTAssertLessThan(Date().timeIntervalSince(started), 30, "\(args) took too long to give up")
        }
        let list = try JSONSerialization.jsonObject(with: Data(try run(["study", "list", "--storage", url, "--format", "json"]).stdout.utf8)) as! [[String: Any]]
        XCTAssertFalse(list.contains { ($0["name"] as? String) == "no-such-study" }, "show created a study")
        let ours = list.filter { ($0["name"] as? String) == name }
        XCTAssertEqual(ours.count, 1)
        XCTAssertEqual(ours.first?["family"] as? String, "reaction")
        XCTAssertEqual(ours.first?["completed"] as? Int, 2)
    }
}

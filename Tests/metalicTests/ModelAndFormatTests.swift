import Foundation
import XCTest

/// `solve`'s model.json with `predict` and `--init-from`, and `--format json|csv` parsed back.
extension CommandLineTests {
    func testPredictEvaluatesTheSavedModelAndItsDerivatives() throws {
        let out = path("solve-model")
        XCTAssertEqual(try run(["solve", "advection", "--param", "beta=3", "--arm", "u", "--adam", "80", "--lbfgs", "20", "--out", out, "--quiet"]).status, 0)
        let model = "\(out)/model.json"
        XCTAssert(FileManager.default.fileExists(atPath: model))

        // The solution grid of solve, predicted again from model.json, at points a subdomain owns.
        let solution = try String(contentsOfFile: "\(out)/solution.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").map { Double($0)! } }
            .filter { $0[1] != 0.5 && $0[2].isFinite }   // y = 0.5 is the interface line (NaN in solution.csv)
        let sample = stride(from: 0, to: solution.count, by: 97).map { solution[$0] }
        try (["x,y"] + sample.map { "\($0[0]),\($0[1])" }).joined(separator: "\n").write(toFile: path("points.csv"), atomically: true, encoding: .utf8)
        let r = try run(["predict", "--model", model, "--points", path("points.csv"), "--derivatives", "u_x,u_t", "--out", path("u.csv")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try String(contentsOfFile: path("u.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.first, "x,y,u,u_x,u_t")
        let values = rows.dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        XCTAssertEqual(values.count, sample.count)
        for (v, s) in zip(values, sample) {
            XCTAssertEqual(v[2], s[2], accuracy: 1e-12 * max(1, abs(s[2])), "u at \(s[0]), \(s[1])")
        }
        // u_x and u_t against central differences of predicted u.
        let h = 1e-4
        let probes = [[1.0, 0.2], [4.0, 0.8]]
        var lines = ["x,y"]
        for p in probes {
            for (dx, dt) in [(h, 0.0), (-h, 0.0), (0.0, h), (0.0, -h), (0.0, 0.0)] { lines.append("\(p[0] + dx),\(p[1] + dt)") }
        }
        try lines.joined(separator: "\n").write(toFile: path("probes.csv"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try run(["predict", "--model", model, "--points", path("probes.csv"), "--derivatives", "u_x,u_t", "--out", path("p.csv")]).status, 0)
        let p = try String(contentsOfFile: path("p.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").map { Double($0)! } }
        for k in probes.indices {
            let b = 5 * k
            XCTAssertEqual(p[b + 4][3], (p[b][2] - p[b + 1][2]) / (2 * h), accuracy: 1e-5, "u_x")
            XCTAssertEqual(p[b + 4][4], (p[b + 2][2] - p[b + 3][2]) / (2 * h), accuracy: 1e-5, "u_t")
        }

        // Bad input: a model of nothing, a point outside the domain, an unknown derivative.
        try "not json".write(toFile: path("bad.json"), atomically: true, encoding: .utf8)
        try "x,y\n10,0.5\n".write(toFile: path("outside.csv"), atomically: true, encoding: .utf8)
        for (args, message) in [(["predict", "--model", path("bad.json"), "--points", path("points.csv")], "not a metalic model"),
                                (["predict", "--model", model, "--points", path("outside.csv"), "--out", path("o.csv")], "not in the domain"),
                                (["predict", "--model", model, "--points", path("points.csv"), "--derivatives", "u_z"], "'z' is not x, y or t"),
                                (["solve", "reaction", "--param", "rho=2", "--init-from", model, "--adam", "5", "--lbfgs", "0"], "not reaction")] {
            let r = try run(args)
            XCTAssertNotEqual(r.status, 0, "\(args)")
            XCTAssert(r.stderr.hasPrefix("Error: ") && r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }

    /// `--init-from` continues where the saved training stopped: with a budget of zero the result
    /// is the saved model's error, and a few more iterations do not start from scratch.
    func testSolveContinuesFromASavedModel() throws {
        let first = path("first")
        XCTAssertEqual(try run(["solve", "reaction", "--param", "rho=2", "--arm", "u", "--adam", "100", "--lbfgs", "100", "--out", first, "--quiet"]).status, 0)
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(first)/model.json"))) as! [String: Any]
        let savedError = saved["error"] as! Double
        let cont = path("continued")
        let r = try run(["solve", "reaction", "--param", "rho=2", "--arm", "u", "--adam", "0", "--lbfgs", "1", "--init-from", "\(first)/model.json", "--out", cont, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(cont)/summary.json"))) as! [String: Any]
        // One L-BFGS step from the saved networks: near their error, far below a fresh start's (~1).
        XCTAssertLessThan(summary["error"] as! Double, 2 * savedError + 0.05)
        let fresh = try run(["solve", "reaction", "--param", "rho=2", "--arm", "u", "--adam", "0", "--lbfgs", "1", "--out", path("fresh"), "--quiet"])
        let freshSummary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(path("fresh"))/summary.json"))) as! [String: Any]
        XCTAssertEqual(fresh.status, 0)
        XCTAssertGreaterThan(freshSummary["error"] as! Double, 1.5 * (summary["error"] as! Double))  // measured 1.24 vs 0.60
        XCTAssertLessThan(savedError, 0.8)
    }

    func testFormatJSONAndCSVParseBack() throws {
        let families = try run(["families", "--format", "json"])
        XCTAssertEqual(families.status, 0)
        let list = try JSONSerialization.jsonObject(with: Data(families.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(list.map { $0["name"] as! String }, ["advection", "reaction", "heat", "burgers", "kdv", "poisson"])
        let beta = (list[0]["parameters"] as! [[String: Any]])[0]
        XCTAssertEqual(beta["name"] as? String, "beta")
        XCTAssertEqual(beta["upper"] as? Double, 30)

        let conditions = try run(["conditions", "--format", "csv"])
        let rows = conditions.stdout.split(separator: "\n")
        XCTAssertEqual(rows.first, "bit,name,formula")
        XCTAssertEqual(rows.dropFirst().map { $0.split(separator: ",")[1] }, ["u", "uavg", "residual", "rc", "flux", "uyy", "gres", "ux", "uxx"])
        let json = try JSONSerialization.jsonObject(with: Data(try run(["conditions", "--format", "json"]).stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(json.map { $0["bit"] as! Int }, Array(0..<9))
    }
}

extension CommandLineTests {
    /// `--quiet` on the long commands: only the result is printed.
    func testQuietLongCommandsPrintOnlyTheResult() throws {
        let db = path("quiet.db")
        let m = try run(["meta-train", "reaction", "--study", db, "--rounds", "1", "--warmup", "1", "--adam", "10", "--lbfgs", "0", "--quiet"])
        XCTAssertEqual(m.status, 0, m.stderr)
        XCTAssertEqual(m.stdout.split(separator: "\n").count, 1, m.stdout)
        XCTAssert(m.stdout.hasPrefix("study "), m.stdout)
        let loud = try run(["meta-train", "reaction", "--study", path("loud.db"), "--rounds", "1", "--warmup", "1", "--adam", "10", "--lbfgs", "0"])
        XCTAssertGreaterThan(loud.stdout.split(separator: "\n").count, 2, "without --quiet: progress lines")
        let e = try run(["evaluate", "reaction", "--study", db, "--contexts", "1", "--fixed-arm", "u", "--out", path("qe"), "--quiet", "--format", "csv"])
        XCTAssertEqual(e.status, 0, e.stderr)
        XCTAssertEqual(e.stderr, "")
        XCTAssertEqual(e.stdout.split(separator: "\n").first, "strategy,instances,mean_error,median_error,mean_reward")
    }
}

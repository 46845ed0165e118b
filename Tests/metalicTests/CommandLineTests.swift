import XCTest
import Foundation
import StudyStore

/// End-to-end tests of the built `metalic` binary with tiny budgets.
final class CommandLineTests: XCTestCase {
    /// The executable sits next to the test bundle in the build products directory.
    var binary: URL {
        var dir = Bundle.main.bundleURL
        if dir.pathExtension == "xctest" { dir = dir.deletingLastPathComponent() }
        return dir.appendingPathComponent("metalic")
    }

    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("metalic-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        XCTAssert(FileManager.default.isExecutableFile(atPath: binary.path), "no metalic binary at \(binary.path)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    struct Run { let status: Int32; let stdout: String; let stderr: String }

    func launch(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return (p, out, err)
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> Run {
        let (p, out, err) = try launch(arguments)
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func path(_ name: String) -> String { scratch.appendingPathComponent(name).path }

    // MARK: solve

    func testSolveWritesConsistentFiles() throws {
        let out = path("solve")
        let r = try run(["solve", "reaction", "--param", "rho=3", "--arm", "u,rc", "--adam", "60", "--lbfgs", "40", "--out", out, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssert(r.stdout.contains("relative L2 error"))
        for f in ["summary.json", "solution.csv", "solution.png", "loss.csv", "loss.png"] {
            XCTAssert(FileManager.default.fileExists(atPath: "\(out)/\(f)"), "missing \(f)")
        }
        // summary.json
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/summary.json"))) as! [String: Any]
        XCTAssertEqual(summary["family"] as? String, "reaction")
        XCTAssertEqual((summary["parameters"] as? [String: Double])?["rho"], 3)
        XCTAssertEqual((summary["arms"] as? [String: String])?["adam"], "u,rc")
        let error = try XCTUnwrap(summary["error"] as? Double)
        XCTAssertEqual(summary["reward"] as! Double, -log10(error), accuracy: 1e-9)
        XCTAssertNotNil(summary["lbfgsStopReason"] as? String)
        // solution.csv: the error column is |predicted − reference|, and the relative L2 error matches the summary.
        let lines = try String(contentsOfFile: "\(out)/solution.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines[0], "x,y,predicted,reference,abs_error")
        var num = 0.0, den = 0.0
        for line in lines.dropFirst() {
            let v = line.split(separator: ",").map { Double($0)! }
            XCTAssertEqual(v[4], abs(v[2] - v[3]), accuracy: 1e-12)
            num += v[4] * v[4]; den += v[3] * v[3]
        }
        XCTAssertEqual(lines.count - 1, 101 * 100)   // 101 × 101 grid without the interface line t = 0.5
        XCTAssertEqual((num / den).squareRoot(), error, accuracy: 1e-6 * error)
        // PNGs: valid signature and the stated size.
        for (f, w, h) in [("solution.png", 1500, 480), ("loss.png", 900, 560)] {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(f)")))
            XCTAssertEqual(Array(bytes[0..<8]), [137, 80, 78, 71, 13, 10, 26, 10])
            XCTAssertEqual(String(decoding: bytes[12..<16], as: UTF8.self), "IHDR")
            func be32(_ o: Int) -> Int { bytes[o..<(o + 4)].reduce(0) { $0 << 8 | Int($1) } }
            XCTAssertEqual(be32(16), w); XCTAssertEqual(be32(20), h)
        }
        let loss = try String(contentsOfFile: "\(out)/loss.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(loss[0], "iteration,stage,loss,error")
        XCTAssertGreaterThan(loss.count, 10)
    }

    /// --plot-format svg and pdf write the figures under their own extensions, and nothing else is accepted.
    func testSolveDrawsFiguresInTheRequestedFormat() throws {
        let out = path("svg")
        let r = try run(["solve", "reaction", "--param", "rho=3", "--adam", "20", "--lbfgs", "0", "--out", out, "--quiet", "--plot-format", "svg"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: out))
        XCTAssert(files.isSuperset(of: ["solution.svg", "loss.svg"]), "\(files)")
        XCTAssert(files.isDisjoint(with: ["solution.png", "loss.png"]), "\(files)")
        for (f, w, h) in [("solution.svg", 1500, 480), ("loss.svg", 900, 560)] {
            let svg = try String(contentsOfFile: "\(out)/\(f)", encoding: .utf8)
            XCTAssert(svg.hasPrefix("<?xml"), f)
            XCTAssert(svg.contains("width=\"\(w)px\" height=\"\(h)px\""), f)
            XCTAssert(svg.contains("<title>"), f)
            XCTAssert(svg.hasSuffix("</svg>\n"), f)
        }
        let pdf = try run(["solve", "reaction", "--param", "rho=3", "--adam", "20", "--lbfgs", "0", "--out", path("pdf"), "--quiet", "--plot-format", "pdf"])
        XCTAssertEqual(pdf.status, 0, pdf.stderr)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path("pdf/loss.pdf")))
        XCTAssertEqual(String(decoding: bytes.prefix(5), as: UTF8.self), "%PDF-")
        XCTAssertGreaterThan(bytes.count, 5_000)
        let bad = try run(["solve", "reaction", "--param", "rho=3", "--adam", "20", "--lbfgs", "0", "--out", path("jpeg"), "--plot-format", "jpeg"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssert(bad.stderr.contains("png") && bad.stderr.contains("svg") && bad.stderr.contains("pdf"), bad.stderr)
    }

    /// --precision float32 trains with the Float32 engine, says so in summary.json, and reaches the
    /// Float64 run's error to within Float32 rounding's effect on 100 iterations.
    func testSolveInFloat32() throws {
        func solve(_ precision: String) throws -> [String: Any] {
            let out = path("solve-\(precision)")
            let r = try run(["solve", "reaction", "--param", "rho=3", "--arm", "u,rc", "--adam", "60", "--lbfgs", "40", "--out", out,
                             "--quiet", "--precision", precision])
            XCTAssertEqual(r.status, 0, r.stderr)
            return try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/summary.json"))) as! [String: Any]
        }
        let (single, double) = (try solve("float32"), try solve("float64"))
        XCTAssertEqual((single["options"] as? [String: Any])?["precision"] as? String, "float32")
        XCTAssertEqual((double["options"] as? [String: Any])?["precision"] as? String, "float64")
        let (e32, e64) = (try XCTUnwrap(single["error"] as? Double), try XCTUnwrap(double["error"] as? Double))
        XCTAssertNotEqual(e32, e64)
        XCTAssertEqual(e32, e64, accuracy: 0.05 * e64)
    }

    /// A zero stage budget is a request for the other stage alone: `--lbfgs 0` trains Adam only,
    /// `--adam 0` L-BFGS only, and summary.json lists just that stage.
    func testZeroStageBudgetTrainsTheOtherStageOnly() throws {
        for (adam, lbfgs, stage) in [("40", "0", "adam"), ("0", "30", "lbfgs")] {
            let out = path("solve-\(stage)")
            let r = try run(["solve", "reaction", "--param", "rho=3", "--adam", adam, "--lbfgs", lbfgs, "-o", out, "--quiet"])
            XCTAssertEqual(r.status, 0, r.stderr)
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/summary.json"))) as! [String: Any]
            let stages = try XCTUnwrap(summary["stages"] as? [[String: Any]])
            XCTAssertEqual(stages.map { $0["name"] as? String }, [stage])
            XCTAssertGreaterThan(stages[0]["iterations"] as? Int ?? 0, 0)
            XCTAssertEqual(summary["error"] as? Double, stages[0]["error"] as? Double)
        }
    }

    /// Every command that writes a result takes `--out` and `-o` for it.
    func testEveryOutputOptionIsOutWithShortO() throws {
        for flag in ["--out", "-o"] {
            let file = path("reference\(flag).csv")
            let r = try run(["reference", "reaction", "--param", "rho=2", flag, file])
            XCTAssertEqual(r.status, 0, r.stderr)
            let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
            XCTAssertEqual(lines.first, "x,y,u")
            XCTAssertGreaterThan(lines.count, 100)
        }
        for command in ["solve", "evaluate", "landscape", "reference"] {
            let help = try run([command, "--help"]).stdout
            XCTAssert(help.contains("-o, --out"), "\(command) --help: \(help)")
        }
    }

    /// A study whose trials all fail ends with a non-zero exit that says how many failed. (The
    /// stored settings are edited to a negative budget, which every training refuses.)
    func testMetaTrainExitsNonZeroWhenTrialsFail() throws {
        let db = path("failing.db")
        let c = StudyConfiguration(family: "reaction", parameterNames: ["rho"], mode: "query", heuristic: "ucb", warmupRounds: 2, rounds: 1, seed: 0,
                                   settings: ["adam": "-5", "lbfgs": "5", "protocol": "forward", "lineSearch": "fixedStep",
                                              "precision": "float64", "secondStageSeesFirstArm": "false"])
        _ = try SQLiteStudyStore.create(at: db, configuration: c)
        let r = try run(["meta-train", "reaction", "--study", db, "--rounds", "1", "--warmup", "2", "--adam", "5", "--lbfgs", "5"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssert(r.stderr.contains("3 of 3 trials failed"), r.stderr)
        XCTAssertEqual(try SQLiteStudyStore.open(at: db).trials().map(\.status), [.failed, .failed, .failed])
    }

    /// summary.json spells non-finite numbers as the study store does: "NaN", "Infinity".
    func testNonFiniteNumbersHaveOneSpelling() throws {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = NonFiniteNumbers.encoding
        XCTAssertEqual(String(decoding: try encoder.encode([Double.nan, .infinity, -.infinity]), as: UTF8.self), #"["NaN","Infinity","-Infinity"]"#)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = NonFiniteNumbers.decoding
        XCTAssert(try decoder.decode([Double].self, from: Data(#"["NaN"]"#.utf8))[0].isNaN)
    }

    /// `--version` prints the version that summary.json records; the completion scripts of all
    /// three shells complete family and arm names.
    func testVersionAndCompletionScripts() throws {
        let version = try run(["--version"])
        XCTAssertEqual(version.status, 0, version.stderr)
        let number = version.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertNotNil(number.range(of: #"^\d+\.\d+\.\d+$"#, options: .regularExpression), number)
        let out = path("solve-version")
        XCTAssertEqual(try run(["solve", "reaction", "--param", "rho=2", "--adam", "5", "--lbfgs", "0", "-o", out, "--quiet"]).status, 0)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/summary.json"))) as! [String: Any]
        XCTAssertEqual(summary["version"] as? String, "metalic \(number)")
        for shell in ["bash", "zsh", "fish"] {
            let script = try run(["--generate-completion-script", shell])
            XCTAssertEqual(script.status, 0, script.stderr)
            for word in ["burgers", "kdv", "poisson", "uavg", "flux", "meta-train"] {
                XCTAssert(script.stdout.contains(word), "\(shell) completion lacks \(word)")
            }
        }
    }

    // MARK: bad input

    func testBadInputGivesOneLineErrorAndNonZeroExit() throws {
        let file = path("not-a-study.db")
        try "hello".write(toFile: file, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["solve", "navier", "--param", "x=1"], "unknown family 'navier'"),
            (["solve", "advection", "--param", "beta=100"], "outside its range"),
            (["solve", "advection"], "needs a value for parameter 'beta'"),
            (["solve", "advection", "--param", "gamma=1"], "has no parameter 'gamma'"),
            (["solve", "advection", "--param", "beta=5", "--arm", "u,bogus"], "unknown interface condition 'bogus'"),
            (["solve", "advection", "--param", "beta=5", "--arm", "1010"], "has 4 bits"),
            (["solve", "advection", "--param", "beta=5", "--adam", "0", "--lbfgs", "0"], "nothing to train"),
            (["solve", "advection", "--param", "beta=5", "--lbfgs=-3"], "cannot be negative"),
            (["meta-train", "advection", "--study", path("s.db"), "--mode", "step", "--lbfgs", "0"], "needs both --adam and --lbfgs"),
            (["solve", "advection", "--param", "beta=5", "--precision", "float16"], "float16"),
            (["solve", "advection", "--param", "beta=5", "--study", path("missing.db")], "does not exist"),
            (["solve", "advection", "--param", "beta=5", "--study", file, "--adam", "1", "--lbfgs", "1"], "not a SQLite database"),
            (["solve", "advection", "--param", "beta=5", "--out", "/dev/null/out"], "output"),
            (["meta-train", "advection", "--study", file, "--rounds", "1"], "not a SQLite database"),
            (["evaluate", "advection", "--study", path("missing.db")], "does not exist"),
        ]
        for (args, message) in cases {
            let r = try run(args)
            XCTAssertNotEqual(r.status, 0, "\(args) succeeded")
            let firstLine = r.stderr.split(separator: "\n").first.map(String.init) ?? ""
            XCTAssert(firstLine.hasPrefix("Error: ") && firstLine.contains(message), "\(args): got \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("Fatal error") || r.stderr.contains("Stack dump"), "\(args) crashed")
        }
        // A study of another family refuses to be resumed with this one.
        XCTAssertEqual(try run(["meta-train", "reaction", "--study", path("r.db"), "--rounds", "1", "--warmup", "1", "--adam", "5", "--lbfgs", "5"]).status, 0)
        let wrong = try run(["meta-train", "advection", "--study", path("r.db"), "--rounds", "1", "--adam", "5", "--lbfgs", "5"])
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssert(wrong.stderr.contains("family"), wrong.stderr)
    }

    // MARK: meta-train

    func completedRounds(_ db: String) throws -> [Int] {
        try SQLiteStudyStore.open(at: db).trials().filter { $0.status == .completed }.map(\.round)
    }

    func testMetaTrainCreatesTheRightNumberOfTrialsAndEvaluateUsesThem() throws {
        let db = path("study.db")
        let r = try run(["meta-train", "reaction", "--study", db, "--rounds", "3", "--warmup", "2", "--adam", "20", "--lbfgs", "10"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try completedRounds(db).sorted(), [0, 1, 2, 3, 4])
        XCTAssertEqual(r.stdout.components(separatedBy: "round ").count - 1, 5)
        // Running again is a no-op resume.
        XCTAssertEqual(try run(["meta-train", "reaction", "--study", db, "--rounds", "3", "--warmup", "2", "--adam", "20", "--lbfgs", "10"]).status, 0)
        XCTAssertEqual(try completedRounds(db).count, 5)
        let e = try run(["evaluate", "reaction", "--study", db, "--contexts", "2", "--fixed-arm", "u", "--fixed-arm", "uavg,rc", "--out", path("eval")])
        XCTAssertEqual(e.status, 0, e.stderr)
        let file = try String(contentsOfFile: path("eval/evaluation.csv"), encoding: .utf8)
        let csv = file.split(separator: "\n").dropFirst()   // the settings line
        XCTAssertEqual(csv.count, 1 + 2 * 4)    // 2 instances × (learned, random, fixed u, fixed uavg,rc)
        // Every row has the header's fields, names with commas quoted.
        for row in csv { XCTAssertEqual(csvFields(row).count, csvFields(csv.first!).count, String(row)) }
        XCTAssertEqual(Set(csv.dropFirst().map { csvFields($0)[2] }), ["learned (study.db)", "random", "fixed u", "fixed uavg,rc"])
        // Rerunning resumes: nothing is retrained, the file and the table are unchanged.
        let again = try run(["evaluate", "reaction", "--study", db, "--contexts", "2", "--fixed-arm", "u", "--fixed-arm", "uavg,rc", "--out", path("eval")])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssert(again.stdout.contains("resuming: 8 of 8 trainings"), again.stdout)
        XCTAssertEqual(try String(contentsOfFile: path("eval/evaluation.csv"), encoding: .utf8), file)
        let table = { (out: String) in out.split(separator: "\n").filter { $0.hasPrefix("| ") } }
        XCTAssertEqual(table(again.stdout), table(e.stdout))
        // Interrupted: drop the last two rows (one cut mid-line) and rerun; exactly those are retrained.
        var lines = file.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast(3)   // the empty string after the final newline and two rows
        try (lines.joined(separator: "\n") + "\n" + "1,2.5,\"fixed").write(toFile: path("eval/evaluation.csv"), atomically: true, encoding: .utf8)
        let resumed = try run(["evaluate", "reaction", "--study", db, "--contexts", "2", "--fixed-arm", "u", "--fixed-arm", "uavg,rc", "--out", path("eval")])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssert(resumed.stdout.contains("resuming: 6 of 8 trainings"), resumed.stdout)
        XCTAssertEqual(table(resumed.stdout), table(e.stdout))
        // Other settings in the same directory are refused, not mixed in.
        let other = try run(["evaluate", "reaction", "--study", db, "--contexts", "3", "--out", path("eval")])
        XCTAssertNotEqual(other.status, 0)
        XCTAssert(other.stderr.contains("other settings"), other.stderr)
        XCTAssert(FileManager.default.fileExists(atPath: path("eval/accumulated-error.png")))
        XCTAssert(e.stdout.contains("eval/accumulated-error.png"), e.stdout)
        // Several studies on the same instances: one learned strategy per non-random study.
        let randomDB = path("random.db")
        XCTAssertEqual(try run(["meta-train", "reaction", "--study", randomDB, "--heuristic", "random", "--rounds", "1", "--warmup", "2",
                                "--adam", "20", "--lbfgs", "10"]).status, 0)
        let both = try run(["evaluate", "reaction", "--study", db, "--study", randomDB, "--contexts", "2", "--fixed-arm", "u", "--out", path("eval2")])
        XCTAssertEqual(both.status, 0, both.stderr)
        let rows = try String(contentsOfFile: path("eval2/evaluation.csv"), encoding: .utf8).split(separator: "\n").dropFirst(2)
        XCTAssertEqual(rows.count, 2 * 4)
        XCTAssertEqual(Set(rows.map { csvFields($0)[2] }), ["learned (study.db)", "explore (random.db)", "random", "fixed u"])
        // The same instance, seed and arm give the same error in both evaluations.
        let firstFixed = { (text: String) in csvFields(text.split(separator: "\n").first { $0.hasPrefix("0,") && $0.contains("\"fixed u\"") }!).dropLast() }
        XCTAssertEqual(firstFixed(try String(contentsOfFile: path("eval/evaluation.csv"), encoding: .utf8)), firstFixed(rows.joined(separator: "\n")))
        // Studies trained with other training options (here budgets) are not compared.
        XCTAssertEqual(try run(["meta-train", "reaction", "--study", path("other.db"), "--rounds", "1", "--warmup", "1", "--adam", "5", "--lbfgs", "5"]).status, 0)
        let mixed = try run(["evaluate", "reaction", "--study", db, "--study", path("other.db"), "--contexts", "1", "--out", path("eval3")])
        XCTAssertNotEqual(mixed.status, 0)
        XCTAssert(mixed.stderr.contains("other training options"), mixed.stderr)
        let s = try run(["solve", "reaction", "--param", "rho=2", "--study", db, "--adam", "10", "--lbfgs", "10", "--out", path("solve-study")])
        XCTAssertEqual(s.status, 0, s.stderr)
        XCTAssert(s.stdout.contains("picks"))
    }

    /// Two-stage studies: each trial records the Adam arm and the L-BFGS arm chosen after seeing
    /// the Adam-stage reward, and `solve --study` follows the two-stage rule.
    func testStepModeRecordsBothArmsAndSolveFollowsTheTwoStageRule() throws {
        let db = path("step.db")
        let r = try run(["meta-train", "heat", "--study", db, "--mode", "step", "--heuristic", "ts", "--rounds", "4", "--warmup", "2",
                         "--adam", "20", "--lbfgs", "10"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let trials = try SQLiteStudyStore.open(at: db).trials()
        XCTAssertEqual(trials.count, 6)
        XCTAssert(trials.allSatisfy { $0.status == .completed && $0.arms.count == 2 && $0.stageErrors.count == 2 })
        XCTAssertEqual(try SQLiteStudyStore.open(at: db).configuration.mode, "step")
        let s = try run(["solve", "heat", "--param", "a=1", "--param", "b=0", "--param", "c=0", "--param", "d=1", "--study", db,
                         "--adam", "10", "--lbfgs", "10", "--out", path("solve-step")])
        XCTAssertEqual(s.status, 0, s.stderr)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("solve-step/summary.json")))) as! [String: Any]
        XCTAssertEqual((summary["arms"] as? [String: String])?.count, 2)
        // A query-mode command cannot resume a step-mode study.
        let wrong = try run(["meta-train", "heat", "--study", db, "--mode", "query", "--rounds", "4", "--warmup", "2", "--adam", "20", "--lbfgs", "10"])
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssert(wrong.stderr.contains("mode"), wrong.stderr)
    }

    func testSigkillMidRunLosesNothingAndResumeCompletes() throws {
        let db = path("killed.db")
        let args = ["meta-train", "reaction", "--study", db, "--rounds", "10", "--warmup", "2", "--adam", "150", "--lbfgs", "100"]
        let (p, _, _) = try launch(args)
        // Wait until a few trials are completed, then kill without warning.
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: db), let n = try? completedRounds(db).count, n >= 3 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let before = try SQLiteStudyStore.open(at: db).trials().filter { $0.status == .completed }
        XCTAssertGreaterThanOrEqual(before.count, 3)
        XCTAssertLessThan(before.count, 12, "killed too late to test anything")
        let r = try run(args)
        XCTAssertEqual(r.status, 0, r.stderr)
        let after = try SQLiteStudyStore.open(at: db).trials()
        XCTAssertEqual(after.map(\.round).sorted(), Array(0..<12))
        XCTAssert(after.allSatisfy { $0.status == .completed })
        // Completed trials survived unchanged.
        for t in before { XCTAssertEqual(after.first { $0.round == t.round }, t) }
    }

    func testTwoWorkerProcessesShareAStudyWithoutDuplicates() throws {
        let db = path("shared.db")
        let args = ["meta-train", "reaction", "--study", db, "--rounds", "8", "--warmup", "2", "--adam", "60", "--lbfgs", "40"]
        // Create the study first so both workers open the same configuration.
        let (a, ao, _) = try launch(args)
        let (b, bo, _) = try launch(args)
        let outA = String(decoding: ao.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let outB = String(decoding: bo.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        a.waitUntilExit(); b.waitUntilExit()
        XCTAssertEqual(a.terminationStatus, 0); XCTAssertEqual(b.terminationStatus, 0)
        let trials = try SQLiteStudyStore.open(at: db).trials()
        XCTAssertEqual(trials.map(\.round).sorted(), Array(0..<10))
        XCTAssertEqual(Set(trials.map(\.id)).count, 10)
        XCTAssert(trials.allSatisfy { $0.status == .completed })
        // Both processes did work (each prints one line per trial it completed).
        let linesA = outA.components(separatedBy: " round ").count - 1, linesB = outB.components(separatedBy: " round ").count - 1
        XCTAssertEqual(linesA + linesB, 10)
        XCTAssertGreaterThan(min(linesA, linesB), 0, "one worker did nothing:\n\(outA)\n\(outB)")
    }

    // MARK: landscape

    func testLandscapeCoversEveryArmAgreesWithSolveAndResumes() throws {
        let out = path("landscape")
        let args = ["landscape", "reaction", "--param", "rho=3", "--adam", "3", "--lbfgs", "3", "--jobs", "2", "--out", out]
        let r = try run(args)
        XCTAssertEqual(r.status, 0, r.stderr)
        let csvPath = out + "/landscape.csv"
        func rows() throws -> [(mask: Int, error: Double)] {
            try String(contentsOfFile: csvPath, encoding: .utf8).split(separator: "\n").dropFirst(2).map { line in
                let f = line.split(separator: ",")
                return (Int(f[0])!, Double(f[f.count - 2])!)
            }
        }
        let full = try rows()
        XCTAssertEqual(full.count, 512)
        XCTAssertEqual(Set(full.map(\.mask)), Set(0..<512))
        XCTAssert(FileManager.default.fileExists(atPath: out + "/landscape.png"))
        XCTAssert(r.stdout.contains("\(out)/landscape.png"), r.stdout)
        // Rerunning with every arm done only redraws: as SVG when asked, and says so.
        let svg = try run(args + ["--plot-format", "svg"])
        XCTAssertEqual(svg.status, 0, svg.stderr)
        XCTAssert(svg.stdout.contains("\(out)/landscape.svg"), svg.stdout)
        XCTAssert(try String(contentsOfFile: out + "/landscape.svg", encoding: .utf8).contains("<svg"))
        // The printed oracle is the smallest error of the file.
        let best = full.min { ($0.error, $0.mask) < ($1.error, $1.mask) }!
        XCTAssert(r.stdout.contains(String(format: " error %.3e; median", best.error)), r.stdout)
        // Each row is the error `solve` reports for that arm with the same budget and seed.
        for mask in [0, 289, 511] {
            let binary = String(mask, radix: 2)
            let bits = String(repeating: "0", count: 9 - binary.count) + binary
            let s = try run(["solve", "reaction", "--param", "rho=3", "--arm", bits, "--adam", "3", "--lbfgs", "3", "--out", path("s\(mask)"), "--quiet"])
            XCTAssertEqual(s.status, 0, s.stderr)
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("s\(mask)/summary.json")))) as! [String: Any]
            let solveError = try XCTUnwrap(summary["error"] as? Double)
            XCTAssertEqual(full.first { $0.mask == mask }!.error, solveError, accuracy: 1e-9 * solveError)
        }
        // Cut the file as a crash would (ten rows gone, the last one half written): the rerun trains only those.
        var lines = try String(contentsOfFile: csvPath, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines = Array(lines.prefix(2 + 501))
        lines.append(String(lines.removeLast().prefix(8)))
        try lines.joined(separator: "\n").write(toFile: csvPath, atomically: true, encoding: .utf8)
        let resumed = try run(args)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssert(resumed.stdout.contains("500 arms done, 12 to train"), resumed.stdout)
        let after = try rows()
        XCTAssertEqual(after.count, 512)
        XCTAssertEqual(Set(after.map(\.mask)), Set(0..<512))
        for (a, b) in zip(full.sorted { $0.mask < $1.mask }, after.sorted { $0.mask < $1.mask }) { XCTAssertEqual(a.error, b.error) }
        // Other settings never mix into an existing landscape.
        let other = try run(["landscape", "reaction", "--param", "rho=4", "--adam", "3", "--lbfgs", "3", "--out", out])
        XCTAssertNotEqual(other.status, 0)
        XCTAssert(other.stderr.hasPrefix("Error: ") && other.stderr.contains("other settings"), other.stderr)
    }
}

/// The fields of one CSV line (RFC 4180 quoting), to check what the commands write.
func csvFields<S: StringProtocol>(_ line: S) -> [String] {
    var fields = [String](), field = "", quoted = false
    var chars = Array(line)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" {
                if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
            } else { field.append(c) }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            fields.append(field); field = ""
        } else { field.append(c) }
    }
    fields.append(field)
    return fields
}

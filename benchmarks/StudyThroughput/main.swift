// Trial throughput of `metalic meta-train` worker processes on one study, with trainings so
// cheap (1 Adam iteration on `reaction`) that the store and the GP dominate, and the cost of the
// plan closure (the work done while the store holds the study's lock) at a given study size.
//
//     study-throughput fill --storage URL --study NAME --trials N --extra K
//         creates the study with the settings the CLI workers use (reaction, query mode, UCB,
//         5 warm-up rounds, N + K rounds, 1 Adam + 0 L-BFGS iterations, seed 0) and completes
//         its first N rounds with synthetic trials through the store API (claimRound with a
//         random context and arm, then complete with a synthetic reward)
//     study-throughput run --storage URL --study NAME --workers W --metalic PATH [--logs DIR]
//         starts W `metalic meta-train` processes on the study for its remaining rounds, waits
//         for them, and prints one Markdown row (see `runHeader`)
//     study-throughput plan --storage URL --study NAME [--repeats R] [--catch-up]
//         times StudyModel.update + chooseFirstArm, as inside the claim, on the study's completed
//         trials (see `planHeader`); --catch-up also times a worker's first update (every trial
//         recorded with a refit each)
//
// benchmarks/study-throughput.sh runs the whole table (SQLite and PostgreSQL, n = 200 and 1000,
// 1, 2 and 4 workers) and writes benchmarks/results/study-throughput.md.
import Bandit
import Foundation
import LinearAlgebra
import MetaTraining
import PINN
import Sampling
import StudyStore

BLASKernelSelection.useVectorKernelsIfMisdetected()
BLASThreads.set(1)

struct Failure: Error, CustomStringConvertible { let description: String }

/// `--name value` pairs and bare `--flags` after the subcommand.
struct Arguments {
    var values: [String: String] = [:]
    var flags: Set<String> = []

    init(_ arguments: ArraySlice<String>) throws {
        var rest = arguments[...]
        while let a = rest.popFirst() {
            guard a.hasPrefix("--") else { throw Failure(description: "unexpected argument \(a)") }
            let name = String(a.dropFirst(2))
            if let next = rest.first, !next.hasPrefix("--") {
                values[name] = next
                rest = rest.dropFirst()
            } else {
                flags.insert(name)
            }
        }
    }

    func string(_ name: String) throws -> String {
        guard let v = values[name] else { throw Failure(description: "missing --\(name)") }
        return v
    }

    func int(_ name: String, default d: Int? = nil) throws -> Int {
        guard let text = values[name] else {
            if let d { return d }
            throw Failure(description: "missing --\(name)")
        }
        guard let v = Int(text) else { throw Failure(description: "--\(name) wants an integer, not \(text)") }
        return v
    }
}

/// The settings of the measured studies: what `metalic meta-train reaction --heuristic ucb
/// --warmup 5 --rounds (total − 5) --adam 1 --lbfgs 0` creates.
func settings(totalRounds: Int) throws -> StudySettings {
    var training = TrainingOptions(adamIterations: 1, lbfgsIterations: 0, dataProtocol: .forward, seed: 0)
    training.errorEvery = 1
    return StudySettings(family: try FamilyRegistry.standard.family(named: "reaction"), mode: .query, heuristic: .ucb,
                         warmup: 5, rounds: totalRounds - 5, seed: 0, training: training)
}

/// A synthetic reward with a context-dependent best arm (as in gp-benchmark), so the GP has
/// structure to fit: about 1 ± 1, noise 0.05.
func syntheticReward(_ context: ParameterValues, _ arm: InterfaceArm, _ rng: inout SeededGenerator) -> Double {
    let s = (context.values[0] - 1) / 14
    let b = arm.bits
    return 1 + b[0] * (2 * s - 1) + b[1] * (1 - 2 * s) + 0.5 * b[2] - 0.3 * b[3...].reduce(0, +) / 6 + 0.05 * rng.normal()
}

func now() -> Double { Date().timeIntervalSince1970 }

func fill(_ a: Arguments) throws {
    let storage = try StudyStorage(parsing: try a.string("storage"))
    let name = try a.string("study")
    let n = try a.int("trials"), k = try a.int("extra")
    let s = try settings(totalRounds: n + k)
    let (study, created) = try Study.openOrCreate(storage: storage, name: name, settings: s)
    guard created else { throw Failure(description: "study \(name) exists already in \(storage): give a new name") }
    let store = study.store
    let start = now()
    for _ in 0..<n {
        let claim = try store.claimRound(worker: .current, policy: .standard) { _, round in
            var rng = SeededGenerator(seed: 77 &+ UInt64(round))
            return TrialPlan(context: s.contextSpace.sample(using: &rng), arms: [InterfaceArm.random(using: &rng)], seed: rng.next())
        }
        guard case .claimed(let lease, _) = claim else { throw Failure(description: "fill: nothing to claim") }
        var rng = SeededGenerator(seed: 991 &+ UInt64(lease.trial.round))
        let r = syntheticReward(lease.trial.context, lease.trial.arms[0], &rng)
        let e = pow(10, -r)
        try store.complete(lease, outcome: TrialOutcome(stageErrors: [e], stageRewards: [r], error: e, reward: r, seconds: 0))
    }
    FileHandle.standardError.write(Data(String(format: "filled %@ with %d synthetic trials in %.1f s\n", name, n, now() - start).utf8))
}

let runHeader = """
| store | n | workers | trials | wall s | first claim s | all joined s | claims/s | training s/trial | overhead s/trial |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
"""

func run(_ a: Arguments) throws {
    let storageText = try a.string("storage")
    let storage = try StudyStorage(parsing: storageText)
    let name = try a.string("study")
    let workers = try a.int("workers")
    let metalic = try a.string("metalic")
    let logs = a.values["logs"]
    let study = try Study.open(storage: storage, name: name)
    let before = try study.trials()
    let n = before.filter { $0.status == .completed }.count
    let s = study.settings
    let arguments = ["meta-train", s.family.name, "--storage", storageText, "--study-name", name,
                     "--heuristic", s.heuristic.rawValue, "--warmup", String(s.warmup), "--rounds", String(s.rounds),
                     "--adam", String(s.training.adamIterations), "--lbfgs", String(s.training.lbfgsIterations),
                     "--seed", String(s.seed)]
    let start = now()
    var processes: [Process] = []
    for w in 0..<workers {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: metalic)
        p.arguments = arguments
        if let logs {
            let path = "\(logs)/\(name)-worker\(w + 1).log"
            FileManager.default.createFile(atPath: path, contents: nil)
            p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            p.standardError = p.standardOutput
        } else {
            p.standardOutput = FileHandle.nullDevice
        }
        try p.run()
        processes.append(p)
    }
    for p in processes { p.waitUntilExit() }
    let end = now()
    // A failed worker is reported (its last line on stderr, a count in the row), not fatal: the
    // others' trials are still measured.
    var failed = 0
    for (w, p) in processes.enumerated() where p.terminationStatus != 0 {
        failed += 1
        let last = logs.flatMap { try? String(contentsOfFile: "\($0)/\(name)-worker\(w + 1).log", encoding: .utf8) }?
            .split(separator: "\n").last.map(String.init) ?? "(no log)"
        FileHandle.standardError.write(Data("worker \(w + 1) of \(name) exited with \(p.terminationStatus): \(last)\n".utf8))
    }
    let new = try study.trials().filter { $0.round >= n && $0.status == .completed }
    guard !new.isEmpty, let lastFinish = new.compactMap(\.finishedAt).max() else { throw Failure(description: "no trial completed") }
    // Each process's first claim; the window starts when the last of them has claimed.
    let firstClaims = Dictionary(grouping: new, by: \.worker).mapValues { $0.map(\.startedAt).min()! }
    let firstClaim = firstClaims.values.min()!, allJoined = firstClaims.values.max()!
    let inWindow = new.filter { ($0.finishedAt ?? .distantPast) > allJoined }
    let window = lastFinish.timeIntervalSince(allJoined)
    let training = new.compactMap(\.seconds).reduce(0, +) / Double(new.count)
    let rate = Double(inWindow.count) / window
    let overhead = window * Double(firstClaims.count) / Double(inWindow.count) - training
    let store = storageText.hasPrefix("postgresql") ? "PostgreSQL" : "SQLite"
    var joined = firstClaims.count == workers ? "\(workers)" : "\(workers) (\(firstClaims.count) claimed)"
    if failed > 0 { joined += " (\(failed) failed)" }
    print(String(format: "| %@ | %d | %@ | %d | %.1f | %.1f | %.1f | %.2f | %.3f | %.3f |", store, n, joined, new.count,
                 end - start, firstClaim.timeIntervalSince1970 - start, allJoined.timeIntervalSince1970 - start,
                 rate, training, overhead))
}

let planHeader = """
| n | new trials m | update, refit each (ms) | update, condition only (ms) | chooseFirstArm (ms) | in lock before (ms) | in lock after (ms) | one refit, outside the lock (ms) |
|---:|---:|---:|---:|---:|---:|---:|---:|
"""

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let t = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// The plan closure at the study's size n: the model holds n − m completed trials (fitted), m
/// more have completed since (other workers' trials), and m trials are running elsewhere.
func plan(_ a: Arguments) throws {
    let study = try Study.open(storage: try StudyStorage(parsing: try a.string("storage")), name: try a.string("study"))
    let repeats = try a.int("repeats", default: 3)
    let completed = try study.trials().filter { $0.status == .completed }.sorted { $0.round < $1.round }
    let n = completed.count
    let s = study.settings
    if a.flags.contains("catch-up") {
        var model = StudyModel(settings: s)
        let t = try milliseconds { try model.update(with: completed) }
        print(String(format: "catch-up at n = %d (every trial recorded, a refit each, as a worker's first update): %.1f s", n, t / 1000))
    }
    print(planHeader)
    for m in [1, 3] {
        var base = StudyModel(settings: s)
        try base.update(with: Array(completed.prefix(n - m)), refit: .once)
        let running = completed.suffix(m).map { t -> Trial in
            var r = t
            r.status = .running
            return r
        }
        var each: [Double] = [], deferred: [Double] = [], choose: [Double] = [], after: [Double] = []
        for r in 0..<repeats {
            var rng = SeededGenerator(seed: UInt64(r))
            let context = s.contextSpace.sample(using: &rng)
            var x = base
            each.append(try milliseconds { try x.update(with: completed) })
            choose.append(milliseconds { _ = x.chooseFirstArm(context: context, round: n, pending: running, rng: &rng) })
            var y = base
            deferred.append(try milliseconds { try y.update(with: completed, refit: .deferred) })
            after.append(milliseconds { y.refitIfNeeded() })
        }
        let (e, d, c, f) = (median(each), median(deferred), median(choose), median(after))
        print(String(format: "| %d | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |", n, m, e, d, c, e + c, d + c, f))
    }
}

do {
    let args = CommandLine.arguments
    guard args.count >= 2 else { throw Failure(description: "usage: study-throughput fill|run|plan --storage URL --study NAME …") }
    let a = try Arguments(args.dropFirst(2))
    switch args[1] {
    case "fill": try fill(a)
    case "run": try run(a)
    case "plan": try plan(a)
    case "run-header": print(runHeader)
    default: throw Failure(description: "unknown subcommand \(args[1]): fill, run, plan or run-header")
    }
} catch {
    FileHandle.standardError.write(Data("study-throughput: \(error)\n".utf8))
    exit(1)
}

// The error estimate (docs/ERROR-ESTIMATE.md) next to the true error for every one of the 512
// arms of one instance, each trained with the same seed and budget as `metalic landscape`, so
// that the true errors can be checked against a committed landscape.csv. Appends one row per
// arm to the output CSV (synced), so rerunning resumes; benchmarks/reward-estimate.sh drives it.
//
// Arms are trained in a fixed random order, at most --limit of them per run, so that an
// interrupted measurement holds a uniform sample of the arms of every instance.
//
//   reward-estimate <family> <out.csv> [--param name=value …] [--adam N] [--lbfgs N] [--jobs N] [--seed N] [--limit N]
import MetaTraining
import Foundation
import LinearAlgebra
import PINN
import Sampling

BLASKernelSelection.useVectorKernelsIfMisdetected()
BLASThreads.set(1)

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("reward-estimate: \(message)\n".utf8))
    exit(2)
}

var args = Array(CommandLine.arguments.dropFirst())
guard args.count >= 2 else { fail("usage: reward-estimate <family> <out.csv> [--param name=value …] [--adam N] [--lbfgs N] [--jobs N] [--seed N]") }
let familyName = args.removeFirst(), outPath = args.removeFirst()
var given = [String: Double](), adam = 200, lbfgs = 500, jobs = 2, seed: UInt64 = 0, limit = 512
while !args.isEmpty {
    let flag = args.removeFirst()
    guard let value = args.first else { fail("\(flag) needs a value") }
    args.removeFirst()
    switch flag {
    case "--param":
        let kv = value.split(separator: "=", maxSplits: 1)
        guard kv.count == 2, let v = Double(kv[1]) else { fail("--param takes name=value, got \(value)") }
        given[String(kv[0])] = v
    case "--adam": adam = Int(value) ?? adam
    case "--lbfgs": lbfgs = Int(value) ?? lbfgs
    case "--jobs": jobs = Int(value) ?? jobs
    case "--seed": seed = UInt64(value) ?? seed
    case "--limit": limit = Int(value) ?? limit
    default: fail("unknown option \(flag)")
    }
}

do {
    let family = try FamilyRegistry.standard.family(named: familyName)
    let s = try family.parameterValues(given)
    var options = TrainingOptions(adamIterations: adam, lbfgsIterations: lbfgs, seed: seed)
    options.errorEvery = 0
    options.parallel = jobs == 1
    let header = "mask,bits,arm,error,estimate,residual,data,interface,flux,dataScale,solutionScale,timeSpan,seconds"
    let identity = "# family=\(family.name) \(s) adam=\(adam) lbfgs=\(lbfgs) seed=\(seed)"
    let url = URL(fileURLWithPath: outPath)
    var done = Set<UInt16>()
    if let text = try? String(contentsOf: url, encoding: .utf8) {
        let lines = text.split(separator: "\n")
        guard lines.first.map(String.init) == identity else { fail("\(outPath) was written for other settings (\(lines.first ?? "")); use another file") }
        // A last row cut short by a crash has too few fields: redo it.
        for line in lines.dropFirst(2) where line.split(separator: ",", omittingEmptySubsequences: false).count >= 13 {
            if let mask = UInt16(line.prefix { $0 != "," }) { done.insert(mask) }
        }
        if !text.hasSuffix("\n") { try (lines.map(String.init).filter { $0.split(separator: ",", omittingEmptySubsequences: false).count >= 13 || $0.hasPrefix("#") || $0 == header }.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8) }
    } else {
        try "\(identity)\n\(header)\n".write(to: url, atomically: true, encoding: .utf8)
    }
    var order = SeededGenerator(seed: 512)
    let todo = Array(InterfaceArm.everyArm.shuffled(using: &order).filter { !done.contains($0.mask) }.prefix(limit))
    FileHandle.standardError.write(Data("\(family.name) \(s): \(done.count) arms done, training \(todo.count)\n".utf8))
    var finished = done.count
    // One solver per worker thread, the same seed and points for every arm (as `metalic landscape`).
    try LandscapeTraining(family: family, parameters: s, options: options).run(todo, workers: jobs) { arm, result in
        let e = result.estimate!
        let fields: [Any] = [arm.mask, arm.bitString, "\"\(arm.name)\"", result.error, e.value, e.residual, e.data, e.interface,
                             e.flux, e.dataScale, e.solutionScale, e.timeSpan, result.trainingSeconds]
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((fields.map { "\($0)" }.joined(separator: ",") + "\n").utf8))
        try handle.synchronize()
        try handle.close()
        finished += 1
        FileHandle.standardError.write(Data(String(format: "  %3d/512 %@ error %.3e estimate %.3e (%.1f s)\n", finished, arm.name, result.error, e.value, result.trainingSeconds).utf8))
    }
} catch {
    fail("\(error)")
}

// Milliseconds per Adam and per L-BFGS iteration of the XPINN loss at the reference
// configuration (two [2,20,20,1] networks, 1000 collocation points each, the splits of
// docs/FAMILIES.md), for advection, Burgers and KdV, with all nine conditions and with {u};
// compared with the reference implementation's 17 / 24 / 23 ms per Adam iteration
// (docs/METHOD.md). Also the Adam iteration on one thread (both networks' passes in turn), for a
// per-core comparison, and both again with one competing CPU-bound process running
// (`yes > /dev/null`): a busy machine, where two threads must not be slower than one.
//
//   swift run -c release training-benchmark [iterations] [family …]
import Foundation
import LinearAlgebra
import PINN

BLASKernelSelection.useVectorKernelsIfMisdetected()
BLASThreads.set(1)
let iterations = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 200 : 200
let referenceAdamMs = ["advection": 17.0, "burgers": 24.0, "kdv": 23.0]

// Warm-up (untimed): the first training of a process pays for loading code, first-touch page
// faults and the CPU clocking up, which inflated the first row by up to 40%.
do {
    var options = TrainingOptions(adamIterations: 200, lbfgsIterations: 0, dataProtocol: .reference, seed: 0)
    options.errorEvery = 0
    let family = try FamilyRegistry.standard.family(named: "advection")
    _ = try XPINNSolver(family: family, parameters: family.defaultParameters, options: options).train(adamArm: .all)
}

var records = [[String: Any]]()
/// Runs `body` while one CPU-bound process competes for the cores.
func withCompetingProcess<T>(_ body: () throws -> T) throws -> T {
    let hog = Process()
    hog.executableURL = URL(fileURLWithPath: "/bin/sh")
    hog.arguments = ["-c", "exec yes > /dev/null"]
    try hog.run()
    defer { hog.terminate(); hog.waitUntilExit() }
    Thread.sleep(forTimeInterval: 0.2)
    return try body()
}

/// ms per Adam iteration of `arm` on `family`, on two threads (one per network) or one.
func adamMilliseconds(_ family: any PDEFamily, _ arm: InterfaceArm, _ options: TrainingOptions, parallel: Bool) throws -> Double {
    var options = options
    options.parallel = parallel
    options.lbfgsIterations = 0
    let stage = try XPINNSolver(family: family, parameters: family.defaultParameters, options: options).train(adamArm: arm).stages[0]
    return 1000 * stage.seconds / Double(max(stage.iterations, 1))
}

print("| family | arm | precision | ms / Adam iteration | ms / L-BFGS iteration | ms / Adam iteration, one thread | reference ms / Adam | speed-up (Adam) | busy machine: ms / Adam, two threads | busy machine: one thread | busy: two vs one |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
let chosen = Array(CommandLine.arguments.dropFirst(2))
for name in ["advection", "burgers", "kdv"] where chosen.isEmpty || chosen.contains(name) {
    let family = try FamilyRegistry.standard.family(named: name)
    for precision in Precision.allCases { for arm in [InterfaceArm.all, InterfaceArm([.u])] {
        var options = TrainingOptions(adamIterations: iterations, lbfgsIterations: iterations, dataProtocol: .reference, seed: 0)
        options.errorEvery = 0
        options.lbfgsLearningRate = 1e-3   // tiny fixed steps: every iteration is a full step, none stop early
        options.precision = precision
        let solver = try XPINNSolver(family: family, parameters: family.defaultParameters, options: options)
        let result = solver.train(adamArm: arm)
        let adam = result.stages[0], lbfgs = result.stages[1]
        let adamMs = 1000 * adam.seconds / Double(max(adam.iterations, 1))
        let lbfgsMs = 1000 * lbfgs.seconds / Double(max(lbfgs.iterations, 1))
        let serialMs = try adamMilliseconds(family, arm, options, parallel: false)
        let (busyMs, busySerialMs) = try withCompetingProcess {
            (try adamMilliseconds(family, arm, options, parallel: true), try adamMilliseconds(family, arm, options, parallel: false))
        }
        print(String(format: "| %@ | %@ | %@ | %.2f | %.2f | %.2f | %.0f | %.1f× | %.2f | %.2f | %.2f |", name, arm.name, precision.rawValue,
                     adamMs, lbfgsMs, serialMs, referenceAdamMs[name]!, referenceAdamMs[name]! / adamMs, busyMs, busySerialMs,
                     busyMs / busySerialMs))
        records.append(["family": name, "arm": arm.bitString, "precision": precision.rawValue, "adam_ms": adamMs, "lbfgs_ms": lbfgsMs,
                        "adam_one_thread_ms": serialMs, "busy_adam_ms": busyMs, "busy_adam_one_thread_ms": busySerialMs])
    } }
}
print("\nMachine: \(ProcessInfo.processInfo.activeProcessorCount) cores, OpenBLAS kernels \(BLASKernelSelection.coreName), \(iterations) iterations per stage.")
let json = try JSONSerialization.data(withJSONObject: ["benchmark": "metalic-training", "results": records])
print(String(decoding: json, as: UTF8.self))

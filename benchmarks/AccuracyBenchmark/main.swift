// Relative L2 error of every family at the low, middle and high end of its parameter range,
// for the arms {none}, {u}, {uavg, rc} and {all nine}, in both data protocols, with wall time.
//
//   swift run -c release accuracy-benchmark [--budget reference|A+L] [--families a,b] [--protocols forward,reference]
//                                           [--arms "none;u;uavg,rc;all"] [--jobs 2]
//
// `--budget reference` uses the reference implementation's budgets (docs/METHOD.md; hours in total); `A+L` gives Adam
// and L-BFGS iterations explicitly. Prints a markdown table as rows finish.
import Dispatch
import Foundation
import LinearAlgebra
import PINN

BLASKernelSelection.useVectorKernelsIfMisdetected()
BLASThreads.set(1)
var budget: String = "1000+2000"
var familyNames = FamilyRegistry.standard.names
var protocols: [TrainingDataProtocol] = [.forward, .reference]
var jobs = 2
var arms = [InterfaceArm.none, InterfaceArm([.u]), InterfaceArm([.uavg, .rc]), InterfaceArm.all]
let usage = "usage: accuracy-benchmark [--budget reference|A+L] [--families a,b] [--protocols forward,reference] [--arms \"none;u;uavg,rc;all\"] [--jobs N]"
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("\(message)\n\(usage)\n".utf8))
    exit(message.isEmpty ? 0 : 2)
}
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let flag = args.removeFirst()
    if flag == "--help" || flag == "-h" { fail("") }
    guard let value = args.first else { fail("missing value after \(flag)") }
    args.removeFirst()
    switch flag {
    case "--budget": budget = value
    case "--families": familyNames = value.split(separator: ",").map(String.init)
    case "--protocols": protocols = value.split(separator: ",").compactMap { TrainingDataProtocol(rawValue: String($0)) }
    case "--jobs": jobs = max(1, Int(value) ?? 2)
    case "--arms":
        do { arms = try value.split(separator: ";").map { try InterfaceArm(parsing: String($0)) } } catch { fail("\(error)") }
    default: fail("unknown flag \(flag)")
    }
}
for name in familyNames where (try? FamilyRegistry.standard.family(named: name)) == nil { fail("unknown family \(name)") }

struct Job { let family: any PDEFamily; let parameters: ParameterValues; let arm: InterfaceArm; let dataProtocol: TrainingDataProtocol; let adam: Int; let lbfgs: Int }

/// Low, middle, high: 10%, 50%, 90% of each range (heat: scaled copies of its default mix).
func parameterValues(_ f: any PDEFamily) -> [ParameterValues] {
    if f.name == "heat" {
        return [0.25, 0.5, 1.0].map { scale in try! f.parameterValues(f.defaultParameters.dictionary.mapValues { $0 * 2 * scale }) }
    }
    return [0.1, 0.5, 0.9].map { q in
        try! f.parameterValues(Dictionary(uniqueKeysWithValues: f.parameters.map { ($0.name, $0.range.lowerBound + q * ($0.range.upperBound - $0.range.lowerBound)) }))
    }
}

var work = [Job]()
for name in familyNames {
    let f = try FamilyRegistry.standard.family(named: name)
    let (adam, lbfgs): (Int, Int)
    if budget == "reference" {
        (adam, lbfgs) = TrainingOptions.referenceBudget(family: f.name)
    } else {
        let parts = budget.split(separator: "+").compactMap { Int($0) }
        guard parts.count == 2 else { fail("--budget is reference or A+L, not \(budget)") }
        (adam, lbfgs) = (parts[0], parts[1])
    }
    for p in protocols { for s in parameterValues(f) { for arm in arms { work.append(Job(family: f, parameters: s, arm: arm, dataProtocol: p, adam: adam, lbfgs: lbfgs)) } } }
}

print("| family | parameters | protocol | arm | budget | rel. L2 error | L-BFGS stop | wall s |")
print("|---|---|---|---|---|---|---|---|")
let lock = NSLock()
var next = 0
DispatchQueue.concurrentPerform(iterations: jobs) { _ in
    while true {
        lock.lock()
        guard next < work.count else { lock.unlock(); return }
        let job = work[next]
        next += 1
        lock.unlock()
        var options = TrainingOptions(adamIterations: job.adam, lbfgsIterations: job.lbfgs, dataProtocol: job.dataProtocol, seed: 0)
        options.errorEvery = 0
        options.parallel = jobs == 1
        let start = Date()
        let line: String
        do {
            let result = try XPINNSolver(family: job.family, parameters: job.parameters, options: options).train(adamArm: job.arm)
            line = String(format: "| %@ | %@ | %@ | %@ | %d+%d | %.3e | %@ | %.0f |", job.family.name, job.parameters.description,
                          job.dataProtocol.rawValue, job.arm.name, job.adam, job.lbfgs, result.error, result.stopReason.rawValue,
                          Date().timeIntervalSince(start))
        } catch {
            line = "| \(job.family.name) | \(job.parameters) | \(job.dataProtocol.rawValue) | \(job.arm.name) | | failed: \(error) | | |"
        }
        lock.lock()
        print(line)
        fflush(stdout)
        lock.unlock()
    }
}
print("\nMachine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(jobs) solves in parallel, seed 0, errors capped at 100.")

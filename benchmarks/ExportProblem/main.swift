// Writes one XPINN problem — networks with their initial weights, every point set, the arm, and
// our loss value with its terms — as JSON, so that another implementation (the PyTorch baseline
// in benchmarks/pytorch) can evaluate the identical loss on the identical data.
//
//   swift run -c release export-problem <family> <arm> <out.json> [--protocol forward|reference] [--precision float64|float32] [--param name=value]...
//
// With --precision float32 the loss in the file is the Float32 engine's (same weights and points).
import Foundation
import LinearAlgebra
import PINN

BLASThreads.set(1)
var args = Array(CommandLine.arguments.dropFirst())
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(("export-problem: " + message + "\n").data(using: .utf8)!)
    exit(2)
}
guard args.count >= 3 else { fail("usage: export-problem <family> <arm> <out.json> [--protocol forward|reference] [--precision float64|float32] [--param name=value]...") }
let (familyName, armText, outPath) = (args[0], args[1], args[2])
var dataProtocol = TrainingDataProtocol.reference
var precision = Precision.float64
var given = [String: Double]()
var i = 3
while i < args.count {
    switch args[i] {
    case "--protocol":
        guard i + 1 < args.count, let p = TrainingDataProtocol(rawValue: args[i + 1]) else { fail("--protocol forward|reference") }
        dataProtocol = p
        i += 2
    case "--precision":
        guard i + 1 < args.count, let p = Precision(rawValue: args[i + 1]) else { fail("--precision float64|float32") }
        precision = p
        i += 2
    case "--param":
        guard i + 1 < args.count else { fail("--param name=value") }
        let kv = args[i + 1].split(separator: "=")
        guard kv.count == 2, let v = Double(kv[1]) else { fail("--param name=value, got \(args[i + 1])") }
        given[String(kv[0])] = v
        i += 2
    default:
        fail("unknown argument \(args[i])")
    }
}

do {
    let family = try FamilyRegistry.standard.family(named: familyName)
    let arm = try InterfaceArm(parsing: armText)
    var values = family.defaultParameters.dictionary
    for (k, v) in given { values[k] = v }
    let s = try family.parameterValues(values)
    let options = TrainingOptions(adamIterations: 0, lbfgsIterations: 0, dataProtocol: dataProtocol, seed: 0)
    let solver = try XPINNSolver(family: family, parameters: s, options: options)
    let problem = solver.problem
    let x = solver.initialParameters()
    let loss = problem.loss(arm: arm, parallel: false, precision: precision)
    var gradient = [Double](repeating: 0, count: loss.dimension)
    let value = loss.value(at: x, gradient: &gradient)

    func pairs(_ flat: [Double]) -> [[Double]] { stride(from: 0, to: flat.count, by: 2).map { [flat[$0], flat[$0 + 1]] } }
    var offset = 0
    var networks = [[String: Any]]()
    for net in problem.networks {
        networks.append(["widths": net.widths, "lower": net.inputBox.lower, "upper": net.inputBox.upper,
                         "parameters": Array(x[offset..<(offset + net.parameterCount)])])
        offset += net.parameterCount
    }
    let sets: [[String: Any]] = problem.trainingSet.subdomains.map { sub in
        ["collocation": pairs(sub.collocation), "boundary": pairs(sub.boundary), "boundaryValues": sub.boundaryValues,
         "periodicLower": pairs(sub.periodicLower), "periodicUpper": pairs(sub.periodicUpper),
         "periodicDerivatives": sub.periodicDerivatives.map(\.orders)]
    }
    let interfaces: [[String: Any]] = family.decomposition.interfaces.map {
        ["first": $0.first, "second": $0.second, "normalAxis": $0.lines[0].normalAxis, "points": pairs($0.points)]
    }
    let json: [String: Any] = [
        "family": family.name, "parameters": s.dictionary, "arm": arm.bitString, "precision": precision.rawValue,
        "weights": ["boundary": problem.weights.boundary, "residual": problem.weights.residual, "interface": problem.weights.interface],
        "networks": networks, "pointSets": sets, "interfaces": interfaces, "loss": value,
        "terms": zip(loss.terms, loss.termValues).map { ["name": $0.name, "value": $1] },
    ]
    let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
    try data.write(to: URL(fileURLWithPath: outPath))
    print("\(family.name) \(s) arm \(arm): loss \(value) (\(precision.rawValue)), \(loss.dimension) parameters → \(outPath)")
} catch {
    fail(String(describing: error))
}

// Convergence of the KdV reference solution (u_t + c u u_x + u_xxx = 0 on [0, 20), t ∈ [0, 20],
// the family's non-periodic two-soliton data) on the 64 × 501 error grid. Prints markdown:
//
//   1. the reference (`KdVSpectralSolver.referenceGrid`) at resolutions N: relative L2 difference
//      to the next N and to the finest N, and wall time;
//   2. its time step: h = 0.04/m against the finest m;
//   3. spectral solutions without the high-mode treatment, against the reference: the previous
//      reference (64 points, aliased, from grid values) and dealiased Galerkin solutions on N points
//      from grid values or from the exact Fourier coefficients, each with a step that resolves
//      its fastest mode (h·κ_max³ ≈ 0.37, or 0.04/128 for the previous reference);
//   4. mode by mode, the reference against the finest of those Galerkin solutions;
//   5. the previous reference against the new one at the parameters of accuracy.md.
//
//   swift run -c release kdv-convergence [--c 1,6,10] [--resolutions 128,…,16384] [--steps 64,128,256,512]
//                                        [--galerkin 64,128,256] [--sections 1,2,3,4,5]
import Foundation
import ReferenceSolvers

var cs = [1.0, 6.0, 10.0]
var resolutions = [128, 256, 512, 1024, 2048, 4096, 8192, 16384]
var steps = [64, 128, 256, 512]
var galerkin = [64, 128, 256]
var sections: Set<Int> = [1, 2, 3, 4, 5]
let usage = "usage: kdv-convergence [--c 1,6,10] [--resolutions 128,256,…] [--steps 64,128,…] [--galerkin 64,128,256] [--sections 1,2,3,4,5]"
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("\(message)\n\(usage)\n".utf8))
    exit(message.isEmpty ? 0 : 2)
}
func list<T: LosslessStringConvertible>(_ s: String) -> [T] {
    s.split(separator: ",").map { guard let v = T(String($0)) else { fail("bad list \(s)") }; return v }
}
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let flag = args.removeFirst()
    if flag == "--help" || flag == "-h" { fail("") }
    guard let value = args.first else { fail("missing value after \(flag)") }
    args.removeFirst()
    switch flag {
    case "--c": cs = list(value)
    case "--resolutions": resolutions = list(value)
    case "--steps": steps = list(value)
    case "--galerkin": galerkin = list(value)
    case "--sections": sections = Set(list(value) as [Int])
    default: fail("unknown flag \(flag)")
    }
}

let length = 20.0
let times = (0...500).map { 20 * Double($0) / 500 }
func u0(_ x: Double) -> Double { KdVSpectralSolver.referenceInitialValue(x: x, length: length) }

func timed<T>(_ body: () -> T) -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}
/// Relative L2 difference ‖a − b‖/‖b‖ over all grid values.
func relative(_ a: [Double], _ b: [Double]) -> Double {
    var num = 0.0, den = 0.0
    for k in 0..<a.count { let d = a[k] - b[k]; num += d * d; den += b[k] * b[k] }
    return (num / den).squareRoot()
}
func e(_ x: Double) -> String { String(format: "%.2e", x) }
func s(_ x: Double) -> String { String(format: "%.2f", x) }

/// Snapshots on an N-point grid (times × N) → the 64 × 501 error-grid layout (row t = 0: exact u0).
func errorGrid(_ snapshots: [[Double]]) -> [Double] {
    let n = snapshots[0].count, stride = n / 64
    var values = [Double](repeating: 0, count: 64 * times.count)
    for j in 0..<times.count {
        for i in 0..<64 { values[i * times.count + j] = j == 0 ? u0(length * Double(i) / 64) : snapshots[j][i * stride] }
    }
    return values
}

/// A dealiased (or, for the previous reference, aliased) spectral solution on N points.
struct Discretisation {
    let name: String
    let points: Int
    let dealiased: Bool
    let projected: Bool
    let stepsPerOutput: Int   // h = 0.04 / stepsPerOutput
    let richardson: Bool

    func snapshots(c: Double) -> [[Double]] {
        let solver = KdVSpectralSolver(c: c, length: length, points: points, maximumTimeStep: 0.04 / Double(stepsPerOutput),
                                       richardsonExtrapolation: richardson, dealiased: dealiased)
        return projected ? solver.solve(projecting: u0, times: times) : solver.solve(initial: solver.grid.map(u0), times: times)
    }
}
/// Plain ETDRK4 with h·κ_max³ ≈ 0.37 (κ_max = 2π(N/3)/L): 32·(N/64)³ steps per output interval.
func galerkinSteps(_ n: Int) -> Int { 32 * (n / 64) * (n / 64) * (n / 64) }
let previousReference = Discretisation(name: "64 points, aliased, grid values, h = 0.04/128 + Richardson (previous reference)",
                                       points: 64, dealiased: false, projected: false, stepsPerOutput: 128, richardson: true)

/// Fourier coefficients û_k, k = 0…modes, of values on an N-point grid (direct sums).
func coefficients(_ u: [Double], modes: Int) -> [(Double, Double)] {
    let n = u.count
    let cosines = (0..<n).map { cos(2 * Double.pi * Double($0) / Double(n)) }
    let sines = (0..<n).map { sin(2 * Double.pi * Double($0) / Double(n)) }
    return (0...modes).map { k in
        var re = 0.0, im = 0.0
        for i in 0..<n { let r = (k * i) % n; re += u[i] * cosines[r]; im -= u[i] * sines[r] }
        return (re / Double(n), im / Double(n))
    }
}

print("# KdV reference: convergence on the 64 × 501 error grid\n")
print("Relative L2 differences over all 64 × 501 grid values (‖a − b‖/‖b‖); wall times in seconds, one thread.\n")

var referenceAt: [Double: [Double]] = [:]   // c → the default reference, for sections 3 and 5

if sections.contains(1) {
    print("## 1. The reference at resolution N (modes ≤ N/3)\n")
    print("`referenceGrid(c:resolution:)`: Galerkin core on 128 points (modes ≤ 32), normal-form high modes 33…N/3. "
        + "'extrapolated error' is √2 × the difference to the next N (= 2N): successive differences fall like N^{−1/2} and are "
        + "orthogonal (different modes), so the remaining tail adds up to √2 times the next one.\n")
    for c in cs {
        print("### c = \(c)\n")
        print("| N | modes | wall s | vs next N | vs N = \(resolutions.last!) | extrapolated error |")
        print("|---:|---:|---:|---:|---:|---:|")
        var grids: [[Double]] = [], walls: [Double] = []
        for n in resolutions {
            let (g, wall) = timed { KdVSpectralSolver.referenceGrid(c: c, resolution: n).values }
            grids.append(g); walls.append(wall)
            if n == KdVSpectralSolver.referenceResolution { referenceAt[c] = g }
        }
        for (i, n) in resolutions.enumerated() {
            let next = i + 1 < grids.count ? relative(grids[i], grids[i + 1]) : .nan
            let last = relative(grids[i], grids.last!)
            print("| \(n) | \(n / 3) | \(s(walls[i])) | \(next.isNaN ? "–" : e(next)) | \(e(last)) | \(next.isNaN ? "–" : e(2.0.squareRoot() * next)) |")
        }
        print("")
    }
}

func reference(_ c: Double) -> [Double] {
    if let r = referenceAt[c] { return r }
    let r = KdVSpectralSolver.referenceGrid(c: c).values
    referenceAt[c] = r
    return r
}

if sections.contains(2) {
    print("## 2. Time step of the reference (N = \(KdVSpectralSolver.referenceResolution), Richardson-extrapolated ETDRK4, h and h/2)\n")
    print("| c | " + steps.map { "h = 0.04/\($0)" }.joined(separator: " | ") + " |")
    print("|---:|" + String(repeating: "---:|", count: steps.count))
    for c in cs {
        var grids: [[Double]] = [], walls: [Double] = []
        for m in steps {
            let (g, wall) = timed { KdVSpectralSolver.referenceGrid(c: c, maximumTimeStep: 0.04 / Double(m)).values }
            grids.append(g); walls.append(wall)
        }
        let cells = grids.indices.map { i in i == grids.count - 1 ? "(finest, \(s(walls[i])) s)" : "\(e(relative(grids[i], grids.last!))) (\(s(walls[i])) s)" }
        print("| \(c) | " + cells.joined(separator: " | ") + " |")
    }
    print("\nEach cell: difference to the finest step (wall time). Default h = 0.04/128.\n")
}

var finestGalerkin: [Double: [[Double]]] = [:]
if sections.contains(3) {
    print("## 3. Spectral solutions without the high-mode treatment, against the reference\n")
    print("Dealiased Galerkin on N points keeps modes ≤ N/3; plain ETDRK4 with h = 0.04/(32(N/64)³), i.e. "
        + "h·κ_max³ ≈ 0.37. 'grid values': started from the trigonometric interpolant of the initial values "
        + "on the N points (aliased coefficients); 'exact coefficients': from the Fourier coefficients of the "
        + "initial function. Against the reference at N = \(KdVSpectralSolver.referenceResolution) (itself within ~1.4e−4).\n")
    var rows: [Discretisation] = [previousReference]
    for n in galerkin {
        rows.append(Discretisation(name: "Galerkin N = \(n), grid values", points: n, dealiased: true, projected: false,
                                   stepsPerOutput: galerkinSteps(n), richardson: false))
    }
    for n in galerkin {
        rows.append(Discretisation(name: "Galerkin N = \(n), exact coefficients", points: n, dealiased: true, projected: true,
                                   stepsPerOutput: galerkinSteps(n), richardson: false))
    }
    print("| discretisation | " + cs.map { "c = \($0)" }.joined(separator: " | ") + " |")
    print("|---|" + String(repeating: "---:|", count: cs.count))
    for row in rows {
        var cells: [String] = []
        for c in cs {
            let (snaps, wall) = timed { row.snapshots(c: c) }
            cells.append("\(e(relative(errorGrid(snaps), reference(c)))) (\(s(wall)) s)")
            if row.projected && row.points == galerkin.max() { finestGalerkin[c] = snaps }
        }
        print("| \(row.name) | " + cells.joined(separator: " | ") + " |")
    }
    print("\nEach cell: difference to the reference (wall time).\n")
}

if sections.contains(4), let n = galerkin.max() {
    let top = n / 3, core = KdVSpectralSolver.referenceCorePoints / 4
    let bands = [(1, core), (core + 1, 2 * top / 3), (max(core, 2 * top / 3) + 1, top)].filter { $0.0 <= $0.1 }
    let sampled = Array(stride(from: 10, through: 500, by: 10))   // t = 0.4, 0.8, …, 20
    print("## 4. Mode by mode: the reference against Galerkin N = \(n) from exact coefficients\n")
    print("Both truncated at mode \(top) (the reference with resolution \(n)); Fourier coefficients at t = 0.4, 0.8, …, 20; "
        + "L2 over modes and times of the difference in each band, relative to the whole solution.\n")
    print("| c | " + bands.map { "modes \($0.0)–\($0.1)" }.joined(separator: " | ") + " |")
    print("|---:|" + String(repeating: "---:|", count: bands.count))
    for c in cs {
        let galerkinSnaps = finestGalerkin[c] ?? Discretisation(name: "", points: n, dealiased: true, projected: true,
                                                               stepsPerOutput: galerkinSteps(n), richardson: false).snapshots(c: c)
        let referenceSnaps = KdVSpectralSolver.referenceSnapshots(c: c, times: times, resolution: n)
        var norm = 0.0
        var differences = [Double](repeating: 0, count: bands.count)
        for j in sampled {
            let a = coefficients(galerkinSnaps[j], modes: top), b = coefficients(referenceSnaps[j], modes: top)
            for k in 0...top {
                let weight = k == 0 ? 1.0 : 2.0
                norm += weight * (b[k].0 * b[k].0 + b[k].1 * b[k].1)
                for (index, band) in bands.enumerated() where k >= band.0 && k <= band.1 {
                    differences[index] += weight * ((a[k].0 - b[k].0) * (a[k].0 - b[k].0) + (a[k].1 - b[k].1) * (a[k].1 - b[k].1))
                }
            }
        }
        print("| \(c) | " + differences.map { e(($0 / norm).squareRoot()) }.joined(separator: " | ") + " |")
    }
    print("\nThe top third of a Galerkin solution's modes is distorted by its own cut-off, so the last band "
        + "measures the Galerkin solution rather than the reference.\n")
}

if sections.contains(5) {
    print("## 5. The previous reference against the new one, at the parameters of accuracy.md\n")
    print("| c | previous vs new, whole grid | interface line t = 10 excluded |")
    print("|---:|---:|---:|")
    for c in [1.0, 1.9, 5.5, 6.0, 9.1, 10.0] {
        let old = errorGrid(previousReference.snapshots(c: c)), new = reference(c)
        let keep = (0..<old.count).filter { $0 % times.count != 250 }
        print("| \(c) | \(e(relative(old, new))) | \(e(relative(keep.map { old[$0] }, keep.map { new[$0] }))) |")
    }
    print("")
}

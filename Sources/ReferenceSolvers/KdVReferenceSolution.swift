import Foundation

/// The KdV family's reference solution: u_t + c u u_x + u_xxx = 0 on [0, 20), periodic,
/// t ∈ [0, 20], from `referenceInitialValue`, sampled on the 64 × 501 error grid.
///
/// The initial data jump by ≈ 4.3e−3 at x = 0 (periodically extended), so the Fourier coefficients
/// decay only like 1/k for all time and the solution stays rough: its values on the grid depend on
/// all modes, and the modes above K contribute ≈ 5.1e−3/√K (relative L2 on the grid). A spectral
/// solver on N points therefore converges like N^{−1/2} at best, and its time step has to resolve
/// κ_max³ ∝ N³ (see `KdVSpectralSolver`). The reference splits the modes instead:
///
/// - Low modes, k ≤ 32: dealiased Fourier–Galerkin on 128 points (modes ≤ 42) by ETDRK4 with
///   Richardson extrapolation (h = 0.04/128 and 0.04/256), started from the exact Fourier
///   coefficients of the initial data (not their 128 grid values, which alias). The Galerkin modes
///   33…42 are discarded: near its cut-off a truncated system misses the partners k ± j of its top
///   modes (at c = 10 the modes 33…42 are off by about half their size over t ≤ 20).
/// - High modes, 32 < k ≤ N/3: the quadratic term of KdV is non-resonant —
///   κ_j³ + κ_l³ − (κ_j + κ_l)³ = −3κ_jκ_l(κ_j + κ_l) ≠ 0 — so the near-identity change of variables
///   q = ũ + (c/6)·Π[(∂⁻¹ũ)²] (ũ = u − ū, ∂⁻¹ the mean-free antiderivative, Π drops the mean)
///   removes it: q_t = −q_xxx − c ū q_x + (cubic terms). The high modes of q therefore rotate
///   freely, q̂_k(t) = e^{i(κ³ − cūκ)t} q̂_k(0), and those of u follow from
///   û_k = q̂_k − (c/6)·[(∂⁻¹ũ)²]^_k, solved by fixed-point iteration together with the Galerkin low
///   modes (a 2/3-rule product on the N-point grid per iteration; 6 iterations at c = 1, 10–12 at
///   c = 10, to 1e−14). The neglected cubic terms shrink with k.
///
/// Checked against dealiased Galerkin solutions on 256 and 512 points whose steps resolve κ_max³
/// (h·κ_max³ ≈ 0.37), from the same exact coefficients, mode by mode over t ≤ 20, relative to ‖u‖:
/// modes ≤ 32 agree to 2e−8, the normal-form modes up to 2/3 of the Galerkin cut-off to 2.2e−6
/// (c = 10; 8e−7 at c = 6, 3e−8 at c = 1). Without the correction term (free rotation of û)
/// the modes 33…56 would be off by 5.5e−5 already at t ≤ 2. The remaining error is the truncation
/// at N/3: see `referenceGrid` and benchmarks/results/kdv-reference-convergence.md.
extension KdVSpectralSolver {
    /// The default N of `referenceGrid`: modes up to N/3 = 1365; 1.39e−4 from the converged
    /// solution on the error grid (relative L2, c = 1, 6, 10); see `referenceGrid`.
    public static let referenceResolution = 4096

    /// The Galerkin core of `referenceGrid`: 128 points, 2/3 rule, modes ≤ 32 kept.
    public static let referenceCorePoints = 128

    /// The family's reference solution on the error grid: x_i = iL/64 (i < 64), t = linspace(0,
    /// finalTime, timeCount), `values[i * timeCount + j] = u(x_i, t_j)`; the row t = 0 holds the
    /// exact initial values.
    ///
    /// Accuracy (relative L2 over the 64 × 501 grid, c ∈ [1, 10], default arguments): within
    /// 1.5e−4 of the converged solution. Successive resolutions differ like N^{−1/2} (5.6e−4 from
    /// N = 128 to 256 … 7.0e−5 from 8192 to 16384, the same for c = 1, 6, 10) and the differences
    /// are orthogonal (different modes), so the truncation error at N = 4096 is √2 × its distance
    /// to N = 8192: 1.39e−4. The Galerkin core, its time integration (1e−10) and the normal-form
    /// modes (≤ 3e−6) add little. The reference used before (64 grid points, no dealiasing, from
    /// grid values) is 2.0e−3 (c = 1) to 2.3e−3 (c = 10) away. Cost ≈ 1.5 s in release on a loaded
    /// 2-core virtual machine, almost all of it the Galerkin core
    /// (benchmarks/results/kdv-reference-convergence.md).
    public static func referenceGrid(c: Double, finalTime: Double = 20, timeCount: Int = 501,
                                     resolution: Int = referenceResolution, corePoints: Int = referenceCorePoints,
                                     maximumTimeStep: Double = defaultTimeStep) -> GridSolution {
        precondition(finalTime > 0 && timeCount >= 2, "KdVSpectralSolver.referenceGrid: need finalTime > 0, timeCount ≥ 2")
        let length = 20.0, samples = 64
        let xs = (0..<samples).map { length * Double($0) / Double(samples) }
        let ts = linspace(0, finalTime, timeCount)
        var values = [Double](repeating: 0, count: samples * timeCount)
        // u(x_i) = û_0 + 2 Re Σ_{k≥1} û_k e^{2πiki/64}: fold the modes modulo 64, then a 64-term sum.
        let roots = (0..<samples).map { Complex(cos(2 * Double.pi * Double($0) / Double(samples)), sin(2 * Double.pi * Double($0) / Double(samples))) }
        referenceSpectra(c: c, length: length, times: ts, resolution: resolution, corePoints: corePoints,
                         maximumTimeStep: maximumTimeStep) { j, u in
            if ts[j] == 0 {
                for i in 0..<samples { values[i * timeCount] = referenceInitialValue(x: xs[i], length: length) }
                return
            }
            var folded = [Complex](repeating: .zero, count: samples)
            for k in 1..<u.count { folded[k % samples] = folded[k % samples] + u[k] }
            for i in 0..<samples {
                var sum = 0.0
                for r in 0..<samples {
                    let w = roots[(r * i) % samples]
                    sum += folded[r].re * w.re - folded[r].im * w.im
                }
                values[i * timeCount + j] = u[0].re + 2 * sum
            }
        }
        return GridSolution(x: xs, y: ts, values: values)
    }

    /// The reference solution's values on the `resolution`-point grid x_k = kL/N at each of `times`
    /// (for comparisons mode by mode; `referenceGrid` samples the same series at 64 points). At
    /// t = 0 these are the values of the truncated Fourier series, not of the initial function.
    public static func referenceSnapshots(c: Double, times: [Double], resolution: Int = referenceResolution,
                                          corePoints: Int = referenceCorePoints,
                                          maximumTimeStep: Double = defaultTimeStep) -> [[Double]] {
        var out: [[Double]] = []
        var transform = RealFFT(count: resolution)
        referenceSpectra(c: c, length: 20, times: times, resolution: resolution, corePoints: corePoints,
                         maximumTimeStep: maximumTimeStep) { _, u in
            var scaled = [Complex](repeating: .zero, count: resolution / 2 + 1)
            for k in 0..<u.count { scaled[k] = Double(resolution) * u[k] }
            var x = [Double](repeating: 0, count: resolution)
            scaled.withUnsafeBufferPointer { s in x.withUnsafeMutableBufferPointer { transform.inverse(s.baseAddress!, $0.baseAddress!) } }
            out.append(x)
        }
        return out
    }

    /// Calls `body(j, û)` for each time, û_k (k = 0…N/3) the Fourier coefficients of the reference
    /// solution at times[j]: Galerkin core for k ≤ corePoints/4, normal-form high modes above.
    static func referenceSpectra(c: Double, length: Double, times: [Double], resolution n: Int, corePoints: Int,
                                 maximumTimeStep: Double, body: (Int, [Complex]) -> Void) {
        precondition(n >= corePoints && n & (n - 1) == 0, "KdVSpectralSolver: resolution must be a power of two ≥ corePoints")
        let top = n / 3, handover = corePoints / 4
        let initial = fourierCoefficients(of: { referenceInitialValue(x: $0, length: length) }, length: length,
                                          modes: top, oversampling: 16)
        // Low modes: the dealiased Galerkin core from the projected initial data.
        let core = KdVSpectralSolver(c: c, length: length, points: corePoints, maximumTimeStep: maximumTimeStep,
                                     richardsonExtrapolation: true, dealiased: true)
        let coreStart = (0...(corePoints / 2)).map { k in k <= top ? Double(corePoints) * initial[k] : .zero }
        let coreSpectra = core.solveSpectra(initial: coreStart, times: times)
        // High modes: free rotation of q = ũ + N(ũ).
        var highModes = NormalFormHighModes(c: c, length: length, points: n, firstMode: handover + 1)
        let mean = initial[0].re
        let start = highModes.normalForm(initial)
        let q0 = (0...top).map { k in k > handover ? initial[k] + start[k] : .zero }
        let omega = (0...top).map { k -> Double in
            let kappa = 2 * Double.pi * Double(k) / length
            return kappa * kappa * kappa - c * mean * kappa
        }
        let scale = initial.reduce(0) { max($0, abs($1.re) + abs($1.im)) }
        var u = [Complex](repeating: .zero, count: top + 1)
        var q = q0
        for (j, t) in times.enumerated() {
            if t == 0 {
                body(j, initial)
                continue
            }
            for k in 0...handover { u[k] = (1 / Double(corePoints)) * coreSpectra[j][k] }
            for k in (handover + 1)...top { q[k] = Complex.exp(Complex(0, omega[k] * t)) * q0[k] }
            highModes.solve(&u, q: q, scale: scale)
            body(j, u)
        }
    }
}

/// û_k = q̂_k − N(û)_k for the modes k ≥ firstMode, with N(û) = (c/6)·[(∂⁻¹ũ)²]^ (2/3-rule
/// product on `points` points) and the lower modes of û given.
struct NormalFormHighModes {
    let c: Double
    let points: Int
    let firstMode: Int
    /// 1/κ_k.
    private let inverseWavenumbers: [Double]
    private var transform: RealFFT
    private var spectrum: [Complex]
    private var physical: [Double]
    /// Fixed-point iterations of the last `solve`.
    private(set) var lastIterations = 0

    init(c: Double, length: Double, points: Int, firstMode: Int) {
        self.c = c
        self.points = points
        self.firstMode = firstMode
        inverseWavenumbers = (0...(points / 3)).map { k in k == 0 ? 0 : length / (2 * Double.pi * Double(k)) }
        transform = RealFFT(count: points)
        spectrum = [Complex](repeating: .zero, count: points / 2 + 1)
        physical = [Double](repeating: 0, count: points)
    }

    /// N(û)_k = (c/6)·[(∂⁻¹ũ)²]^_k for k = 1…points/3 (û has points/3 + 1 entries); 0 at k = 0.
    mutating func normalForm(_ u: [Complex]) -> [Complex] {
        let top = points / 3, n = Double(points)
        for k in 0..<spectrum.count { spectrum[k] = .zero }
        for k in 1...top {   // N·û_k/(iκ_k)
            let a = u[k], s = n * inverseWavenumbers[k]
            spectrum[k] = Complex(s * a.im, -s * a.re)
        }
        spectrum.withUnsafeBufferPointer { s in physical.withUnsafeMutableBufferPointer { transform.inverse(s.baseAddress!, $0.baseAddress!) } }
        for i in 0..<points { physical[i] *= physical[i] }
        physical.withUnsafeBufferPointer { x in spectrum.withUnsafeMutableBufferPointer { transform.forward(x.baseAddress!, $0.baseAddress!) } }
        let scale = c / (6 * n)
        var out = [Complex](repeating: .zero, count: top + 1)
        for k in 1...top { out[k] = scale * spectrum[k] }
        return out
    }

    /// Sets û_k = q̂_k − N(û)_k for k ≥ firstMode (the lower entries of `u` are inputs), iterating
    /// from û_k = q̂_k until no high coefficient moves by more than 1e−14·scale (at most 60 times).
    mutating func solve(_ u: inout [Complex], q: [Complex], scale: Double) {
        let top = points / 3
        for k in firstMode...top { u[k] = q[k] }
        lastIterations = 0
        for _ in 0..<60 {
            let correction = normalForm(u)
            var change = 0.0
            for k in firstMode...top {
                let next = q[k] - correction[k]
                change = max(change, abs(next.re - u[k].re) + abs(next.im - u[k].im))
                u[k] = next
            }
            lastIterations += 1
            if change <= 1e-14 * scale { break }
        }
    }
}

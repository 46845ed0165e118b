import Foundation

/// The Korteweg–de Vries equation u_t + c u u_x + u_xxx = 0 on the periodic interval [0, L), by a
/// Fourier pseudo-spectral method in x and ETDRK4 (with Richardson extrapolation) in time. This is
/// the time integrator; the family's reference solution (`referenceGrid`, in
/// KdVReferenceSolution.swift) runs it on 128 points and describes the higher modes by a normal form.
///
/// Space: u is represented by its values at x_k = kL/N (N a power of two) and, equivalently, by its
/// Fourier coefficients û_k, k = 0…N/2 (u is real, the others are conjugates), computed with a
/// radix-2 FFT of length N/2 (`RealFFT`; not a DFT matrix). With κ_k = 2πk/L the equation becomes
///     û_t = iκ³ û − (c/2) iκ · FFT(u²),
/// a stiff, purely dispersive linear part plus the nonlinearity, evaluated in physical space. The
/// Nyquist mode has no well-defined odd derivative and gets κ = 0 in both terms. With `dealiased`
/// only the modes k ≤ N/3 are kept (the 2/3 rule): the product u² is then exact on those modes and
/// the scheme is a Fourier–Galerkin method; without it, u² aliases.
///
/// Initial data: `solve(initial:times:)` starts from the values on the grid, i.e. from the
/// coefficients of their trigonometric interpolant; `solve(projecting:times:)` starts from the
/// Fourier coefficients of a function (oversampled FFT). They differ when the periodic extension
/// of the data is rough: the family's initial data are not periodic (u(0) ≈ 5.1e−3, u(L⁻) ≈ 9.4e−3),
/// their coefficients decay only like 1/k, and sampling on N points aliases them — by up to 40% of
/// their size at k ≈ N/3. On the family's problem, dealiased solutions started from grid values
/// are 1.5–1.6× further from the converged solution than those started from the exact
/// coefficients (benchmarks/results/kdv-reference-convergence.md, section 3).
///
/// Time: ETDRK4 (Cox & Matthews 2002) treats the linear part exactly. Its coefficients are evaluated
/// by the Kassam–Trefethen contour integral — the mean of each formula over 64 points on a unit
/// circle around hL — which avoids the cancellation of the closed forms at small |hL| (κ = 0 has
/// hL = 0). Between two requested output times the interval is split into equal steps no longer
/// than `maximumTimeStep`. With `richardsonExtrapolation` (default) the whole trajectory is also
/// computed with half the step and the two combined as (16 u_{h/2} − u_h)/15, which cancels the
/// h⁴ error term; at three times the work of one run this beats plain ETDRK4 by ~10³.
///
/// Rough data limit the step: the high modes of such data keep amplitudes ~1/k, rotate at κ³ and
/// force each other through u², and ETDRK4 converges only once h·κ_max³ ≲ 1 (κ_max the top kept
/// wavenumber). Measured on the family's problem (c = 10, relative L2 over the 64 × 501 grid, plain
/// ETDRK4): dealiased N = 128 (κ_max³ ≈ 2300) is off by 2.5e−4, 1.7e−5, 1.1e−6 at h = 0.04/64,
/// 0.04/128, 0.04/256 (against h = 0.04/1024); dealiased N = 1024 (κ_max³ ≈ 1.2e6) still changes
/// by 9e−4 between h = 0.04/32 and 0.04/64 and would need h ≈ 5e−7, 4·10⁷ steps. That is why the
/// reference integrates only 128 points.
/// The mean of u (mass) is conserved to rounding (~1e−15): mode 0 has L = 0 and N = 0.
public struct KdVSpectralSolver: Sendable {
    public let c: Double
    public let length: Double
    public let points: Int
    /// The largest ETDRK4 step: each output interval is split into the fewest equal steps ≤ this.
    public let maximumTimeStep: Double
    /// Whether `solve` combines runs with steps h and h/2 as (16·u_{h/2} − u_h)/15.
    public let richardsonExtrapolation: Bool
    /// Whether only the modes k ≤ N/3 are kept (2/3-rule dealiasing).
    public let dealiased: Bool

    private let fft: RealFFT
    /// κ_k for the modes k = 0…N/2 that a real u needs (the rest are conjugates); 0 for the
    /// Nyquist mode and, when dealiased, for the modes above N/3 (see the type's doc comment).
    private let wavenumbers: [Double]
    /// The modes 0..<activeModes evolve; the others stay zero.
    private let activeModes: Int

    /// - Parameters:
    ///   - c: the nonlinear coefficient.
    ///   - length: the period L.
    ///   - points: N, a power of two.
    ///   - maximumTimeStep: the ETDRK4 step h; see `defaultTimeStep`.
    ///   - richardsonExtrapolation: combine the runs with steps h and h/2 (three times the work of
    ///     one run at h, fifth order instead of fourth).
    ///   - dealiased: keep only the modes k ≤ N/3.
    public init(c: Double, length: Double, points: Int, maximumTimeStep: Double = KdVSpectralSolver.defaultTimeStep,
                richardsonExtrapolation: Bool = true, dealiased: Bool = false) {
        precondition(length > 0, "KdVSpectralSolver: length must be positive")
        precondition(points >= 4 && points & (points - 1) == 0, "KdVSpectralSolver: points must be a power of two ≥ 4")
        self.c = c
        self.length = length
        self.points = points
        self.maximumTimeStep = maximumTimeStep
        self.richardsonExtrapolation = richardsonExtrapolation
        self.dealiased = dealiased
        precondition(self.maximumTimeStep > 0, "KdVSpectralSolver: time step must be positive")
        fft = RealFFT(count: points)
        let active = dealiased ? points / 3 + 1 : points / 2 + 1
        activeModes = active
        wavenumbers = (0...(points / 2)).map { k in
            k >= active || k == points / 2 ? 0 : 2 * Double.pi * Double(k) / length
        }
    }

    /// 0.04/128: 128 steps per output interval of the reference grid. With Richardson extrapolation
    /// and the reference's 128 dealiased points the time error is 1e−10 (c = 10, relative L2 over
    /// the grid, against h = 0.04/512; benchmarks/results/kdv-reference-convergence.md).
    public static let defaultTimeStep = 0.04 / 128

    /// The grid x_k = kL/N, k = 0…N−1.
    public var grid: [Double] { (0..<points).map { length * Double($0) / Double(points) } }

    /// The solution on `grid` at each of `times` (non-decreasing, ≥ 0), starting from `initial`
    /// (values on `grid`) at t = 0. A requested time of 0 returns `initial` unchanged.
    public func solve(initial: [Double], times: [Double]) -> [[Double]] {
        precondition(initial.count == points, "KdVSpectralSolver: \(initial.count) initial values for \(points) points")
        var forward = fft
        var spectrum = [Complex](repeating: .zero, count: points / 2 + 1)
        initial.withUnsafeBufferPointer { x in
            spectrum.withUnsafeMutableBufferPointer { forward.forward(x.baseAddress!, $0.baseAddress!) }
        }
        let spectra = solveSpectra(initial: spectrum, times: times)
        return (0..<times.count).map { k in times[k] == 0 ? initial : physical(spectra[k]) }
    }

    /// The solution on `grid` at each of `times`, starting from the Fourier coefficients of
    /// `function` (a function on [0, L), extended periodically) rather than from its grid values.
    /// A requested time of 0 returns the values of the truncated Fourier series.
    public func solve(projecting function: (Double) -> Double, times: [Double]) -> [[Double]] {
        let coefficients = Self.fourierCoefficients(of: function, length: length, modes: points / 2, oversampling: 64)
        let spectrum = coefficients.map { Double(points) * $0 }
        return solveSpectra(initial: spectrum, times: times).map(physical)
    }

    /// û_k ≈ (1/L)∫₀ᴸ f(x) e^{−iκ_k x} dx for k = 0…modes, from an FFT of M ≥ max(2¹⁶,
    /// oversampling·2·modes) samples (M a power of two). For f with a jump at x = 0 the FFT's
    /// coefficient k is off by a relative ≈ (πk/M)²/3 (aliasing of the 1/k tail): 1.4e−3 at k = M/48.
    static func fourierCoefficients(of function: (Double) -> Double, length: Double, modes: Int, oversampling: Int) -> [Complex] {
        var m = max(1 << 16, oversampling * 2 * modes)
        if m & (m - 1) != 0 { m = 1 << (Int.bitWidth - m.leadingZeroBitCount) }
        var transform = RealFFT(count: m)
        let samples = (0..<m).map { function(length * Double($0) / Double(m)) }
        var full = [Complex](repeating: .zero, count: m / 2 + 1)
        samples.withUnsafeBufferPointer { x in full.withUnsafeMutableBufferPointer { transform.forward(x.baseAddress!, $0.baseAddress!) } }
        let scale = 1 / Double(m)
        return (0...modes).map { scale * full[$0] }
    }

    /// Values on `grid` from a spectrum in `RealFFT` scaling (X_k = N·û_k, k = 0…N/2).
    func physical(_ spectrum: [Complex]) -> [Double] {
        var inverse = fft
        var values = [Double](repeating: 0, count: points)
        spectrum.withUnsafeBufferPointer { s in
            values.withUnsafeMutableBufferPointer { inverse.inverse(s.baseAddress!, $0.baseAddress!) }
        }
        return values
    }

    /// The spectra (`RealFFT` scaling, N/2 + 1 entries) at each of `times`, from `initial` at t = 0;
    /// modes the solver does not keep are zeroed first. Richardson-combined when enabled.
    func solveSpectra(initial: [Complex], times: [Double]) -> [[Complex]] {
        precondition(initial.count == points / 2 + 1, "KdVSpectralSolver: \(initial.count) coefficients for \(points) points")
        var start = initial
        for k in activeModes..<start.count { start[k] = .zero }
        let coarse = integrate(start, times: times, maximumStep: maximumTimeStep)
        guard richardsonExtrapolation else { return coarse }
        let fine = integrate(start, times: times, maximumStep: maximumTimeStep / 2)
        return (0..<times.count).map { k in
            times[k] == 0 ? start : zip(coarse[k], fine[k]).map { (h, half: Complex) -> Complex in
                Complex((16 * half.re - h.re) / 15, (16 * half.im - h.im) / 15)
            }
        }
    }

    /// ETDRK4 with steps ≤ `maximumStep`, splitting every output interval into equal steps.
    private func integrate(_ initial: [Complex], times: [Double], maximumStep: Double) -> [[Complex]] {
        var w = Workspace(solver: self)
        var spectrum = initial
        var result: [[Complex]] = []
        var now = 0.0
        var coefficients: Coefficients? = nil
        for target in times {
            precondition(target >= now, "KdVSpectralSolver: times must be non-decreasing and ≥ 0")
            let interval = target - now
            if interval > 0 {
                let steps = max(1, Int((interval / maximumStep * (1 - 1e-12)).rounded(.up)))
                let h = interval / Double(steps)
                if coefficients == nil || abs(coefficients!.h - h) > 1e-13 * h {
                    coefficients = Coefficients(h: h, wavenumbers: wavenumbers)
                }
                for _ in 0..<steps { step(&spectrum, coefficients!, &w) }
                now = target
            }
            result.append(spectrum)
        }
        return result
    }

    /// The family's initial condition ½·0.75·sech²(½√0.75 (x − 0.33L)) + ½·0.4·sech²(½√0.4 (x − 0.65L)).
    public static func referenceInitialValue(x: Double, length: Double) -> Double {
        func sech2(_ z: Double) -> Double { let s = 1 / cosh(z); return s * s }
        return 0.5 * 0.75 * sech2(0.5 * 0.75.squareRoot() * (x - 0.33 * length))
            + 0.5 * 0.4 * sech2(0.5 * 0.4.squareRoot() * (x - 0.65 * length))
    }

    // MARK: - ETDRK4

    /// ETDRK4 coefficients for one step length h (Kassam & Trefethen 2005, eq. 2.5 with the
    /// φ-functions by contour integrals).
    private struct Coefficients {
        let h: Double
        var e: [Complex] = [], e2: [Complex] = [], q: [Complex] = []
        var f1: [Complex] = [], f2: [Complex] = [], f3: [Complex] = []

        init(h: Double, wavenumbers: [Double]) {
            self.h = h
            let contourPoints = 64
            let roots = (0..<contourPoints).map { m in
                Complex.exp(Complex(0, 2 * Double.pi * (Double(m) + 0.5) / Double(contourPoints)))
            }
            for kappa in wavenumbers {
                let z = Complex(0, h * kappa * kappa * kappa)   // h·L, L = iκ³
                e.append(Complex.exp(z))
                e2.append(Complex.exp(0.5 * z))
                var sq = Complex.zero, s1 = Complex.zero, s2 = Complex.zero, s3 = Complex.zero
                for root in roots {
                    let r = z + root
                    let er = Complex.exp(r), er2 = Complex.exp(0.5 * r)
                    let r2 = r * r, r3 = r2 * r
                    sq = sq + (er2 - Complex(1)) / r
                    s1 = s1 + (Complex(-4) - r + er * (Complex(4) - 3 * r + r2)) / r3
                    s2 = s2 + (Complex(2) + r + er * (r - Complex(2))) / r3
                    s3 = s3 + (Complex(-4) - 3 * r - r2 + er * (Complex(4) - r)) / r3
                }
                let scale = h / Double(contourPoints)
                q.append(scale * sq); f1.append(scale * s1); f2.append(scale * s2); f3.append(scale * s3)
            }
        }
    }

    private struct Workspace {
        var fft: RealFFT
        let c: Double
        let wavenumbers: [Double]
        var a, b, cc, nv, na, nb, nc, spectrum: [Complex]
        var physical: [Double]

        init(solver: KdVSpectralSolver) {
            fft = solver.fft
            c = solver.c
            wavenumbers = solver.wavenumbers
            let z = [Complex](repeating: .zero, count: solver.points / 2 + 1)
            a = z; b = z; cc = z; nv = z; na = z; nb = z; nc = z; spectrum = z
            physical = [Double](repeating: 0, count: solver.points)
        }

        /// out = N(v̂) = −(c/2)·iκ·FFT(u²), u = IFFT(v̂).
        mutating func nonlinear(_ v: UnsafePointer<Complex>, _ out: UnsafeMutablePointer<Complex>) {
            let modes = wavenumbers.count
            physical.withUnsafeMutableBufferPointer { pb in
                let u = pb.baseAddress!
                fft.inverse(v, u)
                for k in 0..<pb.count { u[k] = u[k] * u[k] }
                fft.forward(u, out)
            }
            let half = -0.5 * c
            wavenumbers.withUnsafeBufferPointer { kappa in
                for k in 0..<modes {
                    let s = out[k], factor = half * kappa[k]
                    out[k] = Complex(-factor * s.im, factor * s.re)   // factor · i · s
                }
            }
        }
    }

    private func step(_ v: inout [Complex], _ co: Coefficients, _ w: inout Workspace) {
        let n = wavenumbers.count
        // The buffers are distinct stored properties; take raw pointers once per step.
        var a = w.a, b = w.b, cc = w.cc, nv = w.nv, na = w.na, nb = w.nb, nc = w.nc
        w.a = []; w.b = []; w.cc = []; w.nv = []; w.na = []; w.nb = []; w.nc = []
        v.withUnsafeMutableBufferPointer { vp in
        a.withUnsafeMutableBufferPointer { ap in
        b.withUnsafeMutableBufferPointer { bp in
        cc.withUnsafeMutableBufferPointer { cp in
        nv.withUnsafeMutableBufferPointer { nvp in
        na.withUnsafeMutableBufferPointer { nap in
        nb.withUnsafeMutableBufferPointer { nbp in
        nc.withUnsafeMutableBufferPointer { ncp in
            let v = vp.baseAddress!, a = ap.baseAddress!, b = bp.baseAddress!, c = cp.baseAddress!
            let nv = nvp.baseAddress!, na = nap.baseAddress!, nb = nbp.baseAddress!, nc = ncp.baseAddress!
            w.nonlinear(v, nv)
            for k in 0..<n { a[k] = co.e2[k] * v[k] + co.q[k] * nv[k] }
            w.nonlinear(a, na)
            for k in 0..<n { b[k] = co.e2[k] * v[k] + co.q[k] * na[k] }
            w.nonlinear(b, nb)
            for k in 0..<n { c[k] = co.e2[k] * a[k] + co.q[k] * (2 * nb[k] - nv[k]) }
            w.nonlinear(c, nc)
            for k in 0..<n {
                v[k] = co.e[k] * v[k] + co.f1[k] * nv[k] + co.f2[k] * (2 * (na[k] + nb[k])) + co.f3[k] * nc[k]
            }
        }}}}}}}}
        w.a = a; w.b = b; w.cc = cc; w.nv = nv; w.na = na; w.nb = nb; w.nc = nc
    }
}

import LinearAlgebra

/// Exact partial derivatives of one network's output at a fixed point set, and the reverse
/// pass that turns adjoints of those derivatives into the gradient of the network's parameters.
///
/// Every point carries the truncated Taylor polynomial of each neuron over the plan's index set
/// S. Streams are stacked: row `s·P + p` of a layer's activation matrix holds coefficient `s` at
/// point `p`, so each linear layer is one GEMM over all streams (the bias touches stream 0
/// only) and each elementwise step is a loop over contiguous blocks of P·width values.
/// tanh acts by composition: with t_k = tanh⁽ᵏ⁾(z₀) and p the jet without its constant,
/// Y = Σ_k t_k/k! · p^k, and its derivative jet D = tanh′∘z = Σ_k t_{k+1}/k! · p^k is stored
/// for the reverse pass, where ∂Y_α/∂z_β = D_{α−β}.
///
/// The propagator owns its buffers (allocated once; the points never change), so repeated
/// evaluations allocate nothing. It is not thread-safe; use one per thread.
public final class JetPropagator {
    public let network: MLP
    public let plan: JetPlan
    public let pointCount: Int

    private let streams: Int
    private let widths: [Int]
    /// activations[l]: input of layer l, S·P × widths[l]; activations[0] holds the input jets.
    private var activations: [UnsafeMutablePointer<Double>]
    /// derivativeJets[l]: D for hidden layer l, S·P × widths[l+1].
    private var derivativeJets: [UnsafeMutablePointer<Double>]
    private let preactivation: UnsafeMutablePointer<Double>
    private let powerA: UnsafeMutablePointer<Double>
    private let powerB: UnsafeMutablePointer<Double>
    /// scaledTanhDerivatives[k]: t_k/k! per element of one stream (k = 1 … maxOrder + 1; entry 0 unused).
    private let scaledTanhDerivatives: [UnsafeMutablePointer<Double>]
    private let adjointA: UnsafeMutablePointer<Double>
    private let adjointB: UnsafeMutablePointer<Double>
    /// Stream number and α! of each requested derivative.
    private let requestedStreams: [(stream: Int, factorial: Double)]

    /// ∂^α u at every point for each requested α: `derivatives[r][p]`, in request order.
    public private(set) var derivatives: [[Double]]

    /// - Parameters:
    ///   - points: row-major, `count × network.inputDimension`.
    public init(network: MLP, plan: JetPlan, points: [Double]) {
        precondition(plan.dimension == network.inputDimension, "JetPropagator: plan of dimension \(plan.dimension) for a network with \(network.inputDimension) inputs")
        precondition(points.count % network.inputDimension == 0, "JetPropagator: point array not a multiple of the dimension")
        self.network = network
        self.plan = plan
        let d = network.inputDimension
        let count = points.count / d
        pointCount = count
        streams = plan.streamCount
        widths = network.widths
        let rows = streams * count
        let widths = network.widths
        activations = widths.dropLast().map { .allocate(capacity: Swift.max(1, rows * $0)) }
        derivativeJets = widths.dropFirst().dropLast().map { .allocate(capacity: Swift.max(1, rows * $0)) }
        preactivation = .allocate(capacity: Swift.max(1, rows * widths.max()!))
        powerA = .allocate(capacity: Swift.max(1, rows * widths.max()!))
        powerB = .allocate(capacity: Swift.max(1, rows * widths.max()!))
        adjointA = .allocate(capacity: Swift.max(1, rows * widths.max()!))
        adjointB = .allocate(capacity: Swift.max(1, rows * widths.max()!))
        let block = count * widths.max()!
        scaledTanhDerivatives = (0...(plan.maxOrder + 1)).map { _ in .allocate(capacity: Swift.max(1, block)) }
        requestedStreams = plan.requested.map { (plan.stream(of: $0)!, $0.factorial) }
        derivatives = Array(repeating: Array(repeating: 0, count: count), count: plan.requested.count)

        // Input jets x̂(x + δ) = a ⊙ (x + δ) + c: value stream a ⊙ x + c, stream e_k the constant a_k e_k.
        let a = network.inputScale, c = network.inputShift
        let input = activations[0]
        input.initialize(repeating: 0, count: rows * d)
        for p in 0..<count {
            for k in 0..<d { input[p * d + k] = a[k] * points[p * d + k] + c[k] }
        }
        for k in 0..<d {
            if let s = plan.stream(of: .unit(k, dimension: d)) {
                for p in 0..<count { input[(s * count + p) * d + k] = a[k] }
            }
        }
    }

    deinit {
        for b in activations { b.deallocate() }
        for b in derivativeJets { b.deallocate() }
        for b in scaledTanhDerivatives { b.deallocate() }
        preactivation.deallocate(); powerA.deallocate(); powerB.deallocate()
        adjointA.deallocate(); adjointB.deallocate()
    }

    // MARK: Forward

    /// Computes `derivatives` for the network parameters `parameters[offset ..< offset + network.parameterCount]`.
    public func forward(_ parameters: UnsafePointer<Double>) {
        let P = pointCount, rows = streams * P
        guard P > 0 else { return }
        for l in 0..<(network.layerCount - 1) {
            let (m, n) = (widths[l], widths[l + 1])
            let w = parameters + network.weightOffset(l), b = parameters + network.biasOffset(l)
            gemm(.none, .transposed, m: rows, n: n, k: m, a: activations[l], lda: m, b: w, ldb: m,
                 c: preactivation, ldc: n)
            for p in 0..<P {
                let row = preactivation + p * n
                for i in 0..<n { row[i] += b[i] }
            }
            tanhForward(z: preactivation, y: activations[l + 1], d: derivativeJets[l], block: P * n)
        }
        let last = network.layerCount - 1
        let m = widths[last]
        let w = parameters + network.weightOffset(last), b = parameters[network.biasOffset(last)]
        let h = activations[last]
        for (r, (s, factorial)) in requestedStreams.enumerated() {
            derivatives[r].withUnsafeMutableBufferPointer { out in
                gemv(.none, m: P, n: m, a: h + s * P * m, lda: m, x: w, y: out.baseAddress!)
                let shift = s == 0 ? b : 0
                for p in 0..<P { out[p] = factorial * (out[p] + shift) }
            }
        }
    }

    /// Y = tanh∘z and D = tanh′∘z on jets, streams of `block` contiguous elements.
    private func tanhForward(z: UnsafeMutablePointer<Double>, y: UnsafeMutablePointer<Double>, d: UnsafeMutablePointer<Double>, block N: Int) {
        let K = plan.maxOrder
        // Y₀ = t = tanh(z₀), D₀ = t₁ = 1 − t², and s_k = t_k/k! (closed forms in t) for k ≤ K + 1.
        VectorTanh.apply(z, y, count: N)
        TanhTaylorCoefficients.compute(t: y, through: K + 1, into: scaledTanhDerivatives, count: N)
        d.update(from: scaledTanhDerivatives[1], count: N)
        let t = scaledTanhDerivatives
        guard K >= 1 else { return }
        // k = 1: Y_α = t₁ z_α, D_α = t₂ z_α (t[2] holds t₂/2!, so double it).
        let t1 = t[1], t2 = t[2]
        for s in 1..<streams {
            let zs = z + s * N, ys = y + s * N, ds = d + s * N
            for i in 0..<N {
                ys[i] = t1[i] * zs[i]
                ds[i] = 2 * t2[i] * zs[i]
            }
        }
        guard K >= 2 else { return }
        // p^k = p^{k−1} · p for k ≥ 2; Y_α += t_k/k! p^k_α, D_α += t_{k+1}/k! · (k+1) p^k_α.
        var previous = z, current = powerA
        for k in 2...K {
            let orders = plan.orders
            for s in 1..<streams where orders[s] >= k { (current + s * N).initialize(repeating: 0, count: N) }
            for (bStream, gStream, aStream) in plan.powerProducts[k] {
                let pb = previous + bStream * N, zg = z + gStream * N, out = current + aStream * N
                for i in 0..<N { out[i] += pb[i] * zg[i] }
            }
            let tk = t[k], tk1 = t[k + 1]
            let up = Double(k + 1)
            for s in 1..<streams where orders[s] >= k {
                let ps = current + s * N, ys = y + s * N, ds = d + s * N
                for i in 0..<N {
                    ys[i] += tk[i] * ps[i]
                    ds[i] += up * tk1[i] * ps[i]
                }
            }
            previous = current
            current = current == powerA ? powerB : powerA
        }
    }

    // MARK: Reverse

    /// Accumulates into `gradient` (the network's slice) the gradient of Σ_r Σ_p adjoints[r][p] · derivatives[r][p],
    /// at the parameters of the last `forward`.
    public func backward(adjoints: [[Double]], parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>) {
        let P = pointCount, rows = streams * P
        guard P > 0 else { return }
        let last = network.layerCount - 1
        let m = widths[last]
        let w = parameters + network.weightOffset(last)
        let gw = gradient + network.weightOffset(last)
        let h = activations[last]
        // Adjoint of the last hidden activations: outer product of the output adjoint with w.
        let gA = adjointA, gZ = adjointB
        gA.initialize(repeating: 0, count: rows * m)
        for (r, (s, factorial)) in requestedStreams.enumerated() {
            adjoints[r].withUnsafeBufferPointer { adj in
                let block = gA + s * P * m
                for p in 0..<P {
                    let g = factorial * adj[p]
                    let row = block + p * m
                    for j in 0..<m { row[j] += g * w[j] }
                }
                // ∂/∂w_j = Σ_p g_p h_pj, ∂/∂b = Σ_p g_p on the value stream.
                scaledTransposeProduct(h + s * P * m, rows: P, columns: m, weights: adj.baseAddress!, scale: factorial, into: gw)
                if s == 0 {
                    var sum = 0.0
                    for p in 0..<P { sum += adj[p] }
                    gradient[network.biasOffset(last)] += factorial * sum
                }
            }
        }
        for l in stride(from: last - 1, through: 0, by: -1) {
            let (mIn, n) = (widths[l], widths[l + 1])
            tanhBackward(adjointY: gA, derivativeJet: derivativeJets[l], adjointZ: gZ, block: P * n)
            let gW = gradient + network.weightOffset(l), gb = gradient + network.biasOffset(l)
            gemm(.transposed, .none, m: n, n: mIn, k: rows, a: gZ, lda: n, b: activations[l], ldb: mIn,
                 beta: 1, c: gW, ldc: mIn)
            for p in 0..<P {
                let row = gZ + p * n
                for i in 0..<n { gb[i] += row[i] }
            }
            if l > 0 {
                gemm(.none, .none, m: rows, n: mIn, k: n, a: gZ, lda: n, b: parameters + network.weightOffset(l), ldb: mIn,
                     c: gA, ldc: mIn)
            }
        }
    }

    /// gz_β = Σ_{β+γ=α} gY_α · D_γ.
    private func tanhBackward(adjointY: UnsafeMutablePointer<Double>, derivativeJet d: UnsafeMutablePointer<Double>,
                              adjointZ: UnsafeMutablePointer<Double>, block N: Int) {
        adjointZ.initialize(repeating: 0, count: streams * N)
        for (bStream, gStream, aStream) in plan.additions {
            let out = adjointZ + bStream * N, gy = adjointY + aStream * N, dj = d + gStream * N
            for i in 0..<N { out[i] += gy[i] * dj[i] }
        }
    }

    /// out[j] += scale · Σ_p weights[p] · a[p, j].
    private func scaledTransposeProduct(_ a: UnsafePointer<Double>, rows: Int, columns: Int, weights: UnsafePointer<Double>,
                                        scale: Double, into out: UnsafeMutablePointer<Double>) {
        for p in 0..<rows {
            let g = scale * weights[p]
            let row = a + p * columns
            for j in 0..<columns { out[j] += g * row[j] }
        }
    }
}

import LinearAlgebra

/// Exact partial derivatives of one network's output at a fixed point set, and the reverse
/// pass that turns adjoints of those derivatives into the gradient of the network's parameters.
///
/// Every point carries the truncated Taylor polynomial of each neuron over the plan's index set
/// S. Points are processed in chunks; within a chunk of C points streams are stacked: row
/// `s·C + p` of a layer's activation matrix holds coefficient `s` at point `p`, so each linear
/// layer is one GEMM over all streams of the chunk (the bias touches stream 0 only) and each
/// elementwise step is a loop over contiguous blocks of C·width values.
/// tanh acts by composition: with t_k = tanh⁽ᵏ⁾(z₀) and p the jet without its constant,
/// Y = Σ_k t_k/k! · p^k. The reverse pass needs its derivative jet D = tanh′∘z, as
/// ∂Y_α/∂z_β = D_{α−β}; it recomputes D = 1 − Y·Y (truncated jet product, as tanh′ = 1 − tanh²)
/// from the stored Y rather than storing D too.
///
/// Chunks keep each elementwise step's operands in the core's cache and each GEMM small enough
/// for OpenBLAS's small-matrix kernels (2–3× faster than its blocked path at these shapes). The
/// forward pass stores every chunk's activations for the reverse pass (recomputing them there
/// instead was measured slower).
///
/// The propagator owns its buffers (allocated once; the points never change), so repeated
/// evaluations allocate nothing. It is not thread-safe; use one per thread.
public final class JetPropagator {
    public let network: MLP
    public let plan: JetPlan
    public let pointCount: Int
    /// Points per chunk (the last chunk may be smaller).
    public let chunkSize: Int

    private let streams: Int
    private let widths: [Int]
    /// The point range of each chunk.
    private let chunks: [Range<Int>]
    /// activations[l]: input of layer l at all points, S·P × widths[l], chunk after chunk: the chunk
    /// starting at point q begins at row S·q. activations[0] holds the input jets.
    private let activations: [UnsafeMutablePointer<Double>]
    /// transposedWeights[l]: W_lᵀ (fan-in × fan-out) of hidden layer l at the parameters of the
    /// last `forward`, so that every layer's product is a non-transposed GEMM (OpenBLAS's small-matrix kernels
    /// cover that case only).
    private let transposedWeights: [UnsafeMutablePointer<Double>]
    /// The stream e_k of each input k that the plan carries; its input jet is the constant a_k e_k.
    private let unitStreams: [(stream: Int, input: Int)]
    /// Scratch of one chunk: S·C × max width each.
    private let preactivation: UnsafeMutablePointer<Double>
    private let powerA: UnsafeMutablePointer<Double>
    private let powerB: UnsafeMutablePointer<Double>
    private let adjointA: UnsafeMutablePointer<Double>
    private let adjointB: UnsafeMutablePointer<Double>
    private let derivativeJet: UnsafeMutablePointer<Double>
    /// scaledTanhDerivatives[k]: t_k/k! per element of one stream of a chunk (k = 1 … maxOrder; entry 0 unused).
    private let scaledTanhDerivatives: [UnsafeMutablePointer<Double>]
    /// Stream number and α! of each requested derivative.
    private let requestedStreams: [(stream: Int, factorial: Double)]

    /// ∂^α u at every point for each requested α: `derivatives[r][p]`, in request order.
    public private(set) var derivatives: [[Double]]

    /// Points per chunk when none is given: about `defaultChunkRows` rows (points × streams) per
    /// chunk, so a chunk's operands of a width-20 layer (20 KiB a buffer) stay in L1. Measured by
    /// `training-benchmark`: 64–128 rows fastest, 512 rows 5% slower, 2048 rows 10–15% slower.
    public static func defaultChunkSize(streams: Int) -> Int { Swift.max(8, defaultChunkRows / Swift.max(streams, 1)) }
    public static let defaultChunkRows = 128

    /// - Parameters:
    ///   - points: row-major, `count × network.inputDimension`.
    ///   - chunkSize: points per chunk; any positive value gives the same results up to rounding.
    public init(network: MLP, plan: JetPlan, points: [Double], chunkSize: Int? = nil) {
        precondition(plan.dimension == network.inputDimension, "JetPropagator: plan of dimension \(plan.dimension) for a network with \(network.inputDimension) inputs")
        precondition(points.count % network.inputDimension == 0, "JetPropagator: point array not a multiple of the dimension")
        let streams = plan.streamCount
        let chunkSize = chunkSize ?? JetPropagator.defaultChunkSize(streams: streams)
        precondition(chunkSize > 0, "JetPropagator: chunk size \(chunkSize)")
        self.network = network
        self.plan = plan
        self.chunkSize = chunkSize
        self.streams = streams
        let widths = network.widths
        self.widths = widths
        let d = network.inputDimension
        let count = points.count / d
        pointCount = count
        chunks = stride(from: 0, to: count, by: chunkSize).map { $0..<Swift.min($0 + chunkSize, count) }
        let chunkPoints = Swift.min(chunkSize, Swift.max(count, 1))
        let chunkRows = streams * chunkPoints
        let maxWidth = widths.max()!
        activations = widths.dropLast().map { .allocate(capacity: Swift.max(1, streams * count * $0)) }
        transposedWeights = (0..<(widths.count - 2)).map { .allocate(capacity: widths[$0] * widths[$0 + 1]) }
        unitStreams = (0..<d).compactMap { k in plan.stream(of: .unit(k, dimension: d)).map { ($0, k) } }
        preactivation = .allocate(capacity: chunkRows * maxWidth)
        powerA = .allocate(capacity: chunkRows * maxWidth)
        powerB = .allocate(capacity: chunkRows * maxWidth)
        adjointA = .allocate(capacity: chunkRows * maxWidth)
        adjointB = .allocate(capacity: chunkRows * maxWidth)
        derivativeJet = .allocate(capacity: chunkRows * maxWidth)
        scaledTanhDerivatives = (0...Swift.max(plan.maxOrder, 1)).map { _ in .allocate(capacity: chunkPoints * maxWidth) }
        requestedStreams = plan.requested.map { (plan.stream(of: $0)!, $0.factorial) }
        derivatives = Array(repeating: Array(repeating: 0, count: count), count: plan.requested.count)

        // Input jets x̂(x + δ) = a ⊙ (x + δ) + c: value stream a ⊙ x + c, stream e_k the constant a_k e_k.
        let a = network.inputScale, c = network.inputShift
        let inputJets = activations[0]
        inputJets.initialize(repeating: 0, count: Swift.max(1, streams * count * d))
        for chunk in chunks {
            let block = inputJets + streams * chunk.lowerBound * d
            for (i, p) in chunk.enumerated() {
                for k in 0..<d { block[i * d + k] = a[k] * points[p * d + k] + c[k] }
                for (s, k) in unitStreams { block[(s * chunk.count + i) * d + k] = a[k] }
            }
        }
    }

    deinit {
        for b in activations { b.deallocate() }
        for b in transposedWeights { b.deallocate() }
        for b in scaledTanhDerivatives { b.deallocate() }
        preactivation.deallocate(); powerA.deallocate(); powerB.deallocate()
        adjointA.deallocate(); adjointB.deallocate(); derivativeJet.deallocate()
    }

    /// The input of layer l for a chunk.
    private func layerInput(_ l: Int, chunk: Range<Int>) -> UnsafeMutablePointer<Double> {
        activations[l] + streams * chunk.lowerBound * widths[l]
    }

    // MARK: Forward

    /// Computes `derivatives` for the network parameters `parameters[offset ..< offset + network.parameterCount]`.
    public func forward(_ parameters: UnsafePointer<Double>) {
        let last = network.layerCount - 1
        let m = widths[last]
        let w = parameters + network.weightOffset(last), b = parameters[network.biasOffset(last)]
        for l in 0..<last {
            let (m, n) = (widths[l], widths[l + 1])
            let w = parameters + network.weightOffset(l), wt = transposedWeights[l]
            for i in 0..<n { for j in 0..<m { wt[j * n + i] = w[i * m + j] } }
        }
        for chunk in chunks {
            propagate(parameters, chunk: chunk)
            let P = chunk.count, h = layerInput(last, chunk: chunk)
            for (r, (s, factorial)) in requestedStreams.enumerated() {
                derivatives[r].withUnsafeMutableBufferPointer { all in
                    let out = all.baseAddress! + chunk.lowerBound
                    gemv(.none, m: P, n: m, a: h + s * P * m, lda: m, x: w, y: out)
                    let shift = s == 0 ? b : 0
                    for p in 0..<P { out[p] = factorial * (out[p] + shift) }
                }
            }
        }
    }

    /// Runs a chunk through the hidden layers, storing its activations.
    private func propagate(_ parameters: UnsafePointer<Double>, chunk: Range<Int>) {
        let P = chunk.count, rows = streams * P
        for l in 0..<(network.layerCount - 1) {
            let (m, n) = (widths[l], widths[l + 1])
            if l == 0 {
                inputLayerProduct(chunk: chunk)
            } else {
                gemm(.none, .none, m: rows, n: n, k: m, a: layerInput(l, chunk: chunk), lda: m, b: transposedWeights[l], ldb: n,
                     c: preactivation, ldc: n)
            }
            let b = parameters + network.biasOffset(l)
            for p in 0..<P {
                let row = preactivation + p * n
                for i in 0..<n { row[i] += b[i] }
            }
            tanhForward(z: preactivation, y: layerInput(l + 1, chunk: chunk), block: P * n)
        }
    }

    /// The first layer's preactivation of a chunk (without bias): a loop rather than a GEMM, as
    /// the fan-in is the dimension (OpenBLAS is slow at k = 2). The input map is affine, so the
    /// value stream is W x̂, stream e_k the same row a_k W[:, k] at every point, and the streams
    /// of order ≥ 2 are zero.
    private func inputLayerProduct(chunk: Range<Int>) {
        let P = chunk.count, d = widths[0], n = widths[1]
        let x = layerInput(0, chunk: chunk), wt = transposedWeights[0]
        preactivation.initialize(repeating: 0, count: streams * P * n)
        for p in 0..<P {
            let z = preactivation + p * n
            for k in 0..<d {
                let a = x[p * d + k], wk = wt + k * n
                for i in 0..<n { z[i] += a * wk[i] }
            }
        }
        let scale = network.inputScale
        for (s, k) in unitStreams {
            let first = preactivation + s * P * n, wk = wt + k * n
            for i in 0..<n { first[i] = scale[k] * wk[i] }
            for p in 1..<Swift.max(P, 1) { (first + p * n).update(from: first, count: n) }
        }
    }

    /// Y = tanh∘z on jets, streams of `block` contiguous elements.
    private func tanhForward(z: UnsafeMutablePointer<Double>, y: UnsafeMutablePointer<Double>, block N: Int) {
        let K = plan.maxOrder
        // Y₀ = t = tanh(z₀), and s_k = t_k/k! (closed forms in t) for k ≤ K.
        VectorTanh.apply(z, y, count: N)
        guard K >= 1 else { return }
        let t = scaledTanhDerivatives
        TanhTaylorCoefficients.compute(t: y, through: K, into: t, count: N)
        // k = 1: Y_α = t₁ z_α.
        let t1 = t[1]
        for s in 1..<streams {
            let zs = z + s * N, ys = y + s * N
            for i in 0..<N { ys[i] = t1[i] * zs[i] }
        }
        guard K >= 2 else { return }
        // p^k = p^{k−1} · p for k ≥ 2; Y_α += t_k/k! p^k_α.
        var previous = z, current = powerA
        for k in 2...K {
            let tk = t[k]
            for (s, sum) in plan.powerSums[k] {
                sum.evaluate(a: previous, b: z, into: current + s * N, block: N)
                let ps = current + s * N, ys = y + s * N
                for i in 0..<N { ys[i] += tk[i] * ps[i] }
            }
            previous = current
            current = current == powerA ? powerB : powerA
        }
    }

    // MARK: Reverse

    /// Accumulates into `gradient` (the network's slice) the gradient of Σ_r Σ_p adjoints[r][p] · derivatives[r][p],
    /// at the parameters of the last `forward`.
    public func backward(adjoints: [[Double]], parameters: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>) {
        let last = network.layerCount - 1
        let m = widths[last]
        let w = parameters + network.weightOffset(last)
        let gw = gradient + network.weightOffset(last)
        for chunk in chunks {
            let P = chunk.count, rows = streams * P
            let h = layerInput(last, chunk: chunk)
            // Adjoint of the last hidden activations: outer product of the output adjoint with w.
            let gA = adjointA, gZ = adjointB
            gA.initialize(repeating: 0, count: rows * m)
            for (r, (s, factorial)) in requestedStreams.enumerated() {
                adjoints[r].withUnsafeBufferPointer { all in
                    let adj = all.baseAddress! + chunk.lowerBound
                    let block = gA + s * P * m
                    for p in 0..<P {
                        let g = factorial * adj[p]
                        let row = block + p * m
                        for j in 0..<m { row[j] += g * w[j] }
                    }
                    // ∂/∂w_j = Σ_p g_p h_pj, ∂/∂b = Σ_p g_p on the value stream.
                    gemv(.transposed, m: P, n: m, alpha: factorial, a: h + s * P * m, lda: m, x: adj, beta: 1, y: gw)
                    if s == 0 {
                        var sum = 0.0
                        for p in 0..<P { sum += adj[p] }
                        gradient[network.biasOffset(last)] += factorial * sum
                    }
                }
            }
            for l in stride(from: last - 1, through: 0, by: -1) {
                let (mIn, n) = (widths[l], widths[l + 1])
                tanhDerivative(y: layerInput(l + 1, chunk: chunk), into: derivativeJet, block: P * n)
                tanhBackward(adjointY: gA, derivativeJet: derivativeJet, adjointZ: gZ, block: P * n)
                let gW = gradient + network.weightOffset(l), gb = gradient + network.biasOffset(l)
                gemm(.transposed, .none, m: n, n: mIn, k: rows, a: gZ, lda: n, b: layerInput(l, chunk: chunk), ldb: mIn,
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
    }

    /// D = tanh′∘z = 1 − Y·Y on jets: D_α = [α = 0] − Σ_{β+γ=α} Y_β Y_γ.
    private func tanhDerivative(y: UnsafePointer<Double>, into d: UnsafeMutablePointer<Double>, block N: Int) {
        for (s, sum) in plan.tanhDerivativeSums.enumerated() { sum.evaluate(a: y, b: y, into: d + s * N, block: N) }
    }

    /// gz_β = Σ_{β+γ=α} gY_α · D_γ.
    private func tanhBackward(adjointY: UnsafeMutablePointer<Double>, derivativeJet d: UnsafeMutablePointer<Double>,
                              adjointZ: UnsafeMutablePointer<Double>, block N: Int) {
        for (s, sum) in plan.reverseSums.enumerated() { sum.evaluate(a: adjointY, b: d, into: adjointZ + s * N, block: N) }
    }
}

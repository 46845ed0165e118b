import LinearAlgebra

/// Exact partial derivatives of one network's output at a fixed point set, and the reverse
/// pass that turns adjoints of those derivatives into the gradient of the network's parameters.
///
/// Every point carries the truncated Taylor polynomial of each neuron over the plan's index set
/// S. Points are processed in chunks; within a chunk of C points streams are stacked: row
/// `s·C + p` of a layer's activation matrix holds coefficient `s` at point `p`, so each linear
/// layer after the first is one GEMM over all streams of the chunk (the bias touches stream 0
/// only) and each elementwise step is a loop over contiguous blocks of C·width values.
///
/// The first layer is special: its input is affine in the point, so its preactivation jet is
/// z₀ + Σ_k v_k δ_k with v_k = a_k W₀[:, k] the same at every point, and tanh of it is
/// Y_α = s_{|α|}(z₀) · M_α (s_k = tanh⁽ᵏ⁾/k!, M_α = |α|!/α! · v^α, see `JetPlan.monomialSteps`):
/// one product per coefficient instead of truncated jet products, and in reverse
/// ∂Y_α/∂z₀ = (|α|+1) s_{|α|+1} M_α and ∂Y_α/∂v_k = s_{|α|} ∂M_α/∂v_k, the latter summed over
/// points before it meets the per-neuron monomials.
///
/// Later layers act on general jets by composition: with p the jet without its constant,
/// Y = Σ_k s_k · p^k. The reverse pass needs the derivative jet D = tanh′∘z, as
/// ∂Y_α/∂z_β = D_{α−β}; it recomputes D = 1 − Y·Y (truncated jet product, as tanh′ = 1 − tanh²)
/// from the stored Y rather than storing D too.
///
/// Chunks keep each elementwise step's operands in the core's cache and each GEMM small enough
/// for OpenBLAS's small-matrix kernels (2–3× faster than its blocked path at these shapes). The
/// forward pass stores the output jets of the layers after the first for the reverse pass
/// (recomputing them there was measured slower), and of the first layer only tanh z₀, from which
/// the reverse pass rebuilds its jets chunk by chunk.
///
/// The jets are computed in `Scalar` (see `JetScalar`): Double, or Float for the reference's
/// precision at about half the cost; the interface is Double either way.
///
/// The propagator owns its buffers (allocated once; the points never change), so repeated
/// evaluations allocate nothing. It is not thread-safe; use one per thread.
public final class JetPropagator<Scalar: JetScalar>: DerivativePropagator {
    public let network: MLP
    public let plan: JetPlan
    public let pointCount: Int
    /// Points per chunk (the last chunk may be smaller).
    public let chunkSize: Int

    private let streams: Int
    private let widths: [Int]
    /// The point range of each chunk.
    private let chunks: [Range<Int>]
    /// The points mapped into the network's input box, x̂ = a ⊙ x + c, each coordinate repeated
    /// per first-layer neuron: pointRows[k] is count × widths[1] with x̂_k of point p in row p.
    private let pointRows: [UnsafeMutablePointer<Scalar>]
    /// tanh z₀ of the first layer at all points (count × widths[1]): all the reverse pass needs to
    /// rebuild that layer's jets, which are 1/S of their size.
    private let firstLayerValues: UnsafeMutablePointer<Scalar>
    /// hidden[l − 1]: output jets of hidden layer l ≥ 1 at all points, S·P × widths[l + 1], chunk after
    /// chunk: the chunk starting at point q begins at row S·q.
    private let hidden: [UnsafeMutablePointer<Scalar>]
    /// transposedWeights[l]: W_lᵀ (fan-in × fan-out) of hidden layer l at the parameters of the
    /// last `forward`, so that every layer's product is a non-transposed GEMM (OpenBLAS's
    /// small-matrix kernels cover that case only) and the first layer's loop runs along rows.
    private let transposedWeights: [UnsafeMutablePointer<Scalar>]
    /// The first layer's monomials M_α per neuron (S × widths[1]) at the last `forward`.
    private let monomials: UnsafeMutablePointer<Scalar>
    /// Per-neuron vectors repeated in each of `blockRows` rows (…Rows, blockRows × width each), so
    /// that loops over a chunk run flat over blocks of rows: loops over single rows of 20 did
    /// not vectorise for Float (LLVM's unrolled vector body needs 32 elements). At the last
    /// `forward`: the hidden layers' biases, W₀ᵀ's rows (d of them), M_α and (|α| + 1) M_α
    /// (M_α's factor in ∂Y_α/∂z₀, S each).
    private let biasRows: [UnsafeMutablePointer<Scalar>]
    private let firstWeightRows: [UnsafeMutablePointer<Scalar>]
    private let monomialRows: [UnsafeMutablePointer<Scalar>]
    private let shiftedMonomialRows: [UnsafeMutablePointer<Scalar>]
    /// Reverse-pass accumulators over all chunks, per block row, summed over rows at the end: the
    /// hidden layers' bias gradients, W₀ᵀ's gradient (d), and Σ_p gY_α s_{|α|} per stream (S),
    /// the first layer's gradient through the monomials.
    private let biasGradientRows: [UnsafeMutablePointer<Scalar>]
    private let firstWeightGradientRows: [UnsafeMutablePointer<Scalar>]
    private let monomialAdjointRows: [UnsafeMutablePointer<Scalar>]
    /// The row sums of the last two: W₀ᵀ's gradient (d × widths[1]) and Σ_p gY_α s_{|α|} (S × widths[1]).
    private let firstWeightGradient: UnsafeMutablePointer<Scalar>
    private let monomialAdjoints: UnsafeMutablePointer<Scalar>
    /// Scratch of one chunk: S·C × max width each. firstLayerJets holds the first layer's output jets.
    private let firstLayerJets: UnsafeMutablePointer<Scalar>
    private let preactivation: UnsafeMutablePointer<Scalar>
    private let powerA: UnsafeMutablePointer<Scalar>
    private let powerB: UnsafeMutablePointer<Scalar>
    private let adjointA: UnsafeMutablePointer<Scalar>
    private let adjointB: UnsafeMutablePointer<Scalar>
    private let derivativeJet: UnsafeMutablePointer<Scalar>
    /// scaledTanhDerivatives[k]: s_k = t_k/k! per element of one stream of a chunk (k = 1 … maxOrder + 1; entry 0 unused).
    private let scaledTanhDerivatives: [UnsafeMutablePointer<Scalar>]
    /// One value per row of a chunk (S·C): the output layer's result, and in reverse its adjoint.
    private let outputRows: UnsafeMutablePointer<Scalar>
    /// The network's parameters at the last `forward` in `Scalar`, and the gradient being
    /// accumulated by `backward` before it is added to the caller's.
    private let currentParameters: UnsafeMutablePointer<Scalar>
    private let gradientScratch: UnsafeMutablePointer<Scalar>
    /// Stream number and α! of each requested derivative.
    private let requestedStreams: [(stream: Int, factorial: Double)]

    /// ∂^α u at every point for each requested α: `derivatives[r][p]`, in request order.
    public private(set) var derivatives: [[Double]]

    /// Points per chunk when none is given: about `defaultChunkRows` rows (points × streams) per
    /// chunk, so a chunk's operands of a width-20 layer (20 KiB a buffer) stay in L1. Measured by
    /// `training-benchmark`: 64–128 rows fastest, 512 rows 5% slower, 2048 rows 10–15% slower.
    public static func defaultChunkSize(streams: Int) -> Int { Swift.max(8, defaultChunkRows / Swift.max(streams, 1)) }
    public static var defaultChunkRows: Int { 128 }

    /// - Parameters:
    ///   - points: row-major, `count × network.inputDimension`.
    ///   - chunkSize: points per chunk; any positive value gives the same results up to rounding.
    public init(network: MLP, plan: JetPlan, points: [Double], chunkSize: Int? = nil) {
        precondition(plan.dimension == network.inputDimension, "JetPropagator: plan of dimension \(plan.dimension) for a network with \(network.inputDimension) inputs")
        precondition(network.layerCount >= 2, "JetPropagator: the network \(network.widths) has no hidden layer")
        precondition(plan.maxOrder < TanhTaylorCoefficients.maxOrder,
                     "JetPropagator: derivatives of order \(plan.maxOrder) (at most \(TanhTaylorCoefficients.maxOrder - 1) supported)")
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
        let n = widths[1]
        func allocate(_ count: Int, width: Int) -> [UnsafeMutablePointer<Scalar>] {
            (0..<count).map { _ in .allocate(capacity: JetPropagator.blockRows * width) }
        }
        pointRows = (0..<d).map { _ in .allocate(capacity: Swift.max(1, count * n)) }
        biasRows = widths.dropFirst().dropLast().flatMap { allocate(1, width: $0) }
        biasGradientRows = widths.dropFirst().dropLast().flatMap { allocate(1, width: $0) }
        firstWeightRows = allocate(d, width: n)
        firstWeightGradientRows = allocate(d, width: n)
        monomialRows = allocate(streams, width: n)
        shiftedMonomialRows = allocate(streams, width: n)
        monomialAdjointRows = allocate(streams, width: n)
        currentParameters = .allocate(capacity: network.parameterCount)
        gradientScratch = .allocate(capacity: network.parameterCount)
        firstLayerValues = .allocate(capacity: Swift.max(1, count * widths[1]))
        hidden = widths.dropFirst(2).dropLast().map { .allocate(capacity: Swift.max(1, streams * count * $0)) }
        transposedWeights = (0..<(widths.count - 2)).map { .allocate(capacity: widths[$0] * widths[$0 + 1]) }
        monomials = .allocate(capacity: streams * n)
        monomialAdjoints = .allocate(capacity: streams * n)
        firstWeightGradient = .allocate(capacity: d * n)
        preactivation = .allocate(capacity: chunkRows * maxWidth)
        firstLayerJets = .allocate(capacity: chunkRows * maxWidth)
        powerA = .allocate(capacity: chunkRows * maxWidth)
        powerB = .allocate(capacity: chunkRows * maxWidth)
        adjointA = .allocate(capacity: chunkRows * maxWidth)
        adjointB = .allocate(capacity: chunkRows * maxWidth)
        derivativeJet = .allocate(capacity: chunkRows * maxWidth)
        outputRows = .allocate(capacity: chunkRows)
        scaledTanhDerivatives = (0...(plan.maxOrder + 1)).map { _ in .allocate(capacity: chunkPoints * maxWidth) }
        requestedStreams = plan.requested.map { (plan.stream(of: $0)!, $0.factorial) }
        derivatives = Array(repeating: Array(repeating: 0, count: count), count: plan.requested.count)
        let a = network.inputScale, c = network.inputShift
        for k in 0..<d {
            for p in 0..<count { (pointRows[k] + p * n).update(repeating: Scalar(a[k] * points[p * d + k] + c[k]), count: n) }
        }
    }

    deinit {
        for b in hidden { b.deallocate() }
        for b in transposedWeights { b.deallocate() }
        for b in scaledTanhDerivatives { b.deallocate() }
        for rows in [pointRows, biasRows, biasGradientRows, firstWeightRows, firstWeightGradientRows, monomialRows,
                     shiftedMonomialRows, monomialAdjointRows] { for b in rows { b.deallocate() } }
        currentParameters.deallocate(); gradientScratch.deallocate(); firstLayerValues.deallocate(); firstLayerJets.deallocate(); monomials.deallocate()
        monomialAdjoints.deallocate(); firstWeightGradient.deallocate()
        preactivation.deallocate(); powerA.deallocate(); powerB.deallocate()
        adjointA.deallocate(); adjointB.deallocate(); derivativeJet.deallocate(); outputRows.deallocate()
    }

    /// The input jets of layer l ≥ 1 for a chunk: the output of hidden layer l − 1 (the first
    /// layer's only while its chunk is the current one).
    private func layerInput(_ l: Int, chunk: Range<Int>) -> UnsafeMutablePointer<Scalar> {
        l == 1 ? firstLayerJets : hidden[l - 2] + streams * chunk.lowerBound * widths[l]
    }

    // MARK: Forward

    // Specialised entry points: `PINNLoss` calls through `DerivativePropagator`, whose witnesses
    // would otherwise run the unspecialised generic code (measured 20× slower).

    /// Computes `derivatives` for the network parameters `parameters[0 ..< network.parameterCount]`.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func forward(_ parameters: UnsafePointer<Double>) {
        for i in 0..<network.parameterCount { currentParameters[i] = Scalar(parameters[i]) }
        let parameters = UnsafePointer(currentParameters)
        let last = network.layerCount - 1
        let m = widths[last]
        let w = parameters + network.weightOffset(last), b = parameters[network.biasOffset(last)]
        for l in 0..<last {
            let (m, n) = (widths[l], widths[l + 1])
            let w = parameters + network.weightOffset(l), wt = transposedWeights[l]
            for i in 0..<n { for j in 0..<m { wt[j * n + i] = w[i * m + j] } }
            replicate(parameters + network.biasOffset(l), width: n, into: biasRows[l])
        }
        for k in 0..<widths[0] { replicate(transposedWeights[0] + k * widths[1], width: widths[1], into: firstWeightRows[k]) }
        computeMonomials()
        let outputs = outputRows
        for chunk in chunks {
            propagate(chunk: chunk)
            // The output layer for every stream of the chunk at once.
            let P = chunk.count
            rowDotProducts(layerInput(last, chunk: chunk), rows: streams * P, width: m, with: w, into: outputs)
            for (r, (s, factorial)) in requestedStreams.enumerated() {
                derivatives[r].withUnsafeMutableBufferPointer { all in
                    let out = all.baseAddress! + chunk.lowerBound, row = outputs + s * P
                    let shift = s == 0 ? b : 0
                    for p in 0..<P { out[p] = factorial * Double(row[p] + shift) }
                }
            }
        }
    }

    /// out[r] = Σ_j a[r·width + j] · x[j]: the output layer. A loop rather than OpenBLAS's gemv,
    /// whose kernel for this shape (rows of 20) took 4% of an evaluation.
    private func rowDotProducts(_ a: UnsafePointer<Scalar>, rows: Int, width m: Int, with x: UnsafePointer<Scalar>,
                                into out: UnsafeMutablePointer<Scalar>) {
        typealias V = SIMD4<Scalar>
        let size = MemoryLayout<Scalar>.stride
        let vectorWidth = m - m % 4
        let raw = UnsafeRawPointer(a), xRaw = UnsafeRawPointer(x)
        for r in 0..<rows {
            var acc = V()
            var j = 0
            while j < vectorWidth {
                acc = acc.addingProduct(raw.loadUnaligned(fromByteOffset: (r * m + j) * size, as: V.self),
                                        xRaw.loadUnaligned(fromByteOffset: j * size, as: V.self))
                j += 4
            }
            var sum = acc.sum()
            while j < m {
                sum = sum.addingProduct(a[r * m + j], x[j])
                j += 1
            }
            out[r] = sum
        }
    }

    /// The output layer in reverse for rows with adjoints g: ∂/∂w += Σ_r g_r h_r and the adjoint of
    /// h, g ⊗ w, in one sweep over 16 and then 4 columns at a time with the sums in registers. A loop
    /// rather than OpenBLAS's gemv, whose kernel for rows of 20 took 4% of an evaluation.
    private func outputLayerReverse(rowAdjoints g: UnsafePointer<Scalar>, rows: Int, activations h: UnsafePointer<Scalar>,
                                    width m: Int, weights w: UnsafePointer<Scalar>,
                                    weightGradient gw: UnsafeMutablePointer<Scalar>, activationAdjoints gA: UnsafeMutablePointer<Scalar>) {
        let raw = UnsafeRawPointer(h), wRaw = UnsafeRawPointer(w), out = UnsafeMutableRawPointer(gA)
        let size = MemoryLayout<Scalar>.stride
        var j = 0
        while j + 16 <= m {
            typealias V = SIMD16<Scalar>
            let wj = wRaw.loadUnaligned(fromByteOffset: j * size, as: V.self)
            var acc = V()
            for r in 0..<rows {
                let gr = g[r]
                acc = acc.addingProduct(gr, raw.loadUnaligned(fromByteOffset: (r * m + j) * size, as: V.self))
                out.storeBytes(of: gr * wj, toByteOffset: (r * m + j) * size, as: V.self)
            }
            for k in 0..<16 { gw[j + k] += acc[k] }
            j += 16
        }
        while j + 4 <= m {
            typealias V = SIMD4<Scalar>
            let wj = wRaw.loadUnaligned(fromByteOffset: j * size, as: V.self)
            // Two accumulators over alternate rows: one would wait on its own latency every row.
            var acc = (V(), V())
            var r = 0
            while r < rows {
                let gr = g[r]
                let term = gr * raw.loadUnaligned(fromByteOffset: (r * m + j) * size, as: V.self)
                if r & 1 == 0 { acc.0 += term } else { acc.1 += term }
                out.storeBytes(of: gr * wj, toByteOffset: (r * m + j) * size, as: V.self)
                r += 1
            }
            let total = acc.0 + acc.1
            for k in 0..<4 { gw[j + k] += total[k] }
            j += 4
        }
        while j < m {
            var sum: Scalar = 0
            for r in 0..<rows {
                sum = sum.addingProduct(g[r], h[r * m + j])
                gA[r * m + j] = g[r] * w[j]
            }
            gw[j] += sum
            j += 1
        }
    }

    /// Rows per block of the loops that read the …Rows vectors: 160 elements at width 20, whole
    /// vector bodies for Double and Float, while the S such vectors of a stream set stay in L1
    /// (repeating them over a whole chunk's rows made the Double loops 3% slower in total).
    private static var blockRows: Int { 8 }

    /// body(offset, count) for the rows 0..<P of width n, `blockRows` rows at a time: offset and
    /// count in elements.
    @inline(__always)
    private func forEachBlock(rows P: Int, width n: Int, _ body: (_ offset: Int, _ count: Int) -> Void) {
        var q = 0
        while q < P {
            let r = Swift.min(JetPropagator.blockRows, P - q)
            body(q * n, r * n)
            q += r
        }
    }

    /// Writes the n-vector v into each of the `blockRows` rows of `rows`.
    private func replicate(_ v: UnsafePointer<Scalar>, width n: Int, into rows: UnsafeMutablePointer<Scalar>) {
        for p in 0..<JetPropagator.blockRows { (rows + p * n).update(from: v, count: n) }
    }

    /// out[i] += Σ_p rows[p·n + i] over the `blockRows` rows.
    private func addRowSums(_ rows: UnsafePointer<Scalar>, width n: Int, into out: UnsafeMutablePointer<Scalar>) {
        for p in 0..<JetPropagator.blockRows {
            let row = rows + p * n
            for i in 0..<n { out[i] += row[i] }
        }
    }

    /// M_α = |α|!/α! · v^α per neuron of the first layer, v_k = a_k W₀[:, k], and (|α| + 1) M_α.
    private func computeMonomials() {
        let n = widths[1], wt = transposedWeights[0], scale = network.inputScale
        monomials.update(repeating: 1, count: n)
        for (s, parent, k, factor) in plan.monomialSteps {
            let m = monomials + s * n, mp = monomials + parent * n, wk = wt + k * n
            let f = Scalar(factor * scale[k])
            for i in 0..<n { m[i] = f * mp[i] * wk[i] }
        }
        for s in 0..<streams {
            replicate(monomials + s * n, width: n, into: monomialRows[s])
            let f = Scalar(plan.orders[s] + 1), m = monomialRows[s], out = shiftedMonomialRows[s]
            for e in 0..<(JetPropagator.blockRows * n) { out[e] = f * m[e] }
        }
    }

    /// Runs a chunk through the hidden layers, storing their output jets.
    private func propagate(chunk: Range<Int>) {
        let P = chunk.count, rows = streams * P
        firstLayerForward(chunk: chunk)
        for l in 1..<(network.layerCount - 1) {
            let (m, n) = (widths[l], widths[l + 1])
            Scalar.gemm(.none, .none, m: rows, n: n, k: m, a: layerInput(l, chunk: chunk), lda: m, b: transposedWeights[l], ldb: n,
                 beta: 0, c: preactivation, ldc: n)
            let b = biasRows[l]
            forEachBlock(rows: P, width: n) { o, count in
                let z = preactivation + o
                for e in 0..<count { z[e] += b[e] }
            }
            tanhForward(z: preactivation, y: layerInput(l + 1, chunk: chunk), block: P * n)
        }
    }

    /// The first layer of a chunk: z₀ = W₀ x̂ + b₀ by a loop (the fan-in is the dimension; OpenBLAS
    /// is slow at k = 2), Y₀ = tanh z₀ and Y_α = s_{|α|} M_α.
    private func firstLayerForward(chunk: Range<Int>) {
        let P = chunk.count, d = widths[0], n = widths[1], N = P * n
        let z = preactivation
        forEachBlock(rows: P, width: n) { o, count in
            let zo = z + o
            zo.update(from: biasRows[0], count: count)
            for k in 0..<d {
                let x = pointRows[k] + chunk.lowerBound * n + o, w = firstWeightRows[k]
                for e in 0..<count { zo[e] = zo[e].addingProduct(x[e], w[e]) }
            }
        }
        let t = firstLayerValues + chunk.lowerBound * n
        Scalar.tanh(z, t, count: N)
        TanhTaylorCoefficients.compute(t: t, through: plan.maxOrder, into: scaledTanhDerivatives, count: N)
        buildFirstLayerJets(chunk: chunk)
    }

    /// The first layer's output jets of a chunk into `firstLayerJets`, from its stored tanh z₀ and
    /// the s_k already computed from them: Y₀ = tanh z₀, Y_α = s_{|α|} M_α.
    private func buildFirstLayerJets(chunk: Range<Int>) {
        let P = chunk.count, n = widths[1], N = P * n
        let y = firstLayerJets, s = scaledTanhDerivatives
        y.update(from: firstLayerValues + chunk.lowerBound * n, count: N)
        for (a, _, _, _) in plan.monomialSteps {
            let sk = s[plan.orders[a]], m = monomialRows[a], ya = y + a * N
            forEachBlock(rows: P, width: n) { o, count in
                let yo = ya + o, so = sk + o
                for e in 0..<count { yo[e] = so[e] * m[e] }
            }
        }
    }

    /// Y = tanh∘z on general jets, streams of `block` contiguous elements.
    private func tanhForward(z: UnsafeMutablePointer<Scalar>, y: UnsafeMutablePointer<Scalar>, block N: Int) {
        let K = plan.maxOrder
        Scalar.tanh(z, y, count: N)
        guard K >= 1 else { return }
        let t = scaledTanhDerivatives
        TanhTaylorCoefficients.compute(t: y, through: K, into: t, count: N)
        // k = 1: Y_α = s₁ z_α.
        let t1 = t[1]
        for s in 1..<streams {
            let zs = z + s * N, ys = y + s * N
            for i in 0..<N { ys[i] = t1[i] * zs[i] }
        }
        guard K >= 2 else { return }
        // p^k = p^{k−1} · p for k ≥ 2; Y_α += s_k p^k_α.
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
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func backward(adjoints: [[Double]], gradient: UnsafeMutablePointer<Double>) {
        // Sums run in Scalar, into the scratch that shadows `gradient`; added to the caller's at the end.
        let parameters = UnsafePointer(currentParameters), output = gradient, gradient = gradientScratch
        gradient.update(repeating: 0, count: network.parameterCount)
        defer { for i in 0..<network.parameterCount { output[i] += Double(gradient[i]) } }
        let last = network.layerCount - 1
        let m = widths[last]
        let w = parameters + network.weightOffset(last)
        let gw = gradient + network.weightOffset(last)
        for (l, b) in biasGradientRows.enumerated() { b.update(repeating: 0, count: JetPropagator.blockRows * widths[l + 1]) }
        for b in firstWeightGradientRows + monomialAdjointRows { b.update(repeating: 0, count: JetPropagator.blockRows * widths[1]) }
        for chunk in chunks {
            let P = chunk.count, rows = streams * P
            TanhTaylorCoefficients.compute(t: firstLayerValues + chunk.lowerBound * widths[1], through: plan.maxOrder + 1,
                                           into: scaledTanhDerivatives, count: P * widths[1])
            buildFirstLayerJets(chunk: chunk)
            let h = layerInput(last, chunk: chunk)
            let gA = adjointA, gZ = adjointB
            // The adjoint of every output row (α! times the derivative's adjoint; zero for streams
            // no term reads), the output layer's gradient from it, and the last hidden layer's adjoint
            // as its outer product with w.
            let g = outputRows
            g.update(repeating: 0, count: rows)
            for (r, (s, factorial)) in requestedStreams.enumerated() {
                adjoints[r].withUnsafeBufferPointer { all in
                    let adj = all.baseAddress! + chunk.lowerBound, row = g + s * P
                    for p in 0..<P { row[p] += Scalar(factorial * adj[p]) }
                }
            }
            var biasAdjoint: Scalar = 0
            for p in 0..<P { biasAdjoint += g[p] }
            gradient[network.biasOffset(last)] += biasAdjoint
            outputLayerReverse(rowAdjoints: g, rows: rows, activations: h, width: m, weights: w,
                               weightGradient: gw, activationAdjoints: gA)
            for l in stride(from: last - 1, through: 1, by: -1) {
                let (mIn, n) = (widths[l], widths[l + 1])
                tanhDerivative(y: layerInput(l + 1, chunk: chunk), into: derivativeJet, block: P * n)
                tanhBackward(adjointY: gA, derivativeJet: derivativeJet, adjointZ: gZ, block: P * n)
                let gW = gradient + network.weightOffset(l), gb = biasGradientRows[l]
                Scalar.gemm(.transposed, .none, m: n, n: mIn, k: rows, a: gZ, lda: n, b: layerInput(l, chunk: chunk), ldb: mIn,
                     beta: 1, c: gW, ldc: mIn)
                forEachBlock(rows: P, width: n) { o, count in
                    let g = gZ + o
                    for e in 0..<count { gb[e] += g[e] }
                }
                Scalar.gemm(.none, .none, m: rows, n: mIn, k: n, a: gZ, lda: n, b: parameters + network.weightOffset(l), ldb: mIn,
                     beta: 0, c: gA, ldc: mIn)
            }
            firstLayerBackward(adjointY: gA, chunk: chunk)
        }
        let (d, n) = (widths[0], widths[1]), scale = network.inputScale
        for l in 0..<last { addRowSums(biasGradientRows[l], width: widths[l + 1], into: gradient + network.biasOffset(l)) }
        monomialAdjoints.update(repeating: 0, count: streams * n)
        firstWeightGradient.update(repeating: 0, count: d * n)
        for a in 0..<streams { addRowSums(monomialAdjointRows[a], width: n, into: monomialAdjoints + a * n) }
        for k in 0..<d { addRowSums(firstWeightGradientRows[k], width: n, into: firstWeightGradient + k * n) }
        // ∂/∂W₀[i, k] gets a_k · ∂/∂v_k[i] = a_k Σ_α (Σ_p gY_α s_{|α|}) ∂M_α/∂v_k.
        for (a, k, parent, weight) in plan.monomialDerivatives {
            let f = Scalar(weight * scale[k]), c = monomialAdjoints + a * n, mp = monomials + parent * n, out = firstWeightGradient + k * n
            for i in 0..<n { out[i] += f * mp[i] * c[i] }
        }
        let gW = gradient + network.weightOffset(0)
        for i in 0..<n { for k in 0..<d { gW[i * d + k] += firstWeightGradient[k * n + i] } }
    }

    /// The first layer's reverse pass for a chunk, from the adjoint gY of its output jets:
    /// gz₀ = Σ_α gY_α (|α|+1) s_{|α|+1} M_α gives W₀'s gradient through x̂ and b₀'s; Σ_p gY_α s_{|α|}
    /// is accumulated for the gradient through v, added once all chunks are done. Reads the s_k
    /// (through order K + 1) that `backward` computed for the chunk.
    private func firstLayerBackward(adjointY gY: UnsafePointer<Scalar>, chunk: Range<Int>) {
        let P = chunk.count, d = widths[0], n = widths[1], N = P * n
        let s = scaledTanhDerivatives
        let gz = adjointB, s1 = s[1]
        for e in 0..<N { gz[e] = gY[e] * s1[e] }
        for a in 1..<streams {
            let g = gY + a * N, order = plan.orders[a]
            let sa = s[order], sb = s[order + 1], c = monomialAdjointRows[a], m = shiftedMonomialRows[a]
            forEachBlock(rows: P, width: n) { o, count in
                let go = g + o, sao = sa + o, sbo = sb + o, gzo = gz + o
                for e in 0..<count {
                    c[e] = c[e].addingProduct(go[e], sao[e])
                    gzo[e] = gzo[e].addingProduct(m[e] * go[e], sbo[e])
                }
            }
        }
        let gb = biasGradientRows[0]
        forEachBlock(rows: P, width: n) { o, count in
            let g = gz + o
            for e in 0..<count { gb[e] += g[e] }
            for k in 0..<d {
                let x = pointRows[k] + chunk.lowerBound * n + o, out = firstWeightGradientRows[k]
                for e in 0..<count { out[e] = out[e].addingProduct(x[e], g[e]) }
            }
        }
    }

    /// D = tanh′∘z = 1 − Y·Y on jets: D_α = [α = 0] − Σ_{β+γ=α} Y_β Y_γ.
    private func tanhDerivative(y: UnsafePointer<Scalar>, into d: UnsafeMutablePointer<Scalar>, block N: Int) {
        for (s, sum) in plan.tanhDerivativeSums.enumerated() { sum.evaluate(a: y, b: y, into: d + s * N, block: N) }
    }

    /// gz_β = Σ_{β+γ=α} gY_α · D_γ.
    private func tanhBackward(adjointY: UnsafeMutablePointer<Scalar>, derivativeJet d: UnsafeMutablePointer<Scalar>,
                              adjointZ: UnsafeMutablePointer<Scalar>, block N: Int) {
        for (s, sum) in plan.reverseSums.enumerated() { sum.evaluate(a: adjointY, b: d, into: adjointZ + s * N, block: N) }
    }
}

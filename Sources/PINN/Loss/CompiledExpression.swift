/// An `DerivativeExpression` laid out for repeated evaluation over a fixed point set: a tape of
/// vector operations with preallocated buffers, and its reverse sweep.
///
/// Known fields are evaluated once at construction (the points never move); each evaluation
/// then runs a handful of contiguous loops. Not thread-safe.
final class CompiledExpression {
    enum Operation {
        /// Reads requested derivative number `slot` of the point set's bundle.
        case load(slot: Int)
        /// A value that does not depend on the parameters (constant or known field), precomputed.
        case known
        case add(Int, Int)
        case multiply(Int, Int)
    }

    let operations: [Operation]
    let pointCount: Int
    /// values[n * P + p]: node n at point p; the last node is the result.
    private(set) var values: [Double]
    private var adjoints: [Double]

    /// - Parameters:
    ///   - slots: position of each multi-index in the bundle the expression will read.
    ///   - points: row-major point coordinates.
    init(_ expression: DerivativeExpression, slots: [MultiIndex: Int], points: [Double], dimension: Int) {
        let P = points.count / dimension
        pointCount = P
        var ops = [Operation]()
        var known = [(Int, [Double])]()
        func emit(_ e: DerivativeExpression) -> Int {
            switch e {
            case .derivative(let m):
                guard let s = slots[m] else { preconditionFailure("CompiledExpression: \(m) not requested") }
                ops.append(.load(slot: s))
            case .constant(let c):
                ops.append(.known)
                known.append((ops.count - 1, Array(repeating: c, count: P)))
            case .field(let f):
                ops.append(.known)
                known.append((ops.count - 1, (0..<P).map { f.value(at: Array(points[($0 * dimension)..<(($0 + 1) * dimension)])) }))
            case .sum(let a, let b):
                let (i, j) = (emit(a), emit(b))
                ops.append(.add(i, j))
            case .product(let a, let b):
                let (i, j) = (emit(a), emit(b))
                ops.append(.multiply(i, j))
            }
            return ops.count - 1
        }
        _ = emit(expression)
        operations = ops
        values = Array(repeating: 0, count: ops.count * P)
        adjoints = Array(repeating: 0, count: ops.count * P)
        for (n, v) in known { values.replaceSubrange((n * P)..<((n + 1) * P), with: v) }
    }

    /// Evaluates the expression from the bundle; the result is `result`.
    func forward(bundle: [[Double]]) {
        let P = pointCount
        values.withUnsafeMutableBufferPointer { v in
            let base = v.baseAddress!
            for (n, op) in operations.enumerated() {
                let out = base + n * P
                switch op {
                case .load(let s):
                    bundle[s].withUnsafeBufferPointer { src in out.update(from: src.baseAddress!, count: P) }
                case .known:
                    break
                case .add(let i, let j):
                    let a = base + i * P, b = base + j * P
                    for p in 0..<P { out[p] = a[p] + b[p] }
                case .multiply(let i, let j):
                    let a = base + i * P, b = base + j * P
                    for p in 0..<P { out[p] = a[p] * b[p] }
                }
            }
        }
    }

    /// The expression's value at every point after `forward`.
    var result: ArraySlice<Double> { values[((operations.count - 1) * pointCount)...] }

    /// Adds to `bundleAdjoints[slot]` the adjoints of the bundle's derivatives, given the adjoint
    /// of the result at every point.
    func backward(resultAdjoint: UnsafePointer<Double>, bundleAdjoints: inout [[Double]]) {
        let P = pointCount, last = operations.count - 1
        adjoints.withUnsafeMutableBufferPointer { g in
            values.withUnsafeBufferPointer { v in
                let gb = g.baseAddress!, vb = v.baseAddress!
                gb.update(repeating: 0, count: last * P)
                (gb + last * P).update(from: resultAdjoint, count: P)
                for n in stride(from: last, through: 0, by: -1) {
                    let gn = gb + n * P
                    switch operations[n] {
                    case .load(let s):
                        bundleAdjoints[s].withUnsafeMutableBufferPointer { dst in
                            for p in 0..<P { dst[p] += gn[p] }
                        }
                    case .known:
                        break
                    case .add(let i, let j):
                        let ga = gb + i * P, gc = gb + j * P
                        for p in 0..<P { ga[p] += gn[p]; gc[p] += gn[p] }
                    case .multiply(let i, let j):
                        let ga = gb + i * P, gc = gb + j * P, a = vb + i * P, c = vb + j * P
                        for p in 0..<P { ga[p] += gn[p] * c[p]; gc[p] += gn[p] * a[p] }
                    }
                }
            }
        }
    }
}

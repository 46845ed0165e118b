/// Contiguous-memory vector kernels used by the optimizers' inner loops.
///
/// They take raw pointers so callers can hoist `withUnsafe…BufferPointer` out of loops (one
/// uniqueness check per array per iteration instead of per element), and the reductions use
/// explicit `SIMD4` accumulators: Swift does not reassociate floating-point sums, so a plain
/// `for` loop reduction would stay scalar and latency-bound. The L-BFGS two-loop recursion
/// is nothing but these dots and axpys, so this is where its per-iteration overhead goes.
@usableFromInline
enum VectorKernels {
    /// Σ aᵢ bᵢ.
    @inlinable
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var acc0 = SIMD4<Double>(), acc1 = SIMD4<Double>()
        var i = 0
        while i + 8 <= n {
            let o = i &* 8
            acc0 += ra.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
                * rb.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
            acc1 += ra.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD4<Double>.self)
                * rb.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD4<Double>.self)
            i &+= 8
        }
        var s = (acc0 + acc1).sum()
        while i < n {
            s += a[i] * b[i]
            i &+= 1
        }
        return s
    }

    /// y ← y + α x.
    @inlinable
    static func axpy(_ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        var i = 0
        while i < n {
            y[i] += alpha * x[i]
            i &+= 1
        }
    }

    /// y ← y + α x, then returns Σ zᵢ yᵢ with the updated y, in one pass over memory.
    /// The two-loop recursion alternates exactly these two operations, so fusing them halves
    /// the number of sweeps over the search direction.
    @inlinable
    static func axpyDot(_ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                        _ z: UnsafePointer<Double>, _ n: Int) -> Double {
        let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y), rz = UnsafeRawPointer(z)
        let a = SIMD4<Double>(repeating: alpha)
        var acc0 = SIMD4<Double>(), acc1 = SIMD4<Double>()
        var i = 0
        while i + 8 <= n {
            let o = i &* 8
            let y0 = ry.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
                + a * rx.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
            let y1 = ry.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD4<Double>.self)
                + a * rx.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD4<Double>.self)
            ry.storeBytes(of: y0, toByteOffset: o, as: SIMD4<Double>.self)
            ry.storeBytes(of: y1, toByteOffset: o &+ 32, as: SIMD4<Double>.self)
            acc0 += y0 * rz.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
            acc1 += y1 * rz.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD4<Double>.self)
            i &+= 8
        }
        var s = (acc0 + acc1).sum()
        while i < n {
            let yi = y[i] + alpha * x[i]
            y[i] = yi
            s += z[i] * yi
            i &+= 1
        }
        return s
    }

    /// x ← α x.
    @inlinable
    static func scale(_ alpha: Double, _ x: UnsafeMutablePointer<Double>, _ n: Int) {
        var i = 0
        while i < n {
            x[i] *= alpha
            i &+= 1
        }
    }

    /// max |xᵢ| (0 for an empty vector). NaN entries may be ignored; callers check finiteness separately.
    @inlinable
    static func maxAbs(_ x: UnsafePointer<Double>, _ n: Int) -> Double {
        let r = UnsafeRawPointer(x)
        var acc0 = SIMD4<Double>(), acc1 = SIMD4<Double>()
        var i = 0
        while i + 8 <= n {
            let a = absolute(r.loadUnaligned(fromByteOffset: i &* 8, as: SIMD4<Double>.self))
            let b = absolute(r.loadUnaligned(fromByteOffset: i &* 8 &+ 32, as: SIMD4<Double>.self))
            acc0.replace(with: a, where: a .> acc0)
            acc1.replace(with: b, where: b .> acc1)
            i &+= 8
        }
        acc0.replace(with: acc1, where: acc1 .> acc0)
        var m = Swift.max(Swift.max(acc0[0], acc0[1]), Swift.max(acc0[2], acc0[3]))
        while i < n {
            m = Swift.max(m, Swift.abs(x[i]))
            i &+= 1
        }
        return m
    }

    /// |v| by clearing the sign bits (branch-free, unlike `pointwiseMax(v, -v)`, which has to
    /// honour NaN semantics and is scalarised).
    @inlinable @inline(__always)
    static func absolute(_ v: SIMD4<Double>) -> SIMD4<Double> {
        let bits = unsafeBitCast(v, to: SIMD4<UInt64>.self) & SIMD4(repeating: 0x7FFF_FFFF_FFFF_FFFF)
        return unsafeBitCast(bits, to: SIMD4<Double>.self)
    }

    /// Σ |xᵢ|.
    @inlinable
    static func sumAbs(_ x: UnsafePointer<Double>, _ n: Int) -> Double {
        let r = UnsafeRawPointer(x)
        var acc = SIMD4<Double>()
        var i = 0
        while i + 4 <= n {
            let v = r.loadUnaligned(fromByteOffset: i &* 8, as: SIMD4<Double>.self)
            acc += absolute(v)
            i &+= 4
        }
        var s = acc.sum()
        while i < n {
            s += Swift.abs(x[i])
            i &+= 1
        }
        return s
    }

    /// True when no entry is NaN or ±∞. Uses the fact that x − x is 0 for finite x and NaN
    /// otherwise, so one vectorised pass suffices.
    @inlinable
    static func allFinite(_ x: UnsafePointer<Double>, _ n: Int) -> Bool {
        let r = UnsafeRawPointer(x)
        var acc = SIMD4<Double>()
        var i = 0
        while i + 4 <= n {
            let v = r.loadUnaligned(fromByteOffset: i &* 8, as: SIMD4<Double>.self)
            acc += v - v
            i &+= 4
        }
        var s = acc.sum()
        while i < n {
            s += x[i] - x[i]
            i &+= 1
        }
        return s == 0
    }
}

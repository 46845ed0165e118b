/// A differentiable scalar function of a flat parameter vector.
///
/// The optimizers in this module only ever need the value and the gradient together (a PINN
/// loss gets both from one forward/backward pass), so that is the single requirement.
/// `value(at:gradient:)` is `mutating` so that an objective may keep caches, scratch buffers
/// or evaluation counters without reference semantics.
public protocol DifferentiableObjective {
    /// Number of parameters.
    var dimension: Int { get }
    /// Returns f(x) and writes ∇f(x) into `gradient` (already sized `dimension`).
    ///
    /// The optimizers in this module always pass a zero-filled `gradient`, so an implementation
    /// may either overwrite it or accumulate into it. A non-finite value or gradient entry is
    /// not an error here: the optimizers detect it, restore the last finite iterate and report
    /// ``StopReason/nonFiniteLoss``.
    mutating func value(at x: [Double], gradient: inout [Double]) -> Double
}

/// Wraps a closure as an objective (for tests and small problems).
///
/// The closure receives the point and a zero-filled gradient buffer of size `dimension`,
/// and returns the value.
public struct ClosureObjective: DifferentiableObjective {
    public let dimension: Int
    @usableFromInline let body: ([Double], inout [Double]) -> Double

    public init(dimension: Int, _ body: @escaping ([Double], inout [Double]) -> Double) {
        precondition(dimension >= 0, "dimension must be non-negative")
        self.dimension = dimension
        self.body = body
    }

    @inlinable
    public mutating func value(at x: [Double], gradient: inout [Double]) -> Double {
        body(x, &gradient)
    }
}

extension DifferentiableObjective {
    /// Zeroes `gradient`, evaluates, and reports whether the value and every gradient entry
    /// are finite. All optimizers go through this so the zero-fill promise and the
    /// non-finite detection live in one place.
    @inlinable
    mutating func evaluate(at x: [Double], gradient: inout [Double]) -> (value: Double, isFinite: Bool) {
        gradient.withUnsafeMutableBufferPointer { g in
            g.update(repeating: 0)
        }
        let f = value(at: x, gradient: &gradient)
        guard f.isFinite else { return (f, false) }
        let finite = gradient.withUnsafeBufferPointer { VectorKernels.allFinite($0.baseAddress!, $0.count) }
        return (f, finite)
    }
}

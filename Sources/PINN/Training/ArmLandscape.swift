/// The error of every arm on one PDE instance at one budget: which arm is best (the oracle a
/// bandit is measured against) and where any other arm ranks.
public struct ArmLandscape: Sendable {
    public private(set) var errors: [InterfaceArm: Double]

    public init(errors: [InterfaceArm: Double] = [:]) {
        self.errors = errors
    }

    public mutating func record(_ arm: InterfaceArm, error: Double) {
        errors[arm] = error
    }

    /// Every one of the 512 arms has an error.
    public var isComplete: Bool { errors.count == InterfaceArm.everyArm.count }

    /// Measured arms, best first (ties broken by mask so the order is reproducible).
    public var ranked: [(arm: InterfaceArm, error: Double)] {
        errors.map { (arm: $0.key, error: $0.value) }.sorted { ($0.error, $0.arm.mask) < ($1.error, $1.arm.mask) }
    }

    /// The arm with the smallest error.
    public var oracle: (arm: InterfaceArm, error: Double)? { ranked.first }

    /// 1 for the best arm; arms with equal errors share the better rank. Nil if the arm was not measured.
    public func rank(of arm: InterfaceArm) -> Int? {
        guard let e = errors[arm] else { return nil }
        return errors.values.filter { $0 < e }.count + 1
    }

    /// The q-quantile of the measured errors (nearest rank, q in [0, 1]).
    public func quantile(_ q: Double) -> Double {
        let sorted = errors.values.sorted()
        precondition(!sorted.isEmpty, "quantile of an empty landscape")
        return sorted[min(sorted.count - 1, max(0, Int((q * Double(sorted.count - 1)).rounded())))]
    }
}

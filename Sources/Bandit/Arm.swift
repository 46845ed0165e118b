import Sampling

/// A choice of interface conditions: a 9-bit mask over
/// (u, uavg, residual, rc, flux, uyy, gres, ux, uxx).
///
/// Bit k of the arm is the k-th character of its 9-character string, left to right, so that
/// `bitString` is the mask written in binary: "100000000" (mask 256) is {u} alone. The bandit
/// sees an arm only as these nine 0/1 inputs; condition names and parsing belong to the PINN
/// module, this type stays independent of it.
public struct Arm: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// Number of interface conditions, the length of every arm's bit vector.
    public static let bitCount = 9
    /// Number of arms, 2⁹.
    public static let count = 1 << bitCount
    /// Condition names in bit order (informational; the PINN module owns their meaning).
    public static let conditionNames = ["u", "uavg", "residual", "rc", "flux", "uyy", "gres", "ux", "uxx"]

    /// The mask; bit (8 − k) of the integer is condition k.
    public let mask: UInt16

    public init(mask: UInt16) {
        precondition(Int(mask) < Arm.count, "Arm: mask \(mask) has more than 9 bits")
        self.mask = mask
    }

    /// Parses a 9-character string of 0s and 1s.
    public init?(bitString: String) {
        guard bitString.count == Arm.bitCount, let m = UInt16(bitString, radix: 2) else { return nil }
        self.init(mask: m)
    }

    /// Whether condition k (0 = u … 8 = uxx) is on.
    public func isEnabled(_ k: Int) -> Bool { (mask >> UInt16(Arm.bitCount - 1 - k)) & 1 == 1 }

    /// The nine bits as 0/1 values, the arm's GP input.
    public var bits: [Double] { (0..<Arm.bitCount).map { isEnabled($0) ? 1 : 0 } }

    /// "100000000" for {u}.
    public var bitString: String { String((0..<Arm.bitCount).map { isEnabled($0) ? "1" : "0" }) }

    public var description: String { bitString }

    /// All 512 arms in mask order (index = mask).
    public static let all: [Arm] = (0..<count).map { Arm(mask: UInt16($0)) }

    /// Bits of all arms, row-major 512 × 9 (row = mask), to build candidate sets without recomputing.
    static let bitTable: [Double] = all.flatMap { $0.bits }

    /// A uniformly random arm.
    public static func random(using rng: inout SeededGenerator) -> Arm {
        Arm(mask: UInt16(rng.next() % UInt64(count)))
    }

    public static func < (lhs: Arm, rhs: Arm) -> Bool { lhs.mask < rhs.mask }

    // Encoded as its bit string, so stored histories are readable.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let s = try container.decode(String.self)
        guard let arm = Arm(bitString: s) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "arm \"\(s)\" is not 9 binary digits")
        }
        self = arm
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(bitString)
    }
}

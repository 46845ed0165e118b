import Foundation
import Sampling

/// A choice of interface conditions — an *arm* of the bandit: a 9-bit mask.
///
/// The one arm type of metalic: the solver trains with it, the bandit learns over it (as the nine
/// 0/1 inputs `bits`), studies store it. Written as condition names (`u,rc,flux`, `none`, `all`)
/// or as a 9-character bit string whose k-th character, left to right, switches
/// `InterfaceCondition(rawValue: k)` (`100100001` = u, rc, uxx). The mask is that bit string read
/// as a binary number (0b100100001 = 289). See docs/INTERFACE-CONDITIONS.md.
public struct InterfaceArm: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// Number of interface conditions, the length of every arm's bit vector.
    public static let bitCount = InterfaceCondition.allCases.count
    /// Number of arms, 2⁹.
    public static let count = 1 << bitCount

    public let mask: UInt16

    public init(mask: UInt16) {
        precondition(mask < 512, "InterfaceArm: mask \(mask) has more than nine bits")
        self.mask = mask
    }

    public init(_ conditions: [InterfaceCondition]) {
        self.init(mask: conditions.reduce(0) { $0 | InterfaceArm.bit($1) })
    }

    public static let none = InterfaceArm(mask: 0)
    public static let all = InterfaceArm(mask: 511)
    /// All 512 arms, by mask.
    public static let everyArm: [InterfaceArm] = (0..<512).map { InterfaceArm(mask: UInt16($0)) }

    static func bit(_ c: InterfaceCondition) -> UInt16 { 1 << UInt16(8 - c.rawValue) }

    public func contains(_ c: InterfaceCondition) -> Bool { mask & InterfaceArm.bit(c) != 0 }

    public var conditions: [InterfaceCondition] { InterfaceCondition.allCases.filter(contains) }

    /// The nine bits as 0/1, in condition order (the bandit's arm features).
    public var bits: [Double] { InterfaceCondition.allCases.map { contains($0) ? 1 : 0 } }

    /// "100100001".
    public var bitString: String { String(InterfaceCondition.allCases.map { contains($0) ? "1" : "0" }) }

    /// "u,rc,uxx", "none" or "all": stable, and parsed back by `init(parsing:)`.
    public var name: String {
        if mask == 0 { return "none" }
        if mask == 511 { return "all" }
        return conditions.map(\.name).joined(separator: ",")
    }

    public var description: String { name }

    /// A uniformly random arm.
    public static func random(using rng: inout SeededGenerator) -> InterfaceArm {
        InterfaceArm(mask: UInt16(rng.next() % UInt64(count)))
    }

    public static func < (a: InterfaceArm, b: InterfaceArm) -> Bool { a.mask < b.mask }

    /// Parses `none`, `all`, a 9-character bit string, or comma/plus-separated condition names.
    public init(parsing text: String) throws {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        if s == "none" { self = .none; return }
        if s == "all" { self = .all; return }
        if s.count == 9, s.allSatisfy({ $0 == "0" || $0 == "1" }) {
            self.init(mask: UInt16(s, radix: 2)!)
            return
        }
        if !s.isEmpty, s.allSatisfy({ $0 == "0" || $0 == "1" }) {
            throw ArmParseError.wrongBitCount(text, s.count)
        }
        var conditions = [InterfaceCondition]()
        for part in s.split(whereSeparator: { $0 == "," || $0 == "+" }) {
            let n = part.trimmingCharacters(in: .whitespaces)
            guard let c = InterfaceCondition(name: n) else { throw ArmParseError.unknownCondition(String(n), text) }
            conditions.append(c)
        }
        guard !conditions.isEmpty else { throw ArmParseError.empty }
        self.init(conditions)
    }

    // Encoded as its name ("u,rc"), which reads well in JSON; decoded from a name, a bit string
    // or an integer mask (the form of study files written by metalic 0.2 and earlier).
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let mask = try? container.decode(Int.self) {
            guard (0..<InterfaceArm.count).contains(mask) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "arm mask \(mask) is not below \(InterfaceArm.count)")
            }
            self.init(mask: UInt16(mask))
            return
        }
        let text = try container.decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: String(describing: error))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}

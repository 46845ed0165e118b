/// A choice of interface conditions: a 9-bit mask.
///
/// Written as condition names (`u,rc,flux`, `none`, `all`) or as a 9-character bit string
/// whose k-th character, left to right, switches `InterfaceCondition(rawValue: k)`
/// (`100100001` = u, rc, uxx). The mask is that bit string read as a binary number
/// (0b100100001 = 289), the same convention as the Bandit module's `Arm`.
public struct InterfaceArm: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
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
}

/// Why an arm could not be parsed.
public enum ArmParseError: Error, Equatable, CustomStringConvertible {
    case unknownCondition(String, String)
    case wrongBitCount(String, Int)
    case empty

    public var description: String {
        let names = InterfaceCondition.allCases.map(\.name).joined(separator: ", ")
        switch self {
        case .unknownCondition(let n, let text):
            return "unknown interface condition '\(n)' in arm '\(text)' (conditions: \(names); or none, all, or 9 bits like 100100001)"
        case .wrongBitCount(let text, let n):
            return "arm '\(text)' has \(n) bits; a bit-string arm has exactly 9 (one per condition: \(names))"
        case .empty:
            return "empty arm: give condition names (\(names)), none, all, or 9 bits like 100100001"
        }
    }
}

import Foundation

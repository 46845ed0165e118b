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

import ArgumentParser
import Foundation
import StudyStore

/// How a command prints its rows: aligned text for people, CSV or JSON for programs.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case table, json, csv
}

/// Rows of named, typed values, printed in any `OutputFormat`. JSON is an array of objects keyed
/// by column, numbers as numbers (NaN and infinities as "NaN", "Infinity", like every file
/// metalic writes), absent values as null.
struct Table {
    enum Value {
        case text(String)
        case number(Double)
        case integer(Int)
        case none

        /// For people: numbers to 4 significant digits.
        var plain: String {
            if case .number(let x) = self, x.isFinite { return String(format: "%.4g", x) }
            return exact
        }

        /// For programs: numbers in shortest round-trip form, so they read back exactly.
        var exact: String {
            switch self {
            case .text(let s): return s
            case .number(let x): return x.isNaN ? "NaN" : x.isInfinite ? (x > 0 ? "Infinity" : "-Infinity") : "\(x)"
            case .integer(let n): return String(n)
            case .none: return ""
            }
        }

        var json: Any {
            switch self {
            case .text(let s): return s
            case .number(let x): return x.isFinite ? x : (x.isNaN ? "NaN" : (x > 0 ? "Infinity" : "-Infinity"))
            case .integer(let n): return n
            case .none: return NSNull()
            }
        }
    }

    let columns: [String]
    var rows: [[Value]] = []

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .csv:
            // Quoted only where needed (a comma, quote or line break), as spreadsheets and pandas write.
            func field(_ text: String) -> String { text.contains(where: { ",\"\n\r".contains($0) }) ? csvField(text) : text }
            return ([columns.map(field).joined(separator: ",")]
                    + rows.map { $0.map { field($0.exact) }.joined(separator: ",") }).joined(separator: "\n")
        case .json:
            let objects = rows.map { row in Dictionary(uniqueKeysWithValues: zip(columns, row.map(\.json))) }
            let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data("[]".utf8)
            return String(decoding: data, as: UTF8.self)
        case .table:
            let cells = [columns] + rows.map { $0.map(\.plain) }
            let widths = columns.indices.map { c in cells.map { $0[c].count }.max() ?? 0 }
            return cells.map { row in
                zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                    .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
            }.joined(separator: "\n")
        }
    }
}

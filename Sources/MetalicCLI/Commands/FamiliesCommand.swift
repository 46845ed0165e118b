import ArgumentParser
import Foundation
import PINN

struct FamiliesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "families", abstract: "List the PDE families and their parameters.")

    @OptionGroup var output: FormatOption

    /// One family as `--format json` prints it.
    struct Listing: Encodable {
        struct Parameter: Encodable { let name: String; let lower: Double; let upper: Double; let summary: String }
        let name: String
        let equation: String
        let domainLower: [Double]
        let domainUpper: [Double]
        let subdomains: Int
        let parameters: [Parameter]
    }

    func run() throws {
        let families = MetalicCommand.families.families
        switch output.format {
        case .table:
            for f in families {
                print("\(f.name)")
                print("    \(f.equation)")
                print("    domain \(f.domain), \(f.decomposition.subdomains.count) subdomains")
                for p in f.parameters {
                    print("    --param \(p.name)=…  in [\(p.range.lowerBound), \(p.range.upperBound)]\(p.summary.isEmpty ? "" : "  (\(p.summary))")")
                }
            }
        case .json:
            let listings = families.map { f in
                Listing(name: f.name, equation: f.equation, domainLower: f.domain.lower, domainUpper: f.domain.upper,
                        subdomains: f.decomposition.subdomains.count,
                        parameters: f.parameters.map { .init(name: $0.name, lower: $0.range.lowerBound, upper: $0.range.upperBound, summary: $0.summary) })
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(listings), as: UTF8.self))
        case .csv:
            // One row per parameter.
            var table = Table(columns: ["family", "equation", "subdomains", "parameter", "lower", "upper", "summary"])
            for f in families {
                for p in f.parameters {
                    table.rows.append([.text(f.name), .text(f.equation), .integer(f.decomposition.subdomains.count), .text(p.name),
                                       .number(p.range.lowerBound), .number(p.range.upperBound), .text(p.summary)])
                }
            }
            print(table.render(.csv))
        }
    }
}

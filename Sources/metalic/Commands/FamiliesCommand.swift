import ArgumentParser
import PINN

struct FamiliesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "families", abstract: "List the PDE families and their parameters.")

    func run() throws {
        for f in FamilyRegistry.all {
            print("\(f.name)")
            print("    \(f.equation)")
            print("    domain \(f.domain), \(f.decomposition.subdomains.count) subdomains")
            for p in f.parameters {
                print("    --param \(p.name)=…  in [\(p.range.lowerBound), \(p.range.upperBound)]\(p.summary.isEmpty ? "" : "  (\(p.summary))")")
            }
        }
    }
}

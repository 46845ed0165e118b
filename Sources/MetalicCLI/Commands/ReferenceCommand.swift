import ArgumentParser
import Foundation
import PINN

struct ReferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reference", abstract: "Write the reference solution of one instance on its grid (CSV: x, y, u).")

    @OptionGroup var instance: InstanceOptions

    @Option(name: [.customShort("o"), .long], help: "Output CSV file.")
    var out: String = "reference.csv"

    func run() throws {
        let (family, s) = try instance.resolved()
        guard let grid = try family.validatedReferenceSolution(s) else {
            throw CLIError("family \(family.name) has no reference solution (its trainings report an error estimate instead, docs/ERROR-ESTIMATE.md)")
        }
        var csv = "x,y,u\n"
        for (i, x) in grid.x.enumerated() {
            for (j, y) in grid.y.enumerated() { csv += "\(x),\(y),\(grid.value(atXIndex: i, yIndex: j))\n" }
        }
        do { try csv.write(toFile: out, atomically: true, encoding: .utf8) } catch {
            throw CLIError("cannot write \(out): \(error.localizedDescription)")
        }
        print("\(family.name) \(s): \(grid.x.count) × \(grid.y.count) reference values written to \(out)")
    }
}

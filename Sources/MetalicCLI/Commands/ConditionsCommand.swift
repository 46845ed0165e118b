import ArgumentParser
import PINN

struct ConditionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conditions", abstract: "List the nine interface conditions (bit order of an arm).",
        discussion: "An arm is given as names (u,rc,flux), none, all, or 9 bits whose k-th character switches condition k (100100001 = u,rc,uxx).")

    @OptionGroup var output: FormatOption

    func run() throws {
        var table = Table(columns: ["bit", "name", "formula"])
        for c in InterfaceCondition.allCases { table.rows.append([.integer(c.rawValue), .text(c.name), .text(c.formula)]) }
        print(table.render(output.format))
    }
}

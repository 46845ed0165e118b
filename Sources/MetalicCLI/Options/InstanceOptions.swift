import ArgumentParser
import PINN

/// A PDE instance: the family and its parameter values.
struct InstanceOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The PDE family.", discussion: "One of: \(MetalicCommand.families.names.joined(separator: ", ")). See `metalic families`."), completion: Completions.families)
    var family: String

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter value, e.g. --param beta=10 (one per parameter of the family; see `metalic families`).", valueName: "name=value"))
    var parameters: [ParameterAssignment] = []

    func validate() throws {
        _ = try resolved()
    }

    /// A family by name, as a validation error naming the known families if there is none.
    static func family(named name: String) throws -> any PDEFamily {
        do { return try MetalicCommand.families.family(named: name) } catch { throw ValidationError(String(describing: error)) }
    }

    /// The family and validated parameter values; every parameter must be given.
    func resolved() throws -> (family: any PDEFamily, parameters: ParameterValues) {
        let f = try Self.family(named: family)
        var given = [String: Double]()
        for p in parameters {
            guard given[p.name] == nil else { throw ValidationError("parameter '\(p.name)' given twice") }
            given[p.name] = p.value
        }
        do { return (f, try f.parameterValues(given)) } catch { throw ValidationError(String(describing: error)) }
    }
}

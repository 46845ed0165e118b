import ArgumentParser
import PINN

/// A PDE instance: the family and its parameter values.
struct InstanceOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The PDE family.", discussion: "One of: \(FamilyRegistry.names.joined(separator: ", ")). See `metalic families`."))
    var family: String

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter value, e.g. --param beta=10 (repeat for several; missing ones default to the middle of their range).", valueName: "name=value"))
    var parameters: [ParameterAssignment] = []

    func validate() throws {
        _ = try resolved()
    }

    /// The family and validated parameter values (unset parameters take the family's default).
    func resolved() throws -> (family: any PDEFamily, parameters: ParameterValues) {
        let f: any PDEFamily
        do { f = try FamilyRegistry.family(named: family) } catch { throw ValidationError(String(describing: error)) }
        var given = f.defaultParameters.dictionary
        var seen = Set<String>()
        for p in parameters {
            guard seen.insert(p.name).inserted else { throw ValidationError("parameter '\(p.name)' given twice") }
            guard given[p.name] != nil else {
                throw ValidationError(String(describing: FamilyError.unknownParameter(p.name, family: f.name, known: f.parameters.map(\.name))))
            }
            given[p.name] = p.value
        }
        do { return (f, try f.parameterValues(given)) } catch { throw ValidationError(String(describing: error)) }
    }
}

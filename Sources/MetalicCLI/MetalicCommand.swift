import ArgumentParser
import LinearAlgebra
import PINN

/// The metalic command line: solve parametric PDEs with multi-domain PINNs and learn which
/// interface conditions to use.
public struct MetalicCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "metalic",
        abstract: "Multi-domain PINNs (XPINNs) with interface conditions learned by Gaussian-process bandits (METALIC).",
        version: MetalicVersion.number,
        subcommands: [FamiliesCommand.self, ConditionsCommand.self, ReferenceCommand.self, SolveCommand.self,
                      PredictCommand.self, MetaTrainCommand.self, EvaluateCommand.self, LandscapeCommand.self, StudyCommand.self])

    /// The families every subcommand knows. Set once by `main(families:)` before parsing, read
    /// only afterwards (argument parsing builds commands without a way to pass values in).
    nonisolated(unsafe) static var families = FamilyRegistry.standard

    public init() {}

    /// Runs the command line with the built-in families.
    public static func main() {
        main(families: FamilyRegistry.builtIn)
    }

    /// Runs the command line with these families (e.g. `FamilyRegistry.builtIn + [MyFamily()]`):
    /// every subcommand — solve, meta-train, evaluate, landscape, study — works with each of them.
    /// Each added family is validated first; a family with a mistake ends the program with its message.
    public static func main(families: [any PDEFamily]) {
        BLASKernelSelection.useVectorKernelsIfMisdetected()
        // One BLAS thread per call: metalic parallelises across networks and trials instead.
        BLASThreads.set(1)
        do {
            Self.families = try FamilyRegistry(families)
            let builtIn = Set(FamilyRegistry.builtIn.map(\.name))
            for family in families where !builtIn.contains(family.name) { try family.validate() }
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}

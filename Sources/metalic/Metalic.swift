import ArgumentParser
import LinearAlgebra

/// The metalic command-line tool: solve parametric PDEs with multi-domain PINNs and learn which
/// interface conditions to use.
@main
struct Metalic: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metalic",
        abstract: "Multi-domain PINNs (XPINNs) with interface conditions learned by Gaussian-process bandits (METALIC).",
        version: MetalicVersion.number,
        subcommands: [FamiliesCommand.self, ConditionsCommand.self, ReferenceCommand.self, SolveCommand.self,
                      MetaTrainCommand.self, EvaluateCommand.self, LandscapeCommand.self])

    static func main() {
        BLASKernelSelection.useVectorKernelsIfMisdetected()
        // One BLAS thread per call: metalic parallelises across networks and trials instead.
        BLASThreads.set(1)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}

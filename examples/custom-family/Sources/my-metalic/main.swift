import MetalicCLI
import PINN

// Every subcommand of metalic — solve, meta-train, evaluate, landscape, study — now knows `decay`.
MetalicCommand.main(families: FamilyRegistry.builtIn + [DecayFamily()])

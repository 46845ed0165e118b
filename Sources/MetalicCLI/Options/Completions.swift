import ArgumentParser
import PINN

/// What the shell completes for family and arm arguments (`metalic --generate-completion-script`).
enum Completions {
    static var families: CompletionKind { .list(MetalicCommand.families.names) }
    /// Single condition names and `none`/`all`; an arm of several conditions is typed with commas.
    static var arms: CompletionKind { .list(["none", "all"] + InterfaceCondition.allCases.map(\.name)) }
}

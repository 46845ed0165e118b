// The `metalic` command line with the built-in families' reference solutions hidden: every
// family keeps its name, equation, data and decomposition, but `referenceSolution` returns nil,
// so trainings report and studies reward the error estimate (docs/ERROR-ESTIMATE.md). A study
// written by this executable records the family's name, so the ordinary `metalic evaluate`
// tests its learned arms by the true error — how benchmarks/estimate-protocol.sh compares
// studies rewarded by the estimate with studies rewarded by the true error.
//
//   metalic-without-reference meta-train heat --study est.db …   (any metalic subcommand)
import MetalicCLI
import PINN

/// A family as given, without its reference solution.
struct WithoutReference: PDEFamily {
    let base: any PDEFamily
    var name: String { base.name }
    var equation: String { base.equation }
    var parameters: [FamilyParameter] { base.parameters }
    var domain: Box { base.domain }
    var decomposition: Decomposition { base.decomposition }
    var periodicAxis: Int? { base.periodicAxis }
    var defaultParameters: ParameterValues { base.defaultParameters }
    func residual(_ s: ParameterValues) -> DerivativeExpression { base.residual(s) }
    func flux(_ s: ParameterValues, normalAxis: Int) -> DerivativeExpression { base.flux(s, normalAxis: normalAxis) }
    func conditions(_ s: ParameterValues) -> [BoundaryCondition] { base.conditions(s) }
    func referenceSolution(_ s: ParameterValues) throws -> GridSolution? { nil }
}

MetalicCommand.main(families: FamilyRegistry.builtIn.map { WithoutReference(base: $0) })

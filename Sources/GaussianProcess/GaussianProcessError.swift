/// Invalid data handed to a GP. These are the caller's bugs (a diverged training run reporting
/// NaN as its reward, say), so they are thrown rather than silently absorbed.
public enum GaussianProcessError: Error, Equatable, CustomStringConvertible {
    /// Target `index` is NaN or infinite.
    case nonFiniteTarget(index: Int)
    /// Input row `row` contains NaN or infinity.
    case nonFiniteInput(row: Int)
    /// Inputs have `got` columns, the kernel expects `expected`.
    case dimensionMismatch(expected: Int, got: Int)
    /// Inputs and targets differ in count.
    case countMismatch(inputs: Int, targets: Int)
    /// A hyperparameter vector of the wrong length.
    case wrongHyperparameterCount(expected: Int, got: Int)

    public var description: String {
        switch self {
        case .nonFiniteTarget(let i): return "GP target \(i) is not finite (NaN or infinite); reject or replace it before recording"
        case .nonFiniteInput(let r): return "GP input row \(r) is not finite"
        case .dimensionMismatch(let e, let g): return "GP inputs have \(g) dimensions, expected \(e)"
        case .countMismatch(let i, let t): return "GP has \(i) inputs but \(t) targets"
        case .wrongHyperparameterCount(let e, let g): return "GP hyperparameter vector has \(g) entries, expected \(e)"
        }
    }
}

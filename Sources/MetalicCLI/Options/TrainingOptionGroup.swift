import ArgumentParser
import Optimization
import PINN

extension TrainingDataProtocol: ExpressibleByArgument {}
extension LBFGS.LineSearch: ExpressibleByArgument {}
extension Precision: ExpressibleByArgument {}

/// Budgets and settings of one training run.
struct TrainingOptionGroup: ParsableArguments {
    @Option(help: "Adam iterations (0: L-BFGS only).")
    var adam: Int = 1000

    @Option(help: "Maximum L-BFGS iterations (0: Adam only).")
    var lbfgs: Int = 10000

    @Option(name: .customLong("protocol"), help: "Training data: forward (initial/boundary conditions only) or reference (the reference implementation's sets).")
    var dataProtocol: TrainingDataProtocol = .forward

    @Option(help: "L-BFGS step rule: fixedStep (the reference's lr·direction) or strongWolfe.")
    var lineSearch: LBFGS.LineSearch = .fixedStep

    @Option(help: "Arithmetic of the derivative propagation: float64, or float32 (the reference's precision, about 1.6× faster).")
    var precision: Precision = .float64

    @Option(help: "Random seed for points and initial weights.")
    var seed: UInt64 = 0

    func validate() throws {
        guard adam >= 0, lbfgs >= 0 else { throw ValidationError("budgets cannot be negative (got --adam \(adam) --lbfgs \(lbfgs))") }
        guard adam + lbfgs > 0 else { throw ValidationError("nothing to train: give --adam or --lbfgs a positive budget") }
    }

    var options: TrainingOptions {
        var o = TrainingOptions(adamIterations: adam, lbfgsIterations: lbfgs, dataProtocol: dataProtocol, seed: seed)
        o.lineSearch = lineSearch
        o.precision = precision
        o.errorEvery = max(1, (adam + lbfgs) / 200)
        return o
    }
}

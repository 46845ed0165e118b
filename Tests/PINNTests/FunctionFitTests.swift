import XCTest
import Foundation
import PINN
import Optimization
import Sampling

/// L-BFGS fits a 1-D function with a small network: the loss machinery with a data term only.
final class FunctionFitTests: XCTestCase {
    func testLBFGSFitsSineWithSmallNetwork() {
        let net = MLP(widths: [1, 10, 10, 1], inputBox: Box(lower: [-1], upper: [1]))
        let xs = (0..<60).map { -1 + 2 * Double($0) / 59 }
        let target = xs.map { sin(3 * $0) }
        let term = LossTerm(name: "fit", weight: 1, components: [.init(network: 0, pointSet: 0, expression: .value(dimension: 1))], target: target)
        var loss = PINNLoss(networks: [net], pointSets: [[xs]], terms: [term])
        var rng = SeededGenerator(seed: 7)
        var x = net.initialParameters(using: &rng)
        for lineSearch in LBFGS.LineSearch.allCases {
            var p = x
            let result = LBFGS(learningRate: lineSearch == .fixedStep ? 0.1 : 1, maxIterations: 2000, lineSearch: lineSearch).minimize(&loss, from: &p)
            // Independent check at points between the training points, by plain scalar evaluation.
            let worst = stride(from: -0.99, through: 0.99, by: 0.0137).map { abs(net.value(at: [$0], parameters: p) - sin(3 * $0)) }.max()!
            print("\(lineSearch): loss \(result.finalLoss) after \(result.iterations) iterations (\(result.stopReason)); max error \(worst)")
            XCTAssertLessThan(worst, 1e-2, "\(lineSearch)")
            XCTAssertLessThan(result.finalLoss, 5e-5, "\(lineSearch)")
            if lineSearch == .strongWolfe { x = p }
        }
    }
}

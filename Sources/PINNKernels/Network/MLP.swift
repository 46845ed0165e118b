import Sampling

/// The architecture of a fully connected tanh network with a linear output layer, and the
/// layout of its parameters in a flat vector.
///
/// Inputs are first mapped affinely from `inputBox` to [−1, 1] (docs/METHOD.md). Parameters are
/// stored layer by layer: the weight matrix W_l (fan-out × fan-in, row-major), then the bias b_l.
/// Value type: the parameters themselves live in the optimiser's flat vector.
public struct MLP: Hashable, Sendable {
    /// Layer widths, input first, e.g. [2, 20, 20, 1].
    public let widths: [Int]
    /// The box mapped to [−1, 1]ᵈ before the first layer.
    public let inputBox: Box

    public init(widths: [Int], inputBox: Box) {
        precondition(widths.count >= 2 && widths.allSatisfy { $0 > 0 }, "MLP: invalid widths \(widths)")
        precondition(widths.last == 1, "MLP: a PINN has one output, got widths \(widths)")
        precondition(inputBox.dimension == widths[0], "MLP: input box has dimension \(inputBox.dimension), network \(widths[0])")
        self.widths = widths
        self.inputBox = inputBox
    }

    public var inputDimension: Int { widths[0] }
    public var layerCount: Int { widths.count - 1 }

    /// Offset of W_l in the flat parameter vector.
    public func weightOffset(_ layer: Int) -> Int {
        (0..<layer).reduce(0) { $0 + widths[$1 + 1] * (widths[$1] + 1) }
    }

    /// Offset of b_l in the flat parameter vector.
    public func biasOffset(_ layer: Int) -> Int { weightOffset(layer) + widths[layer + 1] * widths[layer] }

    public var parameterCount: Int { weightOffset(layerCount) }

    /// Xavier-normal weights (std √(2/(fan-in + fan-out))), zero biases.
    public func initialParameters(using rng: inout SeededGenerator) -> [Double] {
        var p = [Double](repeating: 0, count: parameterCount)
        for l in 0..<layerCount {
            let std = (2.0 / Double(widths[l] + widths[l + 1])).squareRoot()
            let o = weightOffset(l)
            for i in 0..<(widths[l] * widths[l + 1]) { p[o + i] = std * rng.normal() }
        }
        return p
    }

    /// Scale a with x̂ = a ⊙ x + c mapping `inputBox` onto [−1, 1]ᵈ.
    public var inputScale: [Double] { zip(inputBox.lower, inputBox.upper).map { 2 / ($1 - $0) } }
    /// Shift c with x̂ = a ⊙ x + c.
    public var inputShift: [Double] { zip(inputBox.lower, inputBox.upper).map { -($1 + $0) / ($1 - $0) } }

    /// The network output at one point by plain scalar arithmetic — an independent check on
    /// the jet propagation, and convenient for plotting.
    public func value(at point: [Double], parameters p: [Double]) -> Double {
        var h = zip(point, zip(inputScale, inputShift)).map { $0 * $1.0 + $1.1 }
        for l in 0..<layerCount {
            let (n, m) = (widths[l + 1], widths[l])
            var z = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var s = p[biasOffset(l) + i]
                for j in 0..<m { s += p[weightOffset(l) + i * m + j] * h[j] }
                z[i] = l == layerCount - 1 ? s : Foundation.tanh(s)
            }
            h = z
        }
        return h[0]
    }
}

import Foundation

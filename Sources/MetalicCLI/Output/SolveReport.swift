import Foundation
import PINN
import ReferenceSolvers
import StudyStore

/// The files `metalic solve` writes for one trained instance.
struct SolveReport {
    let result: TrainingResult
    let prediction: GridSolution
    /// Nil for a family without a reference solution: the error is then the estimate.
    let reference: GridSolution?

    /// What `result.error` is, in messages.
    var errorName: String { result.errorSource == .estimate ? "estimated error (no reference solution)" : result.errorSource.label }

    /// summary.json: family, parameters, arms, error, reward, timings, stop reason, versions.
    func summaryJSON() throws -> Data {
        struct Summary: Encodable {
            var family: String
            var parameters: [String: Double]
            var arms: [String: String]
            var error: Double
            var errorSource: ErrorSource
            var estimate: ErrorEstimate?
            var reward: Double
            var stages: [StageResult]
            var lbfgsStopReason: String
            var setupSeconds: Double
            var trainingSeconds: Double
            var options: TrainingOptions
            var version: String
        }
        var arms = [String: String]()
        for s in result.stages { arms[s.name] = s.arm.name }
        let summary = Summary(family: result.family, parameters: result.parameters.dictionary, arms: arms, error: result.error,
                              errorSource: result.errorSource, estimate: result.estimate, reward: result.reward, stages: result.stages, lbfgsStopReason: result.stopReason.description,
                              setupSeconds: result.setupSeconds, trainingSeconds: result.trainingSeconds,
                              options: result.options, version: MetalicVersion.string)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = NonFiniteNumbers.encoding
        return try encoder.encode(summary)
    }

    /// solution.csv: x, y, predicted, reference, absolute error (interface lines, where no network
    /// owns the point, are skipped); without a reference solution: x, y, predicted.
    func solutionCSV() -> String {
        var csv = reference == nil ? "x,y,predicted\n" : "x,y,predicted,reference,abs_error\n"
        csv.reserveCapacity(prediction.values.count * 60)
        for (i, x) in prediction.x.enumerated() {
            for (j, y) in prediction.y.enumerated() {
                let p = prediction.value(atXIndex: i, yIndex: j)
                guard !p.isNaN else { continue }
                if let r = reference?.value(atXIndex: i, yIndex: j) {
                    csv += "\(x),\(y),\(p),\(r),\(abs(p - r))\n"
                } else {
                    csv += "\(x),\(y),\(p)\n"
                }
            }
        }
        return csv
    }

    /// loss.csv: iteration, stage, loss, error.
    func lossCSV() -> String {
        var csv = "iteration,stage,loss,error\n"
        for r in result.history { csv += "\(r.iteration),\(r.stage),\(r.loss),\(r.error.map { "\($0)" } ?? "")\n" }
        return csv
    }
}

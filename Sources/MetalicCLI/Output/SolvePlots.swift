import Foundation
import PINN
import Plotting

/// The solution figure (predicted | reference | absolute error, or the prediction alone without a
/// reference solution) and the loss figure (loss and error histories), as solution.png and
/// loss.png or in another `PlotFormat`.
enum SolvePlots {
    static func write(report: SolveReport, family: any PDEFamily, to directory: URL, format: PlotFormat) throws {
        let p = report.prediction
        let finite = (report.reference ?? p).values.filter(\.isFinite)
        let range = (finite.min() ?? 0)...max((finite.max() ?? 1), (finite.min() ?? 0) + 1e-12)
        let yLabel = family.name == "poisson" ? "y" : "t"
        var panels = [HeatmapPanel(title: "predicted", x: p.x, y: p.y, values: p.values, xLabel: "x", yLabel: yLabel, range: range)]
        if let r = report.reference {
            let error = zip(p.values, r.values).map { $0.isNaN ? Double.nan : abs($0 - $1) }
            panels += [
                HeatmapPanel(title: "reference", x: r.x, y: r.y, values: r.values, xLabel: "x", yLabel: yLabel, range: range),
                HeatmapPanel(title: "absolute error", x: r.x, y: r.y, values: error, xLabel: "x", yLabel: yLabel, colorMap: .magma),
            ]
        }
        try HeatmapPlot.render(panels: panels, width: 500 * panels.count, height: 480).write(in: directory, name: "solution", format: format)

        let history = report.result.history
        let loss = LineSeries(name: "loss", xs: history.map { Double($0.iteration) }, ys: history.map(\.loss), color: .blue)
        let measured = history.filter { $0.error != nil }
        let err = LineSeries(name: report.result.errorSource.label, xs: measured.map { Double($0.iteration) }, ys: measured.map { $0.error! }, color: .red)
        let plot = LinePlot(title: "\(report.result.family) \(report.result.parameters)",
                            xLabel: "iteration (Adam, then L-BFGS)", yLabel: "loss / error", series: [loss, err], logY: true)
        try LinePlot.render(plot, width: 900, height: 560).write(in: directory, name: "loss", format: format)
    }
}

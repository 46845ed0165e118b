import Foundation
import XCTest
@testable import Plotting

/// Directory where the tests leave sample images for visual inspection.
let sampleDirectory: String = {
    let dir = NSTemporaryDirectory() + "metalic-plots"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}()

final class HeatmapTests: XCTestCase {
    /// u(x, t) on a coarse grid so each cell covers many pixels.
    func grid(nx: Int = 9, ny: Int = 7) -> (x: [Double], y: [Double], values: [Double]) {
        let x = (0..<nx).map { -1 + 2 * Double($0) / Double(nx - 1) }
        let y = (0..<ny).map { Double($0) / Double(ny - 1) }
        var v = [Double](repeating: 0, count: nx * ny)
        for i in 0..<nx { for j in 0..<ny { v[i * ny + j] = -sin(Double.pi * x[i]) * exp(-y[j]) } }
        return (x, y, v)
    }

    func testCellCentreColourMatchesColourMap() throws {
        var (x, y, values) = grid()
        values[2 * y.count + 5] = .nan
        let panel = HeatmapPanel(title: "u", x: x, y: y, values: values, xLabel: "x", yLabel: "t", colorMap: .viridis)
        let (canvas, geometry) = HeatmapPlot.renderWithGeometry(panels: [panel], width: 400, height: 300)
        XCTAssertEqual(geometry.count, 1)
        let g = geometry[0]
        XCTAssertEqual(g.range.lowerBound, values.filter { $0.isFinite }.min()!)
        XCTAssertEqual(g.range.upperBound, values.filter { $0.isFinite }.max()!)
        XCTAssertFalse(g.plot.plotRect.isEmpty)
        for (i, j) in [(1, 1), (4, 3), (7, 5), (3, 2), (6, 1)] {
            guard let p = g.plot.pixelIndex(x: x[i], y: y[j]) else { return XCTFail("cell (\(i), \(j)) not placed") }
            XCTAssertEqual(canvas.pixel(x: p.x, y: p.y), ColorMap.viridis.color(for: values[i * y.count + j], in: g.range),
                           "cell (\(i), \(j))")
        }
        // NaN cell is grey.
        let nanPixel = g.plot.pixelIndex(x: x[2], y: y[5])!
        XCTAssertEqual(canvas.pixel(x: nanPixel.x, y: nanPixel.y), RGB.missing)
        // y increases upward: the row of y[last] is above the row of y[0].
        XCTAssertLessThan(g.plot.pixelIndex(x: x[0], y: y.last!)!.y, g.plot.pixelIndex(x: x[0], y: y[0])!.y)
        // The colour bar's top is the maximum colour, its bottom the minimum.
        let bar = g.colorBarRect
        XCTAssertEqual(canvas.pixel(x: bar.x + bar.width / 2, y: bar.y), ColorMap.viridis.color(at: 1))
        XCTAssertEqual(canvas.pixel(x: bar.x + bar.width / 2, y: bar.maxY - 1), ColorMap.viridis.color(at: 0))
        // Text was drawn (black pixels exist outside the plot area), e.g. the title above it.
        var titleInk = 0
        for yy in 0..<g.plot.plotRect.y - 2 { for xx in 0..<canvas.width where canvas.pixel(x: xx, y: yy) == .black { titleInk += 1 } }
        XCTAssertGreaterThan(titleInk, 0)
        try canvas.writePNG(to: sampleDirectory + "/heatmap-small.png")
    }

    func testUnsortedGridAndExplicitRange() {
        // Reversed x order with explicit range; the mapping must follow the coordinates.
        let x = [1.0, 0.5, 0.0], y = [0.0, 1.0]
        let values = [10.0, 11.0, 5.0, 6.0, 0.0, 1.0] // f(x, y) = 10 x + y
        let panel = HeatmapPanel(title: "", x: x, y: y, values: values, xLabel: "", yLabel: "",
                                 colorMap: .diverging, range: 0...11)
        let (canvas, geometry) = HeatmapPlot.renderWithGeometry(panels: [panel], width: 200, height: 150)
        let g = geometry[0]
        XCTAssertEqual(g.range, 0...11)
        for (i, j) in [(0, 0), (1, 1), (2, 0), (2, 1)] {
            let p = g.plot.pixelIndex(x: x[i], y: y[j])!
            // Cells at the domain edge: step half a pixel inward so the sample is unambiguous.
            let px = min(max(p.x, g.plot.plotRect.x + 1), g.plot.plotRect.maxX - 2)
            let py = min(max(p.y, g.plot.plotRect.y + 1), g.plot.plotRect.maxY - 2)
            XCTAssertEqual(canvas.pixel(x: px, y: py), ColorMap.diverging.color(for: values[i * 2 + j], in: 0...11))
        }
    }

    func testDivergingDefaultsToSymmetricRangeAndBadInputDoesNotCrash() {
        let p = HeatmapPanel(title: "e", x: [0, 1], y: [0, 1], values: [-1, 3, 0, 2], colorMap: .diverging)
        XCTAssertEqual(p.effectiveRange, -3...3)
        let allNaN = HeatmapPanel(title: "nan", x: [0, 1], y: [0], values: [.nan, .nan])
        XCTAssertEqual(allNaN.effectiveRange, 0...1)
        let mismatched = HeatmapPanel(title: "bad", x: [0, 1, 2], y: [0, 1], values: [1, 2])
        XCTAssertFalse(mismatched.isValid)
        let single = HeatmapPanel(title: "one", x: [0.5], y: [2], values: [7])
        let canvas = HeatmapPlot.render(panels: [allNaN, mismatched, single], width: 600, height: 200)
        XCTAssertEqual(canvas.width, 600)
        _ = HeatmapPlot.render(panels: [single], width: 30, height: 20) // too small for axes
        _ = HeatmapPlot.render(panels: [], width: 10, height: 10)
        _ = HeatmapPlot.render(panels: [single], width: 0, height: 0)
    }

    func testThreePanelSampleIsSmallAndValid() throws {
        // predicted | reference | absolute error, as the CLI draws it.
        let nx = 201, ny = 101
        let x = (0..<nx).map { -1 + 2 * Double($0) / Double(nx - 1) }
        let t = (0..<ny).map { Double($0) / Double(ny - 1) }
        var ref = [Double](repeating: 0, count: nx * ny), pred = ref, err = ref
        for i in 0..<nx {
            for j in 0..<ny {
                let r = -sin(Double.pi * x[i]) * exp(-3 * t[j] * x[i] * x[i])
                ref[i * ny + j] = r
                pred[i * ny + j] = r + 0.02 * sin(7 * x[i]) * t[j]
                err[i * ny + j] = abs(pred[i * ny + j] - r)
            }
        }
        let range = -1.0...1.0
        let panels = [
            HeatmapPanel(title: "PINN prediction u(x,t)", x: x, y: t, values: pred, xLabel: "x", yLabel: "t",
                         colorMap: .diverging, range: range),
            HeatmapPanel(title: "Reference (Burgers, \u{03BD}=0.01/\u{03C0})", x: x, y: t, values: ref, xLabel: "x",
                         yLabel: "t", colorMap: .diverging, range: range),
            HeatmapPanel(title: "Absolute error |u - u_ref|", x: x, y: t, values: err, xLabel: "x", yLabel: "t",
                         colorMap: .viridis),
        ]
        let canvas = HeatmapPlot.render(panels: panels, width: 1500, height: 480)
        let png = try canvas.pngData()
        XCTAssertLessThan(png.count, 2_000_000)
        let decoded = try TestPNGDecoder.decode(png)
        XCTAssertEqual(decoded.pixels, canvas.pixels)
        try canvas.writePNG(to: sampleDirectory + "/heatmap.png")

        // An 800×600 image stays well under 2 MB even with stored blocks.
        let single = HeatmapPlot.render(panels: [panels[2]], width: 800, height: 600)
        XCTAssertLessThan(try single.pngData(compression: .stored).count, 2_000_000)
        try single.writePNG(to: sampleDirectory + "/heatmap-error.png")
    }
}

final class LinePlotTests: XCTestCase {
    func testLogLossCurvesWithBadPoints() throws {
        let n = 400
        let loss = (0..<n).map { k -> Double in
            if k == 50 { return .nan }
            if k == 60 { return .infinity }
            if k == 70 { return 0 }
            if k == 80 { return -1 }
            return 2 * exp(-Double(k) / 60) + 1e-5 * (1 + sin(Double(k)))
        }
        let err = (0..<n).map { 0.5 * pow(Double($0 + 1), -1.2) }
        let plot = LinePlot(title: "Training loss", xLabel: "iteration", yLabel: "loss",
                            series: [LineSeries(name: "total loss", ys: loss, color: .blue),
                                     LineSeries(name: "rel. L2 error", ys: err, color: .orange, style: .lineAndMarkers)],
                            logY: true)
        let (canvas, g) = LinePlot.renderWithGeometry(plot, width: 800, height: 500)
        XCTAssertTrue(g.yAxis.isLog)
        let drawable = (loss + err).filter { $0.isFinite && $0 > 0 }
        XCTAssertLessThanOrEqual(g.yAxis.lower, drawable.min()!)
        XCTAssertGreaterThan(g.yAxis.lower, drawable.min()! / 10)
        XCTAssertGreaterThanOrEqual(g.yAxis.upper, drawable.max()!)
        XCTAssertLessThan(g.yAxis.upper, drawable.max()! * 10)
        XCTAssertTrue(g.yAxis.labels.allSatisfy { $0.hasPrefix("1") })
        XCTAssertTrue(g.yAxis.labels.contains("1e-3"))
        // A point of the loss curve is drawn in the series colour.
        let p = g.pixelIndex(x: 200, y: loss[200])!
        XCTAssertEqual(canvas.pixel(x: p.x, y: p.y), RGB.blue)
        try canvas.writePNG(to: sampleDirectory + "/lineplot.png")
        XCTAssertNoThrow(try TestPNGDecoder.decode(canvas.pngData()))
    }

    func testEmptyAndDegeneratePlotsRenderAFrame() {
        let cases: [LinePlot] = [
            LinePlot(title: "empty"),
            LinePlot(title: "all bad", series: [LineSeries(name: "a", xs: [0, 1], ys: [.nan, -.infinity], color: .red)], logY: true),
            LinePlot(title: "nonpositive on log", series: [LineSeries(name: "a", xs: [1, 2, 3], ys: [0, -1, 0], color: .red)], logY: true),
            LinePlot(title: "one point", series: [LineSeries(name: "a", xs: [3], ys: [4], color: .red)]),
            LinePlot(title: "constant", series: [LineSeries(name: "a", xs: [1, 2, 3], ys: [5, 5, 5], color: .red)]),
            LinePlot(title: "mismatched", series: [LineSeries(name: "a", xs: [1, 2, 3], ys: [5], color: .red)]),
            LinePlot(title: "huge", series: [LineSeries(name: "a", xs: [0, 1, 2], ys: [-1e300, 1e300, 1e-300], color: .red)]),
        ]
        for plot in cases {
            for (w, h) in [(320, 240), (40, 30), (1, 1)] {
                let (canvas, g) = LinePlot.renderWithGeometry(plot, width: w, height: h)
                XCTAssertEqual(canvas.width, w)
                if w == 320 {
                    // The frame is drawn around the plot rectangle.
                    let r = g.plotRect
                    XCTAssertFalse(r.isEmpty, plot.title)
                    XCTAssertEqual(canvas.pixel(x: r.x - 1, y: r.y + r.height / 2), .black, plot.title)
                    XCTAssertEqual(canvas.pixel(x: r.maxX, y: r.y + r.height / 2), .black, plot.title)
                }
            }
        }
        let one = LinePlot.renderWithGeometry(cases[3], width: 320, height: 240)
        let p = one.geometry.pixelIndex(x: 3, y: 4)!
        XCTAssertEqual(one.canvas.pixel(x: p.x, y: p.y), .red, "an isolated point is still visible")
    }

    func testLinearAxesCoverData() {
        let plot = LinePlot(series: [LineSeries(name: "", xs: [-0.37, 2.9], ys: [0, 1], color: .green)])
        let (_, g) = LinePlot.renderWithGeometry(plot, width: 300, height: 200)
        XCTAssertEqual(g.xAxis.ticks, [-1, 0, 1, 2, 3])
        XCTAssertEqual(g.xAxis.lower, -1)
        XCTAssertEqual(g.xAxis.upper, 3)
        XCTAssertEqual(g.yAxis.lower, 0)
        XCTAssertEqual(g.yAxis.upper, 1, accuracy: 1e-12)
    }
}

final class SortedValueChartTests: XCTestCase {
    func testHighlightedArmsAreDrawnInHighlightColour() throws {
        var state: UInt64 = 7
        let values = (0..<512).map { _ -> Double in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let u = Double(state >> 11) / Double(1 << 53)
            return pow(10, -4 + 3 * u)
        }
        let highlighted: Set<Int> = [3, 100, 200, 511]
        let chart = SortedErrorChart(title: "Arm landscape (512 arms)", xLabel: "arm rank", yLabel: "rel. L2 error",
                                     values: values, highlighted: highlighted,
                                     name: "all arms", highlightName: "selected")
        let (canvas, g) = SortedValueChart.renderWithGeometry(chart, width: 900, height: 500)
        let entries = chart.sortedEntries
        XCTAssertEqual(entries.count, 512)
        XCTAssertTrue(zip(entries, entries.dropFirst()).allSatisfy { $0.value <= $1.value })
        for (k, e) in entries.enumerated() where highlighted.contains(e.index) {
            let p = g.pixelIndex(x: Double(k + 1), y: e.value)!
            XCTAssertEqual(canvas.pixel(x: p.x, y: p.y), chart.highlightColor, "arm \(e.index)")
        }
        XCTAssertTrue(g.yAxis.isLog)
        try canvas.writePNG(to: sampleDirectory + "/sorted-errors.png")

        // Points style, and empty / all-invalid input.
        var points = chart
        points.style = .points
        _ = SortedValueChart.render(points, width: 400, height: 300)
        _ = SortedValueChart.render(SortedValueChart(values: []), width: 400, height: 300)
        _ = SortedValueChart.render(SortedValueChart(values: [.nan, 0, -2]), width: 400, height: 300)
    }
}

import Foundation
import XCTest
@testable import Plotting

/// Directory where the tests leave sample images for visual inspection.
let sampleDirectory: String = {
    let dir = NSTemporaryDirectory() + "metalic-plots"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}()

/// Writes `figure` as a PNG in the sample directory and reads its pixels back through Cairo.
func roundTrip(_ figure: Figure, name: String) throws -> Raster {
    let path = try figure.write(in: URL(fileURLWithPath: sampleDirectory), name: name, format: .png)
    let raster = try Raster(pngFile: path)
    XCTAssertEqual(raster.width, figure.width)
    XCTAssertEqual(raster.height, figure.height)
    return raster
}

/// Pixels that are neither near white nor near one of `except` (text ink, lines).
func inkCount(_ r: Raster, x: Range<Int>, y: Range<Int>, isInk: (RGB) -> Bool) -> Int {
    var n = 0
    for yy in y { for xx in x { if let c = r.pixel(x: xx, y: yy), isInk(c) { n += 1 } } }
    return n
}

final class HeatmapTests: XCTestCase {
    /// u(x, t) on a coarse grid so each cell covers many pixels.
    func grid(nx: Int = 9, ny: Int = 7) -> (x: [Double], y: [Double], values: [Double]) {
        let x = (0..<nx).map { -1 + 2 * Double($0) / Double(nx - 1) }
        let y = (0..<ny).map { Double($0) / Double(ny - 1) }
        var v = [Double](repeating: 0, count: nx * ny)
        for i in 0..<nx { for j in 0..<ny { v[i * ny + j] = -sin(Double.pi * x[i]) * exp(-y[j]) } }
        return (x, y, v)
    }

    func testCellColoursReadBackFromThePNGMatchTheColourMap() throws {
        var (x, y, values) = grid()
        values[2 * y.count + 5] = .nan
        let panel = HeatmapPanel(title: "u", x: x, y: y, values: values, xLabel: "x", yLabel: "t", colorMap: .viridis)
        let (figure, geometry) = HeatmapPlot.renderWithGeometry(panels: [panel], width: 400, height: 300)
        XCTAssertEqual(geometry.count, 1)
        let g = geometry[0]
        XCTAssertEqual(g.range.lowerBound, values.filter { $0.isFinite }.min()!)
        XCTAssertEqual(g.range.upperBound, values.filter { $0.isFinite }.max()!)
        XCTAssertFalse(g.plot.plotRect.isEmpty)
        let image = try roundTrip(figure, name: "heatmap-small")
        for (i, j) in [(1, 1), (4, 3), (7, 5), (3, 2), (6, 1)] {
            guard let p = g.plot.pixelIndex(x: x[i], y: y[j]) else { return XCTFail("cell (\(i), \(j)) not placed") }
            XCTAssertEqual(image.pixel(x: p.x, y: p.y), ColorMap.viridis.color(for: values[i * y.count + j], in: g.range),
                           "cell (\(i), \(j))")
        }
        // The NaN cell is grey.
        let nanPixel = g.plot.pixelIndex(x: x[2], y: y[5])!
        XCTAssertEqual(image.pixel(x: nanPixel.x, y: nanPixel.y), RGB.missing)
        // y increases upward: the row of y[last] is above the row of y[0].
        XCTAssertLessThan(g.plot.pixelIndex(x: x[0], y: y.last!)!.y, g.plot.pixelIndex(x: x[0], y: y[0])!.y)
        // The colour bar's top is the maximum colour, its bottom the minimum (a gradient: within rounding).
        let bar = g.colorBarRect
        XCTAssertLessThanOrEqual(image.pixel(x: bar.x + bar.width / 2, y: bar.y)!.distance(to: ColorMap.viridis.color(at: 1)), 3)
        XCTAssertLessThanOrEqual(image.pixel(x: bar.x + bar.width / 2, y: bar.maxY - 1)!.distance(to: ColorMap.viridis.color(at: 0)), 3)
        XCTAssertLessThanOrEqual(image.pixel(x: bar.x + bar.width / 2, y: bar.y + bar.height / 2)!
            .distance(to: ColorMap.viridis.color(at: 0.5)), 3)
        // The frame is black, and text was drawn above the plot area (the title), antialiased:
        // dark ink and intermediate greys.
        let r = g.plot.plotRect
        XCTAssertEqual(image.pixel(x: r.x - 1, y: r.y + r.height / 2), .black)
        XCTAssertEqual(image.pixel(x: r.maxX, y: r.y + r.height / 2), .black)
        let above = 0..<(r.y - 2)
        XCTAssertGreaterThan(inkCount(image, x: 0..<image.width, y: above) { $0.distance(to: .black) < 60 }, 5)
        XCTAssertGreaterThan(inkCount(image, x: 0..<image.width, y: above) { $0.distance(to: .black) > 60 && $0.distance(to: .white) > 60 }, 0)
    }

    func testUnsortedGridAndExplicitRange() throws {
        // Reversed x order with explicit range; the mapping must follow the coordinates.
        let x = [1.0, 0.5, 0.0], y = [0.0, 1.0]
        let values = [10.0, 11.0, 5.0, 6.0, 0.0, 1.0] // f(x, y) = 10 x + y
        let panel = HeatmapPanel(title: "", x: x, y: y, values: values, xLabel: "", yLabel: "",
                                 colorMap: .diverging, range: 0...11)
        let (figure, geometry) = HeatmapPlot.renderWithGeometry(panels: [panel], width: 200, height: 150)
        let g = geometry[0]
        XCTAssertEqual(g.range, 0...11)
        let image = try figure.raster()
        for (i, j) in [(0, 0), (1, 1), (2, 0), (2, 1)] {
            let p = g.plot.pixelIndex(x: x[i], y: y[j])!
            XCTAssertEqual(image.pixel(x: p.x, y: p.y), ColorMap.diverging.color(for: values[i * 2 + j], in: 0...11), "cell (\(i), \(j))")
        }
    }

    func testGridLinesWithoutValuesAreFilledByTheirNeighbours() throws {
        // A prediction is NaN on the interface line; the rows next to it fill it instead of grey.
        var (x, y, values) = grid(nx: 9, ny: 7)
        for i in x.indices { values[i * y.count + 3] = .nan }
        values[5 * y.count + 1] = .nan // a single NaN cell stays grey
        let panel = HeatmapPanel(title: "interface", x: x, y: y, values: values, colorMap: .viridis)
        let (figure, geometry) = HeatmapPlot.renderWithGeometry(panels: [panel], width: 400, height: 300)
        let g = geometry[0], image = try figure.raster()
        for i in [1, 4, 7] {
            let p = g.plot.pixelIndex(x: x[i], y: y[3])!
            let c = image.pixel(x: p.x, y: p.y)!
            XCTAssertNotEqual(c, RGB.missing, "column \(i)")
            let neighbours = [2, 4].map { ColorMap.viridis.color(for: values[i * y.count + $0], in: g.range) }
            XCTAssertTrue(neighbours.contains(c), "column \(i): \(c) is not a neighbour's colour \(neighbours)")
        }
        let lone = g.plot.pixelIndex(x: x[5], y: y[1])!
        XCTAssertEqual(image.pixel(x: lone.x, y: lone.y), RGB.missing)
    }

    func testDivergingDefaultsToSymmetricRangeAndBadInputDoesNotCrash() throws {
        let p = HeatmapPanel(title: "e", x: [0, 1], y: [0, 1], values: [-1, 3, 0, 2], colorMap: .diverging)
        XCTAssertEqual(p.effectiveRange, -3...3)
        let allNaN = HeatmapPanel(title: "nan", x: [0, 1], y: [0], values: [.nan, .nan])
        XCTAssertEqual(allNaN.effectiveRange, 0...1)
        let mismatched = HeatmapPanel(title: "bad", x: [0, 1, 2], y: [0, 1], values: [1, 2])
        XCTAssertFalse(mismatched.isValid)
        let single = HeatmapPanel(title: "one", x: [0.5], y: [2], values: [7])
        let image = try HeatmapPlot.render(panels: [allNaN, mismatched, single], width: 600, height: 200).raster()
        XCTAssertEqual(image.width, 600)
        XCTAssertNoThrow(try HeatmapPlot.render(panels: [single], width: 30, height: 20).data(format: .png)) // too small for axes
        XCTAssertNoThrow(try HeatmapPlot.render(panels: [], width: 10, height: 10).data(format: .svg))
        XCTAssertThrowsError(try HeatmapPlot.render(panels: [single], width: 0, height: 0).data(format: .png)) { error in
            XCTAssertEqual(error as? PlotError, .emptyFigure(width: 0, height: 0))
        }
    }

    func testThreePanelSampleInEveryFormat() throws {
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
        let figure = HeatmapPlot.render(panels: panels, width: 1500, height: 480)
        for format in PlotFormat.allCases {
            let bytes = try figure.data(format: format)
            XCTAssertGreaterThan(bytes.count, 5_000, "\(format)")
            XCTAssertLessThan(bytes.count, 2_000_000, "\(format)")
            try figure.write(in: URL(fileURLWithPath: sampleDirectory), name: "heatmap", format: format)
        }
        _ = try roundTrip(HeatmapPlot.render(panels: [panels[2]], width: 800, height: 600), name: "heatmap-error")
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
        let (figure, g) = LinePlot.renderWithGeometry(plot, width: 800, height: 500)
        XCTAssertTrue(g.yAxis.isLog)
        let drawable = (loss + err).filter { $0.isFinite && $0 > 0 }
        XCTAssertLessThanOrEqual(g.yAxis.lower, drawable.min()!)
        XCTAssertGreaterThan(g.yAxis.lower, drawable.min()! / 10)
        XCTAssertGreaterThanOrEqual(g.yAxis.upper, drawable.max()!)
        XCTAssertLessThan(g.yAxis.upper, drawable.max()! * 10)
        XCTAssertTrue(g.yAxis.labels.allSatisfy { $0.hasPrefix("1") })
        XCTAssertTrue(g.yAxis.labels.contains("1e-3"))
        // A point of each curve is drawn in its series colour (the line covers its pixel fully).
        let image = try roundTrip(figure, name: "lineplot")
        let p = g.pixelIndex(x: 200, y: loss[200])!
        XCTAssertLessThanOrEqual(image.pixel(x: p.x, y: p.y)!.distance(to: .blue), 2)
        let q = g.pixelIndex(x: 300, y: err[300])!
        XCTAssertLessThanOrEqual(image.pixel(x: q.x, y: q.y)!.distance(to: .orange), 2)
        // Away from the curves the plot area shows the background.
        let empty = g.pixelIndex(x: 390, y: 0.3)! // between grid lines
        XCTAssertEqual(image.pixel(x: empty.x, y: empty.y), .white)
    }

    func testEmptyAndDegeneratePlotsRenderAFrame() throws {
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
                let (figure, g) = LinePlot.renderWithGeometry(plot, width: w, height: h)
                let image = try figure.raster()
                XCTAssertEqual(image.width, w)
                if w == 320 {
                    // The frame is drawn around the plot rectangle.
                    let r = g.plotRect
                    XCTAssertFalse(r.isEmpty, plot.title)
                    XCTAssertEqual(image.pixel(x: r.x - 1, y: r.y + r.height / 2), .black, plot.title)
                    XCTAssertEqual(image.pixel(x: r.maxX, y: r.y + r.height / 2), .black, plot.title)
                }
            }
        }
        let one = LinePlot.renderWithGeometry(cases[3], width: 320, height: 240)
        let p = one.geometry.pixelIndex(x: 3, y: 4)!
        XCTAssertEqual(try one.figure.raster().pixel(x: p.x, y: p.y), .red, "an isolated point is still visible")
    }

    func testTheLegendTakesTheCornerTheCurvesLeaveFree() throws {
        // Rising curves run through the top-right and bottom-left corners; the legend goes top left.
        let xs = (0...20).map(Double.init)
        let plot = LinePlot(title: "rising", series: [LineSeries(name: "a", xs: xs, ys: xs, color: .blue),
                                                      LineSeries(name: "b", xs: xs, ys: xs.map { $0 * 0.9 }, color: .orange)])
        let (figure, g) = LinePlot.renderWithGeometry(plot, width: 600, height: 400)
        let image = try figure.raster(), r = g.plotRect
        let isBorder = { (c: RGB) in c == RGB(170, 170, 170) }
        let topLeft = inkCount(image, x: r.x..<(r.x + r.width / 2), y: r.y..<(r.y + r.height / 2), isInk: isBorder)
        let topRight = inkCount(image, x: (r.x + r.width / 2)..<r.maxX, y: r.y..<(r.y + r.height / 2), isInk: isBorder)
        XCTAssertGreaterThan(topLeft, 50)
        XCTAssertEqual(topRight, 0)
        // Asked for a corner, it stays there.
        var fixed = plot
        fixed.legendPosition = .topRight
        let pinned = try LinePlot.render(fixed, width: 600, height: 400).raster()
        XCTAssertGreaterThan(inkCount(pinned, x: (r.x + r.width / 2)..<r.maxX, y: r.y..<(r.y + r.height / 2), isInk: isBorder), 50)
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
        let (figure, g) = SortedValueChart.renderWithGeometry(chart, width: 900, height: 500)
        let entries = chart.sortedEntries
        XCTAssertEqual(entries.count, 512)
        XCTAssertTrue(zip(entries, entries.dropFirst()).allSatisfy { $0.value <= $1.value })
        let image = try roundTrip(figure, name: "sorted-errors")
        for (k, e) in entries.enumerated() where highlighted.contains(e.index) {
            let p = g.pixelIndex(x: Double(k + 1), y: e.value)!
            XCTAssertLessThanOrEqual(image.pixel(x: p.x, y: p.y)!.distance(to: chart.highlightColor), 2, "arm \(e.index)")
        }
        // A bar of an ordinary arm, halfway between its top and the axis.
        let (k, e) = entries.enumerated().first { !highlighted.contains($0.element.index) && $0.offset > 250 }!
        let top = g.pixelIndex(x: Double(k + 1), y: e.value)!
        XCTAssertLessThanOrEqual(image.pixel(x: top.x, y: (top.y + g.plotRect.maxY) / 2)!.distance(to: chart.color), 40)
        XCTAssertTrue(g.yAxis.isLog)

        // Points style, and empty / all-invalid input.
        var points = chart
        points.style = .points
        XCTAssertNoThrow(try SortedValueChart.render(points, width: 400, height: 300).raster())
        XCTAssertNoThrow(try SortedValueChart.render(SortedValueChart(values: []), width: 400, height: 300).raster())
        XCTAssertNoThrow(try SortedValueChart.render(SortedValueChart(values: [.nan, 0, -2]), width: 400, height: 300).raster())
    }
}

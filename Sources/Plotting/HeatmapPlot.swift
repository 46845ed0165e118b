import Foundation

/// One heatmap: values on a tensor grid, `values[i * y.count + j] = f(x[i], y[j])`.
public struct HeatmapPanel: Sendable {
    public var title: String
    /// First coordinate (horizontal axis).
    public var x: [Double]
    /// Second coordinate, e.g. time (vertical axis, increasing upward).
    public var y: [Double]
    /// `x.count * y.count` values; NaN cells are drawn grey.
    public var values: [Double]
    public var xLabel: String
    public var yLabel: String
    public var colorMap: ColorMap
    /// Colour range; nil uses the finite data range (symmetric about 0 for diverging maps).
    public var range: ClosedRange<Double>?

    public init(title: String, x: [Double], y: [Double], values: [Double], xLabel: String = "x",
                yLabel: String = "t", colorMap: ColorMap = .viridis, range: ClosedRange<Double>? = nil) {
        self.title = title; self.x = x; self.y = y; self.values = values
        self.xLabel = xLabel; self.yLabel = yLabel; self.colorMap = colorMap; self.range = range
    }

    /// True when the grid is usable: non-empty axes and a matching number of values.
    public var isValid: Bool {
        !x.isEmpty && !y.isEmpty && values.count == x.count * y.count
    }

    /// The colour range actually used for this panel.
    public var effectiveRange: ClosedRange<Double> {
        if let r = range, r.lowerBound.isFinite, r.upperBound.isFinite {
            if r.upperBound > r.lowerBound { return r }
            let pad = r.lowerBound == 0 ? 1 : abs(r.lowerBound) * 0.05
            return (r.lowerBound - pad)...(r.upperBound + pad)
        }
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite { lo = min(lo, v); hi = max(hi, v) }
        guard lo <= hi else { return 0...1 }
        if colorMap.isDiverging {
            let m = max(abs(lo), abs(hi))
            return m > 0 ? (-m)...m : (-1)...1
        }
        if hi == lo {
            let pad = lo == 0 ? 1 : abs(lo) * 0.05
            return (lo - pad)...(hi + pad)
        }
        return lo...hi
    }
}

/// Where a heatmap panel was drawn (for tests and callers that annotate the image).
public struct HeatmapGeometry: Sendable {
    /// The panel's area on the canvas.
    public var area: PixelRect
    /// Data area and the axes mapping data to pixels.
    public var plot: PlotGeometry
    /// The colour bar's rectangle (top = maximum value).
    public var colorBarRect: PixelRect
    /// The colour range used.
    public var range: ClosedRange<Double>
}

/// Heatmaps with axes, colour bars and titles, laid out side by side.
public enum HeatmapPlot {
    /// Renders the panels left to right, each in an equal share of the width.
    public static func render(panels: [HeatmapPanel], width: Int, height: Int) -> Canvas {
        renderWithGeometry(panels: panels, width: width, height: height).canvas
    }

    /// Like `render`, also returning where each panel was drawn.
    public static func renderWithGeometry(panels: [HeatmapPanel], width: Int, height: Int)
        -> (canvas: Canvas, geometry: [HeatmapGeometry]) {
        var canvas = Canvas(width: width, height: height, background: .white)
        guard !panels.isEmpty, canvas.width > 0, canvas.height > 0 else { return (canvas, []) }
        let panelWidth = canvas.width / panels.count
        let s = Frame.fontScale(width: panelWidth, height: canvas.height)
        var geometry: [HeatmapGeometry] = []
        for (k, panel) in panels.enumerated() {
            let area = PixelRect(x: k * panelWidth, y: 0, width: panelWidth, height: canvas.height)
            geometry.append(draw(panel, in: area, on: &canvas, scale: s))
        }
        return (canvas, geometry)
    }

    /// Sorted grid coordinates with the permutation that sorts them.
    static func sortedAxis(_ v: [Double]) -> (values: [Double], order: [Int]) {
        let order = v.indices.sorted { v[$0] < v[$1] }
        return (order.map { v[$0] }, order)
    }

    /// For each pixel position, the index (into `sorted`) of the nearest grid coordinate.
    static func nearestIndices(_ sorted: [Double], at positions: [Double]) -> [Int] {
        // Cell boundaries are the midpoints between consecutive coordinates.
        let mids = zip(sorted, sorted.dropFirst()).map { ($0 + $1) / 2 }
        return positions.map { p in
            var lo = 0, hi = mids.count // first boundary > p
            while lo < hi {
                let m = (lo + hi) / 2
                if mids[m] <= p { lo = m + 1 } else { hi = m }
            }
            return lo
        }
    }

    static func draw(_ panel: HeatmapPanel, in area: PixelRect, on canvas: inout Canvas, scale s: Int) -> HeatmapGeometry {
        let range = panel.effectiveRange
        let finiteX = panel.x.filter { $0.isFinite }, finiteY = panel.y.filter { $0.isFinite }
        let xAxis = Axis.linearTight(min: finiteX.min() ?? 0, max: finiteX.max() ?? 1, targetCount: 6)
        let yAxis = Axis.linearTight(min: finiteY.min() ?? 0, max: finiteY.max() ?? 1, targetCount: 6)

        // Colour bar ticks determine the room needed on the right.
        let barAxis = Axis.linearTight(min: range.lowerBound, max: range.upperBound, targetCount: 6)
        let barLabelWidth = barAxis.labels.map { Canvas.textWidth($0, scale: s) }.max() ?? 0
        let barGap = 8 * s, barWidth = 10 * s
        let rightReserve = barGap + barWidth + Frame.tickLength(s) + 3 * s + barLabelWidth

        let rect = Frame.plotRect(in: area, scale: s, title: panel.title, xLabel: panel.xLabel, yLabel: panel.yLabel,
                                  yTickLabels: yAxis.labels, rightReserve: rightReserve)
        let g = PlotGeometry(plotRect: rect, xAxis: xAxis, yAxis: yAxis)
        let barRect = PixelRect(x: rect.maxX + 1 + barGap, y: rect.y, width: barWidth, height: rect.height)

        if !rect.isEmpty {
            if panel.isValid && finiteX.count == panel.x.count && finiteY.count == panel.y.count {
                let (xs, xOrder) = sortedAxis(panel.x)
                let (ys, yOrder) = sortedAxis(panel.y)
                let colIndex = nearestIndices(xs, at: (rect.x..<rect.maxX).map { g.dataX(atPixel: $0) })
                let rowIndex = nearestIndices(ys, at: (rect.y..<rect.maxY).map { g.dataY(atPixel: $0) })
                // Colour each grid cell once, then fill pixels.
                var cellColor = [RGB](repeating: .missing, count: panel.values.count)
                for (k, v) in panel.values.enumerated() { cellColor[k] = panel.colorMap.color(for: v, in: range) }
                let ny = panel.y.count
                for (r, jSorted) in rowIndex.enumerated() {
                    let j = yOrder[jSorted]
                    let py = rect.y + r
                    for (c, iSorted) in colIndex.enumerated() {
                        canvas.setPixel(x: rect.x + c, y: py, color: cellColor[xOrder[iSorted] * ny + j])
                    }
                }
            } else {
                canvas.fillRect(rect, color: RGB(245, 245, 245))
                canvas.drawText("no data", x: rect.x + rect.width / 2, y: rect.y + rect.height / 2, scale: s,
                                color: .grey, align: .center, verticalAlign: .center)
            }
        }

        Frame.drawAxes(&canvas, area: area, geometry: g, scale: s, title: panel.title,
                       xLabel: panel.xLabel, yLabel: panel.yLabel, grid: false)

        // Colour bar.
        if !barRect.isEmpty && barRect.maxX <= area.maxX {
            for row in 0..<barRect.height {
                let f = barRect.height > 1 ? Double(barRect.height - 1 - row) / Double(barRect.height - 1) : 0.5
                canvas.fillRect(x: barRect.x, y: barRect.y + row, width: barRect.width, height: 1,
                                color: panel.colorMap.color(at: f))
            }
            canvas.strokeRect(PixelRect(x: barRect.x - 1, y: barRect.y - 1, width: barRect.width + 2, height: barRect.height + 2),
                              color: .black)
            let tick = Frame.tickLength(s)
            let barGeometry = PlotGeometry(plotRect: barRect, xAxis: xAxis, yAxis: barAxis)
            var positions: [Int] = []
            for v in barAxis.ticks {
                let p = barGeometry.pixel(x: xAxis.lower, y: v).y
                guard p.isFinite, abs(p) < 1e9 else { continue }
                positions.append(Int(p.rounded()))
            }
            let every = Frame.thinning(positions: positions.map { -$0 },
                                       sizes: positions.map { _ in BitmapFont.capHeight * s + 3 * s })
            for (k, py) in positions.enumerated() {
                canvas.fillRect(x: barRect.maxX + 1, y: py, width: tick, height: 1, color: .black)
                if k % every == 0 {
                    canvas.drawText(barAxis.labels[k], x: barRect.maxX + 1 + tick + 3 * s, y: py, scale: s,
                                    color: .black, verticalAlign: .center)
                }
            }
        }
        return HeatmapGeometry(area: area, plot: g, colorBarRect: barRect, range: range)
    }
}

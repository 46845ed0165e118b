import Foundation

/// One heatmap: values on a tensor grid, `values[i * y.count + j] = f(x[i], y[j])`.
public struct HeatmapPanel: Sendable {
    public var title: String
    /// First coordinate (horizontal axis).
    public var x: [Double]
    /// Second coordinate, e.g. time (vertical axis, increasing upward).
    public var y: [Double]
    /// `x.count * y.count` values; NaN cells are drawn grey (grid lines without any value are
    /// left out, their neighbours drawn wider).
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
    /// The panel's area on the figure.
    public var area: PixelRect
    /// Data area and the axes mapping data to pixels.
    public var plot: PlotGeometry
    /// The colour bar's rectangle (top = maximum value).
    public var colorBarRect: PixelRect
    /// The colour range used.
    public var range: ClosedRange<Double>
    /// The colour bar's axis (its ticks and labels).
    var barAxis: Axis
}

/// Heatmaps with axes, colour bars and titles, laid out side by side.
public enum HeatmapPlot {
    /// Renders the panels left to right, each in an equal share of the width.
    public static func render(panels: [HeatmapPanel], width: Int, height: Int) -> Figure {
        renderWithGeometry(panels: panels, width: width, height: height).figure
    }

    /// Like `render`, also returning where each panel is drawn.
    public static func renderWithGeometry(panels: [HeatmapPanel], width: Int, height: Int)
        -> (figure: Figure, geometry: [HeatmapGeometry]) {
        let title = panels.map(\.title).filter { !$0.isEmpty }.joined(separator: " | ")
        guard !panels.isEmpty, width > 0, height > 0 else {
            return (Figure(width: width, height: height, title: title) { _ in }, [])
        }
        let panelWidth = width / panels.count
        let style = ChartStyle(width: panelWidth, height: height)
        let measure = Painter.measuring()
        let geometry = panels.indices.map { k in
            layout(panels[k], in: PixelRect(x: k * panelWidth, y: 0, width: panelWidth, height: height), style: style, measure: measure)
        }
        let figure = Figure(width: width, height: height, title: title) { p in
            for (panel, g) in zip(panels, geometry) { draw(panel, geometry: g, style: style, on: p) }
        }
        return (figure, geometry)
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

    /// Indices of the x and of the y grid lines holding at least one finite value (all of
    /// them when no value is finite: the panel is then grey).
    static func linesWithData(_ panel: HeatmapPanel) -> (x: [Int], y: [Int]) {
        let ny = panel.y.count
        var xHas = [Bool](repeating: false, count: panel.x.count), yHas = [Bool](repeating: false, count: ny)
        for (k, v) in panel.values.enumerated() where v.isFinite {
            xHas[k / ny] = true
            yHas[k % ny] = true
        }
        let x = panel.x.indices.filter { xHas[$0] }, y = panel.y.indices.filter { yHas[$0] }
        return (x.isEmpty ? Array(panel.x.indices) : x, y.isEmpty ? Array(panel.y.indices) : y)
    }

    /// Axes, plot area and colour bar of one panel within `area`.
    static func layout(_ panel: HeatmapPanel, in area: PixelRect, style: ChartStyle, measure: Painter) -> HeatmapGeometry {
        let range = panel.effectiveRange
        let finiteX = panel.x.filter { $0.isFinite }, finiteY = panel.y.filter { $0.isFinite }
        let xAxis = Axis.linearTight(min: finiteX.min() ?? 0, max: finiteX.max() ?? 1, targetCount: 6)
        let yAxis = Axis.linearTight(min: finiteY.min() ?? 0, max: finiteY.max() ?? 1, targetCount: 6)

        // The colour bar's labels determine the room needed on the right.
        let barAxis = Axis.linearTight(min: range.lowerBound, max: range.upperBound, targetCount: 6)
        let barLabelWidth = barAxis.labels.map { measure.textWidth($0, size: style.fontSize) }.max() ?? 0
        let barGap = (10 * style.scale).rounded(), barWidth = (14 * style.scale).rounded()
        let rightReserve = barGap + barWidth + 2 + style.tickLength + style.labelGap + barLabelWidth

        let rect = Frame.plotRect(in: area, style: style, measure: measure, title: panel.title, xLabel: panel.xLabel,
                                  yLabel: panel.yLabel, yTickLabels: yAxis.labels, rightReserve: rightReserve)
        let barRect = PixelRect(x: rect.maxX + 1 + Int(barGap), y: rect.y, width: Int(barWidth), height: rect.height)
        return HeatmapGeometry(area: area, plot: PlotGeometry(plotRect: rect, xAxis: xAxis, yAxis: yAxis),
                               colorBarRect: barRect, range: range, barAxis: barAxis)
    }

    static func draw(_ panel: HeatmapPanel, geometry hg: HeatmapGeometry, style: ChartStyle, on p: Painter) {
        let g = hg.plot, rect = g.plotRect, range = hg.range
        if !rect.isEmpty {
            if panel.isValid && panel.x.allSatisfy(\.isFinite) && panel.y.allSatisfy(\.isFinite) {
                // Each pixel takes the colour of the nearest grid point: the grid need not be
                // uniform, and in PNG every cell keeps its exact colour-map colour. Grid lines
                // without a single value (a prediction's interface lines, which no subdomain
                // owns) are left out, so that their neighbours fill them rather than a grey stripe.
                let (xKept, yKept) = linesWithData(panel)
                let (xs, xSorted) = sortedAxis(xKept.map { panel.x[$0] })
                let (ys, ySorted) = sortedAxis(yKept.map { panel.y[$0] })
                let xOrder = xSorted.map { xKept[$0] }, yOrder = ySorted.map { yKept[$0] }
                let colIndex = nearestIndices(xs, at: (rect.x..<rect.maxX).map { g.dataX(atPixel: $0) })
                let rowIndex = nearestIndices(ys, at: (rect.y..<rect.maxY).map { g.dataY(atPixel: $0) })
                let cellColor = panel.values.map { panel.colorMap.color(for: $0, in: range) }
                let ny = panel.y.count
                var image = [RGB]()
                image.reserveCapacity(rect.width * rect.height)
                for jSorted in rowIndex {
                    let j = yOrder[jSorted]
                    for iSorted in colIndex { image.append(cellColor[xOrder[iSorted] * ny + j]) }
                }
                p.image(image, in: rect)
            } else {
                p.fill(rect, color: RGB(245, 245, 245))
                p.text("no data", x: Double(rect.x) + Double(rect.width) / 2, y: Double(rect.y) + Double(rect.height) / 2,
                       size: style.fontSize, color: .grey, align: .center, verticalAlign: .center)
            }
        }

        Frame.drawAxes(p, area: hg.area, geometry: g, style: style, title: panel.title,
                       xLabel: panel.xLabel, yLabel: panel.yLabel, grid: false)

        // The colour bar: the map's anchors as gradient stops reproduce it exactly.
        let bar = hg.colorBarRect
        guard !bar.isEmpty, bar.maxX <= hg.area.maxX else { return }
        p.verticalGradient(panel.colorMap.anchors, in: bar)
        p.outline(bar, color: .black)
        let barGeometry = PlotGeometry(plotRect: bar, xAxis: g.xAxis, yAxis: hg.barAxis)
        let ticks = Frame.placed(hg.barAxis.ticks, labels: hg.barAxis.labels) { barGeometry.point(x: g.xAxis.lower, y: $0).y }
        let every = Frame.thinning(positions: ticks.map { -$0.at },
                                   sizes: ticks.map { _ in p.capHeight(size: style.fontSize) + 2 * style.labelGap })
        let right = Double(bar.maxX) + 1
        for (k, t) in ticks.enumerated() {
            p.line(from: (right, t.at), to: (right + style.tickLength, t.at), color: .black, width: 1)
            if k % every == 0 {
                p.text(t.label, x: right + style.tickLength + style.labelGap, y: t.at, size: style.fontSize, verticalAlign: .center)
            }
        }
    }
}

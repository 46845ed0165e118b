import Foundation

/// How a series is drawn.
public enum SeriesStyle: Sendable {
    case line
    case markers
    case lineAndMarkers
}

/// One data series of a line plot.
public struct LineSeries: Sendable {
    public var name: String
    public var xs: [Double]
    public var ys: [Double]
    public var color: RGB
    public var style: SeriesStyle

    public init(name: String, xs: [Double], ys: [Double], color: RGB, style: SeriesStyle = .line) {
        self.name = name; self.xs = xs; self.ys = ys; self.color = color; self.style = style
    }

    /// Series against the index 0, 1, 2, ... (e.g. a loss per iteration).
    public init(name: String, ys: [Double], color: RGB, style: SeriesStyle = .line) {
        self.init(name: name, xs: ys.indices.map(Double.init), ys: ys, color: color, style: style)
    }
}

/// A 2-D line chart with optional log10 axes and a legend.
public struct LinePlot: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [LineSeries]
    /// log10 y axis (points with y <= 0 are skipped).
    public var logY: Bool
    /// log10 x axis (points with x <= 0 are skipped).
    public var logX: Bool
    public var showLegend: Bool
    public var legendPosition: LegendPosition
    /// Fixed axis limits (otherwise the nice ticks covering the data).
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?

    public init(title: String = "", xLabel: String = "", yLabel: String = "", series: [LineSeries] = [],
                logY: Bool = false, logX: Bool = false, showLegend: Bool = true,
                legendPosition: LegendPosition = .topRight, xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series
        self.logY = logY; self.logX = logX; self.showLegend = showLegend
        self.legendPosition = legendPosition
        self.xRange = xRange; self.yRange = yRange
    }

    /// True if the point can be drawn on this plot's axes.
    public func isDrawable(x: Double, y: Double) -> Bool {
        x.isFinite && y.isFinite && (!logX || x > 0) && (!logY || y > 0)
    }

    /// Renders the plot to a new canvas.
    public static func render(_ plot: LinePlot, width: Int, height: Int) -> Canvas {
        renderWithGeometry(plot, width: width, height: height).canvas
    }

    /// Like `render`, also returning the data-to-pixel mapping used.
    public static func renderWithGeometry(_ plot: LinePlot, width: Int, height: Int) -> (canvas: Canvas, geometry: PlotGeometry) {
        var canvas = Canvas(width: width, height: height, background: .white)
        let area = canvas.bounds
        let s = Frame.fontScale(width: canvas.width, height: canvas.height)

        var xmin = Double.infinity, xmax = -Double.infinity, ymin = Double.infinity, ymax = -Double.infinity
        for series in plot.series {
            for k in 0..<min(series.xs.count, series.ys.count) {
                let x = series.xs[k], y = series.ys[k]
                guard plot.isDrawable(x: x, y: y) else { continue }
                xmin = min(xmin, x); xmax = max(xmax, x); ymin = min(ymin, y); ymax = max(ymax, y)
            }
        }
        if let r = plot.xRange { xmin = r.lowerBound; xmax = r.upperBound }
        if let r = plot.yRange { ymin = r.lowerBound; ymax = r.upperBound }
        let xAxis = makeAxis(min: xmin, max: xmax, log: plot.logX)
        let yAxis = makeAxis(min: ymin, max: ymax, log: plot.logY)

        let rect = Frame.plotRect(in: area, scale: s, title: plot.title, xLabel: plot.xLabel, yLabel: plot.yLabel,
                                  yTickLabels: yAxis.labels, rightReserve: Frame.lastLabelOverhang(xAxis, scale: s))
        let g = PlotGeometry(plotRect: rect, xAxis: xAxis, yAxis: yAxis)
        Frame.drawAxes(&canvas, area: area, geometry: g, scale: s, title: plot.title,
                       xLabel: plot.xLabel, yLabel: plot.yLabel, grid: true)
        guard !rect.isEmpty else { return (canvas, g) }

        let thickness = s
        for series in plot.series {
            let n = min(series.xs.count, series.ys.count)
            // Invalid points become NaN, which breaks the polyline.
            let pts: [(x: Double, y: Double)] = (0..<n).map { k in
                let x = series.xs[k], y = series.ys[k]
                return plot.isDrawable(x: x, y: y) ? g.pixel(x: x, y: y) : (.nan, .nan)
            }
            if series.style != .markers {
                canvas.drawPolyline(pts, color: series.color, thickness: thickness, clip: rect)
                // Isolated valid points would otherwise be invisible.
                for k in pts.indices where pts[k].x.isFinite {
                    let prevOK = k > 0 && pts[k - 1].x.isFinite
                    let nextOK = k + 1 < pts.count && pts[k + 1].x.isFinite
                    if !prevOK && !nextOK { drawMarker(&canvas, pts[k], series.color, s, rect) }
                }
            }
            if series.style != .line {
                for p in pts where p.x.isFinite { drawMarker(&canvas, p, series.color, s, rect) }
            }
        }
        if plot.showLegend {
            Frame.drawLegend(&canvas, in: rect,
                             entries: plot.series.map { ($0.name, $0.color, $0.style == .markers ? .marker : .line) },
                             scale: s, position: plot.legendPosition)
        }
        return (canvas, g)
    }

    static func drawMarker(_ canvas: inout Canvas, _ p: (x: Double, y: Double), _ color: RGB, _ s: Int, _ clip: PixelRect) {
        guard p.x.isFinite, p.y.isFinite, abs(p.x) < 1e9, abs(p.y) < 1e9 else { return }
        canvas.fillCircle(cx: Int(p.x.rounded()), cy: Int(p.y.rounded()), radius: 1 + s, color: color, clip: clip)
    }

    /// Axis covering [min, max] (defaults when there is no data).
    static func makeAxis(min lo: Double, max hi: Double, log: Bool) -> Axis {
        if log {
            let a = lo > 0 && lo.isFinite ? lo : (hi > 0 && hi.isFinite ? hi / 10 : 0.1)
            let b = hi > 0 && hi.isFinite ? hi : a * 100
            return Axis.logCovering(min: Swift.min(a, b), max: Swift.max(a, b))
        }
        guard lo.isFinite, hi.isFinite, lo <= hi else { return Axis.linearCovering(min: 0, max: 1) }
        return Axis.linearCovering(min: lo, max: hi)
    }
}

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
                legendPosition: LegendPosition = .best, xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series
        self.logY = logY; self.logX = logX; self.showLegend = showLegend
        self.legendPosition = legendPosition
        self.xRange = xRange; self.yRange = yRange
    }

    /// True if the point can be drawn on this plot's axes.
    public func isDrawable(x: Double, y: Double) -> Bool {
        x.isFinite && y.isFinite && (!logX || x > 0) && (!logY || y > 0)
    }

    /// Renders the plot.
    public static func render(_ plot: LinePlot, width: Int, height: Int) -> Figure {
        renderWithGeometry(plot, width: width, height: height).figure
    }

    /// Like `render`, also returning the data-to-pixel mapping used.
    public static func renderWithGeometry(_ plot: LinePlot, width: Int, height: Int) -> (figure: Figure, geometry: PlotGeometry) {
        let area = PixelRect(x: 0, y: 0, width: max(0, width), height: max(0, height))
        let style = ChartStyle(width: width, height: height)
        let measure = Painter.measuring()

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

        let rect = Frame.plotRect(in: area, style: style, measure: measure, title: plot.title, xLabel: plot.xLabel,
                                  yLabel: plot.yLabel, yTickLabels: yAxis.labels,
                                  rightReserve: Frame.lastLabelOverhang(xAxis, style: style, measure: measure))
        let g = PlotGeometry(plotRect: rect, xAxis: xAxis, yAxis: yAxis)
        let figure = Figure(width: width, height: height, title: plot.title) { p in
            Frame.drawAxes(p, area: area, geometry: g, style: style, title: plot.title,
                           xLabel: plot.xLabel, yLabel: plot.yLabel, grid: true)
            guard !rect.isEmpty else { return }
            p.clipped(to: rect) { drawSeries(plot, geometry: g, style: style, on: p) }
            if plot.showLegend {
                Legend(entries: plot.series.map { .init(name: $0.name, color: $0.color, swatch: $0.style == .markers ? .marker : .line) },
                       position: plot.legendPosition)
                    .draw(p, in: rect, style: style, avoiding: plot.series.map { points(of: $0, in: plot, geometry: g) })
            }
        }
        return (figure, g)
    }

    /// Where a series' points are drawn; invalid points become NaN, which breaks the line.
    static func points(of series: LineSeries, in plot: LinePlot, geometry g: PlotGeometry) -> [(x: Double, y: Double)] {
        (0..<min(series.xs.count, series.ys.count)).map { k in
            let x = series.xs[k], y = series.ys[k]
            return plot.isDrawable(x: x, y: y) ? g.point(x: x, y: y) : (.nan, .nan)
        }
    }

    static func drawSeries(_ plot: LinePlot, geometry g: PlotGeometry, style: ChartStyle, on p: Painter) {
        let r = g.plotRect
        // Lines are cut a little outside the plot area; the clip trims the rest.
        let bounds = (x0: Double(r.x) - 10, y0: Double(r.y) - 10, x1: Double(r.maxX) + 10, y1: Double(r.maxY) + 10)
        for series in plot.series {
            let pts = points(of: series, in: plot, geometry: g)
            if series.style != .markers {
                p.polyline(pts, color: series.color, width: style.lineWidth, bounds: bounds)
                // Isolated valid points would otherwise be invisible.
                for k in pts.indices where pts[k].x.isFinite {
                    let prevOK = k > 0 && pts[k - 1].x.isFinite
                    let nextOK = k + 1 < pts.count && pts[k + 1].x.isFinite
                    if !prevOK && !nextOK { p.disc(center: pts[k], radius: style.markerRadius, color: series.color) }
                }
            }
            if series.style != .line {
                for pt in pts where pt.x.isFinite { p.disc(center: pt, radius: style.markerRadius, color: series.color) }
            }
        }
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

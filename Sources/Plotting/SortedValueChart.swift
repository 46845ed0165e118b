import Foundation

/// A "sorted error" chart: values sorted ascending and drawn as bars (or points) against their
/// rank, on a log10 y axis by default, with an optional highlighted subset (e.g. the arms a
/// bandit selected among 512).
public struct SortedValueChart: Sendable {
    public enum Style: Sendable { case bars, points }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// The values, in any order (indices refer to this order).
    public var values: [Double]
    /// Indices into `values` to highlight.
    public var highlighted: Set<Int>
    public var logY: Bool
    public var style: Style
    public var color: RGB
    public var highlightColor: RGB
    /// Legend names; empty names hide the entries.
    public var name: String
    public var highlightName: String

    public init(title: String = "", xLabel: String = "rank", yLabel: String = "value", values: [Double],
                highlighted: Set<Int> = [], logY: Bool = true, style: Style = .bars,
                color: RGB = RGB(150, 170, 200), highlightColor: RGB = .red,
                name: String = "", highlightName: String = "") {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.values = values
        self.highlighted = highlighted; self.logY = logY; self.style = style
        self.color = color; self.highlightColor = highlightColor
        self.name = name; self.highlightName = highlightName
    }

    /// Drawable (value, original index) pairs sorted ascending; non-finite values (and
    /// non-positive ones on a log axis) are dropped.
    public var sortedEntries: [(value: Double, index: Int)] {
        values.enumerated()
            .filter { $0.element.isFinite && (!logY || $0.element > 0) }
            .map { (value: $0.element, index: $0.offset) }
            .sorted { $0.value < $1.value || ($0.value == $1.value && $0.index < $1.index) }
    }

    public static func render(_ chart: SortedValueChart, width: Int, height: Int) -> Figure {
        renderWithGeometry(chart, width: width, height: height).figure
    }

    /// Like `render`, also returning the mapping; the x coordinate of the k-th sorted value is k + 1.
    public static func renderWithGeometry(_ chart: SortedValueChart, width: Int, height: Int)
        -> (figure: Figure, geometry: PlotGeometry) {
        let area = PixelRect(x: 0, y: 0, width: max(0, width), height: max(0, height))
        let style = ChartStyle(width: width, height: height)
        let measure = Painter.measuring()
        let entries = chart.sortedEntries
        let n = entries.count

        let xAxis = Axis.linearTight(min: 0.5, max: Double(max(1, n)) + 0.5, targetCount: 8)
        let yAxis = LinePlot.makeAxis(min: entries.first?.value ?? .nan, max: entries.last?.value ?? .nan, log: chart.logY)
        let rect = Frame.plotRect(in: area, style: style, measure: measure, title: chart.title, xLabel: chart.xLabel,
                                  yLabel: chart.yLabel, yTickLabels: yAxis.labels,
                                  rightReserve: Frame.lastLabelOverhang(xAxis, style: style, measure: measure))
        let g = PlotGeometry(plotRect: rect, xAxis: xAxis, yAxis: yAxis)
        let highlightedCount = entries.filter { chart.highlighted.contains($0.index) }.count
        let figure = Figure(width: width, height: height, title: chart.title) { p in
            Frame.drawAxes(p, area: area, geometry: g, style: style, title: chart.title,
                           xLabel: chart.xLabel, yLabel: chart.yLabel, grid: true)
            guard !rect.isEmpty, n > 0 else { return }
            p.clipped(to: rect) {
                // Highlighted entries last, so that neighbours never cover them.
                for (k, e) in entries.enumerated() where !chart.highlighted.contains(e.index) {
                    drawEntry(chart, rank: k + 1, value: e.value, color: chart.color, emphasised: false, geometry: g, style: style, on: p)
                }
                for (k, e) in entries.enumerated() where chart.highlighted.contains(e.index) {
                    drawEntry(chart, rank: k + 1, value: e.value, color: chart.highlightColor, emphasised: true, geometry: g, style: style, on: p)
                }
            }
            // Values ascend to the right, so the top-left corner is usually free.
            Legend(entries: [
                .init(name: chart.name, color: chart.color, swatch: chart.style == .points ? .marker : .box),
                .init(name: highlightedCount > 0 ? chart.highlightName : "", color: chart.highlightColor, swatch: .marker),
            ], position: .topLeft).draw(p, in: rect, style: style)
        }
        return (figure, g)
    }

    /// A bar spanning its rank's interval from the baseline (the bottom of a log axis, zero on a
    /// linear one when visible), or a point; emphasised entries get a marker on top.
    static func drawEntry(_ chart: SortedValueChart, rank: Int, value: Double, color: RGB, emphasised: Bool,
                          geometry g: PlotGeometry, style: ChartStyle, on p: Painter) {
        let top = g.point(x: Double(rank), y: value)
        guard top.x.isFinite, top.y.isFinite else { return }
        let y = min(max(top.y, Double(g.plotRect.y) - 10), Double(g.plotRect.maxY) + 10)
        switch chart.style {
        case .bars:
            // Edges on whole pixels: antialiased edges of adjacent narrow bars would leave faint seams.
            let left = g.point(x: Double(rank) - 0.5, y: value).x.rounded()
            let right = max(left + 1, g.point(x: Double(rank) + 0.5, y: value).x.rounded())
            let base = chart.logY ? Double(g.plotRect.maxY)
                : min(max(g.point(x: 1, y: min(max(0, g.yAxis.lower), g.yAxis.upper)).y, Double(g.plotRect.y)), Double(g.plotRect.maxY))
            // A gap between bars once they are wide enough to show it.
            let gap = right - left >= 4 ? 1.0 : 0
            p.fill(x: left, y: min(y, base), width: right - left - gap, height: abs(base - y), color: color)
            if emphasised { p.disc(center: (top.x, y), radius: style.markerRadius + 0.5, color: color) }
        case .points:
            p.disc(center: (top.x, y), radius: emphasised ? style.markerRadius + 1.5 : style.markerRadius * 0.75, color: color)
        }
    }
}

/// Alias reflecting its main use: per-arm errors sorted ascending.
public typealias SortedErrorChart = SortedValueChart

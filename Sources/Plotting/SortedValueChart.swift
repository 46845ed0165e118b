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

    public static func render(_ chart: SortedValueChart, width: Int, height: Int) -> Canvas {
        renderWithGeometry(chart, width: width, height: height).canvas
    }

    /// Like `render`, also returning the mapping; the x coordinate of the k-th sorted value is k + 1.
    public static func renderWithGeometry(_ chart: SortedValueChart, width: Int, height: Int)
        -> (canvas: Canvas, geometry: PlotGeometry) {
        var canvas = Canvas(width: width, height: height, background: .white)
        let area = canvas.bounds
        let s = Frame.fontScale(width: canvas.width, height: canvas.height)
        let entries = chart.sortedEntries
        let n = entries.count

        let xAxis = Axis.linearTight(min: 0.5, max: Double(max(1, n)) + 0.5, targetCount: 8)
        let yAxis = LinePlot.makeAxis(min: entries.first?.value ?? .nan, max: entries.last?.value ?? .nan, log: chart.logY)

        let rect = Frame.plotRect(in: area, scale: s, title: chart.title, xLabel: chart.xLabel, yLabel: chart.yLabel,
                                  yTickLabels: yAxis.labels, rightReserve: Frame.lastLabelOverhang(xAxis, scale: s))
        let g = PlotGeometry(plotRect: rect, xAxis: xAxis, yAxis: yAxis)
        Frame.drawAxes(&canvas, area: area, geometry: g, scale: s, title: chart.title,
                       xLabel: chart.xLabel, yLabel: chart.yLabel, grid: true)
        guard !rect.isEmpty, n > 0 else { return (canvas, g) }

        // Bars span the pixel interval of their rank; the baseline is the bottom of the axis
        // (or zero on a linear axis when it is visible).
        let baseValue = chart.logY ? yAxis.lower : min(max(0, yAxis.lower), yAxis.upper)
        let baseY = g.pixel(x: 1, y: baseValue).y
        func drawEntry(_ k: Int, _ e: (value: Double, index: Int), _ color: RGB, emphasised: Bool) {
            let left = g.pixel(x: Double(k + 1) - 0.5, y: e.value)
            let right = g.pixel(x: Double(k + 1) + 0.5, y: e.value)
            guard left.x.isFinite, left.y.isFinite, abs(left.y) < 1e9 else { return }
            let top = Int(left.y.rounded())
            let x0 = Int(left.x.rounded()), x1 = max(x0 + 1, Int(right.x.rounded()))
            // Leave a one-pixel gap between wide bars.
            let w = (x1 - x0) >= 4 ? x1 - x0 - 1 : x1 - x0
            switch chart.style {
            case .bars:
                let y0 = min(top, Int(baseY.rounded())), y1 = max(top, Int(baseY.rounded()))
                let clipped = clip(PixelRect(x: x0, y: y0, width: max(1, w), height: y1 - y0 + 1), to: rect)
                canvas.fillRect(clipped, color: color)
                if emphasised {
                    canvas.fillCircle(cx: x0 + w / 2, cy: top, radius: 1 + s, color: color, clip: rect)
                }
            case .points:
                canvas.fillCircle(cx: x0 + w / 2, cy: top, radius: emphasised ? 2 + s : s, color: color, clip: rect)
            }
        }
        for (k, e) in entries.enumerated() where !chart.highlighted.contains(e.index) {
            drawEntry(k, e, chart.color, emphasised: false)
        }
        for (k, e) in entries.enumerated() where chart.highlighted.contains(e.index) {
            drawEntry(k, e, chart.highlightColor, emphasised: true)
        }
        let highlightedCount = entries.filter { chart.highlighted.contains($0.index) }.count
        // Values ascend to the right, so the top-left corner is usually free.
        Frame.drawLegend(&canvas, in: rect, entries: [
            (chart.name, chart.color, chart.style == .points ? .marker : .box),
            (highlightedCount > 0 ? chart.highlightName : "", chart.highlightColor, .marker),
        ], scale: s, position: .topLeft)
        return (canvas, g)
    }

    static func clip(_ r: PixelRect, to c: PixelRect) -> PixelRect {
        let x0 = max(r.x, c.x), y0 = max(r.y, c.y)
        let x1 = min(r.maxX, c.maxX), y1 = min(r.maxY, c.maxY)
        return PixelRect(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
    }
}

/// Alias reflecting its main use: per-arm errors sorted ascending.
public typealias SortedErrorChart = SortedValueChart

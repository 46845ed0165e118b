import Foundation

/// A one-dimensional axis: data limits, linear or log10 scale, ticks and their labels.
public struct Axis: Sendable {
    /// Lower and upper data limits of the axis (positive when `isLog`).
    public var lower: Double
    public var upper: Double
    public var isLog: Bool
    public var ticks: [Double]
    public var labels: [String]
    public var minorTicks: [Double]

    /// Linear axis whose limits are widened to the covering nice ticks.
    public static func linearCovering(min lo: Double, max hi: Double, targetCount: Int = 6) -> Axis {
        let (ticks, step) = Ticks.linear(min: lo, max: hi, targetCount: targetCount)
        return Axis(lower: ticks.first!, upper: ticks.last!, isLog: false, ticks: ticks,
                    labels: Ticks.labels(ticks, step: step), minorTicks: [])
    }

    /// Linear axis with exactly the given limits; ticks are the nice ticks inside them.
    public static func linearTight(min lo: Double, max hi: Double, targetCount: Int = 6) -> Axis {
        var (a, b) = Ticks.sanitize(lo, hi)
        if a == b {
            let pad = a == 0 ? 0.5 : abs(a) * 0.05
            a -= pad; b += pad
        }
        let (ticks, step) = Ticks.linearInside(min: a, max: b, targetCount: targetCount)
        return Axis(lower: a, upper: b, isLog: false, ticks: ticks,
                    labels: Ticks.labels(ticks, step: step), minorTicks: [])
    }

    /// Log10 axis whose limits are the covering powers of ten.
    public static func logCovering(min lo: Double, max hi: Double, maxCount: Int = 8) -> Axis {
        let ticks = Ticks.powersOfTen(min: lo, max: hi, maxCount: maxCount)
        let lower = ticks.first!, upper = ticks.last!
        let decadeStride = ticks.count >= 2 ? Foundation.log10(ticks[1] / ticks[0]) : 1
        let minor = decadeStride < 1.5 && ticks.count <= 9 ? Ticks.powersOfTenMinor(min: lower, max: upper) : []
        return Axis(lower: lower, upper: upper, isLog: true, ticks: ticks,
                    labels: ticks.map(Ticks.logLabel), minorTicks: minor)
    }

    func transform(_ v: Double) -> Double { isLog ? Foundation.log10(v) : v }

    /// Position of `v` along the axis as a fraction of its length (0 at `lower`, 1 at `upper`).
    /// NaN for values that cannot be placed (NaN, or non-positive on a log axis).
    public func fraction(_ v: Double) -> Double {
        if isLog && !(v > 0) { return .nan }
        let a = transform(lower), b = transform(upper)
        guard b != a else { return 0.5 }
        return (transform(v) - a) / (b - a)
    }

    /// Inverse of `fraction`.
    public func value(atFraction f: Double) -> Double {
        let a = transform(lower), b = transform(upper)
        let t = a + f * (b - a)
        return isLog ? pow(10, t) : t
    }
}

/// Where a plot was drawn on the canvas and how data maps to pixels.
public struct PlotGeometry: Sendable {
    /// The data area (inside the frame).
    public var plotRect: PixelRect
    public var xAxis: Axis
    public var yAxis: Axis

    /// Real-valued pixel position of a data point: `lower` maps to the first pixel column/bottom
    /// row and `upper` to the last column/top row. Non-placeable values give NaN.
    public func pixel(x: Double, y: Double) -> (x: Double, y: Double) {
        let fx = xAxis.fraction(x), fy = yAxis.fraction(y)
        return (Double(plotRect.x) + fx * Double(plotRect.width - 1),
                Double(plotRect.maxY - 1) - fy * Double(plotRect.height - 1))
    }

    /// Rounded pixel of a data point, or nil if it is not placeable or outside the plot area.
    public func pixelIndex(x: Double, y: Double) -> (x: Int, y: Int)? {
        let p = pixel(x: x, y: y)
        guard p.x.isFinite, p.y.isFinite else { return nil }
        let ix = Int(p.x.rounded()), iy = Int(p.y.rounded())
        return plotRect.contains(x: ix, y: iy) ? (ix, iy) : nil
    }

    /// Data coordinates at the pixel column `px` / row `py`.
    public func dataX(atPixel px: Int) -> Double {
        xAxis.value(atFraction: plotRect.width > 1 ? Double(px - plotRect.x) / Double(plotRect.width - 1) : 0.5)
    }

    public func dataY(atPixel py: Int) -> Double {
        yAxis.value(atFraction: plotRect.height > 1 ? Double(plotRect.maxY - 1 - py) / Double(plotRect.height - 1) : 0.5)
    }
}

/// How a legend entry is drawn.
enum LegendSwatch { case line, marker, box }

/// Corner of the plot area holding the legend.
public enum LegendPosition: Sendable { case topLeft, topRight }

/// Shared layout and axis drawing for all chart types.
enum Frame {
    /// Font scale for a chart area: 1 for small charts, 2 for large ones.
    static func fontScale(width: Int, height: Int) -> Int {
        (width >= 480 && height >= 360) ? 2 : 1
    }

    static func tickLength(_ s: Int) -> Int { 4 * s }

    /// Computes the plot rectangle inside `area` leaving room for the title, labels and tick
    /// labels. `rightReserve` is extra room on the right (e.g. a colour bar).
    static func plotRect(in area: PixelRect, scale s: Int, title: String, xLabel: String, yLabel: String,
                         yTickLabels: [String], rightReserve: Int) -> PixelRect {
        let textH = BitmapFont.cellHeight * s
        let pad = 6 * s
        let top = area.y + pad + (title.isEmpty ? 0 : textH + pad / 2)
        let maxLabel = yTickLabels.map { Canvas.textWidth($0, scale: s) }.max() ?? 0
        let left = area.x + pad + (yLabel.isEmpty ? 0 : BitmapFont.cellHeight * s + pad / 2)
            + maxLabel + tickLength(s) + 3 * s
        let bottom = area.maxY - pad - (xLabel.isEmpty ? 0 : textH + pad / 2) - textH - tickLength(s) - 2 * s
        let right = area.maxX - pad - rightReserve - 3 * s // room for half of the last x tick label
        return PixelRect(x: left, y: top, width: max(0, right - left), height: max(0, bottom - top))
    }

    /// Draws title, axis labels, grid, ticks, tick labels and the frame around `geometry.plotRect`.
    static func drawAxes(_ canvas: inout Canvas, area: PixelRect, geometry g: PlotGeometry, scale s: Int,
                         title: String, xLabel: String, yLabel: String, grid: Bool) {
        let r = g.plotRect
        guard !r.isEmpty else {
            if !title.isEmpty { canvas.drawText(title, x: area.x + area.width / 2, y: area.y + 2, scale: 1, align: .center) }
            return
        }
        let textH = BitmapFont.cellHeight * s
        let pad = 6 * s
        let tick = tickLength(s)
        let axisColor = RGB.black
        let gridColor = RGB(230, 230, 230)

        // Title (shrunk if it does not fit).
        if !title.isEmpty {
            var ts = s
            while ts > 1 && Canvas.textWidth(title, scale: ts) > area.width - 4 { ts -= 1 }
            canvas.drawText(title, x: r.x + r.width / 2, y: area.y + pad, scale: ts, color: axisColor, align: .center)
        }

        // Grid lines.
        if grid {
            for v in g.xAxis.ticks {
                let p = g.pixel(x: v, y: g.yAxis.lower).x
                guard p.isFinite, abs(p) < 1e9 else { continue }
                let px = Int(p.rounded())
                if px > r.x && px < r.maxX - 1 { canvas.fillRect(x: px, y: r.y, width: 1, height: r.height, color: gridColor) }
            }
            for v in g.yAxis.ticks {
                let p = g.pixel(x: g.xAxis.lower, y: v).y
                guard p.isFinite, abs(p) < 1e9 else { continue }
                let py = Int(p.rounded())
                if py > r.y && py < r.maxY - 1 { canvas.fillRect(x: r.x, y: py, width: r.width, height: 1, color: gridColor) }
            }
        }

        // Frame (one pixel outside the data area so data pixels are not overwritten).
        let frame = PixelRect(x: r.x - 1, y: r.y - 1, width: r.width + 2, height: r.height + 2)
        canvas.strokeRect(frame, color: axisColor, thickness: 1)

        // X ticks and labels, thinned so labels do not overlap.
        var xs: [(px: Int, label: String)] = []
        for (k, v) in g.xAxis.ticks.enumerated() {
            let p = g.pixel(x: v, y: g.yAxis.lower).x
            guard p.isFinite, abs(p) < 1e9 else { continue }
            let px = Int(p.rounded())
            guard px >= r.x - 1 && px <= r.maxX else { continue }
            xs.append((px, k < g.xAxis.labels.count ? g.xAxis.labels[k] : ""))
        }
        let xEvery = thinning(positions: xs.map { $0.px }, sizes: xs.map { Canvas.textWidth($0.label, scale: s) + 4 * s })
        for (k, t) in xs.enumerated() {
            canvas.fillRect(x: t.px, y: r.maxY + 1, width: 1, height: tick, color: axisColor)
            if k % xEvery == 0 {
                canvas.drawText(t.label, x: t.px, y: r.maxY + 1 + tick + 2 * s, scale: s, color: axisColor, align: .center)
            }
        }
        for v in g.xAxis.minorTicks {
            let p = g.pixel(x: v, y: g.yAxis.lower).x
            guard p.isFinite, abs(p) < 1e9 else { continue }
            let px = Int(p.rounded())
            if px >= r.x && px < r.maxX { canvas.fillRect(x: px, y: r.maxY + 1, width: 1, height: tick / 2, color: axisColor) }
        }

        // Y ticks and labels.
        var ys: [(py: Int, label: String)] = []
        for (k, v) in g.yAxis.ticks.enumerated() {
            let p = g.pixel(x: g.xAxis.lower, y: v).y
            guard p.isFinite, abs(p) < 1e9 else { continue }
            let py = Int(p.rounded())
            guard py >= r.y - 1 && py <= r.maxY else { continue }
            ys.append((py, k < g.yAxis.labels.count ? g.yAxis.labels[k] : ""))
        }
        let yEvery = thinning(positions: ys.map { -$0.py }, sizes: ys.map { _ in BitmapFont.capHeight * s + 3 * s })
        var maxLabelWidth = 0
        for (k, t) in ys.enumerated() {
            canvas.fillRect(x: r.x - 1 - tick, y: t.py, width: tick, height: 1, color: axisColor)
            if k % yEvery == 0 {
                canvas.drawText(t.label, x: r.x - 1 - tick - 3 * s, y: t.py, scale: s, color: axisColor,
                                align: .right, verticalAlign: .center)
                maxLabelWidth = max(maxLabelWidth, Canvas.textWidth(t.label, scale: s))
            }
        }
        for v in g.yAxis.minorTicks {
            let p = g.pixel(x: g.xAxis.lower, y: v).y
            guard p.isFinite, abs(p) < 1e9 else { continue }
            let py = Int(p.rounded())
            if py >= r.y && py < r.maxY { canvas.fillRect(x: r.x - 1 - tick / 2, y: py, width: tick / 2, height: 1, color: axisColor) }
        }

        // Axis labels.
        if !xLabel.isEmpty {
            canvas.drawText(xLabel, x: r.x + r.width / 2, y: r.maxY + 1 + tick + 2 * s + textH + pad / 2,
                            scale: s, color: axisColor, align: .center)
        }
        if !yLabel.isEmpty {
            let cx = max(area.x + BitmapFont.capHeight * s / 2 + 1,
                         r.x - 1 - tick - 3 * s - maxLabelWidth - pad / 2 - BitmapFont.cellHeight * s / 2)
            canvas.drawVerticalText(yLabel, centerX: cx, centerY: r.y + r.height / 2, scale: s, color: axisColor)
        }
    }

    /// Room needed right of the plot area for the part of the last x tick label that sticks out.
    static func lastLabelOverhang(_ axis: Axis, scale s: Int) -> Int {
        guard let last = axis.labels.last else { return 0 }
        return max(0, Canvas.textWidth(last, scale: s) / 2 - 3 * s)
    }

    /// Smallest k such that keeping every k-th label (sorted by position) leaves no overlaps.
    static func thinning(positions: [Int], sizes: [Int]) -> Int {
        guard positions.count > 1 else { return 1 }
        for k in 1...positions.count {
            var ok = true
            var i = 0
            while i + k < positions.count {
                let gap = abs(positions[i + k] - positions[i])
                if gap < (sizes[i] + sizes[i + k]) / 2 { ok = false; break }
                i += k
            }
            if ok { return k }
        }
        return positions.count
    }

    /// Draws a legend box in the top-right corner of `r`.
    static func drawLegend(_ canvas: inout Canvas, in r: PixelRect, entries: [(name: String, color: RGB, swatch: LegendSwatch)],
                           scale s: Int, position: LegendPosition = .topRight) {
        let items = entries.filter { !$0.name.isEmpty }
        guard !items.isEmpty, !r.isEmpty else { return }
        let sample = 14 * s
        let lineH = BitmapFont.cellHeight * s + 2 * s
        let textW = items.map { Canvas.textWidth($0.name, scale: s) }.max() ?? 0
        let boxW = 4 * s + sample + 4 * s + textW + 4 * s
        let boxH = 3 * s + lineH * items.count + s
        let boxX = position == .topRight ? r.maxX - boxW - 6 * s : r.x + 6 * s
        let box = PixelRect(x: boxX, y: r.y + 6 * s, width: boxW, height: boxH)
        guard box.x > r.x, box.maxY < r.maxY else { return }
        canvas.fillRect(box, color: .white)
        canvas.strokeRect(box, color: RGB(160, 160, 160))
        for (k, item) in items.enumerated() {
            let cy = box.y + 3 * s + k * lineH + BitmapFont.capHeight * s / 2
            let x0 = box.x + 4 * s
            switch item.swatch {
            case .marker:
                canvas.fillCircle(cx: x0 + sample / 2, cy: cy, radius: 2 * s, color: item.color)
            case .line:
                canvas.fillRect(x: x0, y: cy - s / 2, width: sample, height: max(1, s), color: item.color)
            case .box:
                let h = BitmapFont.capHeight * s
                canvas.fillRect(x: x0 + 2 * s, y: cy - h / 2, width: sample - 4 * s, height: h, color: item.color)
            }
            canvas.drawText(item.name, x: x0 + sample + 4 * s, y: cy, scale: s, color: .black, verticalAlign: .center)
        }
    }
}

import Foundation

/// The parts every chart shares: the title, the plot area's frame, grid, ticks, tick labels and
/// axis labels, and the layout that leaves room for them.
enum Frame {
    /// The plot rectangle inside `area`, leaving room for the title, the axis labels and the
    /// tick labels. `rightReserve` is extra room on the right (a colour bar, or the half of the
    /// last x tick label that sticks out).
    static func plotRect(in area: PixelRect, style: ChartStyle, measure: Painter, title: String, xLabel: String,
                         yLabel: String, yTickLabels: [String], rightReserve: Double) -> PixelRect {
        let pad = style.pad
        let textH = measure.lineHeight(size: style.fontSize)
        let titleH = title.isEmpty ? 0 : measure.lineHeight(size: style.titleSize, bold: true) + pad
        let widest = yTickLabels.map { measure.textWidth($0, size: style.fontSize) }.max() ?? 0
        let top = Double(area.y) + pad + titleH
        let left = Double(area.x) + pad + (yLabel.isEmpty ? 0 : textH + pad) + widest + style.labelGap + style.tickLength + 1
        let bottom = Double(area.maxY) - pad - (xLabel.isEmpty ? 0 : textH + pad / 2) - textH - style.labelGap - style.tickLength - 1
        let right = Double(area.maxX) - pad - max(rightReserve, 0) - 1
        let x = Int(left.rounded(.up)), y = Int(top.rounded(.up))
        return PixelRect(x: x, y: y, width: max(0, Int(right.rounded(.down)) - x), height: max(0, Int(bottom.rounded(.down)) - y))
    }

    /// Room needed right of the plot area for the part of the last x tick label that sticks out.
    static func lastLabelOverhang(_ axis: Axis, style: ChartStyle, measure: Painter) -> Double {
        guard let last = axis.labels.last else { return 0 }
        return max(0, measure.textWidth(last, size: style.fontSize) / 2 - style.pad / 2)
    }

    /// Draws the title, grid, frame, ticks, tick labels and axis labels around `g.plotRect`.
    static func drawAxes(_ p: Painter, area: PixelRect, geometry g: PlotGeometry, style: ChartStyle,
                         title: String, xLabel: String, yLabel: String, grid: Bool) {
        let r = g.plotRect
        let size = style.fontSize
        // The title is centred on the plot area and shrunk if it would not fit in the figure.
        if !title.isEmpty {
            var titleSize = style.titleSize
            while titleSize > 6 && p.textWidth(title, size: titleSize, bold: true) > Double(area.width) - 2 * style.pad { titleSize -= 0.5 }
            let centre = r.isEmpty ? Double(area.x) + Double(area.width) / 2 : Double(r.x) + Double(r.width) / 2
            let half = p.textWidth(title, size: titleSize, bold: true) / 2
            let x = min(max(centre, Double(area.x) + style.pad + half), Double(area.maxX) - style.pad - half)
            p.text(title, x: x, y: Double(area.y) + style.pad, size: titleSize, bold: true, align: .center)
        }
        guard !r.isEmpty else { return }

        let xTicks = placed(g.xAxis.ticks, labels: g.xAxis.labels) { g.point(x: $0, y: g.yAxis.lower).x }
            .filter { $0.at >= Double(r.x) - 0.01 && $0.at <= Double(r.maxX) + 0.01 }
        let yTicks = placed(g.yAxis.ticks, labels: g.yAxis.labels) { g.point(x: g.xAxis.lower, y: $0).y }
            .filter { $0.at >= Double(r.y) - 0.01 && $0.at <= Double(r.maxY) + 0.01 }

        if grid {
            for t in xTicks where t.at > Double(r.x) + 1 && t.at < Double(r.maxX) - 1 {
                p.line(from: (t.at, Double(r.y)), to: (t.at, Double(r.maxY)), color: style.gridColor, width: 1)
            }
            for t in yTicks where t.at > Double(r.y) + 1 && t.at < Double(r.maxY) - 1 {
                p.line(from: (Double(r.x), t.at), to: (Double(r.maxX), t.at), color: style.gridColor, width: 1)
            }
        }
        p.outline(r, color: .black)

        // X ticks and labels, every k-th label so that none overlap.
        let tick = style.tickLength, bottom = Double(r.maxY) + 1, left = Double(r.x) - 1
        let xEvery = thinning(positions: xTicks.map(\.at), sizes: xTicks.map { p.textWidth($0.label, size: size) + 3 * style.labelGap })
        for (k, t) in xTicks.enumerated() {
            p.line(from: (t.at, bottom), to: (t.at, bottom + tick), color: .black, width: 1)
            if k % xEvery == 0 {
                p.text(t.label, x: t.at, y: bottom + tick + style.labelGap, size: size, align: .center)
            }
        }
        for v in g.xAxis.minorTicks {
            let x = g.point(x: v, y: g.yAxis.lower).x
            if x >= Double(r.x), x <= Double(r.maxX) { p.line(from: (x, bottom), to: (x, bottom + tick / 2), color: .black, width: 1) }
        }

        // Y ticks and labels.
        let yEvery = thinning(positions: yTicks.map { -$0.at }, sizes: yTicks.map { _ in p.capHeight(size: size) + 2 * style.labelGap })
        var widest = 0.0
        for (k, t) in yTicks.enumerated() {
            p.line(from: (left - tick, t.at), to: (left, t.at), color: .black, width: 1)
            if k % yEvery == 0 {
                p.text(t.label, x: left - tick - style.labelGap, y: t.at, size: size, align: .right, verticalAlign: .center)
                widest = max(widest, p.textWidth(t.label, size: size))
            }
        }
        for v in g.yAxis.minorTicks {
            let y = g.point(x: g.xAxis.lower, y: v).y
            if y >= Double(r.y), y <= Double(r.maxY) { p.line(from: (left - tick / 2, y), to: (left, y), color: .black, width: 1) }
        }

        // Axis labels.
        let textH = p.lineHeight(size: size)
        if !xLabel.isEmpty {
            p.text(xLabel, x: Double(r.x) + Double(r.width) / 2, y: bottom + tick + style.labelGap + textH + style.pad / 2,
                   size: size, align: .center)
        }
        if !yLabel.isEmpty {
            let cx = max(Double(area.x) + textH / 2 + 1, left - tick - style.labelGap - widest - style.pad - textH / 2)
            p.verticalText(yLabel, centerX: cx, centerY: Double(r.y) + Double(r.height) / 2, size: size)
        }
    }

    /// Ticks with their labels at their position along the axis; unplaceable ticks dropped.
    static func placed(_ ticks: [Double], labels: [String], position: (Double) -> Double) -> [(at: Double, label: String)] {
        ticks.enumerated().compactMap { k, v in
            let at = position(v)
            guard at.isFinite, abs(at) < 1e6 else { return nil }
            return (at, k < labels.count ? labels[k] : "")
        }
    }

    /// Smallest k such that keeping every k-th label (sorted by position) leaves no overlaps.
    static func thinning(positions: [Double], sizes: [Double]) -> Int {
        guard positions.count > 1 else { return 1 }
        for k in 1...positions.count {
            var ok = true
            var i = 0
            while i + k < positions.count {
                if abs(positions[i + k] - positions[i]) < (sizes[i] + sizes[i + k]) / 2 { ok = false; break }
                i += k
            }
            if ok { return k }
        }
        return positions.count
    }
}

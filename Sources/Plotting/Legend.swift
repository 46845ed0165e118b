/// Corner of the plot area holding the legend.
public enum LegendPosition: Sendable { case topLeft, topRight }

/// A boxed list of series names with a sample of how each is drawn.
struct Legend {
    /// How an entry's sample is drawn.
    enum Swatch { case line, marker, box }

    struct Entry {
        var name: String
        var color: RGB
        var swatch: Swatch
    }

    /// Entries with empty names are left out.
    var entries: [Entry]
    var position: LegendPosition

    /// Draws the legend inside a corner of `r`; nothing if it does not fit.
    func draw(_ p: Painter, in r: PixelRect, style: ChartStyle) {
        let items = entries.filter { !$0.name.isEmpty }
        guard !items.isEmpty, !r.isEmpty else { return }
        let s = style.scale, size = style.fontSize
        let sample = 22 * s, inset = 6 * s
        let lineH = p.lineHeight(size: size) + 5 * s
        let textW = items.map { p.textWidth($0.name, size: size) }.max() ?? 0
        let boxW = (inset + sample + inset + textW + inset).rounded(.up)
        let boxH = (inset + lineH * Double(items.count) - 5 * s + inset).rounded(.up)
        let margin = 8 * s
        let boxX = (position == .topRight ? Double(r.maxX) - boxW - margin : Double(r.x) + margin).rounded()
        let box = PixelRect(x: Int(boxX), y: r.y + Int(margin.rounded()), width: Int(boxW), height: Int(boxH))
        guard box.x > r.x, box.maxX < r.maxX, box.maxY < r.maxY else { return }
        p.fill(box, color: .white)
        p.outline(box, color: RGB(170, 170, 170))
        let cap = p.capHeight(size: size)
        for (k, item) in items.enumerated() {
            let cy = Double(box.y) + inset + Double(k) * lineH + cap / 2
            let x0 = Double(box.x) + inset
            switch item.swatch {
            case .marker:
                p.disc(center: (x0 + sample / 2, cy), radius: style.markerRadius + 0.5, color: item.color)
            case .line:
                p.line(from: (x0, cy), to: (x0 + sample, cy), color: item.color, width: style.lineWidth + 0.5)
            case .box:
                p.fill(x: x0 + 3 * s, y: cy - cap / 2, width: sample - 6 * s, height: cap, color: item.color)
            }
            p.text(item.name, x: x0 + sample + inset, y: cy, size: size, verticalAlign: .center)
        }
    }
}

/// Corner of the plot area holding the legend.
public enum LegendPosition: Sendable {
    case topLeft, topRight, bottomLeft, bottomRight
    /// The corner whose box the fewest drawn segments cross (top right on a tie).
    case best
}

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

    /// Draws the legend inside a corner of `r`; nothing if it does not fit. With `.best`, the
    /// corner is chosen to cover as little of `lines` (drawn polylines; NaN breaks) as possible.
    func draw(_ p: Painter, in r: PixelRect, style: ChartStyle, avoiding lines: [[(x: Double, y: Double)]] = []) {
        let items = entries.filter { !$0.name.isEmpty }
        guard !items.isEmpty, !r.isEmpty else { return }
        let s = style.scale, size = style.fontSize
        let sample = 22 * s, inset = 6 * s
        let lineH = p.lineHeight(size: size) + 5 * s
        let textW = items.map { p.textWidth($0.name, size: size) }.max() ?? 0
        let boxW = (inset + sample + inset + textW + inset).rounded(.up)
        let boxH = (inset + lineH * Double(items.count) - 5 * s + inset).rounded(.up)
        let margin = (8 * s).rounded()
        func box(at corner: LegendPosition) -> PixelRect {
            let left = corner == .topLeft || corner == .bottomLeft
            let top = corner == .topLeft || corner == .topRight || corner == .best
            let x = left ? Double(r.x) + margin : Double(r.maxX) - boxW - margin
            let y = top ? Double(r.y) + margin : Double(r.maxY) - boxH - margin
            return PixelRect(x: Int(x), y: Int(y), width: Int(boxW), height: Int(boxH))
        }
        var corner = position
        if position == .best {
            let corners: [LegendPosition] = [.topRight, .topLeft, .bottomRight, .bottomLeft]
            let crossings = corners.map { Legend.crossings(of: lines, with: box(at: $0)) }
            corner = corners[crossings.firstIndex(of: crossings.min()!)!]
        }
        let box = box(at: corner)
        guard box.x > r.x, box.y > r.y, box.maxX < r.maxX, box.maxY < r.maxY else { return }
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

    /// How many segments (and isolated points) of `lines` touch `box`.
    static func crossings(of lines: [[(x: Double, y: Double)]], with box: PixelRect) -> Int {
        let bounds = (x0: Double(box.x), y0: Double(box.y), x1: Double(box.maxX), y1: Double(box.maxY))
        var n = 0
        for line in lines {
            if line.count == 1, let q = line.first, q.x >= bounds.x0, q.x <= bounds.x1, q.y >= bounds.y0, q.y <= bounds.y1 { n += 1 }
            for (a, b) in zip(line, line.dropFirst()) where Painter.clip(a, b, to: bounds) != nil { n += 1 }
        }
        return n
    }
}

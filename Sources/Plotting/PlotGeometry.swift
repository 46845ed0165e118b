import Foundation

/// Where a plot was drawn on the figure and how data maps to pixels.
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

    /// Where Cairo draws a data point: the centre of its pixel.
    func point(x: Double, y: Double) -> (x: Double, y: Double) {
        let p = pixel(x: x, y: y)
        return (p.x + 0.5, p.y + 0.5)
    }
}

import Foundation

/// An 8-bit sRGB colour.
public struct RGB: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r; self.g = g; self.b = b
    }

    /// From a 0xRRGGBB literal.
    public init(hex: UInt32) {
        self.init(UInt8((hex >> 16) & 0xFF), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF))
    }

    /// Linear interpolation between two colours (t clamped to 0...1), rounded to the nearest byte.
    public static func mix(_ a: RGB, _ b: RGB, _ t: Double) -> RGB {
        let t = t.isNaN ? 0 : min(1, max(0, t))
        func lerp(_ x: UInt8, _ y: UInt8) -> UInt8 {
            UInt8((Double(x) + (Double(y) - Double(x)) * t).rounded())
        }
        return RGB(lerp(a.r, b.r), lerp(a.g, b.g), lerp(a.b, b.b))
    }

    public var description: String { "RGB(\(r), \(g), \(b))" }

    public static let white = RGB(255, 255, 255)
    public static let black = RGB(0, 0, 0)
    public static let red = RGB(214, 39, 40)
    public static let pureRed = RGB(255, 0, 0)
    public static let green = RGB(44, 160, 44)
    public static let blue = RGB(31, 119, 180)
    public static let orange = RGB(255, 127, 14)
    public static let purple = RGB(148, 103, 189)
    public static let brown = RGB(140, 86, 75)
    public static let pink = RGB(227, 119, 194)
    public static let olive = RGB(188, 189, 34)
    public static let cyan = RGB(23, 190, 207)
    public static let grey = RGB(127, 127, 127)
    public static let lightGrey = RGB(222, 222, 222)
    public static let darkGrey = RGB(64, 64, 64)
    /// Colour used for NaN cells in heatmaps.
    public static let missing = RGB(160, 160, 160)

    /// A qualitative palette for line series.
    public static let palette: [RGB] = [.blue, .orange, .green, .red, .purple, .brown, .pink, .grey, .olive, .cyan]
}

/// An integer pixel rectangle (origin top-left, y growing downward).
public struct PixelRect: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }
}

/// Horizontal text alignment relative to the anchor x.
public enum HorizontalAlignment: Sendable { case left, center, right }
/// Vertical text alignment relative to the anchor y (`center` centres the capital height).
public enum VerticalAlignment: Sendable { case top, center, bottom }

/// An RGB raster with simple drawing primitives. Origin is the top-left pixel.
public struct Canvas: Sendable {
    public let width: Int
    public let height: Int
    /// Row-major RGB bytes, top row first.
    public private(set) var pixels: [UInt8]

    public init(width: Int, height: Int, background: RGB = .white) {
        self.width = max(0, width)
        self.height = max(0, height)
        var px = [UInt8](repeating: 0, count: self.width * self.height * 3)
        var i = 0
        while i < px.count {
            px[i] = background.r; px[i + 1] = background.g; px[i + 2] = background.b
            i += 3
        }
        pixels = px
    }

    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }

    // MARK: Pixels

    /// The colour at (x, y), or nil outside the canvas.
    public func pixel(x: Int, y: Int) -> RGB? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        let i = (y * width + x) * 3
        return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// Sets one pixel; coordinates outside the canvas are ignored.
    public mutating func setPixel(x: Int, y: Int, color: RGB) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = (y * width + x) * 3
        pixels[i] = color.r; pixels[i + 1] = color.g; pixels[i + 2] = color.b
    }

    /// Blends `color` over the pixel with opacity `alpha` (0...1).
    public mutating func blendPixel(x: Int, y: Int, color: RGB, alpha: Double) {
        guard let old = pixel(x: x, y: y) else { return }
        setPixel(x: x, y: y, color: RGB.mix(old, color, alpha))
    }

    // MARK: Rectangles

    /// Fills a rectangle, clipped to the canvas.
    public mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, color: RGB) {
        let x0 = max(0, x), y0 = max(0, y)
        let (xe, xo) = x.addingReportingOverflow(w), (ye, yo) = y.addingReportingOverflow(h)
        let x1 = xo ? (w > 0 ? width : 0) : min(width, xe)
        let y1 = yo ? (h > 0 ? height : 0) : min(height, ye)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 {
            var i = (yy * width + x0) * 3
            for _ in x0..<x1 {
                pixels[i] = color.r; pixels[i + 1] = color.g; pixels[i + 2] = color.b
                i += 3
            }
        }
    }

    public mutating func fillRect(_ r: PixelRect, color: RGB) {
        fillRect(x: r.x, y: r.y, width: r.width, height: r.height, color: color)
    }

    /// Draws the outline of a rectangle, `thickness` pixels wide, inside the rectangle.
    public mutating func strokeRect(_ r: PixelRect, color: RGB, thickness: Int = 1) {
        let t = max(1, thickness)
        fillRect(x: r.x, y: r.y, width: r.width, height: t, color: color)
        fillRect(x: r.x, y: r.maxY - t, width: r.width, height: t, color: color)
        fillRect(x: r.x, y: r.y, width: t, height: r.height, color: color)
        fillRect(x: r.maxX - t, y: r.y, width: t, height: r.height, color: color)
    }

    // MARK: Lines

    /// Stamps a `thickness`×`thickness` square centred on (x, y).
    @inline(__always)
    mutating func stamp(x: Int, y: Int, color: RGB, thickness: Int, clip: PixelRect?) {
        if thickness <= 1 {
            if let c = clip, !c.contains(x: x, y: y) { return }
            setPixel(x: x, y: y, color: color)
            return
        }
        let off = (thickness - 1) / 2
        for dy in 0..<thickness {
            for dx in 0..<thickness {
                let px = x - off + dx, py = y - off + dy
                if let c = clip, !c.contains(x: px, y: py) { continue }
                setPixel(x: px, y: py, color: color)
            }
        }
    }

    /// Bresenham line between integer points (inclusive), optionally clipped to `clip`.
    public mutating func drawLine(x0: Int, y0: Int, x1: Int, y1: Int, color: RGB,
                                  thickness: Int = 1, clip: PixelRect? = nil) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            stamp(x: x, y: y, color: color, thickness: thickness, clip: clip)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    /// Draws a line between real-valued pixel coordinates, clipped (Liang–Barsky) to `clip`
    /// (the canvas by default) before rasterising, so huge or infinite coordinates are safe.
    /// Segments with a NaN endpoint are skipped.
    public mutating func drawLine(from p0: (x: Double, y: Double), to p1: (x: Double, y: Double),
                                  color: RGB, thickness: Int = 1, clip: PixelRect? = nil) {
        let c = clip ?? bounds
        guard !c.isEmpty else { return }
        guard let (a, b) = Canvas.clipSegment(p0, p1, to: c) else { return }
        drawLine(x0: Int(a.x.rounded()), y0: Int(a.y.rounded()), x1: Int(b.x.rounded()), y1: Int(b.y.rounded()),
                 color: color, thickness: thickness, clip: c)
    }

    /// Liang–Barsky clipping of a segment to the pixel-centre box of `r`. Nil if outside or NaN.
    static func clipSegment(_ p0: (x: Double, y: Double), _ p1: (x: Double, y: Double),
                            to r: PixelRect) -> ((x: Double, y: Double), (x: Double, y: Double))? {
        guard !p0.x.isNaN, !p0.y.isNaN, !p1.x.isNaN, !p1.y.isNaN else { return nil }
        // Replace infinities by large finite values so the parametrisation stays finite.
        func tame(_ v: Double) -> Double { min(1e9, max(-1e9, v)) }
        let x0 = tame(p0.x), y0 = tame(p0.y), x1 = tame(p1.x), y1 = tame(p1.y)
        let xmin = Double(r.x), xmax = Double(r.maxX - 1)
        let ymin = Double(r.y), ymax = Double(r.maxY - 1)
        let dx = x1 - x0, dy = y1 - y0
        var t0 = 0.0, t1 = 1.0
        let p = [-dx, dx, -dy, dy]
        let q = [x0 - xmin, xmax - x0, y0 - ymin, ymax - y0]
        for k in 0..<4 {
            if p[k] == 0 {
                if q[k] < 0 { return nil }
            } else {
                let t = q[k] / p[k]
                if p[k] < 0 {
                    if t > t1 { return nil }
                    if t > t0 { t0 = t }
                } else {
                    if t < t0 { return nil }
                    if t < t1 { t1 = t }
                }
            }
        }
        return ((x0 + t0 * dx, y0 + t0 * dy), (x0 + t1 * dx, y0 + t1 * dy))
    }

    /// Draws connected segments; a point with a NaN coordinate breaks the line.
    public mutating func drawPolyline(_ points: [(x: Double, y: Double)], color: RGB,
                                      thickness: Int = 1, clip: PixelRect? = nil) {
        guard points.count >= 2 else {
            if let p = points.first, p.x.isFinite, p.y.isFinite {
                drawLine(from: p, to: p, color: color, thickness: thickness, clip: clip)
            }
            return
        }
        for k in 1..<points.count {
            drawLine(from: points[k - 1], to: points[k], color: color, thickness: thickness, clip: clip)
        }
    }

    /// Fills a disc of the given radius (in pixels) centred on (cx, cy).
    public mutating func fillCircle(cx: Int, cy: Int, radius: Int, color: RGB, clip: PixelRect? = nil) {
        let r = max(0, radius)
        for dy in -r...r {
            for dx in -r...r where dx * dx + dy * dy <= r * r + r {
                let px = cx + dx, py = cy + dy
                if let c = clip, !c.contains(x: px, y: py) { continue }
                setPixel(x: px, y: py, color: color)
            }
        }
    }

    // MARK: Text

    /// Width in pixels of `text` drawn at `scale`.
    public static func textWidth(_ text: String, scale: Int = 1) -> Int {
        let n = text.count
        return n == 0 ? 0 : (n * BitmapFont.advance - 1) * max(1, scale)
    }

    /// Height in pixels of a line of text (cell including descenders) at `scale`.
    public static func textHeight(scale: Int = 1) -> Int { BitmapFont.cellHeight * max(1, scale) }

    /// Draws horizontal text. The anchor (x, y) is placed according to the alignments; with
    /// `.top` it is the top of the capitals, with `.center` the middle of the capitals, and
    /// with `.bottom` the bottom of the descenders.
    public mutating func drawText(_ text: String, x: Int, y: Int, scale: Int = 1, color: RGB = .black,
                                  align: HorizontalAlignment = .left, verticalAlign: VerticalAlignment = .top) {
        let s = max(1, scale)
        let w = Canvas.textWidth(text, scale: s)
        var left = x
        switch align {
        case .left: break
        case .center: left = x - w / 2
        case .right: left = x - w
        }
        var top = y
        switch verticalAlign {
        case .top: break
        case .center: top = y - (BitmapFont.capHeight * s) / 2
        case .bottom: top = y - BitmapFont.cellHeight * s
        }
        var cx = left
        for ch in text {
            let g = BitmapFont.glyph(for: ch)
            for (row, bits) in g.enumerated() where bits != 0 {
                for col in 0..<BitmapFont.glyphWidth where bits & (1 << (BitmapFont.glyphWidth - 1 - col)) != 0 {
                    fillRect(x: cx + col * s, y: top + row * s, width: s, height: s, color: color)
                }
            }
            cx += BitmapFont.advance * s
        }
    }

    /// Draws text rotated 90° counter-clockwise (reading bottom to top), centred on (cx, cy).
    public mutating func drawVerticalText(_ text: String, centerX cx: Int, centerY cy: Int,
                                          scale: Int = 1, color: RGB = .black) {
        let s = max(1, scale)
        let length = Canvas.textWidth(text, scale: s) // extent along the (vertical) reading direction
        let thick = BitmapFont.capHeight * s           // centre on the capital height
        let left = cx - thick / 2
        let bottom = cy + length / 2                   // text starts here and goes up
        var along = 0
        for ch in text {
            let g = BitmapFont.glyph(for: ch)
            for (row, bits) in g.enumerated() where bits != 0 {
                for col in 0..<BitmapFont.glyphWidth where bits & (1 << (BitmapFont.glyphWidth - 1 - col)) != 0 {
                    // Horizontal (u, v) = (along + col, row) maps to (x, y) = (left + v, bottom - u).
                    let u = along + col * s
                    fillRect(x: left + row * s, y: bottom - u - s, width: s, height: s, color: color)
                }
            }
            along += BitmapFont.advance * s
        }
    }

    // MARK: Composition

    /// Copies another canvas onto this one with its top-left corner at (x, y).
    public mutating func draw(_ other: Canvas, atX x: Int, y: Int) {
        for yy in 0..<other.height {
            let ty = y + yy
            guard ty >= 0, ty < height else { continue }
            for xx in 0..<other.width {
                let tx = x + xx
                guard tx >= 0, tx < width else { continue }
                let si = (yy * other.width + xx) * 3, di = (ty * width + tx) * 3
                pixels[di] = other.pixels[si]; pixels[di + 1] = other.pixels[si + 1]; pixels[di + 2] = other.pixels[si + 2]
            }
        }
    }

    // MARK: Output

    /// PNG bytes of the canvas.
    public func pngData(compression: PNGEncoder.Compression = .fixedHuffman) throws -> [UInt8] {
        try PNGEncoder.encode(width: width, height: height, pixels: pixels, colorType: .rgb,
                              compression: compression, filter: .adaptive)
    }

    /// Writes the canvas as a PNG file (atomically), creating no directories.
    public func writePNG(to path: String) throws {
        let bytes = try pngData()
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw PNGError.writeFailed(path: path, reason: "\(error)")
        }
    }
}

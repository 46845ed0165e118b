import CCairo
import Foundation

/// Horizontal text alignment relative to the anchor x.
public enum HorizontalAlignment: Sendable { case left, center, right }
/// Vertical text alignment relative to the anchor y: `top` is the top of the capitals, `center`
/// their middle (so tick labels centre on their tick), `bottom` the bottom of the descenders.
public enum VerticalAlignment: Sendable { case top, center, bottom }

/// Drawing on a Cairo surface in the charts' terms: colours, rectangles, lines, discs, images
/// and text, in Cairo's user space (pixel (i, j) covers [i, i+1] × [j, j+1]).
///
/// A class rather than a struct because it owns a `cairo_t`, which must be destroyed exactly
/// once. Cairo records its first error in the context and ignores later calls, so drawing
/// never traps: the figure checks `status` once at the end.
final class Painter {
    private let cr: OpaquePointer

    /// Asked of fontconfig, which substitutes another sans-serif face where DejaVu is missing
    /// (scripts/setup.sh installs it).
    static let fontFamily = "DejaVu Sans"

    init(surface: OpaquePointer) {
        cr = cairo_create(surface)
        let options = cairo_font_options_create()
        // Unhinted metrics: text measures the same on image, SVG and PDF surfaces, so one
        // layout serves every format.
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        // Greyscale antialiasing: subpixel rendering would leave colour fringes in PNG files.
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_set_font_options(cr, options)
        cairo_font_options_destroy(options)
    }

    deinit { cairo_destroy(cr) }

    /// A painter on a 1×1 image, to measure text while laying a figure out.
    static func measuring() -> Painter {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1)
        defer { cairo_surface_destroy(surface) }
        return Painter(surface: surface!)
    }

    /// The first error of this context, if any.
    var status: cairo_status_t { cairo_status(cr) }

    // MARK: Colours and shapes

    func setColor(_ c: RGB) {
        let u = c.unit
        cairo_set_source_rgb(cr, u.r, u.g, u.b)
    }

    func fill(x: Double, y: Double, width: Double, height: Double, color: RGB) {
        guard width > 0, height > 0 else { return }
        setColor(color)
        cairo_rectangle(cr, x, y, width, height)
        cairo_fill(cr)
    }

    func fill(_ r: PixelRect, color: RGB) {
        fill(x: Double(r.x), y: Double(r.y), width: Double(r.width), height: Double(r.height), color: color)
    }

    /// A one-pixel outline on the pixels just outside `r`, so it never covers what is inside.
    func outline(_ r: PixelRect, color: RGB) {
        setColor(color)
        cairo_set_line_width(cr, 1)
        cairo_rectangle(cr, Double(r.x) - 0.5, Double(r.y) - 0.5, Double(r.width) + 1, Double(r.height) + 1)
        cairo_stroke(cr)
    }

    /// A straight segment with square ends cut at the endpoints.
    func line(from a: (x: Double, y: Double), to b: (x: Double, y: Double), color: RGB, width: Double) {
        setColor(color)
        cairo_set_line_width(cr, width)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        cairo_move_to(cr, a.x, a.y)
        cairo_line_to(cr, b.x, b.y)
        cairo_stroke(cr)
    }

    /// Connected segments with round joins; a point with a NaN coordinate breaks the line.
    /// Segments are clipped to `bounds` first: Cairo's fixed-point coordinates overflow near
    /// ±8 million, and a log axis can put a point much farther out than that.
    func polyline(_ points: [(x: Double, y: Double)], color: RGB, width: Double, bounds: (x0: Double, y0: Double, x1: Double, y1: Double)) {
        setColor(color)
        cairo_set_line_width(cr, width)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        var last: (x: Double, y: Double)?
        for (a, b) in zip(points, points.dropFirst()) {
            guard let (p, q) = Painter.clip(a, b, to: bounds) else { last = nil; continue }
            if let l = last, l.x == p.x, l.y == p.y {
                cairo_line_to(cr, q.x, q.y)
            } else {
                cairo_move_to(cr, p.x, p.y)
                cairo_line_to(cr, q.x, q.y)
            }
            last = q
        }
        cairo_stroke(cr)
        cairo_new_path(cr)
    }

    /// Liang–Barsky clipping of a segment to a box; nil if it lies outside or has a NaN end.
    static func clip(_ p0: (x: Double, y: Double), _ p1: (x: Double, y: Double),
                     to box: (x0: Double, y0: Double, x1: Double, y1: Double)) -> ((x: Double, y: Double), (x: Double, y: Double))? {
        guard !p0.x.isNaN, !p0.y.isNaN, !p1.x.isNaN, !p1.y.isNaN else { return nil }
        // Infinities become large finite values so that the parametrisation stays finite.
        func tame(_ v: Double) -> Double { min(1e12, max(-1e12, v)) }
        let x0 = tame(p0.x), y0 = tame(p0.y), x1 = tame(p1.x), y1 = tame(p1.y)
        let dx = x1 - x0, dy = y1 - y0
        var t0 = 0.0, t1 = 1.0
        let p = [-dx, dx, -dy, dy]
        let q = [x0 - box.x0, box.x1 - x0, y0 - box.y0, box.y1 - y0]
        for k in 0..<4 {
            if p[k] == 0 {
                if q[k] < 0 { return nil }
            } else {
                let t = q[k] / p[k]
                if p[k] < 0 {
                    if t > t1 { return nil }
                    t0 = max(t0, t)
                } else {
                    if t < t0 { return nil }
                    t1 = min(t1, t)
                }
            }
        }
        return ((x0 + t0 * dx, y0 + t0 * dy), (x0 + t1 * dx, y0 + t1 * dy))
    }

    func disc(center c: (x: Double, y: Double), radius: Double, color: RGB) {
        guard c.x.isFinite, c.y.isFinite, abs(c.x) < 1e6, abs(c.y) < 1e6 else { return }
        setColor(color)
        cairo_new_sub_path(cr)
        cairo_arc(cr, c.x, c.y, radius, 0, 2 * Double.pi)
        cairo_fill(cr)
    }

    /// Runs `body` with drawing restricted to `r`.
    func clipped(to r: PixelRect, _ body: () -> Void) {
        cairo_save(cr)
        cairo_rectangle(cr, Double(r.x), Double(r.y), Double(r.width), Double(r.height))
        cairo_clip(cr)
        body()
        cairo_restore(cr)
    }

    /// Paints an image pixel for pixel onto `r` (row-major colours, top row first). Nearest-
    /// neighbour filtering keeps heatmap cells sharp where a viewer scales the image.
    func image(_ colors: [RGB], in r: PixelRect) {
        guard !r.isEmpty, colors.count == r.width * r.height else { return }
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(r.width), Int32(r.height)) else { return }
        defer { cairo_surface_destroy(surface) }
        // An error surface (e.g. out of memory) has no data; painting it puts the context in
        // error, which the figure reports.
        if let data = cairo_image_surface_get_data(surface) {
            cairo_surface_flush(surface)
            let stride = Int(cairo_image_surface_get_stride(surface))
            for row in 0..<r.height {
                let line = UnsafeMutableRawPointer(data + row * stride).bindMemory(to: UInt32.self, capacity: r.width)
                for col in 0..<r.width {
                    let c = colors[row * r.width + col]
                    line[col] = 0xFF00_0000 | UInt32(c.r) << 16 | UInt32(c.g) << 8 | UInt32(c.b)
                }
            }
            cairo_surface_mark_dirty(surface)
        }
        cairo_save(cr)
        cairo_set_source_surface(cr, surface, Double(r.x), Double(r.y))
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST)
        cairo_rectangle(cr, Double(r.x), Double(r.y), Double(r.width), Double(r.height))
        cairo_fill(cr)
        cairo_restore(cr)
    }

    /// Fills `r` with a vertical gradient through `colors`, evenly spaced from the bottom (first)
    /// to the top (last): a colour map's anchors give exactly the map, in every format.
    func verticalGradient(_ colors: [RGB], in r: PixelRect) {
        guard !r.isEmpty, colors.count >= 2 else { return }
        guard let pattern = cairo_pattern_create_linear(0, Double(r.maxY), 0, Double(r.y)) else { return }
        defer { cairo_pattern_destroy(pattern) }
        for (k, c) in colors.enumerated() {
            let u = c.unit
            cairo_pattern_add_color_stop_rgb(pattern, Double(k) / Double(colors.count - 1), u.r, u.g, u.b)
        }
        cairo_set_source(cr, pattern)
        cairo_rectangle(cr, Double(r.x), Double(r.y), Double(r.width), Double(r.height))
        cairo_fill(cr)
    }

    // MARK: Text

    private func setFont(size: Double, bold: Bool) {
        cairo_select_font_face(cr, Painter.fontFamily, CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
    }

    /// The advance width of `text`.
    func textWidth(_ text: String, size: Double, bold: Bool = false) -> Double {
        setFont(size: size, bold: bold)
        var e = cairo_text_extents_t()
        cairo_text_extents(cr, text, &e)
        return e.x_advance
    }

    /// Height of capitals and digits above the baseline.
    func capHeight(size: Double, bold: Bool = false) -> Double {
        setFont(size: size, bold: bold)
        var e = cairo_text_extents_t()
        cairo_text_extents(cr, "H", &e)
        return -e.y_bearing
    }

    /// Depth of descenders below the baseline.
    func descent(size: Double, bold: Bool = false) -> Double {
        setFont(size: size, bold: bold)
        var e = cairo_font_extents_t()
        cairo_font_extents(cr, &e)
        return e.descent
    }

    /// Room a line of text takes from the top of the capitals to the bottom of the descenders.
    func lineHeight(size: Double, bold: Bool = false) -> Double {
        capHeight(size: size, bold: bold) + descent(size: size, bold: bold)
    }

    /// Draws horizontal text with the anchor placed according to the alignments.
    func text(_ text: String, x: Double, y: Double, size: Double, color: RGB = .black, bold: Bool = false,
              align: HorizontalAlignment = .left, verticalAlign: VerticalAlignment = .top) {
        guard !text.isEmpty else { return }
        let width = textWidth(text, size: size, bold: bold)
        let cap = capHeight(size: size, bold: bold)
        let left: Double
        switch align {
        case .left: left = x
        case .center: left = x - width / 2
        case .right: left = x - width
        }
        let baseline: Double
        switch verticalAlign {
        case .top: baseline = y + cap
        case .center: baseline = y + cap / 2
        case .bottom: baseline = y - descent(size: size, bold: bold)
        }
        setFont(size: size, bold: bold)
        setColor(color)
        cairo_move_to(cr, left, baseline)
        cairo_show_text(cr, text)
        cairo_new_path(cr)
    }

    /// Draws text reading bottom to top, centred on (cx, cy) (the middle of its capitals).
    func verticalText(_ text: String, centerX cx: Double, centerY cy: Double, size: Double, color: RGB = .black) {
        cairo_save(cr)
        cairo_translate(cr, cx, cy)
        cairo_rotate(cr, -Double.pi / 2)
        self.text(text, x: 0, y: 0, size: size, color: color, align: .center, verticalAlign: .center)
        cairo_restore(cr)
    }
}

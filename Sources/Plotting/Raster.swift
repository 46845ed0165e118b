import CCairo

/// An RGB image read back from Cairo: a figure drawn on an image surface, or a PNG file. Used to
/// check what a chart drew where.
public struct Raster: Sendable {
    public let width: Int
    public let height: Int
    /// Row-major colours, top row first.
    public let pixels: [RGB]

    /// Reads a PNG file through Cairo.
    public init(pngFile path: String) throws {
        let surface = cairo_image_surface_create_from_png(path)!
        defer { cairo_surface_destroy(surface) }
        try PlotError.check(cairo_surface_status(surface), "reading \(path)")
        try self.init(surface: surface)
    }

    /// Copies an image surface (RGB24, or ARGB32 un-premultiplied onto nothing: colour only).
    init(surface: OpaquePointer) throws {
        cairo_surface_flush(surface)
        let format = cairo_image_surface_get_format(surface)
        guard format == CAIRO_FORMAT_RGB24 || format == CAIRO_FORMAT_ARGB32 else {
            throw PlotError.cairo(operation: "reading an image", reason: "unsupported pixel format \(format.rawValue)")
        }
        let w = Int(cairo_image_surface_get_width(surface)), h = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else {
            throw PlotError.cairo(operation: "reading an image", reason: "no pixel data")
        }
        var pixels = [RGB]()
        pixels.reserveCapacity(w * h)
        for row in 0..<h {
            // Native-endian 0xAARRGGBB words, colour premultiplied by alpha.
            let line = UnsafeRawPointer(data + row * stride).bindMemory(to: UInt32.self, capacity: w)
            for col in 0..<w {
                let v = line[col]
                let a = format == CAIRO_FORMAT_ARGB32 ? Int(v >> 24) : 255
                func channel(_ shift: UInt32) -> UInt8 {
                    let c = Int((v >> shift) & 0xFF)
                    return a == 255 || a == 0 ? UInt8(c) : UInt8(min(255, (c * 255 + a / 2) / a))
                }
                pixels.append(RGB(channel(16), channel(8), channel(0)))
            }
        }
        width = w; height = h; self.pixels = pixels
    }

    /// The colour at (x, y), or nil outside the image.
    public func pixel(x: Int, y: Int) -> RGB? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        return pixels[y * width + x]
    }
}

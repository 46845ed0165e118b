import CCairo
import Foundation

/// A laid-out chart, ready to be drawn in any `PlotFormat`.
///
/// The charts measure their text and fix their layout when they are rendered; the figure keeps
/// the drawing as a closure so that the same picture goes to a PNG, SVG or PDF surface.
/// Sizes are in pixels (PNG) or points (PDF; SVG in CSS pixels), one unit either way.
public struct Figure: Sendable {
    public let width: Int
    public let height: Int
    /// The document title of SVG and PDF files.
    public var title: String
    let content: @Sendable (Painter) -> Void

    init(width: Int, height: Int, title: String, content: @escaping @Sendable (Painter) -> Void) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.title = title
        self.content = content
    }

    /// The bytes of the figure as a file of `format`.
    public func data(format: PlotFormat) throws -> [UInt8] {
        guard width > 0, height > 0 else { throw PlotError.emptyFigure(width: width, height: height) }
        // Cairo's constructors never return NULL: a failure comes back as a surface in an error
        // state, whose status is checked before use.
        let sink = ByteSink()
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        try withExtendedLifetime(sink) {
            switch format {
            case .png:
                let surface = try imageSurface()
                defer { cairo_surface_destroy(surface) }
                try PlotError.check(cairo_surface_write_to_png_stream(surface, ByteSink.write, closure), "encoding the PNG")
            case .svg:
                let surface = cairo_svg_surface_create_for_stream(ByteSink.write, closure, Double(width), Double(height))!
                defer { cairo_surface_destroy(surface) }
                try PlotError.check(cairo_surface_status(surface), "creating an SVG surface")
                // Pixels rather than points, so that browsers show the figure at its stated size.
                cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PX)
                try finish(surface, format: format)
            case .pdf:
                let surface = cairo_pdf_surface_create_for_stream(ByteSink.write, closure, Double(width), Double(height))!
                defer { cairo_surface_destroy(surface) }
                try PlotError.check(cairo_surface_status(surface), "creating a PDF surface")
                cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
                cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "metalic")
                try finish(surface, format: format)
            }
        }
        return format == .svg ? Figure.addingTitle(title, toSVG: sink.bytes) : sink.bytes
    }

    /// Writes the figure to `path` (atomically; no directories are created).
    public func write(to path: String, format: PlotFormat) throws {
        let bytes = try data(format: format)
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw PlotError.fileFailed(path: path, reason: PlotError.reason(error, path: path))
        }
    }

    /// Writes the figure as `name` plus the format's extension in `directory`; returns the path.
    @discardableResult
    public func write(in directory: URL, name: String, format: PlotFormat) throws -> String {
        let path = directory.appendingPathComponent(format.fileName(name)).path
        try write(to: path, format: format)
        return path
    }

    /// The figure as pixels, as the PNG would hold them.
    public func raster() throws -> Raster {
        guard width > 0, height > 0 else { throw PlotError.emptyFigure(width: width, height: height) }
        let surface = try imageSurface()
        defer { cairo_surface_destroy(surface) }
        return try Raster(surface: surface)
    }

    /// An opaque image surface with the figure drawn on it (the caller destroys it).
    private func imageSurface() throws -> OpaquePointer {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(clamping: width), Int32(clamping: height))!
        do {
            try PlotError.check(cairo_surface_status(surface), "creating a \(width)×\(height) image")
            try draw(on: surface)
            cairo_surface_flush(surface)
        } catch {
            cairo_surface_destroy(surface)
            throw error
        }
        return surface
    }

    /// Draws on a vector surface and finishes it, which makes Cairo emit the document.
    private func finish(_ surface: OpaquePointer, format: PlotFormat) throws {
        try draw(on: surface)
        cairo_surface_finish(surface)
        try PlotError.check(cairo_surface_status(surface), "writing the \(format.rawValue.uppercased())")
    }

    private func draw(on surface: OpaquePointer) throws {
        let painter = Painter(surface: surface)
        painter.fill(x: 0, y: 0, width: Double(width), height: Double(height), color: .white)
        content(painter)
        try PlotError.check(painter.status, "drawing")
    }

    /// Cairo draws text as glyph outlines, so an SVG holds none of its words: a `<title>`
    /// element names the figure for readers, screen readers and searches.
    static func addingTitle(_ title: String, toSVG bytes: [UInt8]) -> [UInt8] {
        guard !title.isEmpty else { return bytes }
        let svg = String(decoding: bytes, as: UTF8.self)
        guard let open = svg.range(of: "<svg"), let end = svg[open.upperBound...].firstIndex(of: ">") else { return bytes }
        let escaped = title.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        var out = svg
        out.insert(contentsOf: "\n<title>\(escaped)</title>", at: svg.index(after: end))
        return Array(out.utf8)
    }
}

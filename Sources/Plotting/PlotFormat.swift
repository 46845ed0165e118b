/// The file formats a figure can be written in: a raster image, or vector drawings that stay
/// sharp at any zoom (SVG for the web, PDF for papers).
public enum PlotFormat: String, CaseIterable, Sendable {
    case png, svg, pdf

    /// The file name extension, without the dot.
    public var fileExtension: String { rawValue }

    /// `base` with this format's extension, e.g. "loss" → "loss.svg".
    public func fileName(_ base: String) -> String { "\(base).\(fileExtension)" }
}

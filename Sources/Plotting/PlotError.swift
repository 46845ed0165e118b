import CCairo
import Foundation

/// Why a figure could not be produced or written.
public enum PlotError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A figure needs at least one pixel each way.
    case emptyFigure(width: Int, height: Int)
    /// Cairo reported an error while `operation` (its own message in `reason`).
    case cairo(operation: String, reason: String)
    /// Writing or reading the file failed.
    case fileFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .emptyFigure(w, h): return "cannot draw a \(w)×\(h) figure"
        case let .cairo(operation, reason): return "Cairo failed \(operation): \(reason)"
        case let .fileFailed(path, reason): return "cannot write \(path): \(reason)"
        }
    }

    /// Callers print `localizedDescription`; without this it would be Foundation's generic text.
    public var errorDescription: String? { description }

    /// Throws when a Cairo status is not success.
    static func check(_ status: cairo_status_t, _ operation: String) throws {
        guard status != CAIRO_STATUS_SUCCESS else { return }
        throw PlotError.cairo(operation: operation, reason: String(cString: cairo_status_to_string(status)))
    }
}

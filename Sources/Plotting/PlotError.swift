import CCairo
import Foundation

/// Why a figure could not be produced or written.
public enum PlotError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A figure needs at least one pixel each way.
    case emptyFigure(width: Int, height: Int)
    /// Cairo reported an error while `operation` (its own message in `reason`).
    case cairo(operation: String, reason: String)
    /// Writing the file failed (`reason`: the system's words).
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

    /// The system's words for a failed file operation ("No such file or directory"): Foundation's
    /// own message is often only "The operation could not be completed" and an error number.
    static func reason(_ error: Error, path: String) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError { return reason(underlying, path: path) }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        // Without an underlying error (Linux Foundation, e.g. when the path is a directory), say
        // what is wrong with the path ourselves.
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return "it is a directory" }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, !fm.fileExists(atPath: parent) { return "no directory \(parent)" }
        if !parent.isEmpty, !fm.isWritableFile(atPath: parent) { return "directory \(parent) is not writable" }
        return ns.localizedDescription
    }

    /// Throws when a Cairo status is not success.
    static func check(_ status: cairo_status_t, _ operation: String) throws {
        guard status != CAIRO_STATUS_SUCCESS else { return }
        throw PlotError.cairo(operation: operation, reason: String(cString: cairo_status_to_string(status)))
    }
}

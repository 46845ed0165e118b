import Foundation

/// Records the parameter names a family reads that it does not declare (thread-safe: a family's
/// closures may run anywhere).
package final class ParameterProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String] = []

    package init() {}

    package func record(_ name: String) {
        lock.lock()
        defer { lock.unlock() }
        if !names.contains(name) { names.append(name) }
    }

    /// The unknown names read so far, in the order first read.
    package var unknownNames: [String] {
        lock.lock()
        defer { lock.unlock() }
        return names
    }
}

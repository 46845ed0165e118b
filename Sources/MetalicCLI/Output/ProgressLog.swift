import Foundation

/// Where a long command's progress lines go (stdout, stderr or nowhere), safe to call from
/// several worker threads at once.
struct ProgressLog: Sendable {
    var toStandardError = false
    var quiet = false
    private static let lock = NSLock()

    func write(_ line: String) {
        guard !quiet else { return }
        Self.lock.lock()
        defer { Self.lock.unlock() }
        if toStandardError {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        } else {
            print(line)
            fflush(stdout)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Identity of a worker process: host name and pid.
///
/// The pair lets the store tell a crashed worker from a slow one without any coordination:
/// on the same host the kernel knows whether the pid is alive; across hosts only the trial's
/// heartbeat age can tell (see `StudyStore.claimRound`).
public struct WorkerID: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var pid: Int32

    public init(host: String, pid: Int32) {
        self.host = host
        self.pid = pid
    }

    /// This process on this host.
    public static var current: WorkerID { WorkerID(host: currentHost, pid: getpid()) }

    /// "host:pid" — the form stored in `Trial.worker`.
    public var description: String { "\(host):\(pid)" }

    /// True only when this worker provably no longer exists: it ran on this host and `kill(pid, 0)`
    /// fails with ESRCH. A worker on another host is never known dead (its heartbeat decides), and
    /// EPERM means the process exists under another user, so it counts as alive. A pid ≤ 0 cannot
    /// be a worker (and `kill` would address process groups), so it counts as dead.
    public var isKnownDead: Bool {
        guard host == WorkerID.currentHost else { return false }
        guard pid > 0 else { return true }
        return kill(pid, 0) == -1 && errno == ESRCH
    }

    /// Host name from `gethostname` (no DNS lookup, unlike `ProcessInfo.hostName`, which can stall).
    static let currentHost: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(cString: buffer)
        return name.isEmpty ? "localhost" : name
    }()
}

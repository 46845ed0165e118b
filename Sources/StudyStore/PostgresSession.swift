import Foundation

/// One PostgreSQL connection that re-establishes itself: every operation runs through `run`,
/// which serialises callers (libpq connections are not thread-safe) and, when the connection
/// fails, reconnects and retries the whole operation with backoff within `retry`'s budget.
///
/// An operation may therefore run more than once, and an earlier run may have committed even
/// though its acknowledgement was lost: every operation must be safe to repeat. The stores make
/// them so (a claim looks for its own token first, completion with the same token and outcome is
/// success).
final class PostgresSession: @unchecked Sendable {
    let url: String
    let retry: ConnectionRetry
    private var connection: PostgresConnection?
    private let lock = NSLock()
    /// Test hook: called after each committed write with the operation's name; a
    /// `PostgresFailure` thrown here looks like a connection lost before the acknowledgement.
    var afterCommit: ((String) throws -> Void)?

    init(url: String, retry: ConnectionRetry) {
        self.url = url
        self.retry = retry
    }

    /// The URL with any password replaced by "***", for messages.
    var redactedURL: String { StudyStorage.redacting(url) }

    /// Runs `body` with a live connection; `attempt` counts from 1.
    func run<T>(_ operation: String, _ body: (PostgresConnection, _ attempt: Int) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let start = Date()
        var attempt = 0
        while true {
            attempt += 1
            do {
                let live = try connection ?? PostgresConnection(url: url, redactedURL: redactedURL)
                connection = live
                return try body(live, attempt)
            } catch let failure as PostgresFailure {
                if case .connection = failure { connection = nil }
                let delay = retry.delay(afterAttempt: attempt)
                guard Date().timeIntervalSince(start) + delay <= retry.totalTime else {
                    throw StudyStoreError.unreachable(
                        "PostgreSQL at \(redactedURL) did not answer \(operation) within \(retry.totalTime) s (\(failure.message)); "
                        + "check that the server is running and the URL's host and port are right")
                }
                Thread.sleep(forTimeInterval: delay)
            }
        }
    }

    /// Calls the test hook after a committed write.
    func committed(_ operation: String) throws {
        try afterCommit?(operation)
    }

    /// The server process serving this session's connection (for tests that cut it).
    func backendPID() throws -> Int32 {
        try run("backend pid") { connection, _ in
            let text = try connection.execute("SELECT pg_backend_pid()").rows.first?.first ?? nil
            return Int32(text ?? "") ?? 0
        }
    }
}

import Foundation
import XCTest
@testable import StudyStore

/// The PostgreSQL server the tests use, found through one environment variable,
/// `METALIC_TEST_POSTGRES_URL` (an administrator's URL, e.g. postgresql://postgres@127.0.0.1:54329/postgres).
/// `scripts/with-postgres.sh` starts a throwaway server and sets it. Without it the PostgreSQL
/// tests fail with instructions, unless `METALIC_SKIP_POSTGRES=1` says to skip them: a CI run
/// must not pass by silently testing only SQLite.
enum PostgresTestServer {
    static let urlVariable = "METALIC_TEST_POSTGRES_URL"
    static let dataDirectoryVariable = "METALIC_TEST_POSTGRES_DATADIR"
    static let binDirectoryVariable = "METALIC_TEST_POSTGRES_BINDIR"
    static let skipVariable = "METALIC_SKIP_POSTGRES"

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// The administrator's URL, or the failure (or skip) that explains how to get one.
    static func adminURL() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment[urlVariable], !url.isEmpty { return url }
        if environment[skipVariable] == "1" { throw XCTSkip("\(skipVariable)=1: PostgreSQL tests skipped") }
        throw Unavailable(description: "no PostgreSQL server for the tests: run them through `bash scripts/with-postgres.sh swift test …`, "
                          + "which starts a throwaway server and sets \(urlVariable), or set \(urlVariable) to a server's URL "
                          + "(or \(skipVariable)=1 to skip these tests)")
    }

    /// A database of its own for one test, dropped afterwards.
    struct Database {
        var name: String
        var url: String

        func drop() throws {
            try PostgresTestServer.execute(PostgresTestServer.adminURL(), "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }

    static func createDatabase() throws -> Database {
        let admin = try adminURL()
        // The name is made here from hex digits (identifiers cannot be bound parameters).
        let name = "metalic_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try execute(admin, "CREATE DATABASE \(name)")
        return Database(name: name, url: try url(admin, database: name))
    }

    /// `url` with its database replaced.
    static func url(_ url: String, database: String) throws -> String {
        guard var components = URLComponents(string: url) else { throw Unavailable(description: "\(urlVariable) '\(url)' is not a URL") }
        components.path = "/" + database
        guard let result = components.string else { throw Unavailable(description: "cannot put database \(database) into '\(url)'") }
        return result
    }

    /// Runs one statement on a new connection (no retries: a test's own housekeeping).
    @discardableResult
    static func execute(_ url: String, _ sql: String, _ parameters: [String?] = []) throws -> [[String?]] {
        let connection = try PostgresConnection(url: url, redactedURL: url)
        return try connection.execute(sql, parameters).rows
    }

    /// Restarts the server with `pg_ctl restart -m fast` (every connection is cut), as the owner
    /// of its data directory. False when `METALIC_TEST_POSTGRES_DATADIR` is not set.
    static func restart() throws -> Bool {
        let environment = ProcessInfo.processInfo.environment
        guard let data = environment[dataDirectoryVariable], !data.isEmpty else { return false }
        let pgctl = try findPgCtl(environment)
        let log = URL(fileURLWithPath: data).deletingLastPathComponent().appendingPathComponent("server.log").path
        var arguments = [pgctl, "restart", "-D", data, "-m", "fast", "-w", "-t", "60", "-l", log]
        let owner = (try? FileManager.default.attributesOfItem(atPath: data)[.ownerAccountName] as? String) ?? nil
        if getuid() == 0, let owner, owner != "root" {
            arguments = ["/usr/sbin/runuser", "-u", owner, "--"] + arguments
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("metalic-pg_ctl-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let status = try spawnAndWait(arguments, output: output)
        let said = ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\n").joined(separator: " | ")
        guard status == 0 else {
            throw Unavailable(description: "\(arguments.joined(separator: " ")) failed (\(status)): \(said)")
        }
        return true
    }

    private static func findPgCtl(_ environment: [String: String]) throws -> String {
        var candidates: [String] = []
        if let bin = environment[binDirectoryVariable] { candidates.append(bin + "/pg_ctl") }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.sorted { $0.compare($1, options: .numeric) == .orderedDescending }
            .map { "/usr/lib/postgresql/\($0)/bin/pg_ctl" }
        candidates += (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/pg_ctl" }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Unavailable(description: "pg_ctl not found (set \(binDirectoryVariable))")
        }
        return found
    }

    /// Runs a command and waits for it, with output to a file. Not through `Process`: Foundation
    /// sees a child's end by a socket the child inherits, and the server pg_ctl starts would
    /// inherit it too, so `Process` would wait for the server's exit. Bash closes every
    /// descriptor above stderr before it runs the command, so the new server holds none of ours.
    private static func spawnAndWait(_ arguments: [String], output: String) throws -> Int32 {
        let script = "for fd in $(ls /proc/$$/fd); do if [ \"$fd\" -gt 2 ]; then eval \"exec $fd>&-\"; fi; done; exec \"$@\""
        let argv = ["/bin/bash", "-c", script, "bash"] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, cArguments, environ)
        guard spawned == 0 else { throw Unavailable(description: "cannot run \(arguments[0]): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

import CLibPQ
import Foundation

/// Why a PostgreSQL call failed, as far as retrying is concerned. Everything else is thrown as
/// `StudyStoreError.postgres` and not retried.
enum PostgresFailure: Error {
    /// The connection is gone or could not be made (server restart, network): reconnect, retry.
    case connection(String)
    /// A transient conflict (serialization failure, deadlock): retry on the same connection.
    case conflict(String)

    var message: String {
        switch self {
        case .connection(let message), .conflict(let message): return message
        }
    }
}

/// The rows of a result, as text (nil = NULL), and the number of rows a command changed.
struct PostgresResult {
    var rows: [[String?]]
    var affected: Int
}

/// Thin wrapper over one libpq connection: connect, run a statement with bound text parameters,
/// transactions. Values only ever reach the server as parameters of `PQexecParams`, never inside
/// SQL text. Not thread-safe: `PostgresSession` serialises its use.
final class PostgresConnection {
    private let handle: OpaquePointer

    /// Connects to `url` (a `postgresql://` URI, which libpq parses). Keepalives make a
    /// connection to a vanished machine fail within ~25 s instead of hanging.
    /// - Throws: `PostgresFailure.connection` when the server cannot be reached (it may be
    ///   restarting: worth retrying), `StudyStoreError.unreachable` when retrying cannot help
    ///   (authentication, unknown database or role, a malformed URL).
    init(url: String, redactedURL: String) throws {
        // Our defaults first: libpq takes the last value given for a keyword, so the URL's own
        // settings (dbname is expanded into all of them) override these.
        let settings: [(String, String)] = [
            ("application_name", "metalic"), ("connect_timeout", "10"), ("keepalives", "1"),
            ("keepalives_idle", "10"), ("keepalives_interval", "5"), ("keepalives_count", "3"),
            ("dbname", url),
        ]
        let keywords = settings.map { strdup($0.0) }
        let values = settings.map { strdup($0.1) }
        defer { (keywords + values).forEach { free($0) } }
        let connection = (keywords.map { UnsafePointer($0) } + [nil]).withUnsafeBufferPointer { k in
            (values.map { UnsafePointer($0) } + [nil]).withUnsafeBufferPointer { v in
                PQconnectdbParams(k.baseAddress, v.baseAddress, 1)
            }
        }
        guard let connection else { throw PostgresFailure.connection("out of memory creating a PostgreSQL connection") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.oneLine(String(cString: PQerrorMessage(connection)))
            PQfinish(connection)
            let hopeless = ["authentication", "does not exist", "pg_hba.conf", "invalid", "missing"]
            if hopeless.contains(where: { message.contains($0) }) {
                throw StudyStoreError.unreachable(
                    "cannot connect to PostgreSQL at \(redactedURL): \(message); check the user, password and database in the URL")
            }
            throw PostgresFailure.connection(message)
        }
        handle = connection
        // Notices ("relation already exists, skipping") are not for the user's terminal.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        // Shortest exact float output (PostgreSQL 12+; 17 digits before): doubles round-trip exactly.
        _ = try execute("SET extra_float_digits = 3")
        // A worker frozen in the middle of a claim (a paused VM) would hold the study's lock for
        // as long as its connection lives; the server ends such a transaction after 10 minutes,
        // far longer than any plan takes, and the other workers go on.
        _ = try execute("SET idle_in_transaction_session_timeout = '10min'")
    }

    deinit { PQfinish(handle) }

    /// Runs one statement with parameters `$1`, `$2`, ... bound to `parameters` as text (nil = NULL).
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?] = []) throws -> PostgresResult {
        let copies = parameters.map { $0.flatMap { strdup($0) } }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { $0.map { UnsafePointer($0) } }
        let result = pointers.withUnsafeBufferPointer {
            PQexecParams(handle, sql, Int32($0.count), nil, $0.baseAddress, nil, nil, 0)
        }
        guard let result else { throw PostgresFailure.connection(Self.oneLine(String(cString: PQerrorMessage(handle)))) }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            let message = Self.oneLine(String(cString: PQresultErrorMessage(result)))
            if PQstatus(handle) != CONNECTION_OK || state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state) {
                throw PostgresFailure.connection(message)
            }
            if state == "40001" || state == "40P01" { throw PostgresFailure.conflict(message) }
            throw StudyStoreError.postgres(state: state, message: message)
        }
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        var rows: [[String?]] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            rows.append((0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            })
        }
        return PostgresResult(rows: rows, affected: Int(String(cString: PQcmdTuples(result))) ?? 0)
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws. A failed
    /// COMMIT may or may not have taken effect; callers make their retries safe for both.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        let result: T
        do {
            result = try body()
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
        try execute("COMMIT")
        return result
    }

    /// The server's error texts span lines (DETAIL, HINT); errors here are one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }
}

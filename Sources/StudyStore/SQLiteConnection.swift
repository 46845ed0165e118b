import CSQLite
import Foundation

/// A value bound to a statement parameter. Values only ever reach SQLite through binding,
/// never through string-built SQL, so no content (a failure message, a host name) can break a statement.
enum SQLiteValue {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// Thin wrapper over one `sqlite3` connection: open, execute fixed SQL, prepare/bind/step, transactions.
///
/// It maps SQLite result codes to `StudyStoreError` and nothing more; the study schema and its
/// rules live in `SQLiteStudyStore`. The connection is opened in serialized (full-mutex) mode, but
/// a statement must not be stepped from two threads at once; `SQLiteStudyStore` serialises its use.
final class SQLiteConnection {
    let handle: OpaquePointer
    let path: String

    /// Opens `path` read-write. With `create` false a missing file is an error rather than a new empty database.
    init(path: String, create: Bool, busyTimeout: TimeInterval) throws {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | (create ? SQLITE_OPEN_CREATE : 0)
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            // sqlite3_open_v2 allocates a handle even on failure; it must be closed.
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open database"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteConnection.error(code: code, message: message, path: path)
        }
        handle = db
        self.path = path
        // Wait for other processes' write transactions instead of failing at once.
        // Clamped by hand: converting a NaN or infinite timeout to an integer would trap.
        let milliseconds = busyTimeout.isNaN ? 0 : min(max(busyTimeout * 1000, 0), Double(Int32.max))
        sqlite3_busy_timeout(db, Int32(milliseconds.rounded()))
    }

    deinit {
        // close_v2 defers the close until outstanding statements are finalized, so order of deinit does not matter.
        sqlite3_close_v2(handle)
    }

    /// Maps SQLite's primary result code to the store's error; NOTADB and CORRUPT name the file.
    static func error(code: Int32, message: String, path: String) -> StudyStoreError {
        switch code & 0xff {
        case SQLITE_NOTADB: return .notADatabase(path)
        case SQLITE_CORRUPT: return .corrupted("\(path): \(message)")
        default: return .sqlite(code: code & 0xff, message: message)
        }
    }

    func error(code: Int32) -> StudyStoreError {
        SQLiteConnection.error(code: code, message: String(cString: sqlite3_errmsg(handle)), path: path)
    }

    /// Executes fixed SQL (schema, pragmas, transaction control). Never pass values in `sql`: bind them.
    func execute(_ sql: String) throws {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code: code) }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            if let statement { sqlite3_finalize(statement) }
            throw error(code: code)
        }
        return SQLiteStatement(statement: statement, connection: self)
    }

    /// Prepares, binds and steps a statement that returns no rows; returns the number of changed rows.
    @discardableResult
    func run(_ sql: String, _ values: [SQLiteValue] = []) throws -> Int {
        let statement = try prepare(sql)
        try statement.bind(values)
        while try statement.step() {}
        return Int(sqlite3_changes(handle))
    }

    /// Runs a query and maps each row.
    func query<T>(_ sql: String, _ values: [SQLiteValue] = [], row: (SQLiteStatement) throws -> T) throws -> [T] {
        let statement = try prepare(sql)
        try statement.bind(values)
        var result: [T] = []
        while try statement.step() { result.append(try row(statement)) }
        return result
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    enum TransactionKind: String {
        /// Takes the write lock up front, so a read-decide-write sequence cannot be interleaved with
        /// another process's write, and waiting happens in the busy handler (a deferred transaction
        /// that upgrades to write in WAL mode fails with SQLITE_BUSY_SNAPSHOT without waiting).
        case immediate = "BEGIN IMMEDIATE"
        /// Read-only snapshot.
        case deferred = "BEGIN DEFERRED"
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it (or the commit) throws.
    func transaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T {
        try execute(kind.rawValue)
        let result: T
        do {
            result = try body()
            try execute("COMMIT")
        } catch {
            // A failed statement may already have rolled back; ROLLBACK then errors harmlessly.
            if sqlite3_get_autocommit(handle) == 0 { _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil) }
            throw error
        }
        return result
    }
}

/// A prepared statement; finalized when released.
final class SQLiteStatement {
    let statement: OpaquePointer
    let connection: SQLiteConnection

    init(statement: OpaquePointer, connection: SQLiteConnection) {
        self.statement = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(statement) }

    /// Binds values to parameters 1...n.
    func bind(_ values: [SQLiteValue]) throws {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(statement, index)
            case .integer(let v): code = sqlite3_bind_int64(statement, index, v)
            case .real(let v): code = sqlite3_bind_double(statement, index, v)
            case .text(let v): code = sqlite3_bind_text(statement, index, v, -1, SQLiteStatement.transient)
            case .blob(let v):
                code = v.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32(v.count), SQLiteStatement.transient) }
            }
            guard code == SQLITE_OK else { throw connection.error(code: code) }
        }
    }

    /// Steps once: true if a row is available, false when done.
    func step() throws -> Bool {
        let code = sqlite3_step(statement)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(code: code)
        }
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }
    func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }
    func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(statement, column) else { return nil }
        // Length-aware and lossy on invalid UTF-8, so a damaged or hand-edited row cannot crash the reader.
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// The bytes of a BLOB column; nil for NULL (an empty BLOB reads as empty).
    func blob(_ column: Int32) -> [UInt8]? {
        if isNull(column) { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let pointer = sqlite3_column_blob(statement, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// SQLITE_TRANSIENT: SQLite copies the bound text, since the Swift string's buffer is temporary.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

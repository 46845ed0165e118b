import Foundation
import MetalicCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A study in one SQLite file, shared safely by any number of worker processes on one machine
/// (or on a filesystem with working POSIX locks — not NFS; use a server-backed `StudyStore` there).
///
/// Schema (version 1):
///
///     study  (id INTEGER PRIMARY KEY CHECK (id = 1),    -- exactly one row
///             schema_version INTEGER, configuration TEXT, -- StudyConfiguration as JSON
///             created_at REAL)
///     trials (id INTEGER PRIMARY KEY AUTOINCREMENT,     -- ids are never reused
///             round INTEGER NOT NULL UNIQUE, context TEXT, arms TEXT, seed INTEGER,
///             status TEXT CHECK (status IN ('running','completed','failed')),
///             worker TEXT, worker_host TEXT, worker_pid INTEGER,
///             stage_errors TEXT, stage_rewards TEXT, error REAL, reward REAL, seconds REAL,
///             message TEXT, started_at REAL, heartbeat_at REAL, finished_at REAL, attempts INTEGER)
///
/// Encoding choices, made so the file stays inspectable with the `sqlite3` shell (`json_extract`):
/// - Arrays (`context`, `arms`, `stage_errors`, `stage_rewards`) are JSON arrays as TEXT. Doubles are
///   written in shortest round-trip form (exact on reading back); NaN and ±infinity, which JSON lacks,
///   are written as the strings "NaN", "Infinity", "-Infinity" (`NonFiniteNumbers`).
/// - Scalars `error`, `reward`, `seconds` are REAL. SQLite stores NaN as NULL, so a completed trial
///   with NULL there reads back as NaN (a diverged run stays visible instead of turning into "no value").
/// - `seed` (UInt64) is stored as the Int64 with the same bit pattern.
/// - Times are Unix seconds (REAL).
/// - The file header carries `application_id` 0x4D4C4943 ("MLIC") and `user_version` = schema version,
///   which is how a foreign SQLite database is told apart without touching it.
///
/// Durability: WAL journal mode with `synchronous = FULL`, so each committed transaction is fsynced
/// before `complete`/`fail`/`claimRound` return and survives SIGKILL and power loss. Concurrency:
/// every write is one `BEGIN IMMEDIATE` transaction; other processes wait up to the busy timeout.
///
/// One instance may be used from several threads (e.g. a heartbeat timer next to the training loop);
/// calls are serialised by a lock. For parallel claims within a process, open one store per thread.
public final class SQLiteStudyStore: StudyStore, @unchecked Sendable {
    /// Schema version written by this build; files with a higher version are refused.
    public static let schemaVersion = 1
    /// "MLIC" in the SQLite header's application_id field.
    static let applicationID: Int32 = 0x4D4C_4943
    /// Default wait for another process's write transaction before giving up with SQLITE_BUSY.
    public static let defaultBusyTimeout: TimeInterval = 30

    /// Path of the study file.
    public let path: String
    public let configuration: StudyConfiguration
    private let connection: SQLiteConnection
    private let lock = NSLock()

    private init(path: String, connection: SQLiteConnection, configuration: StudyConfiguration) {
        self.path = path
        self.connection = connection
        self.configuration = configuration
    }

    // MARK: Creating and opening

    /// Creates a new study file; throws `.fileExists` if anything exists at `path`.
    ///
    /// The study is built completely in a temporary file next to `path` and then hard-linked into
    /// place, which fails atomically if `path` appeared meanwhile. So no process can ever open a
    /// half-initialised study, and two workers racing to create the same study cannot both win.
    public static func create(at path: String, configuration: StudyConfiguration,
                              busyTimeout: TimeInterval = defaultBusyTimeout) throws -> SQLiteStudyStore {
        guard !FileManager.default.fileExists(atPath: path) else { throw StudyStoreError.fileExists(path) }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).creating-\(getpid())-\(UUID().uuidString)").path
        defer {
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(temporary + suffix) }
        }
        try initialise(temporary: temporary, configuration: configuration, busyTimeout: busyTimeout)
        if link(temporary, path) != 0 {
            let code = errno
            if code == EEXIST { throw StudyStoreError.fileExists(path) }
            // Filesystems without hard links: fall back to a rename, which is atomic but could replace
            // a file created in the tiny window since the existence check above.
            guard !FileManager.default.fileExists(atPath: path), rename(temporary, path) == 0 else {
                throw StudyStoreError.sqlite(code: SQLITE_CANTOPEN_CODE,
                                             message: "cannot move new study into place at \(path): \(String(cString: strerror(code)))")
            }
        }
        // Make the new directory entry itself durable.
        let descriptor = openDirectory(directory)
        if descriptor >= 0 { fsync(descriptor); close(descriptor) }
        return try open(at: path, busyTimeout: busyTimeout)
    }

    /// Writes schema and configuration into a fresh file. Uses a rollback journal while building so
    /// that everything is in the main file when the connection closes, then switches the file to WAL.
    private static func initialise(temporary: String, configuration: StudyConfiguration,
                                   busyTimeout: TimeInterval) throws {
        let connection = try SQLiteConnection(path: temporary, create: true, busyTimeout: busyTimeout)
        try connection.execute("PRAGMA journal_mode = DELETE")
        try connection.execute("PRAGMA synchronous = FULL")
        let json = try encodeConfiguration(configuration)
        try connection.transaction(.immediate) {
            try connection.execute("PRAGMA application_id = \(applicationID)")
            try connection.execute("PRAGMA user_version = \(schemaVersion)")
            try connection.execute("""
                CREATE TABLE study (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    schema_version INTEGER NOT NULL,
                    configuration TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE TABLE trials (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    round INTEGER NOT NULL UNIQUE CHECK (round >= 0),
                    context TEXT NOT NULL,
                    arms TEXT NOT NULL,
                    seed INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
                    worker TEXT NOT NULL,
                    worker_host TEXT NOT NULL,
                    worker_pid INTEGER NOT NULL,
                    stage_errors TEXT NOT NULL DEFAULT '[]',
                    stage_rewards TEXT NOT NULL DEFAULT '[]',
                    error REAL,
                    reward REAL,
                    seconds REAL,
                    message TEXT,
                    started_at REAL NOT NULL,
                    heartbeat_at REAL NOT NULL,
                    finished_at REAL,
                    attempts INTEGER NOT NULL DEFAULT 1
                );
                """)
            try connection.run("INSERT INTO study (id, schema_version, configuration, created_at) VALUES (1, ?, ?, ?)",
                               [.integer(Int64(schemaVersion)), .text(json), .real(Date().timeIntervalSince1970)])
        }
        try connection.execute("PRAGMA journal_mode = WAL")
    }

    /// Opens an existing study.
    ///
    /// Throws `.fileNotFound` for a missing file, `.notADatabase` for a file that is not SQLite,
    /// `.notAStudy` for a SQLite database with another schema, `.unsupportedVersion` for a study
    /// written by a newer build, `.corrupted` for undecodable contents. The file is checked before
    /// anything is written to it, so opening a foreign database by mistake leaves it untouched.
    public static func open(at path: String, busyTimeout: TimeInterval = defaultBusyTimeout) throws -> SQLiteStudyStore {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw StudyStoreError.fileNotFound(path)
        }
        guard !isDirectory.boolValue else { throw StudyStoreError.notADatabase(path) }
        let connection = try SQLiteConnection(path: path, create: false, busyTimeout: busyTimeout)

        let applicationID = try connection.query("PRAGMA application_id") { $0.int64(0) }.first ?? 0
        guard applicationID == Int64(Self.applicationID) else { throw StudyStoreError.notAStudy(path) }
        let hasStudyTable = try connection.query(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('study', 'trials')") { $0.int64(0) }
        guard hasStudyTable.first == 2 else { throw StudyStoreError.notAStudy(path) }
        let rows = try connection.query("SELECT schema_version, configuration FROM study WHERE id = 1") {
            ($0.int64(0), $0.text(1))
        }
        guard let (version, json) = rows.first else { throw StudyStoreError.corrupted("\(path): study row missing") }
        guard version <= Int64(schemaVersion) else { throw StudyStoreError.unsupportedVersion(Int(clamping: version)) }
        guard version >= 1 else { throw StudyStoreError.corrupted("\(path): schema version \(version)") }
        let configuration = try decodeConfiguration(json, path: path)

        // WAL lets readers proceed during a write and makes each commit one sequential append;
        // FULL syncs the WAL at every commit (NORMAL would only be durable up to the last checkpoint).
        try connection.execute("PRAGMA journal_mode = WAL")
        try connection.execute("PRAGMA synchronous = FULL")
        return SQLiteStudyStore(path: path, connection: connection, configuration: configuration)
    }

    /// Opens the study at `path` if it exists, else creates it with `configuration`.
    ///
    /// An existing study must have the same family and mode (anything else would mix incompatible
    /// trials in one GP); otherwise `.configurationMismatch` names the differing fields. Other
    /// differences are allowed: the stored configuration wins and is what `configuration` returns.
    public static func openOrCreate(at path: String, configuration: StudyConfiguration,
                                    busyTimeout: TimeInterval = defaultBusyTimeout) throws -> (store: SQLiteStudyStore, created: Bool) {
        for _ in 0..<3 {
            do {
                let store = try open(at: path, busyTimeout: busyTimeout)
                let stored = store.configuration
                var differences: [String] = []
                if stored.family != configuration.family {
                    differences.append("family: study has \"\(stored.family)\", requested \"\(configuration.family)\"")
                }
                if stored.mode != configuration.mode {
                    differences.append("mode: study has \"\(stored.mode)\", requested \"\(configuration.mode)\"")
                }
                guard differences.isEmpty else {
                    throw StudyStoreError.configurationMismatch(differences.joined(separator: "; "))
                }
                return (store, false)
            } catch StudyStoreError.fileNotFound {
                do {
                    return (try create(at: path, configuration: configuration, busyTimeout: busyTimeout), true)
                } catch StudyStoreError.fileExists {
                    continue  // another process created it first: open theirs
                }
            }
        }
        throw StudyStoreError.fileExists(path)
    }

    // MARK: StudyStore

    public func trials() throws -> [Trial] {
        try locked { try loadTrials().map(\.trial) }
    }

    /// The trial with this id, if any.
    public func trial(id: Int64) throws -> Trial? {
        try locked {
            try connection.query("SELECT \(Self.columns) FROM trials WHERE id = ?", [.integer(id)]) {
                try Self.decodeRow($0, parameterNames: configuration.parameterNames)
            }.first?.trial
        }
    }

    /// See `StudyStore.claimRound`. The plan closure runs while this process holds the study's write
    /// lock: keep it well below the busy timeout, or other workers' writes fail with SQLITE_BUSY.
    /// A reclaimed trial keeps its context, arms and seed; its worker, start time and heartbeat are
    /// reset and `attempts` is incremented. Abandoned trials are reclaimed lowest round first.
    public func claimRound(worker: WorkerID, staleAfter: TimeInterval,
                           plan: ([Trial], Int) throws -> TrialPlan) throws -> (trial: Trial, reclaimed: Bool)? {
        try locked {
            try connection.transaction(.immediate) { () throws -> (trial: Trial, reclaimed: Bool)? in
                let rows = try loadTrials()
                let now = Date().timeIntervalSince1970
                if let abandoned = rows.first(where: { $0.trial.status == .running && $0.isAbandoned(now: now, staleAfter: staleAfter) }) {
                    try connection.run("""
                        UPDATE trials SET worker = ?, worker_host = ?, worker_pid = ?, started_at = ?, heartbeat_at = ?,
                                          attempts = attempts + 1
                        WHERE id = ? AND status = 'running'
                        """, [.text(worker.description), .text(worker.host), .integer(Int64(worker.pid)),
                              .real(now), .real(now), .integer(abandoned.trial.id)])
                    var trial = abandoned.trial
                    trial.worker = worker.description
                    trial.startedAt = Date(timeIntervalSince1970: now)
                    trial.heartbeatAt = trial.startedAt
                    trial.attempts += 1
                    return (trial, true)
                }
                let taken = Set(rows.map(\.trial.round))
                guard let round = (0..<max(0, configuration.totalRounds)).first(where: { !taken.contains($0) }) else {
                    return nil
                }
                let trials = rows.map(\.trial)
                let planned = try plan(trials, round)
                try validate(planned)
                try connection.run("""
                    INSERT INTO trials (round, context, arms, seed, status, worker, worker_host, worker_pid,
                                        started_at, heartbeat_at, attempts)
                    VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, 1)
                    """, [.integer(Int64(round)), .text(try Self.encodeJSON(planned.context.values)), .text(try Self.encodeJSON(planned.arms.map(\.mask))),
                          .integer(Int64(bitPattern: planned.seed)), .text(worker.description), .text(worker.host),
                          .integer(Int64(worker.pid)), .real(now), .real(now)])
                let trial = Trial(id: connection.lastInsertRowID, round: round, context: planned.context, arms: planned.arms,
                                  seed: planned.seed, status: .running, worker: worker.description,
                                  startedAt: Date(timeIntervalSince1970: now))
                return (trial, false)
            }
        }
    }

    public func complete(trialID: Int64, outcome: TrialOutcome) throws {
        let errors = try Self.encodeJSON(outcome.stageErrors)
        let rewards = try Self.encodeJSON(outcome.stageRewards)
        let arms = try outcome.arms.map { try Self.encodeJSON($0.map(\.mask)) }
        try finish(trialID: trialID, sql: """
            UPDATE trials SET status = 'completed', stage_errors = ?, stage_rewards = ?, error = ?, reward = ?,
                              seconds = ?, finished_at = ?, heartbeat_at = ?, arms = COALESCE(?, arms)
            WHERE id = ? AND status = 'running'
            """) { now in
            [.text(errors), .text(rewards), .real(outcome.error), .real(outcome.reward), .real(outcome.seconds),
             .real(now), .real(now), arms.map { .text($0) } ?? .null, .integer(trialID)]
        }
    }

    public func fail(trialID: Int64, message: String) throws {
        try finish(trialID: trialID, sql: """
            UPDATE trials SET status = 'failed', message = ?, finished_at = ?, heartbeat_at = ?
            WHERE id = ? AND status = 'running'
            """) { now in [.text(message), .real(now), .real(now), .integer(trialID)] }
    }

    public func heartbeat(trialID: Int64) throws {
        try finish(trialID: trialID, sql: "UPDATE trials SET heartbeat_at = ? WHERE id = ? AND status = 'running'") { now in
            [.real(now), .integer(trialID)]
        }
    }

    /// Runs `PRAGMA integrity_check`; returns the problems found (empty for a sound file).
    public func integrityProblems() throws -> [String] {
        try locked {
            let lines = try connection.query("PRAGMA integrity_check") { $0.text(0) ?? "" }
            return lines == ["ok"] ? [] : lines
        }
    }

    /// The value of a connection setting (e.g. "synchronous"), for tests and diagnostics.
    func pragma(_ name: String) throws -> String? {
        guard name.allSatisfy({ $0.isLetter || $0 == "_" }) else { return nil }  // fixed names only, never values
        return try locked { try connection.query("PRAGMA \(name)") { $0.text(0) }.first ?? nil }
    }

    // MARK: Internals

    /// A trial row plus the fields only the store needs (who holds it, for the liveness check).
    struct Row {
        var trial: Trial
        var holder: WorkerID

        func isAbandoned(now: TimeInterval, staleAfter: TimeInterval) -> Bool {
            holder.isKnownDead || now - trial.heartbeatAt.timeIntervalSince1970 > staleAfter
        }
    }

    private static let columns = """
        id, round, context, arms, seed, status, worker, worker_host, worker_pid, stage_errors, stage_rewards,
        error, reward, seconds, message, started_at, heartbeat_at, finished_at, attempts
        """

    private func loadTrials() throws -> [Row] {
        try connection.query("SELECT \(Self.columns) FROM trials ORDER BY round") { try Self.decodeRow($0, parameterNames: configuration.parameterNames) }
    }

    private static func decodeRow(_ s: SQLiteStatement, parameterNames: [String]) throws -> Row {
        let id = s.int64(0)
        func text(_ column: Int32, _ name: String) throws -> String {
            guard let value = s.text(column) else { throw StudyStoreError.corrupted("trial \(id): \(name) is NULL") }
            return value
        }
        guard let status = TrialStatus(rawValue: try text(5, "status")) else {
            throw StudyStoreError.corrupted("trial \(id): unknown status \(s.text(5) ?? "")")
        }
        // SQLite turns NaN into NULL; in a completed trial a NULL scalar can only have been NaN.
        func outcome(_ column: Int32) -> Double? {
            s.optionalDouble(column) ?? (status == .completed ? .nan : nil)
        }
        let values = try decodeJSON([Double].self, try text(2, "context"), what: "trial \(id) context")
        guard values.count == parameterNames.count else {
            throw StudyStoreError.corrupted("trial \(id): context has \(values.count) values for parameters \(parameterNames)")
        }
        let trial = Trial(
            id: id, round: Int(s.int64(1)),
            context: ParameterValues(names: parameterNames, values: values),
            arms: try decodeJSON([InterfaceArm].self, try text(3, "arms"), what: "trial \(id) arms"),
            seed: UInt64(bitPattern: s.int64(4)), status: status, worker: try text(6, "worker"),
            stageErrors: try decodeJSON([Double].self, try text(9, "stage_errors"), what: "trial \(id) stage_errors"),
            stageRewards: try decodeJSON([Double].self, try text(10, "stage_rewards"), what: "trial \(id) stage_rewards"),
            error: outcome(11), reward: outcome(12), seconds: outcome(13), message: s.text(14),
            startedAt: Date(timeIntervalSince1970: s.double(15)),
            finishedAt: s.optionalDouble(17).map { Date(timeIntervalSince1970: $0) },
            heartbeatAt: Date(timeIntervalSince1970: s.double(16)), attempts: Int(s.int64(18)))
        let holder = WorkerID(host: try text(7, "worker_host"), pid: Int32(truncatingIfNeeded: s.int64(8)))
        return Row(trial: trial, holder: holder)
    }

    /// Checks a plan before it becomes a permanent row: arms are 9-bit masks, one per stage of the mode.
    private func validate(_ plan: TrialPlan) throws {
        let expected: Int? = configuration.mode == "query" ? 1 : configuration.mode == "step" ? 2 : nil
        if let expected, plan.arms.count != expected {
            throw StudyStoreError.invalidPlan("\(configuration.mode) mode needs \(expected) arm(s), got \(plan.arms.count)")
        }
        if plan.arms.isEmpty { throw StudyStoreError.invalidPlan("no arm") }
        if plan.context.names != configuration.parameterNames {
            throw StudyStoreError.invalidPlan("context \(plan.context) is not over the study's parameters \(configuration.parameterNames)")
        }
        if plan.context.values.contains(where: { !$0.isFinite }) {
            throw StudyStoreError.invalidPlan("context \(plan.context) is not finite")
        }
    }

    /// Shared body of complete/fail/heartbeat: one immediate transaction updating a running trial,
    /// and a precise error when the trial does not exist or is no longer running.
    private func finish(trialID: Int64, sql: String, values: (TimeInterval) -> [SQLiteValue]) throws {
        try locked {
            try connection.transaction(.immediate) {
                let changed = try connection.run(sql, values(Date().timeIntervalSince1970))
                guard changed == 0 else { return }
                let exists = try connection.query("SELECT 1 FROM trials WHERE id = ?", [.integer(trialID)]) { _ in true }
                throw exists.isEmpty ? StudyStoreError.trialNotFound(trialID) : StudyStoreError.trialNotRunning(trialID)
            }
        }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: JSON

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = NonFiniteNumbers.encoding
        return encoder
    }

    private static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = NonFiniteNumbers.decoding
        return decoder
    }

    static func encodeJSON<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }

    static func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String, what: String) throws -> T {
        do {
            return try decoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StudyStoreError.corrupted("\(what) is not valid JSON of the expected shape")
        }
    }

    private static func encodeConfiguration(_ configuration: StudyConfiguration) throws -> String {
        try encodeJSON(configuration)
    }

    private static func decodeConfiguration(_ json: String?, path: String) throws -> StudyConfiguration {
        guard let json else { throw StudyStoreError.corrupted("\(path): configuration is NULL") }
        return try decodeJSON(StudyConfiguration.self, json, what: "\(path): configuration")
    }
}

/// SQLITE_CANTOPEN, used when the new study file cannot be moved into place.
private let SQLITE_CANTOPEN_CODE: Int32 = 14

/// `open(2)` of a directory for fsync; a free function because inside the class `open` means `open(at:)`.
private func openDirectory(_ path: String) -> Int32 {
    #if canImport(Darwin)
    return Darwin.open(path, O_RDONLY)
    #elseif canImport(Musl)
    return Musl.open(path, O_RDONLY)
    #else
    return Glibc.open(path, O_RDONLY)
    #endif
}

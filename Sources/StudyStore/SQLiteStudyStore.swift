import Foundation
import MetalicCore

/// A study in a SQLite file, shared safely by any number of worker processes on one machine
/// (or on a filesystem with working POSIX locks — not NFS; use `PostgresStudyStore` there).
/// One file holds any number of studies; `SQLiteStudyFile` describes the schema and
/// `SQLiteMigration` the upgrade of version-1 files.
///
/// Encoding choices, made so the file stays inspectable with the `sqlite3` shell (`json_extract`):
/// - Arrays (`context`, `arms`, `stage_errors`, `stage_rewards`) are JSON arrays as TEXT. Doubles are
///   written in shortest round-trip form (exact on reading back); NaN and ±infinity, which JSON lacks,
///   are written as the strings "NaN", "Infinity", "-Infinity" (`NonFiniteNumbers`). Arms are masks.
/// - Scalars `error`, `reward`, `seconds` are REAL. SQLite stores NaN as NULL, so a completed trial
///   with NULL there reads back as NaN (a diverged run stays visible instead of turning into "no value").
/// - `seed` (UInt64) is stored as the Int64 with the same bit pattern.
/// - Times are Unix seconds (REAL) by this machine's clock: every worker of a SQLite study runs here.
///
/// Durability: WAL journal mode with `synchronous = FULL`, so each committed transaction is fsynced
/// before `complete`/`fail`/`claimRound` return and survives SIGKILL and power loss. Concurrency:
/// every write is one `BEGIN IMMEDIATE` transaction (the study lock of `claimRound`); other
/// processes wait up to the busy timeout.
///
/// One instance may be used from several threads (e.g. a heartbeat timer next to the training loop);
/// calls are serialised by a lock. For parallel claims within a process, open one store per thread.
public final class SQLiteStudyStore: StudyStore, @unchecked Sendable {
    /// Schema version written by this build; files with a higher version are refused.
    public static let schemaVersion = StudySchema.version
    /// "MLIC" in the SQLite header's application_id field.
    static let applicationID = SQLiteStudyFile.applicationID
    /// Default wait for another process's write transaction before giving up with SQLITE_BUSY.
    public static let defaultBusyTimeout: TimeInterval = 30

    /// Path of the study file.
    public let path: String
    public let studyName: String
    public let configuration: StudyConfiguration
    private let connection: SQLiteConnection
    private let lock = NSLock()
    /// The study's row id once the file is at version 2 (guarded by `lock`).
    private var studyID: Int64?

    private init(path: String, connection: SQLiteConnection, study: SQLiteStudyFile.StudyRow) {
        self.path = path
        self.connection = connection
        self.studyName = study.name
        self.configuration = study.configuration
        self.studyID = study.id
    }

    // MARK: Creating and opening

    /// Creates the study `name` (nil: "default"), creating the file if there is none.
    /// - Throws: `.studyExists` if the file already has a study of that name; the errors of `open`
    ///   if something that is not a study file exists at `path`.
    public static func create(at path: String, study name: String? = nil, configuration: StudyConfiguration,
                              busyTimeout: TimeInterval = defaultBusyTimeout) throws -> SQLiteStudyStore {
        let name = name ?? StudySchema.defaultStudyName
        try StudySchema.validate(name: name)
        for _ in 0..<3 {
            if !FileManager.default.fileExists(atPath: path) {
                do {
                    try SQLiteStudyFile.create(at: path, study: name, configuration: configuration, busyTimeout: busyTimeout)
                    return try open(at: path, study: name, busyTimeout: busyTimeout)
                } catch StudyStoreError.fileExists {
                    continue  // another process created the file first: add the study to theirs
                }
            }
            let connection = try SQLiteStudyFile.connect(path: path, busyTimeout: busyTimeout)
            try connection.transaction(.immediate) {
                try migrateIfNeeded(connection)
                _ = try SQLiteStudyFile.insertStudy(name, configuration: configuration, into: connection)
            }
            return try store(named: name, connection: connection)
        }
        throw StudyStoreError.fileExists(path)
    }

    /// Opens the study `name` of an existing file; nil opens the file's only study.
    ///
    /// Throws `.fileNotFound` for a missing file, `.notADatabase` for a file that is not SQLite,
    /// `.notAStudy` for a SQLite database with another schema, `.unsupportedVersion` for a file
    /// written by a newer build, `.corrupted` for undecodable contents, `.studyNotFound` or
    /// `.studyNameNeeded` when the name does not pick a study. The file is checked before
    /// anything is written to it, so opening a foreign database by mistake leaves it untouched,
    /// and opening a version-1 file does not migrate it (its first write does).
    public static func open(at path: String, study name: String? = nil,
                            busyTimeout: TimeInterval = defaultBusyTimeout) throws -> SQLiteStudyStore {
        let connection = try SQLiteStudyFile.connect(path: path, busyTimeout: busyTimeout)
        let studies = try connection.transaction(.deferred) { try SQLiteStudyFile.studies(in: connection) }
        let picked = try StudySchema.pick(name, among: studies.map(\.name))
        return SQLiteStudyStore(path: path, connection: connection, study: studies.first { $0.name == picked }!)
    }

    /// Opens the study `name` if the file has it, else creates it (and the file) with `configuration`.
    /// A nil name means the file's only study, or "default" in a new file.
    ///
    /// An existing study must have the same family and mode; otherwise `.configurationMismatch`
    /// names the differing fields. Other differences are allowed: the stored configuration wins
    /// and is what `configuration` returns.
    public static func openOrCreate(at path: String, study name: String? = nil, configuration: StudyConfiguration,
                                    busyTimeout: TimeInterval = defaultBusyTimeout) throws -> (store: SQLiteStudyStore, created: Bool) {
        if let name { try StudySchema.validate(name: name) }
        for _ in 0..<3 {
            if !FileManager.default.fileExists(atPath: path) {
                do {
                    let store = try create(at: path, study: name, configuration: configuration, busyTimeout: busyTimeout)
                    return (store, true)
                } catch StudyStoreError.fileExists, StudyStoreError.studyExists {
                    continue  // another process created it first: open theirs
                }
            }
            let connection = try SQLiteStudyFile.connect(path: path, busyTimeout: busyTimeout)
            let studies = try connection.transaction(.deferred) { try SQLiteStudyFile.studies(in: connection) }
            let target = try StudySchema.target(name, among: studies.map(\.name))
            var created = false
            if !studies.contains(where: { $0.name == target }) {
                created = try connection.transaction(.immediate) {
                    try migrateIfNeeded(connection)
                    do {
                        _ = try SQLiteStudyFile.insertStudy(target, configuration: configuration, into: connection)
                        return true
                    } catch StudyStoreError.studyExists {
                        return false  // another process added it meanwhile: open theirs
                    }
                }
            }
            let store = try store(named: target, connection: connection)
            if !created { try store.configuration.checkResumable(with: configuration) }
            return (store, created)
        }
        throw StudyStoreError.fileExists(path)
    }

    /// The studies in the file at `path`, by name, with their progress. Reads only: a version-1
    /// file is listed as it is (one study, "default"), not migrated.
    public static func studies(at path: String, busyTimeout: TimeInterval = defaultBusyTimeout) throws -> [StudySummary] {
        let connection = try SQLiteStudyFile.connect(path: path, busyTimeout: busyTimeout)
        return try connection.transaction(.deferred) {
            try SQLiteStudyFile.studies(in: connection).map { study in
                let counts = try SQLiteStudyFile.counts(in: connection, studyID: study.id)
                return StudySummary(name: study.name, configuration: study.configuration,
                                    created: Date(timeIntervalSince1970: study.createdAt),
                                    completed: counts[.completed] ?? 0, running: counts[.running] ?? 0,
                                    failed: counts[.failed] ?? 0)
            }
        }
    }

    private static func store(named name: String, connection: SQLiteConnection) throws -> SQLiteStudyStore {
        let studies = try connection.transaction(.deferred) { try SQLiteStudyFile.studies(in: connection) }
        guard let study = studies.first(where: { $0.name == name }) else {
            throw StudyStoreError.studyNotFound(name, available: studies.map(\.name))
        }
        return SQLiteStudyStore(path: connection.path, connection: connection, study: study)
    }

    private static func migrateIfNeeded(_ connection: SQLiteConnection) throws {
        try SQLiteMigration.migrate(connection, from: SQLiteStudyFile.layout(of: connection))
    }

    // MARK: StudyStore

    public func trials() throws -> [Trial] {
        try reading { file in try loadRows(file, now: 0).map(\.trial) }
    }

    /// The trial with this id, if any.
    public func trial(id: Int64) throws -> Trial? {
        try reading { file in try row(id: id, file)?.stored.trial }
    }

    public func parameters(ofTrial id: Int64) throws -> [Double]? {
        try reading { file in
            guard try row(id: id, file) != nil else { throw StudyStoreError.trialNotFound(id) }
            guard file.layout.hasParameters, let studyID = file.studyID else { return nil }
            let blobs = try connection.query("SELECT parameters FROM trials WHERE id = ? AND study_id = ?",
                                             [.integer(id), .integer(studyID)]) { $0.blob(0) }
            return try blobs.first.flatMap { $0 }.map { try ParameterBlob.decode($0, what: "\(path): trial \(id) parameters") }
        }
    }

    /// See `StudyStore.claimRound`. The plan closure runs while this process holds the file's write
    /// lock: keep it well below the busy timeout, or other workers' writes fail with SQLITE_BUSY.
    public func claimRound(worker: WorkerID, policy: ClaimPolicy,
                           plan: ([Trial], Int) throws -> TrialPlan) throws -> ClaimResult {
        let token = ClaimProcedure.newToken()
        return try writing { studyID in
            let now = Date().timeIntervalSince1970
            let rows = try loadRows(File(layout: .version3, studyID: studyID), now: now)
            let actions = Actions(store: self, studyID: studyID, now: now)
            return try ClaimProcedure.claim(rows: rows.map(\.stored), configuration: configuration, worker: worker,
                                            policy: policy, token: token, actions: actions, plan: plan)
        }
    }

    public func complete(_ lease: TrialLease, outcome: TrialOutcome) throws {
        try validateArms(outcome.arms)
        let errors = try StudyJSON.encode(outcome.stageErrors)
        let rewards = try StudyJSON.encode(outcome.stageRewards)
        let arms = try outcome.arms.map { try StudyJSON.encode($0.map(\.mask)) }
        let parameters: SQLiteValue = outcome.parameters.map { .blob(ParameterBlob.encode($0)) } ?? .null
        try writing { studyID in
            let now = Date().timeIntervalSince1970
            let changed = try connection.run("""
                UPDATE trials SET status = 'completed', stage_errors = ?, stage_rewards = ?, error = ?, reward = ?,
                                  seconds = ?, finished_at = ?, heartbeat_at = ?, arms = COALESCE(?, arms), parameters = ?
                WHERE id = ? AND study_id = ? AND status = 'running' AND token = ?
                """, [.text(errors), .text(rewards), .real(outcome.error), .real(outcome.reward), .real(outcome.seconds),
                      .real(now), .real(now), arms.map { .text($0) } ?? .null, parameters,
                      .integer(lease.trial.id), .integer(studyID), .text(lease.token)])
            guard changed == 0 else { return }
            try explainMiss(lease, studyID: studyID) {
                ClaimProcedure.isCompleted($0.trial, storedToken: $1, by: lease.token, with: outcome)
            }
        }
    }

    public func fail(_ lease: TrialLease, message: String) throws {
        try writing { studyID in
            let now = Date().timeIntervalSince1970
            let changed = try connection.run("""
                UPDATE trials SET status = 'failed', message = ?, finished_at = ?, heartbeat_at = ?
                WHERE id = ? AND study_id = ? AND status = 'running' AND token = ?
                """, [.text(message), .real(now), .real(now), .integer(lease.trial.id), .integer(studyID), .text(lease.token)])
            guard changed == 0 else { return }
            try explainMiss(lease, studyID: studyID) {
                ClaimProcedure.isFailed($0.trial, storedToken: $1, by: lease.token, with: message)
            }
        }
    }

    public func heartbeat(_ lease: TrialLease) throws {
        try writing { studyID in
            let changed = try connection.run("""
                UPDATE trials SET heartbeat_at = ? WHERE id = ? AND study_id = ? AND status = 'running' AND token = ?
                """, [.real(Date().timeIntervalSince1970), .integer(lease.trial.id), .integer(studyID), .text(lease.token)])
            guard changed == 0 else { return }
            try explainMiss(lease, studyID: studyID) { _, _ in false }
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

    // MARK: Transactions

    /// The file as a read transaction found it: its schema version, and the study's id (nil while
    /// the file is still at version 1).
    struct File {
        var layout: SQLiteStudyFile.Layout
        var studyID: Int64?
    }

    /// A read snapshot of the file as it is (an older version is read, not migrated).
    private func reading<T>(_ body: (File) throws -> T) throws -> T {
        try locked {
            try connection.transaction(.deferred) {
                let layout = try SQLiteStudyFile.currentLayout(of: connection)
                return try body(File(layout: layout, studyID: try currentStudyID(migrating: false)))
            }
        }
    }

    /// A write transaction (the file's write lock); migrates an older file first.
    private func writing<T>(_ body: (Int64) throws -> T) throws -> T {
        try locked {
            try connection.transaction(.immediate) {
                guard let studyID = try currentStudyID(migrating: true) else {
                    preconditionFailure("SQLiteStudyStore: a migrated file has a study id")
                }
                return try body(studyID)
            }
        }
    }

    /// The study's id in the file as it is now: another process may have migrated a version-1
    /// file since this store opened it. Inside a transaction.
    private func currentStudyID(migrating: Bool) throws -> Int64? {
        let layout = try SQLiteStudyFile.currentLayout(of: connection)
        if migrating { try SQLiteMigration.migrate(connection, from: layout) }
        if layout == .version1 && !migrating {
            return nil
        } else if let studyID {
            return studyID
        }
        let ids = try connection.query("SELECT id FROM studies WHERE name = ?", [.text(studyName)]) { $0.int64(0) }
        guard let id = ids.first else { throw StudyStoreError.corrupted("\(path): study '\(studyName)' disappeared") }
        studyID = id
        return id
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: Rows

    /// A trial row plus what only the store needs: its holder, heartbeat age and lease token.
    struct Row {
        var stored: StoredTrial
        var token: String?
        var trial: Trial { stored.trial }
    }

    /// The columns `decodeRow` reads, in a file of this version: a version-1 file has no tokens,
    /// and only version 3 has warm starts and parameters (read as whether there are any: the
    /// parameters themselves are only loaded by `parameters(ofTrial:)`).
    private static func columns(_ layout: SQLiteStudyFile.Layout) -> String {
        let common = """
            id, round, context, arms, seed, status, worker, worker_host, worker_pid, stage_errors, stage_rewards,
            error, reward, seconds, message, started_at, heartbeat_at, finished_at, attempts
            """
        switch layout {
        case .version1: return common + ", NULL, NULL, 0"
        case .version2: return common + ", token, NULL, 0"
        case .version3: return common + ", token, warm_start_trial, parameters IS NOT NULL"
        }
    }

    /// The study's trials by round, in the file as it is (a version-1 file has no study column).
    private func loadRows(_ file: File, now: TimeInterval) throws -> [Row] {
        let names = configuration.parameterNames
        let columns = Self.columns(file.layout)
        if let studyID = file.studyID {
            return try connection.query("SELECT \(columns) FROM trials WHERE study_id = ? ORDER BY round",
                                        [.integer(studyID)]) { try Self.decodeRow($0, parameterNames: names, now: now) }
        }
        return try connection.query("SELECT \(columns) FROM trials ORDER BY round") {
            try Self.decodeRow($0, parameterNames: names, now: now)
        }
    }

    private func row(id: Int64, _ file: File, now: TimeInterval = 0) throws -> Row? {
        let names = configuration.parameterNames
        let columns = Self.columns(file.layout)
        if let studyID = file.studyID {
            return try connection.query("SELECT \(columns) FROM trials WHERE id = ? AND study_id = ?",
                                        [.integer(id), .integer(studyID)]) { try Self.decodeRow($0, parameterNames: names, now: now) }.first
        }
        return try connection.query("SELECT \(columns) FROM trials WHERE id = ?", [.integer(id)]) {
            try Self.decodeRow($0, parameterNames: names, now: now)
        }.first
    }

    /// A row inside a write transaction (the file is migrated by then).
    private func row(id: Int64, studyID: Int64) throws -> Row? {
        try row(id: id, File(layout: .version3, studyID: studyID))
    }

    /// Why a lease's update matched no row: no such trial, a retry of what already happened
    /// (`alreadyDone`: success), or the lease is lost.
    private func explainMiss(_ lease: TrialLease, studyID: Int64, alreadyDone: (StoredTrial, String?) -> Bool) throws {
        guard let row = try row(id: lease.trial.id, studyID: studyID) else { throw StudyStoreError.trialNotFound(lease.trial.id) }
        if alreadyDone(row.stored, row.token) { return }
        throw StudyStoreError.leaseLost(trialID: lease.trial.id)
    }

    private func validateArms(_ arms: [InterfaceArm]?) throws {
        guard let arms else { return }
        let expected = configuration.mode == "query" ? 1 : configuration.mode == "step" ? 2 : arms.count
        guard arms.count == expected, !arms.isEmpty else {
            throw StudyStoreError.invalidPlan("\(configuration.mode) mode needs \(expected) arm(s), the outcome has \(arms.count)")
        }
    }

    private static func decodeRow(_ s: SQLiteStatement, parameterNames: [String], now: TimeInterval) throws -> Row {
        do {
            return try decodeRow(s, id: s.int64(0), parameterNames: parameterNames, now: now)
        } catch StudyStoreError.corrupted(let what) {
            throw StudyStoreError.corrupted("\(s.connection.path): \(what)")  // name the damaged file
        }
    }

    private static func decodeRow(_ s: SQLiteStatement, id: Int64, parameterNames: [String], now: TimeInterval) throws -> Row {
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
        let values = try StudyJSON.decode([Double].self, try text(2, "context"), what: "trial \(id) context")
        guard values.count == parameterNames.count else {
            throw StudyStoreError.corrupted("trial \(id): context has \(values.count) values for parameters \(parameterNames)")
        }
        let heartbeat = s.double(16)
        let trial = Trial(
            id: id, round: Int(s.int64(1)),
            context: ParameterValues(names: parameterNames, values: values),
            arms: try StudyJSON.decode([InterfaceArm].self, try text(3, "arms"), what: "trial \(id) arms"),
            seed: UInt64(bitPattern: s.int64(4)), status: status, worker: try text(6, "worker"),
            stageErrors: try StudyJSON.decode([Double].self, try text(9, "stage_errors"), what: "trial \(id) stage_errors"),
            stageRewards: try StudyJSON.decode([Double].self, try text(10, "stage_rewards"), what: "trial \(id) stage_rewards"),
            error: outcome(11), reward: outcome(12), seconds: outcome(13), message: s.text(14),
            startedAt: Date(timeIntervalSince1970: s.double(15)),
            finishedAt: s.optionalDouble(17).map { Date(timeIntervalSince1970: $0) },
            heartbeatAt: Date(timeIntervalSince1970: heartbeat), attempts: Int(s.int64(18)),
            warmStartTrialID: s.isNull(20) ? nil : s.int64(20), hasParameters: s.int64(21) != 0)
        let holder = WorkerID(host: try text(7, "worker_host"), pid: Int32(truncatingIfNeeded: s.int64(8)))
        return Row(stored: StoredTrial(trial: trial, holder: holder, heartbeatAge: now - heartbeat), token: s.text(19))
    }

    // MARK: Claim writes

    /// The claim's writes, inside the write transaction of `claimRound` (which already excludes
    /// every other writer, so the rows read are still current).
    private struct Actions: ClaimActions {
        let store: SQLiteStudyStore
        let studyID: Int64
        let now: TimeInterval

        func reclaim(_ row: StoredTrial, worker: WorkerID, token: String, policy: ClaimPolicy) throws -> Trial? {
            try store.connection.run("""
                UPDATE trials SET worker = ?, worker_host = ?, worker_pid = ?, token = ?, started_at = ?, heartbeat_at = ?,
                                  attempts = attempts + 1
                WHERE id = ? AND status = 'running'
                """, [.text(worker.description), .text(worker.host), .integer(Int64(worker.pid)), .text(token),
                      .real(now), .real(now), .integer(row.trial.id)])
            return try store.row(id: row.trial.id, studyID: studyID)?.trial
        }

        func giveUp(_ row: StoredTrial, message: String, policy: ClaimPolicy) throws -> Trial? {
            try store.connection.run("""
                UPDATE trials SET status = 'failed', message = ?, finished_at = ?, token = NULL
                WHERE id = ? AND status = 'running'
                """, [.text(message), .real(now), .integer(row.trial.id)])
            return try store.row(id: row.trial.id, studyID: studyID)?.trial
        }

        func insert(round: Int, plan: TrialPlan, worker: WorkerID, token: String) throws -> Trial {
            try store.connection.run("""
                INSERT INTO trials (study_id, round, context, arms, seed, status, worker, worker_host, worker_pid, token,
                                    started_at, heartbeat_at, attempts, warm_start_trial)
                VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, 1, ?)
                """, [.integer(studyID), .integer(Int64(round)), .text(try StudyJSON.encode(plan.context.values)),
                      .text(try StudyJSON.encode(plan.arms.map(\.mask))), .integer(Int64(bitPattern: plan.seed)),
                      .text(worker.description), .text(worker.host), .integer(Int64(worker.pid)), .text(token),
                      .real(now), .real(now), plan.warmStartTrialID.map { .integer($0) } ?? .null])
            return Trial(id: store.connection.lastInsertRowID, round: round, context: plan.context, arms: plan.arms,
                         seed: plan.seed, status: .running, worker: worker.description,
                         startedAt: Date(timeIntervalSince1970: now), warmStartTrialID: plan.warmStartTrialID)
        }
    }
}

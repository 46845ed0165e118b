import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The file side of `SQLiteStudyStore`: recognising a study file and its schema version,
/// creating one atomically, listing and adding studies.
///
/// Schema version 3 (one file, any number of studies):
///
///     studies (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE,
///              configuration TEXT NOT NULL,              -- StudyConfiguration as JSON
///              created_at REAL NOT NULL)
///     trials  (id INTEGER PRIMARY KEY AUTOINCREMENT,      -- ids are never reused
///              study_id INTEGER NOT NULL REFERENCES studies (id), round INTEGER NOT NULL,
///              context TEXT, arms TEXT, seed INTEGER,
///              status TEXT CHECK (status IN ('running','completed','failed')),
///              worker TEXT, worker_host TEXT, worker_pid INTEGER,
///              token TEXT,                               -- lease of the current (or last) holder
///              stage_errors TEXT, stage_rewards TEXT, error REAL, reward REAL, seconds REAL,
///              message TEXT, started_at REAL, heartbeat_at REAL, finished_at REAL, attempts INTEGER,
///              warm_start_trial INTEGER,                 -- id of the trial whose networks it started from
///              parameters BLOB,                          -- trained network parameters (ParameterBlob)
///              UNIQUE (study_id, round))
///
/// Version 2 (metalic 0.3) lacked the last two columns; version 1 (metalic 0.2) held one study: a one-row `study` table (schema_version,
/// configuration, created_at) and `trials` without `study_id` and `token`. Such a file is read
/// as it is, its study named "default". Both are read as they are and migrated in place on the
/// first write (`SQLiteMigration`). The header carries `application_id` 0x4D4C4943 ("MLIC") and
/// `user_version` = schema version, which tell a foreign database apart without touching it.
enum SQLiteStudyFile {
    enum Layout: Equatable {
        /// metalic 0.2's single-study file, not migrated yet.
        case version1
        /// metalic 0.3: several studies, leases; no stored parameters yet.
        case version2
        case version3

        /// Whether trials have the columns of version 3 (warm start and parameters).
        var hasParameters: Bool { self == .version3 }
    }

    /// A study's row, as listed by `studies(in:)`. `id` is nil in a version-1 file.
    struct StudyRow {
        var id: Int64?
        var name: String
        var configuration: StudyConfiguration
        var createdAt: Double
    }

    static let applicationID: Int32 = 0x4D4C_4943

    /// The version-3 tables (shared by creation and the migration of version-1 files).
    static let schema = """
        CREATE TABLE studies (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            configuration TEXT NOT NULL,
            created_at REAL NOT NULL
        );
        CREATE TABLE trials (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            study_id INTEGER NOT NULL REFERENCES studies (id),
            round INTEGER NOT NULL CHECK (round >= 0),
            context TEXT NOT NULL,
            arms TEXT NOT NULL,
            seed INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
            worker TEXT NOT NULL,
            worker_host TEXT NOT NULL,
            worker_pid INTEGER NOT NULL,
            token TEXT,
            stage_errors TEXT NOT NULL DEFAULT '[]',
            stage_rewards TEXT NOT NULL DEFAULT '[]',
            error REAL,
            reward REAL,
            seconds REAL,
            message TEXT,
            started_at REAL NOT NULL,
            heartbeat_at REAL NOT NULL,
            finished_at REAL,
            attempts INTEGER NOT NULL DEFAULT 1,
            warm_start_trial INTEGER,
            parameters BLOB,
            UNIQUE (study_id, round)
        );
        """

    // MARK: Opening

    /// Opens an existing study file after checking, before anything is written to it, that it is
    /// one: `.fileNotFound`, `.notADatabase` (not SQLite), `.notAStudy` (another schema),
    /// `.unsupportedVersion` (a newer metalic). Then switches on WAL and synchronous FULL.
    static func connect(path: String, busyTimeout: TimeInterval) throws -> SQLiteConnection {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw StudyStoreError.fileNotFound(path)
        }
        guard !isDirectory.boolValue else { throw StudyStoreError.notADatabase(path) }
        let connection = try SQLiteConnection(path: path, create: false, busyTimeout: busyTimeout)
        let applicationID = try connection.query("PRAGMA application_id") { $0.int64(0) }.first ?? 0
        guard applicationID == Int64(Self.applicationID) else { throw StudyStoreError.notAStudy(path) }
        _ = try layout(of: connection)
        // WAL lets readers proceed during a write and makes each commit one sequential append;
        // FULL syncs the WAL at every commit (NORMAL would only be durable up to the last checkpoint).
        try connection.execute("PRAGMA journal_mode = WAL")
        try connection.execute("PRAGMA synchronous = FULL")
        try connection.execute("PRAGMA foreign_keys = ON")
        return connection
    }

    /// The file's schema version as it is now, cheaply (the header's `user_version` only): another
    /// process may have migrated the file since this connection checked it with `layout(of:)`.
    static func currentLayout(of connection: SQLiteConnection) throws -> Layout {
        let version = try connection.query("PRAGMA user_version") { $0.int64(0) }.first ?? 0
        switch version {
        case 1: return .version1
        case 2: return .version2
        case 3: return .version3
        case let other: throw StudyStoreError.unsupportedVersion(Int(clamping: other))
        }
    }

    /// The file's schema version, after checking that its tables are the ones that version has.
    static func layout(of connection: SQLiteConnection) throws -> Layout {
        let path = connection.path
        let version = try connection.query("PRAGMA user_version") { $0.int64(0) }.first ?? 0
        let tables = Set(try connection.query("SELECT name FROM sqlite_master WHERE type = 'table'") { $0.text(0) ?? "" })
        switch version {
        case 1:
            guard tables.isSuperset(of: ["study", "trials"]) else { throw StudyStoreError.notAStudy(path) }
            let stored = try connection.query("SELECT schema_version FROM study WHERE id = 1") { $0.int64(0) }
            guard let stored = stored.first else { throw StudyStoreError.corrupted("\(path): study row missing") }
            guard stored <= 1 else { throw StudyStoreError.unsupportedVersion(Int(clamping: stored)) }
            return .version1
        case 2, 3:
            guard tables.isSuperset(of: ["studies", "trials"]) else { throw StudyStoreError.notAStudy(path) }
            return version == 2 ? .version2 : .version3
        case let newer where newer > Int64(StudySchema.version):
            throw StudyStoreError.unsupportedVersion(Int(clamping: newer))
        default:
            throw StudyStoreError.notAStudy(path)
        }
    }

    /// Every study in the file, by name.
    static func studies(in connection: SQLiteConnection) throws -> [StudyRow] {
        let path = connection.path
        switch try layout(of: connection) {
        case .version1:
            return try connection.query("SELECT configuration, created_at FROM study WHERE id = 1") {
                StudyRow(id: nil, name: StudySchema.defaultStudyName,
                         configuration: try StudyJSON.decode(StudyConfiguration.self, $0.text(0), what: "\(path): configuration"),
                         createdAt: $0.double(1))
            }
        case .version2, .version3:
            return try connection.query("SELECT id, name, configuration, created_at FROM studies ORDER BY name") {
                let name = $0.text(1) ?? ""
                return StudyRow(id: $0.int64(0), name: name,
                                configuration: try StudyJSON.decode(StudyConfiguration.self, $0.text(2),
                                                                    what: "\(path): configuration of study '\(name)'"),
                                createdAt: $0.double(3))
            }
        }
    }

    /// Counts of trials per status of one study (`id` nil: the study of a version-1 file).
    static func counts(in connection: SQLiteConnection, studyID: Int64?) throws -> [TrialStatus: Int] {
        let rows: [(String, Int64)]
        if let studyID {
            rows = try connection.query("SELECT status, count(*) FROM trials WHERE study_id = ? GROUP BY status",
                                        [.integer(studyID)]) { ($0.text(0) ?? "", $0.int64(1)) }
        } else {
            rows = try connection.query("SELECT status, count(*) FROM trials GROUP BY status") { ($0.text(0) ?? "", $0.int64(1)) }
        }
        var counts: [TrialStatus: Int] = [:]
        for (status, count) in rows {
            guard let status = TrialStatus(rawValue: status) else {
                throw StudyStoreError.corrupted("\(connection.path): unknown trial status \(status)")
            }
            counts[status] = Int(count)
        }
        return counts
    }

    /// Adds a study to a current file; call inside a write transaction. Throws `.studyExists`.
    static func insertStudy(_ name: String, configuration: StudyConfiguration, into connection: SQLiteConnection) throws -> Int64 {
        let existing = try connection.query("SELECT 1 FROM studies WHERE name = ?", [.text(name)]) { _ in true }
        guard existing.isEmpty else { throw StudyStoreError.studyExists(name) }
        try connection.run("INSERT INTO studies (name, configuration, created_at) VALUES (?, ?, ?)",
                           [.text(name), .text(try StudyJSON.encode(configuration)), .real(Date().timeIntervalSince1970)])
        return connection.lastInsertRowID
    }

    // MARK: Creating

    /// Creates a new study file holding one study; throws `.fileExists` if anything exists at `path`.
    ///
    /// The file is built completely in a temporary file next to `path` and then hard-linked into
    /// place, which fails atomically if `path` appeared meanwhile. So no process can ever open a
    /// half-initialised file, and two workers racing to create the same file cannot both win.
    static func create(at path: String, study name: String, configuration: StudyConfiguration,
                       busyTimeout: TimeInterval) throws {
        guard !FileManager.default.fileExists(atPath: path) else { throw StudyStoreError.fileExists(path) }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).creating-\(getpid())-\(UUID().uuidString)").path
        defer {
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(temporary + suffix) }
        }
        try initialise(temporary: temporary, study: name, configuration: configuration, busyTimeout: busyTimeout)
        if link(temporary, path) != 0 {
            let code = errno
            if code == EEXIST { throw StudyStoreError.fileExists(path) }
            // Filesystems without hard links: fall back to a rename, which is atomic but could replace
            // a file created in the tiny window since the existence check above.
            guard !FileManager.default.fileExists(atPath: path), rename(temporary, path) == 0 else {
                throw StudyStoreError.sqlite(code: 14 /* SQLITE_CANTOPEN */,
                                             message: "cannot move new study into place at \(path): \(String(cString: strerror(code)))")
            }
        }
        // Make the new directory entry itself durable.
        let descriptor = openDirectory(directory)
        if descriptor >= 0 { fsync(descriptor); close(descriptor) }
    }

    /// Writes schema and study into a fresh file. Uses a rollback journal while building so that
    /// everything is in the main file when the connection closes, then switches the file to WAL.
    private static func initialise(temporary: String, study name: String, configuration: StudyConfiguration,
                                   busyTimeout: TimeInterval) throws {
        let connection = try SQLiteConnection(path: temporary, create: true, busyTimeout: busyTimeout)
        try connection.execute("PRAGMA journal_mode = DELETE")
        try connection.execute("PRAGMA synchronous = FULL")
        try connection.transaction(.immediate) {
            try connection.execute("PRAGMA application_id = \(applicationID)")
            try connection.execute("PRAGMA user_version = \(StudySchema.version)")
            try connection.execute(schema)
            _ = try insertStudy(name, configuration: configuration, into: connection)
        }
        try connection.execute("PRAGMA journal_mode = WAL")
    }

    /// `open(2)` of a directory for fsync.
    private static func openDirectory(_ path: String) -> Int32 {
        #if canImport(Darwin)
        return Darwin.open(path, O_RDONLY)
        #elseif canImport(Musl)
        return Musl.open(path, O_RDONLY)
        #else
        return Glibc.open(path, O_RDONLY)
        #endif
    }
}

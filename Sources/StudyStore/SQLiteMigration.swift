/// Upgrades an older study file to the current version in place: version 1 (metalic 0.2: one
/// study, no leases) and version 2 (metalic 0.3: no stored network parameters).
///
/// Runs inside the caller's write transaction — the first write any worker makes to the file —
/// so the upgrade is atomic: a crash or a failing statement leaves the version-1 file as it was,
/// and other processes see either the old file or the new one. Until then a version-1 file is
/// read as it is, so reading a study (listing, evaluating) never changes the file.
///
/// The study becomes study 1, "default"; trials keep their ids, rounds and contents. Running
/// trials get no token: the version-1 worker holding one has no lease, so its trial can only be
/// reclaimed (once stale, or once that worker is gone). Trials of both versions keep everything
/// they had, and have no stored parameters and no warm-start source (they were cold starts).
enum SQLiteMigration {
    /// Migrates whatever older version the file has; inside the caller's write transaction.
    static func migrate(_ connection: SQLiteConnection, from layout: SQLiteStudyFile.Layout) throws {
        switch layout {
        case .version1: try migrateVersion1(connection)
        case .version2: try migrateVersion2(connection)
        case .version3: break
        }
    }

    /// Version 2 → 3: two new nullable columns; no row changes.
    static func migrateVersion2(_ connection: SQLiteConnection) throws {
        try connection.execute("ALTER TABLE trials ADD COLUMN warm_start_trial INTEGER")
        try connection.execute("ALTER TABLE trials ADD COLUMN parameters BLOB")
        try connection.execute("PRAGMA user_version = \(StudySchema.version)")
    }

    /// Version 1 → current: the current tables (`SQLiteStudyFile.schema`), rows copied.
    static func migrateVersion1(_ connection: SQLiteConnection) throws {
        // The AUTOINCREMENT counter, so that no id is ever handed out twice (rename and copy would
        // otherwise reset it to the largest surviving id).
        let sequence = try connection.query("SELECT seq FROM sqlite_sequence WHERE name = 'trials'") { $0.int64(0) }.first
        try connection.execute("ALTER TABLE trials RENAME TO trials_version1")
        try connection.execute(SQLiteStudyFile.schema)
        try connection.run("INSERT INTO studies (id, name, configuration, created_at) SELECT 1, ?, configuration, created_at FROM study",
                           [.text(StudySchema.defaultStudyName)])
        try connection.execute("""
            INSERT INTO trials (id, study_id, round, context, arms, seed, status, worker, worker_host, worker_pid, token,
                                stage_errors, stage_rewards, error, reward, seconds, message, started_at, heartbeat_at,
                                finished_at, attempts)
            SELECT id, 1, round, context, arms, seed, status, worker, worker_host, worker_pid, NULL,
                   stage_errors, stage_rewards, error, reward, seconds, message, started_at, heartbeat_at,
                   finished_at, attempts
            FROM trials_version1;
            DROP TABLE trials_version1;
            DROP TABLE study;
            """)
        if let sequence {
            let changed = try connection.run("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'trials'", [.integer(sequence)])
            if changed == 0 {
                try connection.run("INSERT INTO sqlite_sequence (name, seq) VALUES ('trials', ?)", [.integer(sequence)])
            }
        }
        try connection.execute("PRAGMA user_version = \(StudySchema.version)")
    }
}

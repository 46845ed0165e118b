import Foundation

/// The tables of `PostgresStudyStore`, in their own schema `metalic` so that they can share a
/// database with anything else:
///
///     metalic.storage (id integer PRIMARY KEY CHECK (id = 1),   -- one row
///                      schema_version integer, created_at timestamptz)
///     metalic.studies (id bigint IDENTITY PRIMARY KEY, name text UNIQUE,
///                      configuration jsonb,                      -- StudyConfiguration
///                      created_at timestamptz)
///     metalic.trials  (id bigint IDENTITY PRIMARY KEY, study_id bigint REFERENCES studies,
///                      round integer, context float8[], arms smallint[], seed bigint,
///                      status text, worker text, worker_host text, worker_pid integer, token text,
///                      stage_errors float8[], stage_rewards float8[], error float8, reward float8,
///                      seconds float8, message text, started_at timestamptz, heartbeat_at timestamptz,
///                      finished_at timestamptz, attempts integer,
///                      warm_start_trial bigint,                 -- the trial whose networks it started from
///                      parameters float8[],                     -- trained network parameters
///                      UNIQUE (study_id, round))
///
/// Version 2 (metalic 0.3) lacked `warm_start_trial` and `parameters`; `upgrade` adds them.
///
/// Unlike SQLite, `float8` stores NaN and ±infinity itself, and every time is the server's
/// (`clock_timestamp()`), so workers on machines with skewed clocks agree on staleness.
enum PostgresSchema {
    /// The advisory lock that serialises creating the schema ("MLIC").
    static let creationLock = "1296845123"

    private static let statements = [
        "CREATE SCHEMA IF NOT EXISTS metalic",
        """
        CREATE TABLE metalic.storage (
            id integer PRIMARY KEY CHECK (id = 1),
            schema_version integer NOT NULL,
            created_at timestamptz NOT NULL DEFAULT clock_timestamp()
        )
        """,
        """
        CREATE TABLE metalic.studies (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL UNIQUE,
            configuration jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT clock_timestamp()
        )
        """,
        """
        CREATE TABLE metalic.trials (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            study_id bigint NOT NULL REFERENCES metalic.studies (id),
            round integer NOT NULL CHECK (round >= 0),
            context float8[] NOT NULL,
            arms smallint[] NOT NULL,
            seed bigint NOT NULL,
            status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
            worker text NOT NULL,
            worker_host text NOT NULL,
            worker_pid integer NOT NULL,
            token text,
            stage_errors float8[] NOT NULL DEFAULT '{}',
            stage_rewards float8[] NOT NULL DEFAULT '{}',
            error float8,
            reward float8,
            seconds float8,
            message text,
            started_at timestamptz NOT NULL,
            heartbeat_at timestamptz NOT NULL,
            finished_at timestamptz,
            attempts integer NOT NULL DEFAULT 1,
            warm_start_trial bigint,
            parameters float8[],
            UNIQUE (study_id, round)
        )
        """,
    ]

    /// The schema version in this database, nil if it has no metalic tables yet. Refuses a
    /// newer version, and a `metalic` schema that someone else's tables occupy.
    static func version(_ connection: PostgresConnection, redactedURL: String) throws -> Int? {
        let found = try connection.execute("""
            SELECT to_regclass('metalic.storage') IS NOT NULL,
                   (SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'metalic')
            """).rows.first
        guard found?[0] == "t" else {
            if let tables = found?[1], tables != "0" { throw StudyStoreError.notAStudy("schema 'metalic' of \(redactedURL)") }
            return nil
        }
        guard let text = try connection.execute("SELECT schema_version FROM metalic.storage WHERE id = 1").rows.first?[0],
              let version = Int(text) else {
            throw StudyStoreError.corrupted("\(redactedURL): metalic.storage has no schema version")
        }
        guard version <= StudySchema.version else { throw StudyStoreError.unsupportedVersion(version) }
        return version
    }

    /// Creates the tables unless they exist, and upgrades older ones; inside a transaction. The
    /// advisory lock makes concurrent first workers wait for each other instead of colliding on CREATE.
    static func ensure(_ connection: PostgresConnection, redactedURL: String) throws {
        if let version = try version(connection, redactedURL: redactedURL) {
            if version < StudySchema.version { try upgrade(connection, redactedURL: redactedURL) }
            return
        }
        try connection.execute("SELECT pg_advisory_xact_lock($1::bigint)", [creationLock])
        if try version(connection, redactedURL: redactedURL) != nil { return try upgrade(connection, redactedURL: redactedURL) }
        for statement in statements { try connection.execute(statement) }
        try connection.execute("INSERT INTO metalic.storage (id, schema_version) VALUES (1, $1)", [String(StudySchema.version)])
    }

    /// Brings an older schema to the current version; inside a transaction, so it happens
    /// completely or not at all, and under the creation lock, so concurrent workers upgrade once.
    /// Version 2 → 3 adds two nullable columns (no row is rewritten): metalic 0.3 workers already
    /// running keep working (their trials store no parameters), new ones refuse the database as newer.
    static func upgrade(_ connection: PostgresConnection, redactedURL: String) throws {
        try connection.execute("SELECT pg_advisory_xact_lock($1::bigint)", [creationLock])
        guard let version = try version(connection, redactedURL: redactedURL), version < StudySchema.version else { return }
        if version < 3 {
            try connection.execute("""
                ALTER TABLE metalic.trials ADD COLUMN IF NOT EXISTS warm_start_trial bigint,
                                           ADD COLUMN IF NOT EXISTS parameters float8[]
                """)
        }
        try connection.execute("UPDATE metalic.storage SET schema_version = $1 WHERE id = 1", [String(StudySchema.version)])
    }
}

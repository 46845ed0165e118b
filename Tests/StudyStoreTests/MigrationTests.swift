import MetalicCore
import Foundation
import XCTest
@testable import StudyStore

/// Version-1 study files (metalic 0.2: one study per file, no leases) still open and resume: read
/// as they are, migrated in place by their first write. Only copies are ever migrated here.
final class MigrationTests: StudyStoreTestCase {
    /// A study file written by metalic 0.2 and committed with the benchmark results (kdv, step
    /// mode, 205 completed rounds; its configuration predates `parameterNames`).
    static let committedVersion1File = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("benchmarks/results/metalic/kdv/ucb-step.db").path

    func testCommittedVersion1FileIsReadAsItIsAndMigratedByItsFirstWrite() throws {
        let original = Self.committedVersion1File
        try XCTSkipUnless(FileManager.default.fileExists(atPath: original), "\(original) is not in this checkout")
        XCTAssertEqual(try userVersion(original), 1, "the committed fixture must stay a version-1 file")
        let copy = path("ucb-step.db")
        try FileManager.default.copyItem(atPath: original, toPath: copy)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: copy))

        // Reading: the one study is "default", everything is there, the file is not changed.
        let store = try SQLiteStudyStore.open(at: copy)
        XCTAssertEqual(store.studyName, "default")
        XCTAssertEqual(store.configuration.family, "kdv")
        XCTAssertEqual(store.configuration.mode, "step")
        XCTAssertEqual(store.configuration.parameterNames, ["c"])
        let before = try store.trials()
        XCTAssertEqual(before.count, 205)
        XCTAssertEqual(before.map(\.round), Array(0..<205))
        XCTAssertEqual(Set(before.map(\.status)), [.completed])
        XCTAssertTrue(before.allSatisfy { $0.arms.count == 2 && $0.context.names == ["c"] })
        let summaries = try StudyStorage(parsing: copy).studies()
        XCTAssertEqual(summaries.map(\.name), ["default"])
        XCTAssertEqual(summaries.first?.completed, 205)
        XCTAssertEqual(summaries.first?.totalRounds, 205)
        XCTAssertEqual(try StudyStorage(parsing: copy).open(study: "default").trials(), before)
        XCTAssertThrowsError(try SQLiteStudyStore.open(at: copy, study: "other")) {
            XCTAssertEqual($0 as? StudyStoreError, .studyNotFound("other", available: ["default"]))
        }
        XCTAssertEqual(try userVersion(copy), 1)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: copy)), bytes, "reading must not change a version-1 file")

        // The first write (a claim, here of a finished study) migrates, atomically, keeping every trial.
        XCTAssertEqual(try store.claimRound(worker: .current, policy: Self.patient, plan: Self.plan(mode: "step")), .finished)
        XCTAssertEqual(try userVersion(copy), Int64(StudySchema.version))
        let after = try SQLiteStudyStore.open(at: copy)
        XCTAssertEqual(after.studyName, "default")
        XCTAssertEqual(after.configuration, store.configuration)
        XCTAssertEqual(try after.trials(), before)
        XCTAssertEqual(try store.trials(), before)
        XCTAssertEqual(try after.integrityProblems(), [])
        let raw = try SQLiteConnection(path: copy, create: false, busyTimeout: 1)
        XCTAssertEqual(try raw.query("PRAGMA foreign_key_check") { $0.text(0) }, [])
        XCTAssertEqual(try raw.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") {
            $0.text(0)
        }, ["studies", "trials"])
        // And the file now takes more studies.
        let (second, created) = try SQLiteStudyStore.openOrCreate(at: copy, study: "kdv-ucb", configuration: configuration(family: "kdv"))
        XCTAssertTrue(created)
        XCTAssertEqual(try second.claimRound(worker: .current, policy: Self.patient, plan: Self.plan()).lease?.trial.round, 0)
        XCTAssertEqual(try after.trials(), before)
    }

    func testVersion1StudyWithARunningTrialResumes() throws {
        let file = path("old.db")
        try writeVersion1File(file)
        let store = try SQLiteStudyStore.open(at: file)
        let before = try store.trials()
        XCTAssertEqual(before.map(\.status), [.completed, .running])
        XCTAssertEqual(store.configuration.parameterNames, ["beta"], "0.2 configurations get their family's names")

        // Round 1's worker (on this host) is gone: the claim migrates, then reclaims it with a lease.
        let result = try store.claimRound(worker: .current, policy: Self.patient) { _, _ in
            XCTFail("must reclaim before planning")
            return try Self.plan()([], 2)
        }
        let lease = try XCTUnwrap(result.lease)
        XCTAssertTrue(result.reclaimed)
        XCTAssertEqual(lease.trial.id, before[1].id)
        XCTAssertEqual(lease.trial.context, before[1].context)
        XCTAssertEqual(lease.trial.arms, before[1].arms)
        XCTAssertEqual(lease.trial.attempts, 2)
        try store.complete(lease, outcome: Self.outcome(1))
        // New trials never reuse an id, even one handed out before the migration.
        let next = try XCTUnwrap(store.claimRound(worker: .current, policy: Self.patient) { _, round in
            TrialPlan(context: ParameterValues(names: ["beta"], values: [Double(round)]), arms: Self.arms(7), seed: 9)
        }.lease)
        XCTAssertEqual(next.trial.round, 2)
        XCTAssertEqual(next.trial.id, 11)
        XCTAssertEqual(try store.trials().map(\.status), [.completed, .completed, .running])
        XCTAssertEqual(try store.trials().first, before.first)
    }

    func testAStoreOpenedBeforeAnotherProcessMigratedFollows() throws {
        let file = path("old.db")
        try writeVersion1File(file)
        let reader = try SQLiteStudyStore.open(at: file)
        let before = try reader.trials()
        let writer = try SQLiteStudyStore.open(at: file)
        _ = try writer.claimRound(worker: .current, policy: Self.patient, plan: { _, _ in try Self.plan()([], 0) })
        XCTAssertEqual(try userVersion(file), Int64(StudySchema.version))
        _ = try SQLiteStudyStore.openOrCreate(at: file, study: "second", configuration: configuration())
        let second = try SQLiteStudyStore.open(at: file, study: "second")
        _ = try second.claimRound(worker: .current, policy: Self.patient, plan: Self.plan())
        // The reader still sees exactly its own study's trials, now through the version-2 tables.
        let now = try reader.trials()
        XCTAssertEqual(now.map(\.id), before.map(\.id))
        XCTAssertEqual(now.first, before.first)
        XCTAssertEqual(now.map(\.attempts), [1, 2])
        XCTAssertEqual(try reader.claimRound(worker: .current, policy: Self.patient, plan: { _, round in
            TrialPlan(context: ParameterValues(names: ["beta"], values: [1]), arms: Self.arms(1), seed: UInt64(round))
        }).lease?.trial.round, 2)
    }

    func testFailedMigrationLeavesTheVersion1FileAsItWas() throws {
        let file = path("old.db")
        try writeVersion1File(file)
        // A stray table where version 2 puts its own: the migration fails half-way.
        do {
            let raw = try SQLiteConnection(path: file, create: false, busyTimeout: 1)
            try raw.execute("CREATE TABLE studies (x)")
        }
        let store = try SQLiteStudyStore.open(at: file)
        let before = try store.trials()
        XCTAssertThrowsError(try store.claimRound(worker: .current, policy: Self.patient, plan: Self.plan())) { error in
            guard case .sqlite? = error as? StudyStoreError else { return XCTFail("got \(error)") }
        }
        XCTAssertEqual(try userVersion(file), 1)
        let raw = try SQLiteConnection(path: file, create: false, busyTimeout: 1)
        XCTAssertEqual(try raw.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") {
            $0.text(0)
        }, ["studies", "study", "trials"])
        XCTAssertEqual(try SQLiteStudyStore.open(at: file).trials(), before)
    }

    func testNewerVersion1StudyRowIsRefused() throws {
        let file = path("old.db")
        try writeVersion1File(file)
        do {
            let raw = try SQLiteConnection(path: file, create: false, busyTimeout: 1)
            try raw.run("UPDATE study SET schema_version = ?", [.integer(99)])
        }
        XCTAssertThrowsError(try SQLiteStudyStore.open(at: file)) {
            XCTAssertEqual($0 as? StudyStoreError, .unsupportedVersion(99))
        }
    }

    /// A version-2 file (metalic 0.3) is read as it is — trials without parameters or warm-start
    /// sources — and its first write adds the two columns, keeping every trial.
    func testVersion2FileIsReadAsItIsAndMigratedByItsFirstWrite() throws {
        let file = path("v2.db")
        try writeVersion2File(file)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        let store = try SQLiteStudyStore.open(at: file, study: "adv")
        let before = try store.trials()
        XCTAssertEqual(before.map(\.status), [.completed, .failed])
        XCTAssertEqual(before[0].error, 0.25)
        XCTAssertEqual(before[0].stageErrors, [0.5, 0.25])
        XCTAssertEqual(before.map(\.hasParameters), [false, false])
        XCTAssertEqual(before.map(\.warmStartTrialID), [nil, nil])
        XCTAssertNil(try store.parameters(ofTrial: before[0].id))
        XCTAssertEqual(try StudyStorage(parsing: file).studies().map(\.completed), [1])
        XCTAssertEqual(try userVersion(file), 2)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file)), bytes, "reading must not change a version-2 file")

        // The first write migrates; every trial is kept, and new trials store their parameters.
        let lease = try XCTUnwrap(try store.claimRound(worker: .current, policy: Self.patient) { _, round in
            TrialPlan(context: Self.context([3, 0.5]), arms: Self.arms(7), seed: UInt64(round))
        }.lease)
        XCTAssertEqual(try userVersion(file), Int64(StudySchema.version))
        XCTAssertEqual(lease.trial.round, 2)
        XCTAssertEqual(lease.trial.id, 6, "ids handed out before the migration are not reused")
        var outcome = Self.outcome(2)
        outcome.parameters = [1.5, -0.0, Double.leastNormalMagnitude / 4]
        try store.complete(lease, outcome: outcome)
        let after = try SQLiteStudyStore.open(at: file, study: "adv")
        XCTAssertEqual(Array(try after.trials().prefix(2)), before)
        XCTAssertEqual(try after.parameters(ofTrial: lease.trial.id)?.map(\.bitPattern), outcome.parameters?.map(\.bitPattern))
        XCTAssertEqual(try after.integrityProblems(), [])
        // A warm start from the new trial is accepted, from an old one (no parameters) refused.
        XCTAssertThrowsError(try after.claimRound(worker: .current, policy: Self.patient) { _, _ in
            TrialPlan(context: Self.context([3, 0.5]), arms: Self.arms(7), seed: 1, warmStartTrialID: before[0].id)
        })
        XCTAssertEqual(try after.claimRound(worker: .current, policy: Self.patient) { _, _ in
            TrialPlan(context: Self.context([3, 0.5]), arms: Self.arms(7), seed: 1, warmStartTrialID: lease.trial.id)
        }.lease?.trial.warmStartTrialID, lease.trial.id)
    }

    // MARK: Helpers

    /// A study file as metalic 0.3 wrote it (its version-2 schema, verbatim): study "adv" with a
    /// completed round 0 and a failed round 1; ids up to 5 handed out before.
    private func writeVersion2File(_ file: String) throws {
        let db = try SQLiteConnection(path: file, create: true, busyTimeout: 1)
        try db.execute("""
            PRAGMA application_id = 1296845123;
            PRAGMA user_version = 2;
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
                UNIQUE (study_id, round)
            );
            PRAGMA journal_mode = WAL;
            """)
        let json = try StudyJSON.encode(configuration(warmup: 2, rounds: 2))
        try db.run("INSERT INTO studies (id, name, configuration, created_at) VALUES (1, 'adv', ?, 1795898700.5)", [.text(json)])
        try db.execute("""
            INSERT INTO trials (id, study_id, round, context, arms, seed, status, worker, worker_host, worker_pid, token,
                                stage_errors, stage_rewards, error, reward, seconds, started_at, heartbeat_at, finished_at)
            VALUES (2, 1, 0, '[2.5,0.125]', '[289]', -7, 'completed', 'h:1', 'h', 1, 'a', '[0.5,0.25]', '[0.3,0.6]', 0.25,
                    0.6, 1.5, 1795898700.5, 1795898702.5, 1795898702.5);
            INSERT INTO trials (id, study_id, round, context, arms, seed, status, worker, worker_host, worker_pid, token,
                                message, started_at, heartbeat_at, finished_at)
            VALUES (3, 1, 1, '[4.5,0.25]', '[7]', 11, 'failed', 'h:1', 'h', 1, 'b', 'diverged', 1795898701.5, 1795898701.5,
                    1795898703.5);
            UPDATE sqlite_sequence SET seq = 5 WHERE name = 'trials';
            """)
    }

    private func userVersion(_ file: String) throws -> Int64 {
        let raw = try SQLiteConnection(path: file, create: false, busyTimeout: 1)
        return try raw.query("PRAGMA user_version") { $0.int64(0) }.first ?? -1
    }

    /// A study file exactly as metalic 0.2 wrote it (its schema, verbatim): an advection study
    /// whose round 0 is completed and round 1 is running under a worker of this host that is gone;
    /// ids up to 10 were handed out before (the AUTOINCREMENT counter says so).
    private func writeVersion1File(_ file: String) throws {
        let dead = try deadPID()
        let host = WorkerID.current.host
        let db = try SQLiteConnection(path: file, create: true, busyTimeout: 1)
        try db.execute("""
            PRAGMA application_id = 1296845123;
            PRAGMA user_version = 1;
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
            PRAGMA journal_mode = WAL;
            """)
        try db.run("INSERT INTO study VALUES (1, 1, ?, 1795898700.5)", [.text(
            #"{"family":"advection","heuristic":"ucb","mode":"query","rounds":3,"seed":1,"settings":{"adam":"200"},"warmupRounds":2}"#)])
        try db.run("""
            INSERT INTO trials (id, round, context, arms, seed, status, worker, worker_host, worker_pid, stage_errors,
                                stage_rewards, error, reward, seconds, started_at, heartbeat_at, finished_at, attempts)
            VALUES (3, 0, '[2.5]', '[289]', -7, 'completed', ?, ?, ?, '[0.5,0.25]', '[-1,-2]', 0.25, -2, 1.5,
                    1795898700.5, 1795898702.5, 1795898702.5, 1)
            """, [.text("\(host):\(dead)"), .text(host), .integer(Int64(dead))])
        try db.run("""
            INSERT INTO trials (id, round, context, arms, seed, status, worker, worker_host, worker_pid, started_at, heartbeat_at)
            VALUES (4, 1, '[4.5]', '[7]', 11, 'running', ?, ?, ?, 1795898701.5, 1795898701.5)
            """, [.text("\(host):\(dead)"), .text(host), .integer(Int64(dead))])
        try db.execute("UPDATE sqlite_sequence SET seq = 10 WHERE name = 'trials'")
    }
}

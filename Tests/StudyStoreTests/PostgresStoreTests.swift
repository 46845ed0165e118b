import MetalicCore
import Foundation
import XCTest
@testable import StudyStore

/// What only the PostgreSQL store has to get right: the server's clock, lost connections, and
/// retries of operations whose acknowledgement was lost. (The rest: `PostgresConformanceTests`.)
final class PostgresStoreTests: StudyStoreTestCase {
    private var database: PostgresTestServer.Database!

    override func setUpWithError() throws {
        try super.setUpWithError()
        database = try PostgresTestServer.createDatabase()
    }

    override func tearDownWithError() throws {
        try database?.drop()
        try super.tearDownWithError()
    }

    @discardableResult
    private func sql(_ statement: String, _ parameters: [String?] = []) throws -> [[String?]] {
        try PostgresTestServer.execute(database.url, statement, parameters)
    }

    private func create(_ name: String = "s", _ config: StudyConfiguration? = nil) throws -> PostgresStudyStore {
        try PostgresStudyStore.create(url: database.url, study: name, configuration: config ?? configuration(warmup: 1, rounds: 1))
    }

    /// A version-2 database (metalic 0.3, written here with its schema verbatim) is upgraded by the
    /// first connection: its trials are kept, and from then on they store parameters.
    func testVersion2DatabaseIsUpgradedKeepingItsTrials() throws {
        let json = try StudyJSON.encode(configuration(warmup: 2, rounds: 2))
        for statement in [
            "CREATE SCHEMA metalic",
            """
            CREATE TABLE metalic.storage (id integer PRIMARY KEY CHECK (id = 1), schema_version integer NOT NULL,
                                          created_at timestamptz NOT NULL DEFAULT clock_timestamp())
            """,
            """
            CREATE TABLE metalic.studies (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE,
                                          configuration jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT clock_timestamp())
            """,
            """
            CREATE TABLE metalic.trials (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                study_id bigint NOT NULL REFERENCES metalic.studies (id),
                round integer NOT NULL CHECK (round >= 0), context float8[] NOT NULL, arms smallint[] NOT NULL,
                seed bigint NOT NULL,
                status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
                worker text NOT NULL, worker_host text NOT NULL, worker_pid integer NOT NULL, token text,
                stage_errors float8[] NOT NULL DEFAULT '{}', stage_rewards float8[] NOT NULL DEFAULT '{}',
                error float8, reward float8, seconds float8, message text,
                started_at timestamptz NOT NULL, heartbeat_at timestamptz NOT NULL, finished_at timestamptz,
                attempts integer NOT NULL DEFAULT 1,
                UNIQUE (study_id, round))
            """,
            "INSERT INTO metalic.storage (id, schema_version) VALUES (1, 2)",
        ] { try sql(statement) }
        try sql("INSERT INTO metalic.studies (name, configuration) VALUES ('adv', $1::jsonb)", [json])
        try sql("""
            INSERT INTO metalic.trials (study_id, round, context, arms, seed, status, worker, worker_host, worker_pid, token,
                                        stage_errors, stage_rewards, error, reward, seconds, started_at, heartbeat_at, finished_at)
            VALUES (1, 0, '{2.5,0.125}', '{289}', -7, 'completed', 'h:1', 'h', 1, 'a', '{0.5,0.25}', '{0.3,0.6}', 0.25, 0.6, 1.5,
                    clock_timestamp(), clock_timestamp(), clock_timestamp())
            """)

        let store = try PostgresStudyStore.open(url: database.url, study: "adv")
        XCTAssertEqual(try sql("SELECT schema_version FROM metalic.storage").first?[0], String(StudySchema.version))
        let before = try store.trials()
        XCTAssertEqual(before.map(\.round), [0])
        XCTAssertEqual(before[0].stageErrors, [0.5, 0.25])
        XCTAssertEqual(before[0].error, 0.25)
        XCTAssertFalse(before[0].hasParameters)
        XCTAssertNil(before[0].warmStartTrialID)
        XCTAssertNil(try store.parameters(ofTrial: before[0].id))
        let lease = try XCTUnwrap(store.claimRound(worker: .current, policy: Self.patient, plan: Self.plan()).lease)
        XCTAssertEqual(lease.trial.round, 1)
        var outcome = Self.outcome(1)
        outcome.parameters = [0.5, -0.0, .nan]
        try store.complete(lease, outcome: outcome)
        XCTAssertEqual(try store.parameters(ofTrial: lease.trial.id)?.map(\.bitPattern), outcome.parameters?.map(\.bitPattern))
        XCTAssertEqual(try PostgresStudyStore.open(url: database.url, study: "adv").trials().first, before[0])
    }

    func testStalenessIsJudgedByTheServerClock() throws {
        let store = try create()
        let remote = WorkerID(host: "cluster-node-7", pid: 4242)
        let lease = try XCTUnwrap(store.claimRound(worker: remote, policy: Self.patient, plan: Self.plan()).lease)
        // Heartbeats carry the server's time.
        try store.heartbeat(lease)
        let skew = try XCTUnwrap(sql("SELECT EXTRACT(EPOCH FROM clock_timestamp() - heartbeat_at) FROM metalic.trials").first?[0])
        XCTAssertLessThan(abs(try XCTUnwrap(Double(skew))), 5)

        // Two hours old by the server's clock: abandoned under a one-hour grace period, whatever
        // this machine's clock says (the trial was stamped a moment ago by it).
        try sql("UPDATE metalic.trials SET heartbeat_at = clock_timestamp() - interval '2 hours'")
        let result = try store.claimRound(worker: .current, policy: Self.patient, plan: Self.plan())
        XCTAssertTrue(result.reclaimed)
        XCTAssertEqual(result.lease?.trial.id, lease.trial.id)
        let restamped = try XCTUnwrap(sql("SELECT EXTRACT(EPOCH FROM clock_timestamp() - heartbeat_at) FROM metalic.trials").first?[0])
        XCTAssertLessThan(abs(try XCTUnwrap(Double(restamped))), 5, "a reclaim stamps the server's time")
    }

    func testHeartbeatFromTheFutureIsNotStale() throws {
        // A heartbeat stamped ahead of the server's clock (as a worker's fast clock would) is
        // never taken as stale: the server compares with its own time only.
        let store = try create("s", configuration(warmup: 1, rounds: 0))
        let remote = WorkerID(host: "cluster-node-7", pid: 4242)
        let lease = try XCTUnwrap(store.claimRound(worker: remote, policy: Self.patient, plan: Self.plan()).lease)
        try sql("UPDATE metalic.trials SET heartbeat_at = clock_timestamp() + interval '1 hour'")
        XCTAssertEqual(try store.claimRound(worker: .current, policy: ClaimPolicy(gracePeriod: 0, maxAttempts: 3), plan: Self.plan()),
                       .busy(running: 1))
        try sql("UPDATE metalic.trials SET heartbeat_at = clock_timestamp() - interval '30 seconds'")
        XCTAssertEqual(try store.claimRound(worker: .current, policy: ClaimPolicy(gracePeriod: 60, maxAttempts: 3), plan: Self.plan()),
                       .busy(running: 1))
        let result = try store.claimRound(worker: .current, policy: ClaimPolicy(gracePeriod: 10, maxAttempts: 3), plan: Self.plan())
        XCTAssertTrue(result.reclaimed)
        XCTAssertEqual(result.lease?.trial.id, lease.trial.id)
        XCTAssertThrowsError(try store.heartbeat(lease)) {
            XCTAssertEqual($0 as? StudyStoreError, .leaseLost(trialID: lease.trial.id))
        }
    }

    func testReconnectsWhenTheServerCutsTheConnection() throws {
        let store = try create()
        let lease = try XCTUnwrap(store.claimRound(worker: .current, policy: Self.patient, plan: Self.plan()).lease)
        let before = try store.session.backendPID()
        XCTAssertEqual(try sql("SELECT pg_terminate_backend($1::integer)", [String(before)]).first?[0], "t")
        // Every kind of operation gets through on a new connection.
        try store.heartbeat(lease)
        let after = try store.session.backendPID()
        XCTAssertNotEqual(after, before)
        try sql("SELECT pg_terminate_backend($1::integer)", [String(after)])
        try store.complete(lease, outcome: Self.outcome(0))
        try sql("SELECT pg_terminate_backend($1::integer)", [String(try store.session.backendPID())])
        XCTAssertEqual(try store.claimRound(worker: .current, policy: Self.patient, plan: Self.plan()).lease?.trial.round, 1)
        XCTAssertEqual(try store.trials().map(\.status), [.completed, .running])
    }

    func testConnectionsAreSetUpForExactFloatsAndFrozenWorkers() throws {
        let store = try create()
        let settings = try store.session.run("settings") { connection, _ in
            try connection.execute("SELECT current_setting('extra_float_digits'), current_setting('idle_in_transaction_session_timeout'), "
                                   + "current_setting('application_name')").rows.first ?? []
        }
        XCTAssertEqual(settings, ["3", "10min", "metalic"])
    }

    func testClaimWhoseAcknowledgementWasLostIsFoundAgainNotDoubled() throws {
        let store = try create("s", configuration(warmup: 3, rounds: 0))
        let cuts = Locked(0)
        store.session.afterCommit = { operation in
            guard operation == "claim" else { return }
            var first = false
            cuts.mutate { first = $0 == 0; $0 += 1 }
            if first { throw PostgresFailure.connection("injected: connection lost before the COMMIT was acknowledged") }
        }
        let planned = Locked(0)
        let result = try store.claimRound(worker: .current, policy: Self.patient) { trials, round in
            planned.mutate { $0 += 1 }
            return try Self.plan()(trials, round)
        }
        let lease = try XCTUnwrap(result.lease)
        XCTAssertEqual(cuts.value, 1, "the injected fault fired once, and the retry needed no new commit")
        XCTAssertEqual(planned.value, 1)
        XCTAssertFalse(result.reclaimed)
        XCTAssertEqual(lease.trial.round, 0)
        XCTAssertEqual(try store.trials().map(\.id), [lease.trial.id], "one trial, not one per attempt")
        store.session.afterCommit = nil
        try store.complete(lease, outcome: Self.outcome(0))
    }

    func testCompletionWhoseAcknowledgementWasLostSucceedsOnRetry() throws {
        let store = try create()
        let lease = try XCTUnwrap(store.claimRound(worker: .current, policy: Self.patient, plan: Self.plan()).lease)
        let cuts = Locked(0)
        store.session.afterCommit = { operation in
            guard operation == "complete" || operation == "fail" else { return }
            var first = false
            cuts.mutate { first = $0 == 0; $0 += 1 }
            if first { throw PostgresFailure.connection("injected") }
        }
        try store.complete(lease, outcome: TrialOutcome(stageErrors: [.nan], stageRewards: [1], error: .nan, reward: 1, seconds: 2))
        XCTAssertEqual(cuts.value, 2, "the first completion committed, its retry found it done")
        XCTAssertEqual(try store.trials().first?.status, .completed)

        cuts.mutate { $0 = 0 }
        let second = try XCTUnwrap(store.claimRound(worker: .current, policy: Self.patient, plan: Self.plan()).lease)
        try store.fail(second, message: "diverged")
        XCTAssertEqual(cuts.value, 2)
        XCTAssertEqual(try store.trials().map(\.status), [.completed, .failed])
    }

    func testStudyNamesAndMessagesAreBoundNeverInterpolated() throws {
        let name = "x'); DROP TABLE metalic.trials; --"
        let store = try create(name)
        XCTAssertEqual(try PostgresStudyStore.open(url: database.url, study: name).studyName, name)
        let lease = try XCTUnwrap(store.claimRound(worker: WorkerID(host: "h'; --", pid: 1), policy: Self.patient,
                                                    plan: Self.plan()).lease)
        try store.fail(lease, message: "$1 '\\' \"; DELETE FROM metalic.studies; --")
        XCTAssertEqual(try store.trials().first?.message, "$1 '\\' \"; DELETE FROM metalic.studies; --")
        XCTAssertEqual(try store.trials().first?.worker, "h'; --:1")
        XCTAssertEqual(try sql("SELECT count(*) FROM metalic.studies").first?[0], "1")
    }

    func testForeignOrNewerSchemaIsRefused() throws {
        try sql("CREATE SCHEMA metalic")
        try sql("CREATE TABLE metalic.accounts (id integer)")
        XCTAssertThrowsError(try PostgresStudyStore.openOrCreate(url: database.url, study: "s", configuration: configuration())) { error in
            guard case .notAStudy? = error as? StudyStoreError else { return XCTFail("got \(error)") }
        }
        try sql("DROP SCHEMA metalic CASCADE")
        _ = try create()
        try sql("UPDATE metalic.storage SET schema_version = $1", [String(StudySchema.version + 1)])
        XCTAssertThrowsError(try PostgresStudyStore.open(url: database.url, study: "s")) {
            XCTAssertEqual($0 as? StudyStoreError, .unsupportedVersion(StudySchema.version + 1))
        }
    }

    func testWrongCredentialsOrDatabaseFailAtOnceNamingTheFix() throws {
        let missing = try PostgresTestServer.url(database.url, database: "no_such_database_here")
        let start = Date()
        XCTAssertThrowsError(try PostgresStudyStore.open(url: missing, retry: ConnectionRetry(totalTime: 30))) { error in
            guard case .unreachable(let message)? = error as? StudyStoreError else { return XCTFail("got \(error)") }
            XCTAssertTrue(message.contains("no_such_database_here") && message.contains("check the user"), message)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 5, "retrying cannot create a database: no waiting")
    }
}

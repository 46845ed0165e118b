import Foundation
import MetalicCore

/// A study on a PostgreSQL server, for workers on many machines. `PostgresSchema` describes the tables.
///
/// - Claims lock the study's row (`SELECT … FOR UPDATE`) for the whole claim, so the plan runs
///   while no other worker can claim in the study: no round is planned twice.
/// - Every time is the server's: heartbeats are stamped with `clock_timestamp()`, and a trial's
///   staleness is the server's `clock_timestamp() - heartbeat_at`, never a worker's clock.
/// - A reclaim re-checks staleness in its UPDATE, so a heartbeat that lands between reading the
///   trials and reclaiming one keeps the trial with its holder.
/// - Connection faults (a server restart) are retried with backoff (`ConnectionRetry`); every
///   operation is safe to repeat: a claim whose commit was not acknowledged is found again by its
///   token, and a completion or failure repeated with the same lease and result succeeds.
///
/// One instance holds one connection, serialised by a lock: a heartbeat timer may share it with
/// the training loop. For parallel claims within a process, open one store per thread.
public final class PostgresStudyStore: StudyStore, @unchecked Sendable {
    public let studyName: String
    public let configuration: StudyConfiguration
    let studyID: Int64
    let session: PostgresSession

    private init(session: PostgresSession, studyID: Int64, name: String, configuration: StudyConfiguration) {
        self.session = session
        self.studyID = studyID
        self.studyName = name
        self.configuration = configuration
    }

    // MARK: Creating and opening

    /// Opens the study `name` (nil: the database's only study).
    /// - Throws: `.studyNotFound` / `.studyNameNeeded` listing the studies there are,
    ///   `.unreachable` when the server cannot be reached within `retry`.
    public static func open(url: String, study name: String? = nil, retry: ConnectionRetry = .standard) throws -> PostgresStudyStore {
        let session = PostgresSession(url: url, retry: retry)
        let studies = try listStudies(session)
        let picked = try StudySchema.pick(name, among: studies.map(\.name))
        let study = studies.first { $0.name == picked }!
        return PostgresStudyStore(session: session, studyID: study.id, name: study.name, configuration: study.configuration)
    }

    /// Creates the study `name` (nil: "default"), and the tables if the database has none.
    /// - Throws: `.studyExists` if the database already has a study of that name.
    public static func create(url: String, study name: String? = nil, configuration: StudyConfiguration,
                              retry: ConnectionRetry = .standard) throws -> PostgresStudyStore {
        let name = name ?? StudySchema.defaultStudyName
        try StudySchema.validate(name: name)
        let session = PostgresSession(url: url, retry: retry)
        let (id, created) = try insertStudy(name, configuration: configuration, session: session)
        guard created else { throw StudyStoreError.studyExists(name) }
        return PostgresStudyStore(session: session, studyID: id, name: name, configuration: configuration)
    }

    /// Opens the study `name` if the database has it, else creates it with `configuration`. A nil
    /// name means the database's only study, or "default" when it has none. An existing study must
    /// have the same family and mode (`.configurationMismatch`); otherwise the stored configuration wins.
    public static func openOrCreate(url: String, study name: String? = nil, configuration: StudyConfiguration,
                                    retry: ConnectionRetry = .standard) throws -> (store: PostgresStudyStore, created: Bool) {
        let session = PostgresSession(url: url, retry: retry)
        let target = try StudySchema.target(name, among: try listStudies(session).map(\.name))
        let (id, created) = try insertStudy(target, configuration: configuration, session: session)
        guard let study = try listStudies(session).first(where: { $0.id == id }) else {
            throw StudyStoreError.studyNotFound(target, available: try listStudies(session).map(\.name))
        }
        if !created { try study.configuration.checkResumable(with: configuration) }
        return (PostgresStudyStore(session: session, studyID: id, name: target, configuration: study.configuration), created)
    }

    /// The studies in the database, by name, with their progress.
    public static func studies(url: String, retry: ConnectionRetry = .standard) throws -> [StudySummary] {
        let session = PostgresSession(url: url, retry: retry)
        return try listStudies(session).map(\.summary)
    }

    private struct StudyRow {
        var id: Int64
        var name: String
        var configuration: StudyConfiguration
        var summary: StudySummary
    }

    private static func listStudies(_ session: PostgresSession) throws -> [StudyRow] {
        let redacted = session.redactedURL
        let rows = try session.run("list studies") { connection, _ in
            try connection.transaction {
                guard let version = try PostgresSchema.version(connection, redactedURL: redacted) else { return [[String?]]() }
                // The first connection of this metalic upgrades an older schema (docs/STUDIES.md).
                if version < StudySchema.version { try PostgresSchema.upgrade(connection, redactedURL: redacted) }
                return try connection.execute("""
                    SELECT s.id, s.name, s.configuration::text, EXTRACT(EPOCH FROM s.created_at),
                           count(t.id) FILTER (WHERE t.status = 'completed'),
                           count(t.id) FILTER (WHERE t.status = 'running'),
                           count(t.id) FILTER (WHERE t.status = 'failed')
                    FROM metalic.studies s LEFT JOIN metalic.trials t ON t.study_id = s.id
                    GROUP BY s.id
                    """).rows
            }
        }
        return try rows.map { row in
            let name = row[1] ?? ""
            let configuration = try StudyJSON.decode(StudyConfiguration.self, row[2], what: "\(redacted): configuration of study '\(name)'")
            let summary = StudySummary(name: name, configuration: configuration,
                                       created: Date(timeIntervalSince1970: Double(row[3] ?? "") ?? 0),
                                       completed: Int(row[4] ?? "") ?? 0, running: Int(row[5] ?? "") ?? 0,
                                       failed: Int(row[6] ?? "") ?? 0)
            return StudyRow(id: Int64(row[0] ?? "") ?? 0, name: name, configuration: configuration, summary: summary)
        }.sorted { $0.name < $1.name }
    }

    /// Inserts the study unless one of that name exists; returns its id and whether it is new.
    /// Safe to repeat: the name is unique, so a retried insert finds the first one.
    private static func insertStudy(_ name: String, configuration: StudyConfiguration,
                                    session: PostgresSession) throws -> (id: Int64, created: Bool) {
        let json = try StudyJSON.encode(configuration)
        let redacted = session.redactedURL
        return try session.run("create study") { connection, _ in
            let result = try connection.transaction { () throws -> (Int64, Bool) in
                try PostgresSchema.ensure(connection, redactedURL: redacted)
                let inserted = try connection.execute("""
                    INSERT INTO metalic.studies (name, configuration) VALUES ($1, $2::jsonb)
                    ON CONFLICT (name) DO NOTHING RETURNING id
                    """, [name, json]).rows
                if let id = inserted.first?[0].flatMap({ Int64($0) }) { return (id, true) }
                let existing = try connection.execute("SELECT id FROM metalic.studies WHERE name = $1", [name]).rows
                guard let id = existing.first?[0].flatMap({ Int64($0) }) else {
                    throw StudyStoreError.corrupted("\(redacted): study '\(name)' neither inserted nor found")
                }
                return (id, false)
            }
            try session.committed("create study")
            return result
        }
    }

    // MARK: StudyStore

    public func trials() throws -> [Trial] {
        try session.run("read trials") { connection, _ in try loadRows(connection).map(\.stored.trial) }
    }

    /// See `StudyStore.claimRound`. If the connection fails the claim is retried, so `plan` may
    /// be called more than once for a round: it must only compute its result.
    public func claimRound(worker: WorkerID, policy: ClaimPolicy,
                           plan: ([Trial], Int) throws -> TrialPlan) throws -> ClaimResult {
        try ClaimProcedure.validate(policy)
        let token = ClaimProcedure.newToken()
        return try session.run("claim") { connection, attempt in
            // A retry may follow a claim that committed without acknowledgement: it holds our token.
            if attempt > 1, let held = try loadRows(connection, where: "token = $2 AND status = 'running'", [token]).first {
                return .claimed(TrialLease(trial: held.stored.trial, token: token), reclaimed: held.stored.trial.attempts > 1)
            }
            let result = try connection.transaction {
                // The study lock: claims in this study queue here until this transaction ends.
                try connection.execute("SELECT id FROM metalic.studies WHERE id = $1 FOR UPDATE", [String(studyID)])
                let rows = try loadRows(connection)
                return try ClaimProcedure.claim(rows: rows.map(\.stored), configuration: configuration, worker: worker,
                                                policy: policy, token: token,
                                                actions: Actions(store: self, connection: connection), plan: plan)
            }
            try session.committed("claim")
            return result
        }
    }

    public func complete(_ lease: TrialLease, outcome: TrialOutcome) throws {
        if let arms = outcome.arms { try validateArms(arms) }
        let parameters: [String?] = [
            PostgresText.array(outcome.stageErrors), PostgresText.array(outcome.stageRewards),
            PostgresText.double(outcome.error), PostgresText.double(outcome.reward), PostgresText.double(outcome.seconds),
            outcome.arms.map { PostgresText.array($0.map(\.mask)) },
            String(lease.trial.id), String(studyID), lease.token,
            outcome.parameters.map { PostgresText.array($0) },
        ]
        try session.run("complete") { connection, _ in
            let changed = try connection.execute("""
                UPDATE metalic.trials
                SET status = 'completed', stage_errors = $1::float8[], stage_rewards = $2::float8[], error = $3::float8,
                    reward = $4::float8, seconds = $5::float8, arms = COALESCE($6::smallint[], arms),
                    parameters = $10::float8[], finished_at = clock_timestamp(), heartbeat_at = clock_timestamp()
                WHERE id = $7 AND study_id = $8 AND status = 'running' AND token = $9
                """, parameters).affected
            try session.committed("complete")
            guard changed == 0 else { return }
            try explainMiss(lease, connection) { ClaimProcedure.isCompleted($0, storedToken: $1, by: lease.token, with: outcome) }
        }
    }

    public func fail(_ lease: TrialLease, message: String) throws {
        try session.run("fail") { connection, _ in
            let changed = try connection.execute("""
                UPDATE metalic.trials
                SET status = 'failed', message = $1, finished_at = clock_timestamp(), heartbeat_at = clock_timestamp()
                WHERE id = $2 AND study_id = $3 AND status = 'running' AND token = $4
                """, [message, String(lease.trial.id), String(studyID), lease.token]).affected
            try session.committed("fail")
            guard changed == 0 else { return }
            try explainMiss(lease, connection) { ClaimProcedure.isFailed($0, storedToken: $1, by: lease.token, with: message) }
        }
    }

    public func heartbeat(_ lease: TrialLease) throws {
        try session.run("heartbeat") { connection, _ in
            let changed = try connection.execute("""
                UPDATE metalic.trials SET heartbeat_at = clock_timestamp()
                WHERE id = $1 AND study_id = $2 AND status = 'running' AND token = $3
                """, [String(lease.trial.id), String(studyID), lease.token]).affected
            guard changed == 0 else { return }
            try explainMiss(lease, connection) { _, _ in false }
        }
    }

    public func parameters(ofTrial id: Int64) throws -> [Double]? {
        let rows = try session.run("read parameters") { connection, _ in
            try connection.execute("SELECT parameters::text FROM metalic.trials WHERE id = $1 AND study_id = $2",
                                   [String(id), String(studyID)]).rows
        }
        guard let row = rows.first else { throw StudyStoreError.trialNotFound(id) }
        return try row[0].map { try PostgresText.doubles($0, what: "trial \(id) parameters") }
    }

    /// The trial with this id, if any.
    public func trial(id: Int64) throws -> Trial? {
        try session.run("read trial") { connection, _ in
            try loadRows(connection, where: "id = $2", [String(id)]).first?.stored.trial
        }
    }

    // MARK: Rows

    private struct Row {
        var stored: StoredTrial
        var token: String?
    }

    /// The columns of a trial, and its heartbeat's age by the server's clock.
    static let columns = """
        id, round, context::text, arms::text, seed, status, worker, worker_host, worker_pid,
        stage_errors::text, stage_rewards::text, error, reward, seconds, message,
        EXTRACT(EPOCH FROM started_at), EXTRACT(EPOCH FROM heartbeat_at), EXTRACT(EPOCH FROM finished_at),
        attempts, token, EXTRACT(EPOCH FROM clock_timestamp() - heartbeat_at),
        warm_start_trial, parameters IS NOT NULL
        """

    /// The study's trials by round, optionally filtered (`$1` is the study id; more parameters follow).
    private func loadRows(_ connection: PostgresConnection, where condition: String? = nil,
                          _ parameters: [String?] = []) throws -> [Row] {
        let filter = condition.map { " AND (\($0))" } ?? ""
        return try connection.execute("SELECT \(Self.columns) FROM metalic.trials WHERE study_id = $1\(filter) ORDER BY round",
                                      [String(studyID)] + parameters).rows.map(decodeRow)
    }

    private func explainMiss(_ lease: TrialLease, _ connection: PostgresConnection,
                             alreadyDone: (Trial, String?) -> Bool) throws {
        guard let row = try loadRows(connection, where: "id = $2", [String(lease.trial.id)]).first else {
            throw StudyStoreError.trialNotFound(lease.trial.id)
        }
        if alreadyDone(row.stored.trial, row.token) { return }
        throw StudyStoreError.leaseLost(trialID: lease.trial.id)
    }

    private func validateArms(_ arms: [InterfaceArm]) throws {
        let expected = configuration.mode == "query" ? 1 : configuration.mode == "step" ? 2 : arms.count
        guard arms.count == expected, !arms.isEmpty else {
            throw StudyStoreError.invalidPlan("\(configuration.mode) mode needs \(expected) arm(s), the outcome has \(arms.count)")
        }
    }

    private func decodeRow(_ columns: [String?]) throws -> Row {
        let id = Int64(columns[0] ?? "") ?? -1
        func text(_ index: Int, _ name: String) throws -> String {
            guard let value = columns[index] else { throw StudyStoreError.corrupted("trial \(id): \(name) is NULL") }
            return value
        }
        func number(_ index: Int, _ name: String) throws -> Double {
            try PostgresText.double(try text(index, name), what: "trial \(id) \(name)")
        }
        func optionalNumber(_ index: Int, _ name: String) throws -> Double? {
            try columns[index].map { try PostgresText.double($0, what: "trial \(id) \(name)") }
        }
        func integer(_ index: Int, _ name: String) throws -> Int64 {
            guard let value = Int64(try text(index, name)) else { throw StudyStoreError.corrupted("trial \(id): \(name) is not an integer") }
            return value
        }
        guard let status = TrialStatus(rawValue: try text(5, "status")) else {
            throw StudyStoreError.corrupted("trial \(id): unknown status \(columns[5] ?? "")")
        }
        let names = configuration.parameterNames
        let values = try PostgresText.doubles(try text(2, "context"), what: "trial \(id) context")
        guard values.count == names.count else {
            throw StudyStoreError.corrupted("trial \(id): context has \(values.count) values for parameters \(names)")
        }
        let arms = try PostgresText.elements(try text(3, "arms"), what: "trial \(id) arms").map { element -> InterfaceArm in
            guard let mask = UInt16(element), mask < InterfaceArm.count else {
                throw StudyStoreError.corrupted("trial \(id): arm '\(element)' is not a mask below \(InterfaceArm.count)")
            }
            return InterfaceArm(mask: mask)
        }
        let trial = Trial(
            id: id, round: Int(try integer(1, "round")), context: ParameterValues(names: names, values: values), arms: arms,
            seed: UInt64(bitPattern: try integer(4, "seed")), status: status, worker: try text(6, "worker"),
            stageErrors: try PostgresText.doubles(try text(9, "stage_errors"), what: "trial \(id) stage_errors"),
            stageRewards: try PostgresText.doubles(try text(10, "stage_rewards"), what: "trial \(id) stage_rewards"),
            error: try optionalNumber(11, "error"), reward: try optionalNumber(12, "reward"),
            seconds: try optionalNumber(13, "seconds"), message: columns[14],
            startedAt: Date(timeIntervalSince1970: try number(15, "started_at")),
            finishedAt: try optionalNumber(17, "finished_at").map { Date(timeIntervalSince1970: $0) },
            heartbeatAt: Date(timeIntervalSince1970: try number(16, "heartbeat_at")),
            attempts: Int(try integer(18, "attempts")),
            warmStartTrialID: try columns[21].map { _ in try integer(21, "warm_start_trial") }, hasParameters: columns[22] == "t")
        let holder = WorkerID(host: try text(7, "worker_host"), pid: Int32(truncatingIfNeeded: try integer(8, "worker_pid")))
        return Row(stored: StoredTrial(trial: trial, holder: holder, heartbeatAge: try number(20, "heartbeat age")),
                   token: columns[19])
    }

    // MARK: Claim writes

    /// The claim's writes, inside the transaction that holds the study's row lock. Holders still
    /// stamp heartbeats and finish meanwhile (they do not take that lock), so each write re-checks
    /// in its WHERE clause that the trial is still abandoned.
    private struct Actions: ClaimActions {
        let store: PostgresStudyStore
        let connection: PostgresConnection

        /// Still running and stale by the server's clock, or held by a worker known dead.
        private static let stillAbandoned =
            "status = 'running' AND (clock_timestamp() - heartbeat_at > make_interval(secs => $2::float8) OR $3::boolean)"

        func reclaim(_ row: StoredTrial, worker: WorkerID, token: String, policy: ClaimPolicy) throws -> Trial? {
            try connection.execute("""
                UPDATE metalic.trials
                SET worker = $4, worker_host = $5, worker_pid = $6, token = $7, attempts = attempts + 1,
                    started_at = clock_timestamp(), heartbeat_at = clock_timestamp()
                WHERE id = $1 AND \(Self.stillAbandoned)
                RETURNING \(PostgresStudyStore.columns)
                """, [String(row.trial.id), PostgresText.double(policy.gracePeriod), row.holder.isKnownDead ? "true" : "false",
                      worker.description, worker.host, String(worker.pid), token]).rows.first.map(store.decodeRow)?.stored.trial
        }

        func giveUp(_ row: StoredTrial, message: String, policy: ClaimPolicy) throws -> Trial? {
            try connection.execute("""
                UPDATE metalic.trials SET status = 'failed', message = $4, finished_at = clock_timestamp(), token = NULL
                WHERE id = $1 AND \(Self.stillAbandoned)
                RETURNING \(PostgresStudyStore.columns)
                """, [String(row.trial.id), PostgresText.double(policy.gracePeriod), row.holder.isKnownDead ? "true" : "false",
                      message]).rows.first.map(store.decodeRow)?.stored.trial
        }

        func insert(round: Int, plan: TrialPlan, worker: WorkerID, token: String) throws -> Trial {
            let rows = try connection.execute("""
                INSERT INTO metalic.trials (study_id, round, context, arms, seed, status, worker, worker_host, worker_pid,
                                            token, started_at, heartbeat_at, attempts, warm_start_trial)
                VALUES ($1, $2, $3::float8[], $4::smallint[], $5, 'running', $6, $7, $8, $9, clock_timestamp(), clock_timestamp(), 1,
                        $10::bigint)
                RETURNING \(PostgresStudyStore.columns)
                """, [String(store.studyID), String(round), PostgresText.array(plan.context.values),
                      PostgresText.array(plan.arms.map(\.mask)), String(Int64(bitPattern: plan.seed)),
                      worker.description, worker.host, String(worker.pid), token, plan.warmStartTrialID.map { String($0) }]).rows
            guard let row = rows.first else { throw StudyStoreError.corrupted("insert of round \(round) returned no row") }
            return try store.decodeRow(row).stored.trial
        }
    }
}
